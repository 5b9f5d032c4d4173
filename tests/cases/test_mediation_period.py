"""The mediation period: start, holidays, make-up working days, extensions and suspensions."""

import re
from datetime import date

import pytest
from django.urls import reverse

from cases.deadlines import (
    MEDIATION_NEAR_DAYS,
    load_work_calendar,
    mediation_period,
    mediation_period_of,
    office_deadlines,
)
from cases.models import CaseEvent, Decision, Status, Suspension
from cases.services import mediation, referral
from tests import factories
from tests.factories import accepted_case, mediating_case
from tests.helpers import pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

EXTENSION_BASIS = (
    "依据当事人同意延长调解期限（《最高人民法院关于人民法院特邀调解的规定》第二十七条），"
)


def early_case_data(day: date) -> dict:
    """Registration values for a dispute received on ``day`` (act dates before it)."""
    return {
        "received_date": day,
        "act_date": date(2025, 12, 1),
        "act_served_date": date(2025, 12, 3),
        "act_known_date": date(2025, 12, 3),
    }


def extend(case, head, days):
    extension = mediation.propose_extension(
        case=case,
        actor=head,
        days=days,
        reason="双方同意继续协商",
        consenting_parties=list(case.parties.all()),
        consent_form=pdf(),
    )
    assert extension.status == Decision.APPROVED
    case.refresh_from_db()
    return case


def referral_signed_for(office, liaison, clerk, day: date):
    """A referral created and signed for on ``day`` (the clock must already be there)."""
    data = factories.case_data(source="court_referral", **early_case_data(day))
    case = referral.referral_create(
        actor=liaison,
        office=office,
        case_data=data,
        referral_data=factories.referral_data(
            letter_no=f"（{day.year}）鄂9005委调{day:%m%d}号",
            letter_date=day,
            complaint_received_date=day,
        ),
        applicants=[factories.person()],
        respondents=[data["agency"]],
        claims=[{"text": "撤销行政处罚决定", "amount": None}],
    )
    return referral.referral_sign_for(case=case, actor=clerk, signed_on=day)


def test_self_accepted_period_rolls_over_the_weekend(office, clerk, head):
    case = accepted_case(office, clerk, head)
    assert case.accepted_on == date(2026, 11, 27)
    assert case.mediation_due == case.next_deadline == date(2026, 12, 28)
    assert case.next_deadline_label == "调解期限"
    period = mediation_period_of(case, load_work_calendar(), date(2026, 11, 27))
    assert (period.due, period.paused) == (date(2026, 12, 28), False)
    assert period.explanation == (
        "依据本工作室设定的自行受理调解期限，自2026年11月27日（受理之日）起算，当日不计入，"
        "期间为30日，届满日2026年12月27日为周日，顺延至其后第一个工作日2026年12月28日。"
    )


def test_the_office_setting_changes_the_self_accepted_period(office, clerk, head):
    office.self_accepted_mediation_days = 20
    office.save()
    case = accepted_case(office, clerk, head)
    assert case.mediation_due == date(2026, 12, 17)
    period = mediation_period_of(case, load_work_calendar(), date(2026, 11, 27))
    assert "期间为20日，至2026年12月17日届满" in period.explanation


def test_changing_the_office_setting_does_not_move_cases_already_accepted(
    office, clerk, head, mediator
):
    case = mediating_case(office, clerk, head, mediator)
    assert case.mediation_due == date(2026, 12, 28)
    office.self_accepted_mediation_days = 20
    office.save()
    mediation.schedule_session(
        case=case,
        actor=mediator,
        scheduled_at=case.sessions.get().scheduled_at,
        place="工作室调解室",
        mode="video",
    )
    mediation.suspend(
        case=case,
        actor=mediator,
        reason=Suspension.Reason.APPRAISAL,
        note="",
        started_on=date(2026, 11, 27),
    )
    case = mediation.resume(case=case, actor=mediator, resumed_on=date(2026, 11, 27))
    assert case.mediation_due == date(2026, 12, 28)


@pytest.mark.parametrize(
    ("signed_on", "due", "nominal", "holiday"),
    [
        (date(2026, 9, 1), date(2026, 10, 8), "2026年10月1日", "国庆节假期"),
        (date(2026, 4, 1), date(2026, 5, 6), "2026年5月1日", "劳动节假期"),
    ],
)
def test_referral_period_landing_on_a_holiday_moves_past_it(
    office, court_liaison, clerk, time_machine, signed_on, due, nominal, holiday
):
    time_machine.move_to(f"{signed_on.isoformat()} 10:00+08:00", tick=False)
    case = referral_signed_for(office, court_liaison, clerk, signed_on)
    assert case.status == Status.ACCEPTED
    assert case.mediation_due == case.next_deadline == due
    period = mediation_period_of(case, load_work_calendar(), signed_on)
    assert period.explanation == (
        "依据《最高人民法院关于人民法院特邀调解的规定》第二十七条，"
        f"自{signed_on.year}年{signed_on.month}月{signed_on.day}日（签收委派材料之日）起算，"
        f"当日不计入，期间为30日，届满日{nominal}为{holiday}，"
        f"顺延至其后第一个工作日{due.year}年{due.month}月{due.day}日。"
    )


