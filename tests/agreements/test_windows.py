"""The confirmation windows counted on the holiday calendar (DOMAIN.md §1.5, §2.6).

The 30-day application window runs from the day the agreement took effect
(民事诉讼法第二百零五条); a party may object to a confirmation ruling within
15 days of receiving it (民诉法解释第三百七十二条). Both are calendar-day
periods whose last day moves past weekends and statutory holidays but not past
a make-up working day (调休上班日). The agreements here are signed on the day
the clock is moved to, so the effective date is that day.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from agreements.hooks import agreement_deadlines
from agreements.models import Agreement
from agreements.services import agreement as services
from agreements.services.confirmation import (
    application_window,
    apply_for_confirmation,
    objection_window,
    record_outcome,
)
from cases.deadlines import load_work_calendar, office_deadlines
from cases.models import CaseEvent
from tests.factories import agreed_case, passing_checklist

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

APPLY_BASIS = "依据《民事诉讼法》第二百零五条，"
OBJECTION_BASIS = "依据《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第三百七十二条，"
MATERIALS = ["agreement", "presiding_proof", "identity"]


def move(time_machine, day: date) -> None:
    time_machine.move_to(f"{day.isoformat()} 10:00+08:00", tick=False)


def signed_today(office, clerk, head, mediator, *, intended=True):
    """A self-accepted case registered, agreed, drafted and signed by everyone today."""
    today = timezone.localdate()
    case = agreed_case(
        office,
        clerk,
        head,
        mediator,
        accepted_on=today,
        received_date=today - timedelta(days=2),
        act_date=today - timedelta(days=30),
        act_served_date=today - timedelta(days=28),
        act_known_date=today - timedelta(days=28),
    )
    applicant = case.parties.get(role="applicant")
    respondent = case.parties.get(role="respondent")
    agreement = services.draft_agreement(case=case, actor=mediator)
    agreement = services.update_agreement(
        agreement=agreement,
        actor=mediator,
        data={"result": "被申请人撤销处罚决定。", "confirmation_intended": intended},
        obligations=[
            {
                "obligor": respondent,
                "kind": "revoke_or_change",
                "description": "撤销行政处罚决定",
                "amount": None,
                "due_date": today + timedelta(days=90),
                "method": "书面送达撤销决定",
            }
        ],
        expected_version=agreement.edit_version,
    )
    services.answer_checklist(agreement=agreement, actor=mediator, answers=passing_checklist())
    services.record_signature(
        agreement=agreement,
        actor=clerk,
        party=applicant,
        signer_name=applicant.name,
        capacity="in_person",
        method="signature",
        signed_on=today,
    )
    services.record_signature(
        agreement=agreement,
        actor=clerk,
        party=respondent,
        signer_name=respondent.name,
        capacity="agency_seal",
        method="seal",
        signed_on=today,
    )
    services.record_mediator_signature(agreement=agreement, actor=mediator, signed_on=today)
    services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=today)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.EFFECTIVE
    assert agreement.effective_on == today
    return agreement


def effective_event(agreement) -> CaseEvent:
    return agreement.case.events.get(kind=CaseEvent.Kind.AGREEMENT_EFFECTIVE)


# --- The 30-day application window ---------------------------------------------------------


def test_window_ending_on_national_day_moves_past_the_holiday(
    office, clerk, head, mediator, time_machine
):
    move(time_machine, date(2026, 9, 1))
    agreement = signed_today(office, clerk, head, mediator)
    window = application_window(agreement)
    assert window.due == date(2026, 10, 8)
    assert window.nominal_end == date(2026, 10, 1)
    assert window.explanation == (
        f"{APPLY_BASIS}自2026年9月1日（调解协议生效之日）起算，当日不计入，期间为30日，"
        "届满日2026年10月1日为国庆节假期，顺延至其后第一个工作日2026年10月8日。"
    )
    assert not window.provisional
    assert effective_event(agreement).note == (
        "第1版自2026年9月1日生效。申请司法确认的期限至2026年10月8日。"
    )
    case = agreement.case
    case.refresh_from_db()
    assert (case.next_deadline, case.next_deadline_label) == (
        date(2026, 10, 8),
        "申请司法确认期限",
    )


def test_window_running_into_2027_counts_weekends_only_and_says_so(
    office, clerk, head, mediator, time_machine
):
    move(time_machine, date(2026, 12, 4))
    agreement = signed_today(office, clerk, head, mediator)
    window = application_window(agreement)
    assert window.nominal_end == date(2027, 1, 3)  # a Sunday
    assert window.due == date(2027, 1, 4)  # Monday: no 2027 holidays are entered
    assert window.explanation == (
        f"{APPLY_BASIS}自2026年12月4日（调解协议生效之日）起算，当日不计入，期间为30日，"
        "届满日2027年1月3日为周日，顺延至其后第一个工作日2027年1月4日，"
        "2027年节假日安排尚未录入，未扣除该年度的法定节假日，请届时核对。"
    )
    assert window.provisional
    assert "申请司法确认的期限至2027年1月4日" in effective_event(agreement).note
    # The case page shows the same date with the same explanation.
    [deadline] = [
        d
        for d in agreement_deadlines(agreement.case, load_work_calendar(), date(2026, 12, 4))
        if d.label == "申请司法确认期限"
    ]
    assert (deadline.due, deadline.explanation) == (window.due, window.explanation)


@pytest.mark.parametrize(
    ("effective_on", "due"),
    [
        (date(2026, 9, 10), date(2026, 10, 10)),  # Saturday, make-up working day of National Day
        (date(2026, 1, 15), date(2026, 2, 14)),  # Saturday, make-up working day of Spring Festival
    ],
)
def test_window_ending_on_a_make_up_working_saturday_does_not_move(
    office, clerk, head, mediator, time_machine, effective_on, due
):
    assert due.weekday() == 5
    move(time_machine, effective_on)
    agreement = signed_today(office, clerk, head, mediator)
    window = application_window(agreement)
    assert window.due == window.nominal_end == due
    assert not window.rolled_over
    assert window.explanation.endswith(f"期间为30日，至{due.year}年{due.month}月{due.day}日届满。")


@pytest.mark.parametrize(
    ("effective_on", "due", "rest"),
    [
        # 2-15 is the first day of the Spring Festival holiday (2-15..2-23).
        (date(2026, 1, 16), date(2026, 2, 24), "春节假期"),
        # 2026-12-27 is a Sunday.
        (date(2026, 11, 27), date(2026, 12, 28), "周日"),
        # 2026-05-02 is in the Labour Day holiday (5-1..5-5).
        (date(2026, 4, 2), date(2026, 5, 6), "劳动节假期"),
    ],
)
def test_window_rolls_over_rest_days(
    office, clerk, head, mediator, time_machine, effective_on, due, rest
):
    move(time_machine, effective_on)
    agreement = signed_today(office, clerk, head, mediator)
    window = application_window(agreement)
    nominal = effective_on + timedelta(days=30)
    assert window.nominal_end == nominal
    assert window.due == due
    assert (
        f"届满日{nominal.year}年{nominal.month}月{nominal.day}日为{rest}，"
        f"顺延至其后第一个工作日{due.year}年{due.month}月{due.day}日" in window.explanation
    )


def test_window_ending_on_a_working_day_is_exactly_30_days(
    office, clerk, head, mediator, time_machine
):
    move(time_machine, date(2026, 10, 20))
    agreement = signed_today(office, clerk, head, mediator)
    window = application_window(agreement)
    assert window.due == window.nominal_end == date(2026, 11, 19)  # a Thursday
    assert window.explanation == (
        f"{APPLY_BASIS}自2026年10月20日（调解协议生效之日）起算，当日不计入，期间为30日，"
        "至2026年11月19日届满。"
    )


def test_no_window_before_the_agreement_takes_effect(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    draft = services.draft_agreement(case=case, actor=mediator)
    assert application_window(draft) is None
    assert agreement_deadlines(case, load_work_calendar(), date(2026, 11, 27)) == []


def test_window_is_not_a_case_deadline_unless_confirmation_is_intended(
    office, clerk, head, mediator
):
    agreement = signed_today(office, clerk, head, mediator, intended=False)
    labels = [
        d.label for d in office_deadlines(agreement.case, load_work_calendar(), date(2026, 11, 27))
    ]
    assert labels == [f"履行期限：第1项（{agreement.case.agency.name}）"]
    # The window itself still exists for the application form.
    assert application_window(agreement).due == date(2026, 12, 28)


# --- The 15-day objection window ------------------------------------------------------------


def confirmed(agreement, clerk, court, liaison, time_machine, served_on):
    """Apply on the effective date; the court decides and serves on ``served_on``."""
    case = agreement.case
    applied = apply_for_confirmation(
        agreement=agreement,
        actor=clerk,
        court=court,
        applicants=list(case.parties.all()),
        applied_on=agreement.effective_on,
        materials=MATERIALS,
    )
    move(time_machine, served_on)
    applied, warnings = record_outcome(
        confirmation=applied,
        actor=liaison,
        outcome="valid_ruling",
        court_case_no="（2026）鄂9005民特7号",
        filed_on=agreement.effective_on,
        decided_on=served_on,
        served_on=served_on,
    )
    assert warnings == []
    return applied


@pytest.mark.parametrize(
    ("served_on", "due", "tail"),
    [
        # 9-16 + 15 = 10-01, National Day: the first working day after is 10-08.
        (
            date(2026, 9, 16),
            date(2026, 10, 8),
            "届满日2026年10月1日为国庆节假期，顺延至其后第一个工作日2026年10月8日。",
        ),
        # 9-25 + 15 = 10-10, a make-up working Saturday: no roll-over.
        (date(2026, 9, 25), date(2026, 10, 10), "至2026年10月10日届满。"),
        # 11-27 + 15 = 12-12, a Saturday.
        (
            date(2026, 11, 27),
            date(2026, 12, 14),
            "届满日2026年12月12日为周六，顺延至其后第一个工作日2026年12月14日。",
        ),
        # 12-19 + 15 = 2027-01-03, a Sunday in a year without holidays entered.
        (
            date(2026, 12, 19),
            date(2027, 1, 4),
            "届满日2027年1月3日为周日，顺延至其后第一个工作日2027年1月4日，"
            "2027年节假日安排尚未录入，未扣除该年度的法定节假日，请届时核对。",
        ),
    ],
)
def test_objection_window_is_15_days_from_service(
    office, clerk, head, mediator, court, court_liaison, time_machine, served_on, due, tail
):
    move(time_machine, min(served_on, date(2026, 9, 10)))
    agreement = signed_today(office, clerk, head, mediator)
    confirmation = confirmed(agreement, clerk, court, court_liaison, time_machine, served_on)
    window = objection_window(confirmation)
    assert window.due == due
    assert window.explanation == (
        f"{OBJECTION_BASIS}自{served_on.year}年{served_on.month}月{served_on.day}日"
        f"（收到裁定之日）起算，当日不计入，期间为15日，{tail}"
    )
    event = agreement.case.events.get(kind=CaseEvent.Kind.CONFIRMATION_DECIDED)
    assert event.note.endswith(f"；当事人提出异议的期限至{due.year}年{due.month}月{due.day}日")
    # The case page shows it as a date to know, not one the office must meet.
    [deadline] = [
        d
        for d in agreement_deadlines(agreement.case, load_work_calendar(), served_on)
        if d.label == "当事人对确认裁定提出异议期限"
    ]
    assert (deadline.due, deadline.informational, deadline.state(served_on)) == (
        due,
        True,
        "info",
    )


def test_no_objection_window_without_service_or_after_a_failure(
    office, clerk, head, mediator, court, court_liaison
):
    agreement = signed_today(office, clerk, head, mediator)
    case = agreement.case
    applied = apply_for_confirmation(
        agreement=agreement,
        actor=clerk,
        court=court,
        applicants=list(case.parties.all()),
        applied_on=date(2026, 11, 27),
        materials=MATERIALS,
    )
    assert objection_window(applied) is None  # no outcome yet
    applied, _ = record_outcome(
        confirmation=applied,
        actor=court_liaison,
        outcome="dismissed",
        court_case_no="（2026）鄂9005民特8号",
        filed_on=None,
        decided_on=date(2026, 11, 27),
        served_on=date(2026, 11, 27),
    )
    assert objection_window(applied) is None
    event = case.events.get(kind=CaseEvent.Kind.CONFIRMATION_DECIDED)
    assert event.note == "潜江市人民法院裁定驳回申请，案号（2026）鄂9005民特8号，2026年11月27日"
