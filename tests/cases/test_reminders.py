"""Deadline reminders: thresholds, recipients, sent once, fresh after an extension, e-mail."""

import re
from datetime import date
from io import StringIO
from smtplib import SMTPException

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command

from accounts.models import Role
from cases.models import Decision, Notification, Status, Suspension, TerminationReason
from cases.reminders import (
    MEDIATION,
    REFERRAL_ANSWER,
    case_reminders,
    send_case_reminders,
    threshold_reached,
)
from cases.services import mediation
from tests.factories import (
    VALID_ID,
    VALID_ID_2,
    MediatorFactory,
    UserFactory,
    accepted_case,
    mediating_case,
    person,
    refer,
)
from tests.helpers import pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

CASE_NO = "（2026）潜行调字第1号"


def received(user):
    return list(
        Notification.objects.filter(recipient=user, key__startswith="deadline:")
        .order_by("id")
        .values_list("key", flat=True)
    )


def run_command(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue().strip()


def sent(output, day):
    """(reminders, cases) from the command's report of ``day``."""
    assert output.startswith(f"{day}："), output
    found = re.search(r"发送提醒 (\d+) 条，涉及案件 (\d+) 件。", output)
    assert found, output
    return int(found.group(1)), int(found.group(2))


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (30, None),
        (8, None),
        (7, "d7"),
        (5, "d7"),
        (4, "d7"),
        (3, "d3"),
        (2, "d3"),
        (1, "d1"),
        (0, "d0"),
        (-1, "overdue"),
        (-30, "overdue"),
    ],
)
def test_mediation_thresholds(days_left, expected):
    assert MEDIATION.thresholds == (7, 3, 1, 0)
    assert threshold_reached(days_left, MEDIATION.thresholds) == expected


@pytest.mark.parametrize(
    ("days_left", "expected"), [(3, None), (2, None), (1, "d1"), (0, "d0"), (-1, "overdue")]
)
def test_referral_answer_thresholds(days_left, expected):
    assert REFERRAL_ANSWER.thresholds == (1, 0)
    assert threshold_reached(days_left, REFERRAL_ANSWER.thresholds) == expected