def test_referral_period_is_thirty_days_from_sign_for(office, court_liaison, clerk):
    # DOMAIN.md §2.6 worked example shape: signed for on Friday 2026-11-27.
    case = factories.refer(office, court_liaison)
    case = referral.referral_sign_for(case=case, actor=clerk, signed_on=date(2026, 11, 27))
    assert case.mediation_due == date(2026, 12, 28)


@pytest.mark.parametrize(
    ("accepted_on", "due"),
    [
        (date(2026, 1, 29), date(2026, 2, 28)),  # make-up working Saturday after Spring Festival
        (date(2026, 4, 9), date(2026, 5, 9)),  # make-up working Saturday after Labour Day
        (date(2026, 1, 15), date(2026, 2, 14)),  # make-up working Saturday before Spring Festival
    ],
)
def test_a_period_ending_on_a_make_up_working_saturday_does_not_move(
    office, clerk, head, time_machine, accepted_on, due
):
    assert due.weekday() == 5
    time_machine.move_to(f"{accepted_on.isoformat()} 10:00+08:00", tick=False)
    case = accepted_case(
        office, clerk, head, accepted_on=accepted_on, **early_case_data(accepted_on)
    )
    assert case.mediation_due == due
    period = mediation_period_of(case, load_work_calendar(), accepted_on)
    assert period.explanation.endswith(f"期间为30日，至{due.year}年{due.month}月{due.day}日届满。")


