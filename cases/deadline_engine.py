"""The deadline engine: legal periods counted the way Chinese procedure law counts them.

Pure Python, no Django: given a start date, a period and a working calendar it
returns the due date together with one Chinese sentence that explains how the
date was reached. The counting rules (DOMAIN.md §2.6):

* The start day is not counted (民事诉讼法第八十五条第二款).
* Month and year periods end on the corresponding day of the last month; when
  that month has no such day, on its last day (民法典第二百零二条).
* A period whose last day is a rest day (weekend or statutory holiday) ends on
  the first working day after it (民事诉讼法第八十五条第三款); make-up working
  days (调休上班日) are working days.
* Working-day periods count only working days.
* Paused spans (中止、鉴定期间) are not counted; the period runs on after them.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum


class Unit(Enum):
    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    YEARS = "years"

    @property
    def label(self) -> str:
        return _UNIT_LABELS[self]


_UNIT_LABELS = {
    Unit.DAYS: "日",
    Unit.WORKING_DAYS: "个工作日",
    Unit.MONTHS: "个月",
    Unit.YEARS: "年",
}


@dataclass(frozen=True)
class Period:
    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("A period cannot be negative.")

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.label}"


@dataclass(frozen=True)
class Pause:
    """Days that do not count, both ends included."""

    start: date
    end: date
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A pause cannot end before it starts.")

    def days(self) -> Iterable[date]:
        d = self.start
        while d <= self.end:
            yield d
            d += timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked: Monday to Friday, minus holidays, plus make-up working days."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    holiday_names: dict[date, str] = field(default_factory=dict, compare=False, hash=False)
    # Years whose holiday notice has been entered; None means "trust the sets as complete".
    known_years: frozenset[int] | None = None

    def missing_years(self, start: date, end: date) -> list[int]:
        """Years in (start, end] whose holidays are not known: only weekends are skipped there."""
        if self.known_years is None:
            return []
        return [y for y in range(start.year, end.year + 1) if y not in self.known_years]

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        d = day + timedelta(days=1)
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def describe_rest_day(self, day: date) -> str:
        if day in self.holidays:
            name = self.holiday_names.get(day)
            return f"{name}假期" if name else "法定节假日"
        return "周六" if day.weekday() == 5 else "周日"


@dataclass(frozen=True)
class Deadline:
    due: date
    start: date
    period: Period
    basis: str
    start_label: str
    nominal_end: date
    paused_days: int
    explanation: str

    @property
    def provisional(self) -> bool:
        """Computed over a year whose holiday notice is not yet entered."""
        return "节假日安排尚未录入" in self.explanation

    @property
    def rolled_over(self) -> bool:
        return self.due != self.nominal_end

    def days_left(self, today: date) -> int:
        return (self.due - today).days


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def add_months(d: date, months: int) -> date:
    """The corresponding day ``months`` later, clamped to the end of a shorter month."""
    month_index = d.month - 1 + months
    year = d.year + month_index // 12
    month = month_index % 12 + 1
    last_day = _calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def _paused_set(pauses: Iterable[Pause]) -> frozenset[date]:
    days: set[date] = set()
    for pause in pauses:
        days.update(pause.days())
    return frozenset(days)


def compute(
    start: date,
    period: Period,
    calendar: WorkCalendar,
    *,
    basis: str = "",
    start_label: str = "",
    pauses: Iterable[Pause] = (),
) -> Deadline:
    """Compute the last day of ``period`` counted from ``start``.

    ``basis`` names the legal provision (e.g. 《行政诉讼法》第四十六条) and
    ``start_label`` says what the start date is (e.g. 知道作出行政行为之日);
    both only feed the explanation.
    """
    paused = _paused_set(pauses)
    counted_paused = 0

    if period.unit is Unit.WORKING_DAYS:
        d, counted = start, 0
        while counted < period.amount:
            d += timedelta(days=1)
            if d in paused:
                if calendar.is_working_day(d):
                    counted_paused += 1
                continue
            if calendar.is_working_day(d):
                counted += 1
        nominal_end = due = d
    else:
        if period.unit is Unit.DAYS:
            end = start + timedelta(days=period.amount)
        else:
            months = period.amount * (12 if period.unit is Unit.YEARS else 1)
            end = add_months(start, months)
        # Paused days inside the running period push the end back, and the
        # extra days may themselves fall inside a pause: repeat until stable.
        if paused:
            extra = 0
            while True:
                window_end = end + timedelta(days=extra)
                inside = sum(1 for p in paused if start < p <= window_end)
                if inside == extra:
                    break
                extra = inside
            counted_paused = extra
            end += timedelta(days=extra)
        nominal_end = end
        due = end if calendar.is_working_day(end) else calendar.next_working_day(end)

    return Deadline(
        due=due,
        start=start,
        period=period,
        basis=basis,
        start_label=start_label,
        nominal_end=nominal_end,
        paused_days=counted_paused,
        explanation=_explain(
            start, period, due, nominal_end, counted_paused, calendar, basis, start_label
        ),
    )


def _explain(
    start: date,
    period: Period,
    due: date,
    nominal_end: date,
    paused_days: int,
    calendar: WorkCalendar,
    basis: str,
    start_label: str,
) -> str:
    parts = []
    lead = f"依据{basis}，" if basis else ""
    label = f"（{start_label}）" if start_label else ""
    parts.append(f"{lead}自{cn_date(start)}{label}起算，当日不计入")
    if period.unit is Unit.WORKING_DAYS:
        parts.append(f"按工作日计算{period}（不含周末和法定节假日，调休上班日计入）")
    else:
        parts.append(f"期间为{period}")
    if paused_days:
        unit = "个工作日" if period.unit is Unit.WORKING_DAYS else "日"
        parts.append(f"中止期间{paused_days}{unit}不计入")
    if due != nominal_end:
        parts.append(
            f"届满日{cn_date(nominal_end)}为{calendar.describe_rest_day(nominal_end)}，"
            f"顺延至其后第一个工作日{cn_date(due)}"
        )
    else:
        parts.append(f"至{cn_date(due)}届满")
    missing = calendar.missing_years(start, due)
    if missing:
        years = "、".join(f"{y}年" for y in missing)
        parts.append(f"{years}节假日安排尚未录入，未扣除该年度的法定节假日，请届时核对")
    return "，".join(parts) + "。"
