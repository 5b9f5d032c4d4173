"""The seeded holiday calendar matches the State Council notices for 2024–2026."""

from datetime import date

import chinese_calendar
import pytest
from chinese_calendar.constants import holidays, workdays

from cases.models import CalendarDay

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_seed_matches_an_independently_maintained_copy_of_the_notices(year):
    seeded_holidays = set(
        CalendarDay.objects.filter(date__year=year, kind="holiday").values_list("date", flat=True)
    )
    seeded_workdays = set(
        CalendarDay.objects.filter(date__year=year, kind="workday").values_list("date", flat=True)
    )
    assert seeded_holidays == {d for d in holidays if d.year == year}
    assert seeded_workdays == {d for d in workdays if d.year == year}


def test_the_reference_package_is_the_one_we_think():
    assert chinese_calendar.is_holiday(date(2026, 2, 17))


def test_seeded_days_are_named():
    day = CalendarDay.objects.get(date=date(2026, 2, 14))
    assert (day.kind, day.name) == ("workday", "春节")
    assert str(day) == "2026-02-14 春节调休上班"
