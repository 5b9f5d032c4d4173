"""Sign-in lockout: five failures within the window lock a username, and separately an
address, for thirty minutes; the page says until when; an administrator can lift it."""

import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.helpers import html_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

HOME = "10.0.0.7"


def sign_in(username, password, address=HOME, client=None):
    client = client or Client()
    response = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return client, response


def fail(username, times, address=HOME):
    for _ in range(times):
        _, response = sign_in(username, "wrong-password", address)
        assert response.status_code in (200, 429)
    return response


def signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("home")


def test_four_failures_then_the_right_password_signs_in(clerk):
    fail("clerk", 4)
    _, response = sign_in("clerk", PASSWORD)
    assert signed_in(response)
    # A success forgets the failures: four more do not lock.
    fail("clerk", 4)
    assert signed_in(sign_in("clerk", PASSWORD)[1])


def test_the_fifth_failure_locks_the_username_for_thirty_minutes(clerk, time_machine, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.security"):
        response = fail("clerk", 5)
    assert response.status_code == 429
    page = html_of(response)
    assert "连续登录失败次数过多，已暂停登录30分钟，请于10:30后再试。" in page
    assert "如需提前解除，请联系系统管理员。" in page
    assert "sign-in locked: username='clerk'" in caplog.text
    assert AccessFailureLog.objects.filter(username="clerk").count() == 5
    # The right password is refused too, from another address, and the lock is not extended.
    time_machine.move_to("2026-11-27 10:20+08:00", tick=False)
    _, response = sign_in("clerk", PASSWORD, address="10.0.0.99")
    assert response.status_code == 429
    page = html_of(response)
    assert "请于10:30后再试" in page
    time_machine.move_to("2026-11-27 10:30:01+08:00", tick=False)
    assert signed_in(sign_in("clerk", PASSWORD)[1])


def test_failures_outside_the_window_do_not_add_up(clerk, time_machine):
    fail("clerk", 4)
    time_machine.move_to("2026-11-27 10:16+08:00", tick=False)  # the window is 15 minutes
    response = fail("clerk", 1)
    assert response.status_code == 200
    assert "请输入一个正确的" in html_of(response)  # Django's own wrong-password message
    assert signed_in(sign_in("clerk", PASSWORD)[1])


def test_an_address_is_locked_separately_from_the_usernames_it_tried(clerk, mediator):
    for name in ("a", "b", "c", "d", "e"):
        fail(name, 1)
    _, response = sign_in("mediator", PASSWORD)
    assert response.status_code == 429
    # The same user from another address is not affected.
    assert signed_in(sign_in("mediator", PASSWORD, address="10.0.0.8")[1])


def test_the_limits_are_settings(clerk, settings):
    settings.LOGIN_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT = 3
    assert fail("clerk", 3).status_code == 429


def test_an_administrator_sees_and_lifts_a_lock(clerk, admin_user, client_as):
    fail("clerk", 5)
    admin = client_as(admin_user)
    listing = html_of(admin.get(reverse("admin:axes_accessattempt_changelist")))
    assert "登录尝试（锁定）" in listing and "clerk" in listing
    attempt = AccessAttempt.objects.get(username="clerk")
    response = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert signed_in(sign_in("clerk", PASSWORD)[1])
    failures = html_of(admin.get(reverse("admin:axes_accessfailurelog_changelist")))
    assert "登录失败记录" in failures


def test_behind_the_proxy_an_address_is_the_one_the_proxy_appended(clerk, settings):
    settings.BEHIND_TLS_PROXY = True
    proxy = "10.0.0.2"
    for _ in range(5):
        response = Client().post(
            reverse("login"),
            {"username": "nobody", "password": "wrong-password"},
            REMOTE_ADDR=proxy,
            # What the client wrote itself comes first and counts for nothing.
            HTTP_X_FORWARDED_FOR="10.0.0.7, 203.0.113.9",
        )
    assert response.status_code == 429
    assert AccessAttempt.objects.filter(ip_address="203.0.113.9").exists()
    # Another client behind the same proxy still signs in.
    response = Client().post(
        reverse("login"),
        {"username": "clerk", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert signed_in(response)
