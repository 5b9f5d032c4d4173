"""A sign-in ends after thirty idle minutes and eight hours in any case; the page's session
endpoint says how long is left; a form sent after the end comes back after signing in."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.helpers import html_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

AT = "2026-11-27 {}+08:00"


def sign_in(username="clerk"):
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def at(time_machine, clock):
    time_machine.move_to(AT.format(clock), tick=False)


def test_thirty_idle_minutes_end_the_sign_in(clerk, time_machine):
    client = sign_in()
    at(time_machine, "10:29")
    assert client.get(reverse("cases:list")).status_code == 200
    at(time_machine, "10:58")  # 29 minutes after the last request
    assert client.get(reverse("cases:list")).status_code == 200
    at(time_machine, "11:29")  # 31 minutes
    response = client.get(reverse("cases:list") + "?status=accepted")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/cases/%3Fstatus%3Daccepted"
    page = html_of(client.get(response["Location"]))
    assert "您已超过30分钟未操作，为保护案件信息已自动退出，请重新登录。" in page
    assert client.get(reverse("cases:list")).status_code == 302


def test_asking_how_long_is_left_is_not_activity(clerk, time_machine):
    client = sign_in()
    at(time_machine, "10:20")
    assert client.get(reverse("session_status")).json() == {"remaining": 600, "warning": 120}
    at(time_machine, "10:29")
    assert client.get(reverse("session_status")).json()["remaining"] == 60
    # Staying signed in is.
    assert client.post(reverse("session_status")).json()["remaining"] == 1800
    at(time_machine, "10:58")
    assert client.get(reverse("cases:list")).status_code == 200
    at(time_machine, "11:30")
    assert client.get(reverse("session_status")).json()["remaining"] == 0
    assert client.get(reverse("home")).status_code == 302


def test_eight_hours_end_the_sign_in_however_busy(clerk, time_machine):
    from datetime import datetime, timedelta

    client = sign_in()
    clock = datetime.fromisoformat("2026-11-27 10:00+08:00")
    while clock < datetime.fromisoformat("2026-11-27 17:50+08:00"):
        clock += timedelta(minutes=25)
        time_machine.move_to(clock, tick=False)
        assert client.get(reverse("home")).status_code == 200, clock
    time_machine.move_to("2026-11-27 18:00:01+08:00", tick=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "本次登录已超过8小时，请重新登录。" in html_of(client.get(response["Location"]))


def test_the_idle_limit_is_a_setting(clerk, time_machine, settings):
    settings.SESSION_IDLE_MINUTES = 10
    client = sign_in()
    at(time_machine, "10:11")
    assert client.get(reverse("home")).status_code == 302


def test_a_form_sent_after_the_end_comes_back_after_signing_in_again(clerk, mediator, time_machine):
    client = sign_in()
    form_page = reverse("cases:register")
    assert client.get(form_page).status_code == 200
    at(time_machine, "10:31")
    response = client.post(
        form_page,
        {"facts_and_reasons": "申请人认为处罚过重。", "category": "5", "password": "x"},
        HTTP_REFERER="http://testserver" + form_page,
    )
    assert response["Location"] == reverse("login") + "?next=" + form_page
    assert "您填写的内容已保留" in html_of(client.get(response["Location"]))
    # Another person signing in at this browser does not get it.
    other = client.post(reverse("login"), {"username": "mediator", "password": PASSWORD})
    assert other.status_code == 302
    assert client.get(reverse("home")).context["restored_form"] is None
    client.post(reverse("logout"))


def test_the_same_user_gets_the_form_back_once(clerk, time_machine):
    client = sign_in()
    form_page = reverse("cases:register")
    at(time_machine, "10:31")
    client.post(
        form_page,
        {"facts_and_reasons": "申请人认为处罚过重。", "claims-0-text": ["撤销"], "password": "x"},
        HTTP_REFERER="http://testserver" + form_page,
    )
    response = client.post(
        reverse("login") + "?next=" + form_page,
        {"username": "clerk", "password": PASSWORD, "next": form_page},
    )
    assert response["Location"] == form_page
    page = client.get(form_page)
    draft = page.context["restored_form"]
    assert draft["fields"] == {
        "facts_and_reasons": ["申请人认为处罚过重。"],
        "claims-0-text": ["撤销"],
    }
    assert draft["action"] == form_page
    assert 'id="restored-form"' in html_of(page)
    assert client.get(form_page).context["restored_form"] is None


def test_an_htmx_request_after_the_end_is_sent_to_sign_in(clerk, time_machine):
    client = sign_in()
    at(time_machine, "10:31")
    response = client.get(reverse("notifications"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login") + "?next=")


def test_the_session_endpoint_needs_a_sign_in(client):
    response = client.get(reverse("session_status"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_form_sent_after_the_page_noticed_the_end_is_kept_too(clerk, time_machine):
    client = sign_in()
    form_page = reverse("cases:register")
    at(time_machine, "10:31")
    assert client.get(reverse("session_status")).json()["remaining"] == 0  # ended now
    response = client.post(
        form_page,
        {"facts_and_reasons": "申请人认为处罚过重。"},
        HTTP_REFERER="http://testserver" + form_page,
    )
    assert response["Location"] == reverse("login") + "?next=" + form_page
    client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})
    draft = client.get(form_page).context["restored_form"]
    assert draft["fields"] == {"facts_and_reasons": ["申请人认为处罚过重。"]}
