"""The deadline engine: DOMAIN.md §2.6 worked examples, holidays, make-up days, month ends."""

from datetime import date

import pytest

from cases.deadline_engine import Pause, Period, Unit, WorkCalendar, add_months, compute
from cases.deadlines import MEDIATION_REFERRAL, REFERRAL_ANSWER, SUE_DIRECT, load_work_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def cal() -> WorkCalendar:
    """The seeded State Council calendar for 2024–2026."""
    return load_work_calendar()


def days(n):
    return Period(n, Unit.DAYS)


def test_brief_example_referral_signed_for_on_3_march(cal):
    deadline = MEDIATION_REFERRAL.compute(date(2025, 3, 3), cal)
    assert deadline.due == date(2025, 4, 2)
    assert deadline.explanation == (
        "依据《最高人民法院关于人民法院特邀调解的规定》第二十七条，"
        "自2025年3月3日（签收委派材料之日）起算，当日不计入，期间为30日，至2025年4月2日届满。"
    )


def test_brief_example_six_months_from_31_august_ends_on_28_february(cal):
    assert SUE_DIRECT.compute(date(2024, 8, 31), cal).due == date(2025, 2, 28)


def test_period_ending_in_national_day_moves_to_the_first_working_day_after(cal):
    deadline = compute(date(2025, 9, 8), days(30), cal)
    assert deadline.nominal_end == date(2025, 10, 8)
    assert deadline.due == date(2025, 10, 9)
    assert "届满日2025年10月8日为国庆节、中秋节假期，顺延至其后第一个工作日2025年10月9日" in (
        deadline.explanation
    )


def test_period_ending_on_a_make_up_working_saturday_does_not_move(cal):
    # 2024-10-12 is a Saturday worked in exchange for the National Day holiday.
    deadline = compute(date(2024, 9, 12), days(30), cal)
    assert deadline.due == date(2024, 10, 12)
    assert not deadline.rolled_over


def test_period_ending_on_an_ordinary_saturday_moves_to_monday(cal):
    deadline = compute(date(2025, 5, 8), days(30), cal)
    assert deadline.nominal_end == date(2025, 6, 7)
    assert deadline.due == date(2025, 6, 9)
    assert "为周六" in deadline.explanation


def test_qingming_and_the_weekend_after_it_are_skipped(cal):
    assert compute(date(2025, 3, 5), days(30), cal).due == date(2025, 4, 7)


def test_working_days_across_spring_festival_count_the_make_up_sunday(cal):
    # 2025-01-26 (Sunday) is a make-up working day; 1-28 to 2-4 are the holiday.
    deadline = REFERRAL_ANSWER.compute(date(2025, 1, 24), cal)
    assert deadline.due == date(2025, 2, 5)
    assert "按工作日计算3个工作日" in deadline.explanation


def test_working_days_across_the_2026_spring_festival(cal):
    # 2026-02-14 (Saturday) is worked; 2-15 to 2-23 is the nine-day holiday.
    assert REFERRAL_ANSWER.compute(date(2026, 2, 12), cal).due == date(2026, 2, 24)


def test_working_days_across_national_day_2024(cal):
    # 9-29 (Sunday, worked) and 9-30 count; 10-1 to 10-7 are off; 10-8 is the third.
    assert REFERRAL_ANSWER.compute(date(2024, 9, 27), cal).due == date(2024, 10, 8)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 3, 31), 6, date(2024, 9, 30)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
    ],
)
def test_month_arithmetic_clamps_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_leap_day_plus_one_year(cal):
    deadline = compute(date(2024, 2, 29), Period(1, Unit.YEARS), cal)
    assert deadline.nominal_end == date(2025, 2, 28)
    assert deadline.due == date(2025, 2, 28)


def test_month_period_ending_on_new_year_holiday_2026(cal):
    # 2025-07-01 + 6 months = 2026-01-01, a holiday running to 1-3; 1-4 is a make-up Sunday.
    assert compute(date(2025, 7, 1), Period(6, Unit.MONTHS), cal).due == date(2026, 1, 4)


def test_paused_days_are_not_counted(cal):
    deadline = MEDIATION_REFERRAL.compute(
        date(2025, 3, 3), cal, pauses=(Pause(date(2025, 3, 10), date(2025, 3, 14)),)
    )
    assert deadline.paused_days == 5
    assert deadline.due == date(2025, 4, 7)
    assert "中止期间5日不计入" in deadline.explanation


def test_a_pause_after_the_period_has_no_effect(cal):
    deadline = compute(
        date(2025, 3, 3), days(30), cal, pauses=(Pause(date(2025, 5, 1), date(2025, 5, 9)),)
    )
    assert deadline.due == date(2025, 4, 2)
    assert deadline.paused_days == 0


def test_pauses_reached_only_through_an_earlier_pause_count_too(cal):
    # The first pause pushes the end into the second one.
    pauses = (
        Pause(date(2025, 3, 10), date(2025, 3, 19)),
        Pause(date(2025, 4, 5), date(2025, 4, 6)),
    )
    deadline = compute(date(2025, 3, 3), days(30), cal, pauses=pauses)
    assert deadline.paused_days == 12
    assert deadline.nominal_end == date(2025, 4, 14)


def test_working_day_periods_skip_paused_working_days(cal):
    deadline = compute(
        date(2025, 3, 3),
        Period(3, Unit.WORKING_DAYS),
        cal,
        pauses=(Pause(date(2025, 3, 4), date(2025, 3, 4)),),
    )
    assert deadline.due == date(2025, 3, 7)
    assert deadline.paused_days == 1


def test_outside_the_seeded_years_only_weekends_are_rest_days():
    empty = WorkCalendar()
    assert compute(date(2027, 1, 1), days(1), empty).due == date(2027, 1, 4)


def test_days_left(cal):
    deadline = compute(date(2025, 3, 3), days(30), cal)
    assert deadline.days_left(date(2025, 3, 30)) == 3
    assert deadline.days_left(date(2025, 4, 5)) == -3


def test_invalid_periods_and_pauses_are_refused():
    with pytest.raises(ValueError):
        Period(-1, Unit.DAYS)
    with pytest.raises(ValueError):
        Pause(date(2025, 3, 2), date(2025, 3, 1))
