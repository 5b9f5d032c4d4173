"""Reminders of the agencies' deadlines: once per threshold, to the right people, with a link."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from cases.models import Notification
from liaison.reminders import send_register_reminders
from liaison.services import lawsuits, suggestions

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_the_defence_deadline_is_reminded_once_per_threshold(
    gov_liaison, agency_contact, other_agency_contact, lawsuit
):
    lawsuits.record_defence(
        defendant=lawsuit.defendants.get(),
        actor=agency_contact,
        complaint_received_on=date(2026, 11, 15),
        defence_submitted_on=None,
    )
    # Due 30 November: three days from 27 November.
    assert send_register_reminders(date(2026, 11, 27)) == 1
    assert send_register_reminders(date(2026, 11, 27)) == 0
    assert _titles(agency_contact) == [
        "（2026）鄂9005行初12号：提交答辩状和证据期限将于2026-11-30届满，还剩3日"
    ]
    assert _titles(other_agency_contact) == []
    assert _titles(gov_liaison) == []
    notice = Notification.objects.get(recipient=agency_contact)
    assert notice.link == lawsuit.get_absolute_url() and notice.case is None
    # Overdue: the bureau hears of it too.
    assert send_register_reminders(date(2026, 12, 1)) == 2
    assert "已超期1日" in _titles(gov_liaison)[0]


def test_a_met_deadline_is_not_reminded(agency_contact, lawsuit):
    lawsuits.record_defence(
        defendant=lawsuit.defendants.get(),
        actor=agency_contact,
        complaint_received_on=date(2026, 11, 15),
        defence_submitted_on=date(2026, 11, 20),
    )
    assert send_register_reminders(date(2026, 11, 27)) == 0


def test_an_overdue_reply_appears_in_the_notifications(
    client_as, court_liaison, gov_liaison, agency_contact, court, agency
):
    suggestion = suggestions.suggestion_create(
        actor=court_liaison,
        data={
            "number": "潜法建〔2026〕3号",
            "court": court,
            "kind": "governance",
            "subject": "建议",
            "content": "内容",
            "issued_on": date(2026, 8, 1),
            "reply_months": 2,
            "hearing": None,
        },
        addressees=[suggestions.Addressee(agency, date(2026, 8, 3))],
        lawsuits=[],
    )
    out = StringIO()
    call_command("send_reminders", "--date", "2026-11-27", stdout=out)
    assert "府院联动台账：新增逾期未履行的生效裁判 0 项；发送提醒 2 条。" in out.getvalue()
    page = client_as(agency_contact).get("/notifications/").content.decode()
    assert "司法建议潜法建〔2026〕3号：答复司法建议期限已于2026-10-08届满，已超期50日" in page
    assert f'href="{suggestion.get_absolute_url()}"' in page
    assert Notification.objects.filter(recipient=gov_liaison).count() == 1