def test_the_mediator_and_the_head_are_told_once_per_threshold(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    assert case.next_deadline == date(2026, 12, 28)
    assert send_case_reminders(date(2026, 11, 27)) == (0, 0)
    assert send_case_reminders(date(2026, 12, 20)) == (0, 0)  # 8 days left

    assert send_case_reminders(date(2026, 12, 21)) == (2, 1)
    key = f"deadline:{case.pk}:mediation:20261228:d7"
    assert received(mediator) == received(head) == [key]
    assert received(clerk) == []
    notice = Notification.objects.get(recipient=mediator, key=key)
    assert notice.case == case
    assert notice.title == f"{CASE_NO}：调解期限将于2026-12-28届满，还剩7日"
    assert notice.body == "请及时处理。期限计算依据见案件页面。"

    assert send_case_reminders(date(2026, 12, 21)) == (0, 0)
    assert send_case_reminders(date(2026, 12, 23)) == (0, 0)  # 5 days left: still d7
    assert Notification.objects.filter(key__startswith="deadline:").count() == 2


@pytest.mark.parametrize(
    ("today", "threshold", "wording"),
    [
        (date(2026, 12, 25), "d3", "调解期限将于2026-12-28届满，还剩3日"),
        (date(2026, 12, 27), "d1", "调解期限将于2026-12-28届满，还剩1日"),
        (date(2026, 12, 28), "d0", "调解期限今日（2026-12-28）届满"),
        (date(2026, 12, 30), "overdue", "调解期限已于2026-12-28届满，已超期2日"),
    ],
)
def test_each_threshold_is_worded_for_its_day(
    office, clerk, head, mediator, today, threshold, wording
):
    case = mediating_case(office, clerk, head, mediator)
    assert send_case_reminders(today) == (2, 1)
    notice = Notification.objects.get(recipient=head)
    assert notice.key == f"deadline:{case.pk}:mediation:20261228:{threshold}"
    assert notice.title == f"{CASE_NO}：{wording}"


def test_the_command_sends_nothing_twice_and_again_at_the_next_threshold(
    office, clerk, head, mediator, time_machine
):
    case = mediating_case(office, clerk, head, mediator)
    first = run_command()
    assert "发送提醒 0 条" in first
    assert sent(first, "2026-11-27") == (0, 0)
    # 07:30 in Qianjiang is still the day before in UTC: the local date counts.
    time_machine.move_to("2026-12-21 07:30+08:00", tick=False)
    assert sent(run_command(), "2026-12-21") == (2, 1)
    assert sent(run_command(), "2026-12-21") == (0, 0)
    time_machine.move_to("2026-12-25 08:00+08:00", tick=False)
    assert sent(run_command(), "2026-12-25") == (2, 1)
    assert sent(run_command(), "2026-12-25") == (0, 0)
    assert received(mediator) == [
        f"deadline:{case.pk}:mediation:20261228:d7",
        f"deadline:{case.pk}:mediation:20261228:d3",
    ]
    # --date computes for another day (a catch-up run); what was sent is not sent again.
    assert sent(run_command("--date", "2026-12-27"), "2026-12-27") == (2, 1)
    assert sent(run_command("--date", "2026-12-27"), "2026-12-27") == (0, 0)


def test_the_command_refuses_a_malformed_date(db):
    with pytest.raises(CommandError) as exc:
        run_command("--date", "2026/12/27")
    assert str(exc.value) == "日期格式应为 YYYY-MM-DD：2026/12/27"


def test_an_approved_extension_starts_fresh_reminders(office, clerk, head, mediator, time_machine):
    case = mediating_case(office, clerk, head, mediator)
    time_machine.move_to("2026-12-21 09:00+08:00", tick=False)
    assert send_case_reminders(date(2026, 12, 21)) == (2, 1)
    extension = mediation.propose_extension(
        case=case,
        actor=head,
        days=3,
        reason="双方同意继续协商",
        consenting_parties=list(case.parties.all()),
        consent_form=pdf(),
    )
    assert extension.status == Decision.APPROVED
    case.refresh_from_db()
    assert case.next_deadline == date(2026, 12, 31)
    assert send_case_reminders(date(2026, 12, 21)) == (0, 0)  # 10 days left
    assert send_case_reminders(date(2026, 12, 24)) == (2, 1)
    assert received(mediator) == [
        f"deadline:{case.pk}:mediation:20261228:d7",
        f"deadline:{case.pk}:mediation:20261231:d7",
    ]
    assert (
        Notification.objects.get(
            recipient=head, key=f"deadline:{case.pk}:mediation:20261231:d7"
        ).title
        == f"{CASE_NO}：调解期限将于2026-12-31届满，还剩7日"
    )


def test_an_accepted_case_without_mediators_reminds_the_head(office, clerk, head, mediator):
    case = accepted_case(office, clerk, head)
    MediatorFactory(user=mediator)
    assert send_case_reminders(date(2026, 12, 27)) == (1, 1)
    assert received(head) == [f"deadline:{case.pk}:mediation:20261228:d1"]
    assert received(mediator) == []


def test_a_replaced_or_inactive_mediator_is_not_reminded(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    successor = MediatorFactory(
        user=UserFactory(role=Role.MEDIATOR, office=office, username="mediator2")
    )
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[successor], presiding=successor
    )
    mediation.declare_conflict_check(assignment=assignment, actor=successor.user, no_conflict=True)
    retired_head = UserFactory(role=Role.HEAD, office=office, username="old_head", is_active=False)
    assert send_case_reminders(date(2026, 12, 21)) == (2, 1)
    assert (
        received(successor.user) == received(head) == [f"deadline:{case.pk}:mediation:20261228:d7"]
    )
    assert received(mediator) == received(retired_head) == []


def test_terminated_closed_and_suspended_cases_get_no_reminders(
    office, clerk, head, mediator, time_machine
):
    ended = mediating_case(office, clerk, head, mediator)
    termination = mediation.propose_termination(
        case=ended, actor=mediator, reason=TerminationReason.GAP_TOO_WIDE, note="分歧较大"
    )
    mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    closed = mediation.close_case(case=ended, actor=head)
    assert closed.status == Status.CLOSED

    terminated = mediating_case(
        office, clerk, head, mediator, applicants=[person(id_number=VALID_ID_2)], confirm=True
    )
    termination = mediation.propose_termination(
        case=terminated, actor=mediator, reason=TerminationReason.UNREACHABLE, note="联系不上"
    )
    mediation.decide_termination(termination=termination, actor=head, approve=True, note="")

    suspended = mediating_case(
        office,
        clerk,
        head,
        mediator,
        applicants=[person(id_number="11010519491231002X")],
        confirm=True,
    )
    mediation.suspend(
        case=suspended,
        actor=mediator,
        reason=Suspension.Reason.APPRAISAL,
        note="",
        started_on=date(2026, 11, 27),
    )
    for today in (date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 20)):
        assert list(case_reminders(today)) == []
        assert send_case_reminders(today) == (0, 0)
    assert not Notification.objects.filter(key__startswith="deadline:").exists()

    # Once mediation resumes, the period (moved on by the pause) is reminded again.
    time_machine.move_to("2026-12-04 10:00+08:00", tick=False)
    resumed = mediation.resume(case=suspended, actor=mediator, resumed_on=date(2026, 12, 4))
    assert resumed.next_deadline == date(2027, 1, 4)  # moved on by the pause, past a weekend
    assert send_case_reminders(date(2026, 12, 28)) == (2, 1)
    assert received(head) == [f"deadline:{resumed.pk}:mediation:20270104:d7"]


