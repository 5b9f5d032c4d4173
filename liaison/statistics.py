"""The tables of the statistics pages and the annual report: per agency, per field, per
court and year by year. Each table is a few grouped aggregate queries, whatever the
number of records; every count comes with the indicator and scope that list its records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from accounts.models import Court
from cases.models import Agency, DisputeCategory
from liaison.indicators import (
    CITY,
    Figure,
    Period,
    Scope,
    appearances,
    concluded,
    filed,
    percentage,
    performances_due,
    replies_due,
)
from liaison.models import COUNTING_RANKS, SUED_PARTS, Defendant, HeadRank, Instance, Recipient

LOSS = Q(lawsuit__result_type__counts_as_loss=True)


@dataclass
class Row:
    """One agency, field or court: its counts and the rates built from them."""

    key: int
    label: str
    scope: Scope | None
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def rate(self, code: str, numerator: str, denominator: str, name: str) -> Figure:
        n, d = self.counts[numerator], self.counts[denominator]
        return Figure(code, name, "", "rate", n, d, percentage(n, d))

    @property
    def loss_rate(self) -> Figure:
        return self.rate("loss_rate", "lost", "concluded", "败诉率")

    @property
    def head_rate(self) -> Figure:
        return self.rate("head_rate", "heads", "hearings", "负责人出庭应诉率")

    @property
    def principal_rate(self) -> Figure:
        return self.rate("principal_rate", "principals", "hearings", "正职负责人出庭率")

    @property
    def reply_rate(self) -> Figure:
        return self.rate("reply_rate", "replied", "replies_due", "司法建议回复率")

    @property
    def performance_rate(self) -> Figure:
        return self.rate("performance_rate", "on_time", "performances_due", "生效裁判履行率")


def _defendant_counts(period: Period) -> dict[int, dict[str, int]]:
    """Filed, concluded and lost first-instance lawsuits by sued agency."""
    sued = Defendant.objects.filter(part__in=SUED_PARTS, lawsuit__instance=Instance.FIRST)
    in_filed = Q(lawsuit__filed_on__gte=period.start, lawsuit__filed_on__lte=period.end)
    in_concluded = Q(
        lawsuit__concluded_on__gte=period.start,
        lawsuit__concluded_on__lte=period.end,
        lawsuit__result_type__counts_as_concluded=True,
    )
    rows = (
        sued.filter(in_filed | in_concluded)
        .values("agency_id")
        .annotate(
            filed=Count("lawsuit", distinct=True, filter=in_filed),
            concluded=Count("lawsuit", distinct=True, filter=in_concluded),
            lost=Count("lawsuit", distinct=True, filter=in_concluded & LOSS),
        )
    )
    return {r.pop("agency_id"): r for r in rows}


def _appearance_counts(period: Period) -> dict[int, dict[str, int]]:
    rows = (
        appearances(period, CITY)
        .values("agency_id")
        .annotate(
            hearings=Count("pk"),
            heads=Count("pk", filter=Q(head_appeared=True, head_rank__in=COUNTING_RANKS)),
            principals=Count("pk", filter=Q(head_appeared=True, head_rank=HeadRank.PRINCIPAL)),
        )
    )
    result = {r.pop("agency_id"): r for r in rows}
    for counts in result.values():
        counts["absent"] = counts["hearings"] - counts["heads"]
    return result


def _reply_counts(period: Period, today: date) -> dict[int, dict[str, int]]:
    rows = (
        replies_due(period, CITY)
        .values("agency_id")
        .annotate(
            replies_due=Count("pk"),
            replied=Count("pk", filter=Q(replied_on__isnull=False)),
            overdue_replies=Count(
                "pk",
                filter=Q(status=Recipient.Status.AWAITING, reply_due__lt=today)
                | Q(replied_on__gt=F("reply_due")),
            ),
        )
    )
    return {r.pop("agency_id"): r for r in rows}


def _performance_counts(period: Period) -> dict[int, dict[str, int]]:
    rows = (
        performances_due(period, CITY)
        .values("agency_id")
        .annotate(
            performances_due=Count("pk"),
            on_time=Count(
                "pk", filter=Q(performed_on__isnull=False, performed_on__lte=F("due_on"))
            ),
        )
    )
    return {r.pop("agency_id"): r for r in rows}


# The default order of the agencies table: the most losses, absences and overdue replies first.
AGENCY_SORTS = {
    "lost": ("-lost", "-absent", "-overdue_replies"),
    "loss_rate": ("-loss_rate",),
    "absent": ("-absent", "-lost"),
    "head_rate": ("head_rate",),
    "overdue_replies": ("-overdue_replies", "-lost"),
    "filed": ("-filed",),
    "name": ("label",),
}


def by_agency(
    period: Period, today: date, *, only: int | None = None, sort: str = "lost"
) -> list[Row]:
    """Every agency with any figure in the period (or just ``only``), in the order asked."""
    tables = [
        _defendant_counts(period),
        _appearance_counts(period),
        _reply_counts(period, today),
        _performance_counts(period),
    ]
    ids = set().union(*tables)
    if only is not None:
        ids &= {only}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=ids)}
    rows = []
    for pk, agency in agencies.items():
        row = Row(pk, agency.short_name or agency.name, Scope("agency", pk, agency.name))
        for table in tables:
            for name, value in table.get(pk, {}).items():
                row.counts[name] += value
        rows.append(row)
    return sort_rows(rows, sort)


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    keys = AGENCY_SORTS.get(sort, AGENCY_SORTS["lost"])

    def value(row: Row, key: str) -> Any:
        name = key.lstrip("-")
        if name == "label":
            return row.label
        if name in ("loss_rate", "head_rate"):
            f: Figure = getattr(row, name)
            # Rates with too small a sample are left out of rankings: they sort last.
            if not f.rankable:
                return None
            return f.value
        return row.counts[name]

    def order(row: Row) -> tuple:
        parts: list[Any] = []
        for key in keys:
            v = value(row, key)
            descending = key.startswith("-")
            if v is None:
                parts.append((1, 0))
            elif isinstance(v, str):
                parts.append((0, v))
            else:
                parts.append((0, -v if descending else v))
        return (*parts, row.label)

    return sorted(rows, key=order)


def by_field(period: Period, scope: Scope) -> list[Row]:
    """Filed, concluded and lost first-instance lawsuits by dispute category."""
    rows: dict[int, Row] = {}
    for name, queryset in (
        ("filed", filed(period, scope)),
        ("concluded", concluded(period, scope)),
    ):
        grouped = queryset.values("category_id").annotate(
            n=Count("pk"), lost=Count("pk", filter=Q(result_type__counts_as_loss=True))
        )
        for item in grouped:
            row = rows.setdefault(item["category_id"], Row(item["category_id"], "", None))
            row.counts[name] = item["n"]
            if name == "concluded":
                row.counts["lost"] = item["lost"]
    labels = dict(DisputeCategory.objects.filter(pk__in=rows).values_list("pk", "label"))
    for row in rows.values():
        row.label = labels.get(row.key, "")
    return sorted(rows.values(), key=lambda r: (-r.counts["filed"], r.label))


def by_court(period: Period) -> list[Row]:
    rows: dict[int, Row] = {}
    for name, queryset in (("filed", filed(period, CITY)), ("concluded", concluded(period, CITY))):
        grouped = queryset.values("court_id").annotate(
            n=Count("pk"), lost=Count("pk", filter=Q(result_type__counts_as_loss=True))
        )
        for item in grouped:
            row = rows.setdefault(item["court_id"], Row(item["court_id"], "", None))
            row.counts[name] = item["n"]
            if name == "concluded":
                row.counts["lost"] = item["lost"]
    courts = {c.pk: c for c in Court.objects.filter(pk__in=rows)}
    for row in rows.values():
        row.label = courts[row.key].name if row.key in courts else ""
        row.scope = Scope("court", row.key, row.label)
    return sorted(rows.values(), key=lambda r: (-r.counts["filed"], r.label))


@dataclass(frozen=True)
class YearFigures:
    year: int
    filed: int
    concluded: int
    lost: int
    loss_rate: Figure
    hearings: int
    heads: int
    head_rate: Figure


def trend(last_year: int, scope: Scope, years: int = 5) -> list[YearFigures]:
    """Year by year: volumes, loss rate and head appearance, in three queries."""
    span = Period(date(last_year - years + 1, 1, 1), date(last_year, 12, 31))
    every = range(span.start.year, last_year + 1)

    def per_year(records: QuerySet, field: str, **conditions: Q) -> dict[str, int]:
        # One pass over the span, a count per year (and per condition) in its columns.
        counts: dict[str, Count] = {}
        for year in every:
            in_year = Q(**{f"{field}__gte": date(year, 1, 1), f"{field}__lte": date(year, 12, 31)})
            counts[f"n{year}"] = Count("pk", filter=in_year)
            for name, condition in conditions.items():
                counts[f"{name}{year}"] = Count("pk", filter=in_year & condition)
        return records.aggregate(**counts)

    filed_by = per_year(filed(span, scope), "filed_on")
    concluded_by = per_year(
        concluded(span, scope), "concluded_on", lost=Q(result_type__counts_as_loss=True)
    )
    heads_by = per_year(
        appearances(span, scope),
        "hearing__held_on",
        heads=Q(head_appeared=True, head_rank__in=COUNTING_RANKS),
    )
    result = []
    for year in every:
        c = {"n": concluded_by[f"n{year}"], "lost": concluded_by[f"lost{year}"]}
        h = {"n": heads_by[f"n{year}"], "heads": heads_by[f"heads{year}"]}
        result.append(
            YearFigures(
                year,
                filed_by[f"n{year}"],
                c["n"],
                c["lost"],
                Figure(
                    "loss_rate",
                    "败诉率",
                    "",
                    "rate",
                    c["lost"],
                    c["n"],
                    percentage(c["lost"], c["n"]),
                ),
                h["n"],
                h["heads"],
                Figure(
                    "head_rate",
                    "负责人出庭应诉率",
                    "",
                    "rate",
                    h["heads"],
                    h["n"],
                    percentage(h["heads"], h["n"]),
                ),
            )
        )
    return result