def test_an_extension_counts_from_the_previous_due_date(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    assert case.mediation_due == date(2026, 12, 28)  # 12-27 is a Sunday
    case = extend(case, head, 3)
    # From the due date 12-28, not from the nominal end 12-27.
    assert case.mediation_due == case.next_deadline == date(2026, 12, 31)
    period = mediation_period_of(case, load_work_calendar(), date(2026, 11, 27))
    assert period.explanation.endswith(
        "经全体当事人同意延长3日："
        + EXTENSION_BASIS
        + "自2026年12月28日（原期限届满之日）起算，当日不计入，期间为3日，至2026年12月31日届满。"
    )


def test_two_extensions_chain(office, clerk, head, mediator, time_machine):
    time_machine.move_to("2026-10-12 10:00+08:00", tick=False)
    case = mediating_case(
        office,
        clerk,
        head,
        mediator,
        accepted_on=date(2026, 10, 12),
        **early_case_data(date(2026, 10, 12)),
    )
    assert case.mediation_due == date(2026, 11, 11)
    time_machine.move_to("2026-11-05 10:00+08:00", tick=False)
    case = extend(case, head, 5)
    assert case.mediation_due == date(2026, 11, 16)
    time_machine.move_to("2026-11-12 10:00+08:00", tick=False)
    case = extend(case, head, 6)
    # 11-16 + 6 = Sunday 11-22, so Monday 11-23.
    assert case.mediation_due == case.next_deadline == date(2026, 11, 23)
    period = mediation_period_of(case, load_work_calendar(), date(2026, 11, 12))
    assert "经全体当事人同意延长5日" in period.explanation
    assert period.explanation.endswith(
        "经全体当事人同意延长6日："
        + EXTENSION_BASIS
        + "自2026年11月16日（原期限届满之日）起算，当日不计入，期间为6日，"
        "届满日2026年11月22日为周日，顺延至其后第一个工作日2026年11月23日。"
    )


def test_a_rejected_or_pending_extension_does_not_count(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    extension = mediation.propose_extension(
        case=case,
        actor=mediator,
        days=10,
        reason="继续协商",
        consenting_parties=list(case.parties.all()),
        consent_form=pdf(),
    )
    assert mediation_period_of(case, load_work_calendar(), date(2026, 11, 27)).due == date(
        2026, 12, 28
    )
    mediation.decide_extension(extension=extension, actor=head, approve=False, note="材料不全")
    case.refresh_from_db()
    assert case.mediation_due == date(2026, 12, 28)


def test_an_extension_across_the_spring_festival(office, clerk, head, mediator, time_machine):
    time_machine.move_to("2026-01-05 10:00+08:00", tick=False)
    case = mediating_case(
        office,
        clerk,
        head,
        mediator,
        accepted_on=date(2026, 1, 5),
        **early_case_data(date(2026, 1, 5)),
    )
    assert case.mediation_due == date(2026, 2, 4)
    time_machine.move_to("2026-02-02 10:00+08:00", tick=False)
    case = extend(case, head, 14)
    # 02-04 + 14 = 02-18, inside the Spring Festival holiday 02-15..02-23.
    assert case.mediation_due == date(2026, 2, 24)
    period = mediation_period_of(case, load_work_calendar(), date(2026, 2, 2))
    assert period.explanation.endswith(
        "届满日2026年2月18日为春节假期，顺延至其后第一个工作日2026年2月24日。"
    )


def test_a_resumed_suspension_adds_the_days_it_lasted(office, clerk, head, mediator, time_machine):
    case = mediating_case(office, clerk, head, mediator)
    time_machine.move_to("2026-12-03 10:00+08:00", tick=False)
    mediation.suspend(
        case=case,
        actor=mediator,
        reason=Suspension.Reason.APPRAISAL,
        note="委托评估房屋价值",
        started_on=date(2026, 12, 1),
    )
    time_machine.move_to("2026-12-08 10:00+08:00", tick=False)
    case = mediation.resume(case=case, actor=mediator, resumed_on=date(2026, 12, 5))
    # Paused 12-01..12-04 (4 days = 12-05 minus 12-01): 12-27 + 4 = Thursday 12-31.
    assert case.mediation_due == case.next_deadline == date(2026, 12, 31)
    period = mediation_period_of(case, load_work_calendar(), date(2026, 12, 8))
    assert not period.paused
    assert period.explanation == (
        "依据本工作室设定的自行受理调解期限，自2026年11月27日（受理之日）起算，当日不计入，"
        "期间为30日，中止期间4日不计入，至2026年12月31日届满。"
    )


def test_the_resumption_note_matches_the_days_the_period_moved(
    office, clerk, head, mediator, time_machine
):
    office.self_accepted_mediation_days = 20
    office.save()
    case = mediating_case(office, clerk, head, mediator)
    assert case.mediation_due == date(2026, 12, 17)
    mediation.suspend(
        case=case,
        actor=mediator,
        reason=Suspension.Reason.FALSE_MEDIATION,
        note="",
        started_on=date(2026, 11, 27),
    )
    time_machine.move_to("2026-12-02 10:00+08:00", tick=False)
    case = mediation.resume(case=case, actor=mediator, resumed_on=date(2026, 12, 2))
    note = case.events.get(kind=CaseEvent.Kind.RESUMED).note
    explanation = mediation_period_of(case, load_work_calendar(), date(2026, 12, 2)).explanation
    counted = int(re.search(r"中止期间(\d+)日不计入", explanation).group(1))
    # The acceptance day itself is never counted, so a pause starting that day
    # moves the period by one day less than its length.
    assert counted == 4
    assert note == f"自2026年12月2日起恢复调解，中止{counted}日不计入调解期限。"
    assert case.mediation_due == date(2026, 12, 21)  # 12-17 + 4, a Monday


def test_a_suspension_and_an_extension_add_up(office, clerk, head, mediator, time_machine):
    case = mediating_case(office, clerk, head, mediator)
    time_machine.move_to("2026-12-03 10:00+08:00", tick=False)
    mediation.suspend(
        case=case,
        actor=mediator,
        reason=Suspension.Reason.APPRAISAL,
        note="",
        started_on=date(2026, 12, 1),
    )
    case = extend(case, head, 3)  # approved while suspended: no date until resumed
    assert (case.mediation_due, case.next_deadline) == (None, None)
    time_machine.move_to("2026-12-08 10:00+08:00", tick=False)
    case = mediation.resume(case=case, actor=mediator, resumed_on=date(2026, 12, 5))
    # 12-31 after the pause, then 3 more days: Sunday 2027-01-03, so Monday 01-04.
    assert case.mediation_due == date(2027, 1, 4)


def test_an_open_suspension_has_no_running_due_date(
    office, clerk, head, mediator, time_machine, client_as
):
    case = mediating_case(office, clerk, head, mediator)
    time_machine.move_to("2026-12-03 10:00+08:00", tick=False)
    mediation.suspend(
        case=case,
        actor=mediator,
        reason=Suspension.Reason.FORCE_MAJEURE,
        note="",
        started_on=date(2026, 12, 1),
    )
    case.refresh_from_db()
    assert case.status == Status.SUSPENDED
    assert (case.mediation_due, case.next_deadline, case.next_deadline_label) == (None, None, "")

    calendar = load_work_calendar()
    period = mediation_period_of(case, calendar, date(2026, 12, 3))
    # Provisional: 12-01..12-03 paused so far, so 12-30; it moves on each day of the pause.
    assert (period.due, period.paused) == (date(2026, 12, 30), True)
    assert period.explanation.endswith(
        "目前调解中止，中止期间不计入调解期限，上述届满日随中止天数顺延，恢复调解后确定。"
    )
    assert mediation_period_of(case, calendar, date(2026, 12, 10)).due == date(2027, 1, 6)
    [item] = office_deadlines(case, calendar, date(2026, 12, 3))
    assert (item.label, item.informational, item.note) == ("调解期限", True, "调解中止，暂停计时")
    assert item.state(date(2026, 12, 3)) == "info"

    html = client_as(mediator).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "目前调解中止" in html
    assert "调解中止，暂停计时" in html


def test_mediation_period_needs_an_accepted_case(office, clerk):
    case = factories.register(office, clerk)
    assert (
        mediation_period(
            case,
            extensions=[],
            suspensions=[],
            calendar=load_work_calendar(),
            today=date(2026, 11, 27),
        )
        is None
    )
    assert MEDIATION_NEAR_DAYS == 7