def test_referral_answers_remind_heads_and_clerks(office, clerk, head, mediator, court_liaison):
    case = refer(office, court_liaison)
    assert case.next_deadline == date(2026, 12, 2)
    second_clerk = UserFactory(role=Role.CLERK, office=office, username="clerk2")
    assert send_case_reminders(date(2026, 11, 30)) == (0, 0)  # 2 days left
    assert send_case_reminders(date(2026, 12, 1)) == (3, 1)
    key = f"deadline:{case.pk}:referral_answer:20261202:d1"
    assert received(head) == received(clerk) == received(second_clerk) == [key]
    assert received(mediator) == [] and received(court_liaison) == []
    title = Notification.objects.get(recipient=clerk).title
    assert title == f"{case.display_number}：答复法院委派期限将于2026-12-02届满，还剩1日"
    assert title.startswith("委派函（2026）鄂9005委调")
    assert send_case_reminders(date(2026, 12, 2)) == (3, 1)  # d0
    assert send_case_reminders(date(2026, 12, 3)) == (3, 1)  # overdue
    assert send_case_reminders(date(2026, 12, 4)) == (0, 0)


def test_reminders_reach_only_their_own_office(office, other_office, clerk, head, mediator):
    mediating_case(office, clerk, head, mediator)
    other_head = UserFactory(role=Role.HEAD, office=other_office, username="other_head")
    assert send_case_reminders(date(2026, 12, 21)) == (2, 1)
    assert received(other_head) == []


def test_no_email_unless_configured(
    office, clerk, head, mediator, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.REMINDER_EMAILS = False
    mediator.email = "mediator@example.cn"
    mediator.save()
    mediating_case(office, clerk, head, mediator)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_case_reminders(date(2026, 12, 21)) == (2, 1)
    assert mailoutbox == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()


def test_email_goes_to_users_with_an_address_and_carries_no_id_numbers(
    office, clerk, head, mediator, settings, mailoutbox, django_capture_on_commit_callbacks
):
    mediator.email = "mediator@example.cn"
    mediator.save()
    case = mediating_case(office, clerk, head, mediator)  # the head has no e-mail address
    assert case.parties.filter(id_number=VALID_ID).exists()
    settings.REMINDER_EMAILS = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert send_case_reminders(date(2026, 12, 21)) == (2, 1)
    assert len(callbacks) == 1
    [message] = mailoutbox
    assert message.to == ["mediator@example.cn"]
    title = f"{CASE_NO}：调解期限将于2026-12-28届满，还剩7日"
    assert message.subject == f"[行政争议化解工作室] {title}"
    assert title in message.body
    assert "请登录案件管理系统查看详情。" in message.body
    text = message.subject + message.body
    assert VALID_ID not in text
    assert not re.search(r"\d{17}[\dXx]", text)
    assert "王建国" not in text  # the applicant's name stays in the system
    reminders = Notification.objects.filter(key__startswith="deadline:")
    assert reminders.get(recipient=mediator).emailed_at is not None
    assert reminders.get(recipient=head).emailed_at is None

    # Nothing new, nothing mailed.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_case_reminders(date(2026, 12, 21)) == (0, 0)
    assert len(mailoutbox) == 1


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        if self.fail_silently:
            return 0
        raise SMTPException("connection refused")


def test_a_failed_email_is_not_recorded_as_sent(
    office, clerk, head, mediator, settings, django_capture_on_commit_callbacks
):
    mediator.email = "mediator@example.cn"
    mediator.save()
    mediating_case(office, clerk, head, mediator)
    settings.REMINDER_EMAILS = True
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert send_case_reminders(date(2026, 12, 21)) == (2, 1)
    reminder = Notification.objects.get(recipient=mediator, key__startswith="deadline:")
    assert reminder.emailed_at is None
