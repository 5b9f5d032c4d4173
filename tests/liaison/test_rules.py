"""The rules of the registers: which results count, who counts as a head, the deadlines."""

from datetime import date

import pytest

from cases.deadlines import load_work_calendar
from liaison.deadlines import DEFENCE, lawsuit_deadlines, reply_due
from liaison.models import AbsenceReason, Appearance, HeadRank, ResultType

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

# code → (label, form, counts as a loss, counts as concluded): the defaults of DOMAIN.md §6.2.
SEEDED = {
    "dismissed_claims": ("驳回诉讼请求", "judgment", False, True),
    "revoked": ("撤销", "judgment", True, True),
    "confirmed_illegal": ("确认违法", "judgment", True, True),
    "confirmed_invalid": ("确认无效", "judgment", True, True),
    "ordered_performance": ("责令履行", "judgment", True, True),
    "varied": ("变更", "judgment", True, True),
    "compensation": ("赔偿/补偿", "judgment", True, True),
    "suit_dismissed": ("裁定驳回起诉", "ruling", False, True),
    "withdrawn_after_correction": ("原告撤诉（机关纠正后）", "ruling", False, True),
    "withdrawn_other": ("原告撤诉（其他）", "ruling", False, True),
    "mediated": ("调解结案", "mediation", False, True),
    "other": ("其他", "other", False, True),
}


def test_every_seeded_result_type_has_its_loss_and_concluded_flags():
    seeded = {
        r.code: (r.label, r.form, r.counts_as_loss, r.counts_as_concluded)
        for r in ResultType.objects.all()
    }
    assert seeded == SEEDED


@pytest.mark.parametrize(
    ("form", "days"),
    [("judgment", 15), ("ruling", 10), ("mediation", None), ("other", None)],
)
def test_appeal_period_follows_the_form_of_the_decision(form, days):
    assert ResultType(form=form).appeal_days == days
    assert ResultType(form=form, appealable=False).appeal_days is None


def test_only_the_withdrawal_rulings_are_seeded_not_appealable():
    assert set(ResultType.objects.filter(appealable=False).values_list("code", flat=True)) == {
        "withdrawn_after_correction",
        "withdrawn_other",
    }


@pytest.mark.parametrize(
    ("rank", "counts"),
    [
        (HeadRank.PRINCIPAL, True),
        (HeadRank.DEPUTY, True),
        (HeadRank.IN_CHARGE, True),
        (HeadRank.SUBORDINATE, False),
        (HeadRank.ENTRUSTED, False),
    ],
)
def test_a_deputy_counts_as_the_head_and_the_head_of_a_subordinate_body_does_not(rank, counts):
    appearance = Appearance(head_appeared=True, head_rank=rank)
    assert appearance.head_counts is counts
    assert appearance.principal_appeared is (rank == HeadRank.PRINCIPAL)


@pytest.mark.parametrize(
    ("reason", "explained", "accepted"),
    [
        (AbsenceReason.OFFICIAL_DUTY, True, True),
        (AbsenceReason.FORCE_MAJEURE, True, True),
        (AbsenceReason.OFFICIAL_DUTY, False, False),
        (AbsenceReason.NONE, True, False),
    ],
)
def test_an_absence_is_accepted_only_for_a_proper_reason_explained_in_writing(
    reason, explained, accepted
):
    appearance = Appearance(
        head_appeared=False, absence_reason=reason, written_explanation=explained
    )
    assert appearance.absence_accepted is accepted
    assert not appearance.head_counts


def test_an_unrecorded_appearance_is_neither_a_head_nor_an_accepted_absence():
    appearance = Appearance()
    assert not appearance.recorded
    assert not appearance.head_counts
    assert not appearance.absence_accepted


def test_reply_due_over_the_national_day_holiday_with_its_explanation():
    # Received on Saturday 1 August 2026; two months end on 1 October, a holiday.
    deadline = reply_due(date(2026, 8, 1), 2, load_work_calendar())
    assert deadline.due == date(2026, 10, 8)
    assert "2026年8月1日" in deadline.explanation
    assert "期间为2个月" in deadline.explanation
    assert "届满日2026年10月1日为国庆节假期，顺延至其后第一个工作日2026年10月8日" in (
        deadline.explanation
    )
    assert "第八条" in deadline.explanation


def test_reply_due_on_a_working_day_is_not_moved():
    deadline = reply_due(date(2026, 3, 10), 2, load_work_calendar())
    assert deadline.due == date(2026, 5, 11)  # 10 May is a Sunday
    assert deadline.rolled_over


def test_defence_is_fifteen_days_from_receipt_of_the_complaint_copy():
    deadline = DEFENCE.compute(date(2026, 9, 20), load_work_calendar())
    assert deadline.due == date(2026, 10, 8)
    assert "《行政诉讼法》第六十七条第一款" in deadline.explanation
    assert "收到起诉状副本之日" in deadline.explanation


def test_the_appeal_deadline_of_a_judgment_and_of_a_ruling(gov_liaison, court, agency):
    from tests.liaison.conftest import decide, make_lawsuit

    judged = decide(
        gov_liaison,
        make_lawsuit(gov_liaison, court, agency),
        "revoked",
        concluded_on=date(2026, 11, 2),
        served_on=date(2026, 11, 5),
    )
    [appeal] = [d for d in lawsuit_deadlines(judged, load_work_calendar()) if d.code == "appeal"]
    assert appeal.due == date(2026, 11, 20)
    assert "15日" in appeal.explanation
    ruled = decide(
        gov_liaison,
        make_lawsuit(gov_liaison, court, agency, court_case_no="（2026）鄂9005行初13号"),
        "suit_dismissed",
        concluded_on=date(2026, 11, 2),
        served_on=date(2026, 11, 5),
    )
    [appeal] = [d for d in lawsuit_deadlines(ruled, load_work_calendar()) if d.code == "appeal"]
    assert appeal.due == date(2026, 11, 16)  # 15 November is a Sunday
    assert "10日" in appeal.explanation
