"""Notices are marked read by a POST of their own, never by opening a page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Notification
from cases.services.notify import notify
from tests.factories import register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def send(user, count, case=None, prefix="n") -> list[Notification]:
    """``count`` new notices for ``user``, oldest first."""
    for index in range(count):
        notify(
            [user], case=case, key=f"{prefix}:{index}", title=f"提醒{prefix}{index}", body="请处理"
        )
    # notify() creates with ignore_conflicts, which leaves the primary keys unset.
    return list(
        Notification.objects.filter(recipient=user, key__startswith=f"{prefix}:").order_by("id")
    )


def unread(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def test_opening_the_list_marks_nothing_read(client_as, office, clerk, mediator):
    case = register(office, clerk)
    notices = send(mediator, 32, case)
    client = client_as(mediator)
    for page in ("1", "2", "abc"):
        response = client.get(reverse("notifications"), {"page": page})
        assert response.status_code == 200
    html = response.content.decode()
    assert html.count(">新<") == 30
    assert html.count(">标为已读</button>") == 30
    assert 'data-testid="mark-page-read"' in html
    assert reverse("notification_read", args=[notices[-1].pk]) in html
    assert unread(mediator) == 32


@pytest.mark.parametrize("name", ["notifications_read", "notification_read"])
def test_get_on_the_marking_urls_is_refused(client_as, mediator, name):
    (notice,) = send(mediator, 1)
    args = [notice.pk] if name == "notification_read" else []
    response = client_as(mediator).get(reverse(name, args=args), {"ids": notice.pk})
    assert response.status_code == 405
    assert unread(mediator) == 1


@pytest.mark.parametrize("name", ["notifications_read", "notification_read"])
def test_anonymous_is_sent_to_login_and_nothing_changes(client, mediator, name):
    (notice,) = send(mediator, 1)
    args = [notice.pk] if name == "notification_read" else []
    response = client.post(reverse(name, args=args), {"ids": [notice.pk]})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert unread(mediator) == 1


def test_someone_elses_notice_is_not_found(client_as, mediator, head):
    (notice,) = send(head, 1)
    response = client_as(mediator).post(reverse("notification_read", args=[notice.pk]))
    assert response.status_code == 404
    assert unread(head) == 1


def test_someone_elses_notices_are_left_alone_by_the_page_button(client_as, mediator, head):
    theirs = send(head, 2)
    mine = send(mediator, 1)
    ids = [n.pk for n in theirs + mine]
    response = client_as(mediator).post(reverse("notifications_read"), {"ids": ids, "page": "1"})
    assert response.status_code == 302
    assert (unread(head), unread(mediator)) == (2, 0)


def test_the_recipient_marks_one_notice_read(client_as, mediator):
    first, second = send(mediator, 2)
    client = client_as(mediator)
    response = client.post(reverse("notification_read", args=[first.pk]), {"page": "2"})
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications") + "?page=2"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    # Again: nothing changes, the first reading time stays.
    read_at = first.read_at
    client.post(reverse("notification_read", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at == read_at
    html = client.get(reverse("notifications")).content.decode()
    assert html.count(">新<") == 1
    assert reverse("notification_read", args=[first.pk]) not in html


def test_the_page_button_marks_only_the_notices_it_showed(client_as, mediator):
    shown = send(mediator, 2)
    client = client_as(mediator)
    html = client.get(reverse("notifications")).content.decode()
    ids = re.findall(r'name="ids" value="(\d+)"', html)
    assert sorted(ids) == sorted(str(n.pk) for n in shown)
    (arrived,) = send(mediator, 1, prefix="later")
    response = client.post(reverse("notifications_read"), {"ids": ids, "page": "1"})
    assert response["Location"] == reverse("notifications") + "?page=1"
    assert list(
        Notification.objects.filter(recipient=mediator, read_at__isnull=True).values_list(
            "pk", flat=True
        )
    ) == [arrived.pk]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"ids": ["abc", "-1", "", "１"], "page": "' OR 1=1 --"},
        {"ids": ["99999999999999999999"], "page": "99999999999999999999"},
    ],
)
def test_malformed_posts_mark_nothing_and_go_back_to_the_list(client_as, mediator, data):
    send(mediator, 1)
    response = client_as(mediator).post(reverse("notifications_read"), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("notifications"))
    assert unread(mediator) == 1


def test_an_out_of_range_id_in_the_url_is_not_found(client_as, mediator):
    response = client_as(mediator).post(reverse("notification_read", args=[2**63]))
    assert response.status_code == 404


def test_marking_read_needs_the_csrf_token(mediator):
    (notice,) = send(mediator, 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(mediator)
    url = reverse("notification_read", args=[notice.pk])
    assert client.post(url).status_code == 403
    assert unread(mediator) == 1
    html = client.get(reverse("notifications")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert unread(mediator) == 0
