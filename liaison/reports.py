"""The annual report's content: a frozen snapshot of every figure with the ids of the
records it counted, and what changed between two versions.

The snapshot is plain JSON, stored when the report is issued; its PDF, DOCX and XLSX
print from it alone, so later edits to the registers never change an issued report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import Prefetch, QuerySet

from cases.deadline_engine import cn_date
from cases.models import CaseEvent
from liaison.indicators import (
    CITY,
    GOVERNMENT,
    INDICATORS,
    OFFICE,
    Period,
    definition_of_loss,
    figure,
    rounding_note,
    volumes,
)
from liaison.models import (
    Appearance,
    Defendant,
    Lawsuit,
    LiaisonEvent,
    LossAnalysis,
    Performance,
    Recipient,
)
from liaison.services.supervision import circular_data
from liaison.statistics import by_agency, by_court, by_field, trend


def _number(case_no: str | None, registration_no: str | None, letter_no: str | None) -> str:
    """A case's number as Case.display_number gives it, from its columns."""
    return case_no or registration_no or (f"委派函{letter_no}" if letter_no else "（未编号）")


# For each kind of record: the columns its label is made of, and how.
LABELS: dict[str, tuple[tuple[str, ...], Callable[..., str]]] = {
    "lawsuit": (("court_case_no",), lambda number: number),
    "appearance": (
        (
            "hearing__lawsuit__court_case_no",
            "hearing__held_on",
            "agency__short_name",
            "agency__name",
        ),
        lambda number, held_on, short, name: f"{number} {held_on:%Y-%m-%d} {short or name}",
    ),
    "performance": (("lawsuit__court_case_no", "duty"), lambda number, duty: f"{number} {duty}"),
    "recipient": (
        ("suggestion__number", "agency__short_name", "agency__name"),
        lambda number, short, name: f"{number} {short or name}",
    ),
    "case": (("case_no", "registration_no", "referral__letter_no"), _number),
    "agreement": (
        ("case__case_no", "case__registration_no", "case__referral__letter_no", "version"),
        lambda a, b, c, version: f"{_number(a, b, c)} 第{version}版",
    ),
    "confirmation": (
        (
            "agreement__case__case_no",
            "agreement__case__registration_no",
            "agreement__case__referral__letter_no",
        ),
        lambda a, b, c: f"{_number(a, b, c)} 司法确认",
    ),
    "volume": (("year", "quarter"), lambda year, quarter: f"{year}年第{quarter}季度"),
}


class Labeller:
    """The records of each figure as {id: label}, read as plain columns; a list two
    figures share (the closed cases of several office figures) is read once."""

    def __init__(self) -> None:
        self.seen: dict[str, dict[str, str]] = {}

    def labelled(self, kind: str, records: QuerySet) -> dict[str, str]:
        try:
            key = f"{kind}:{records.query}"
        except EmptyResultSet:  # a condition no row can meet
            return {}
        if key not in self.seen:
            fields, label = LABELS[kind]
            rows = records.order_by("pk").values_list("pk", *fields)
            self.seen[key] = {str(pk): label(*rest) for pk, *rest in rows}
        return self.seen[key]


def _figure_entry(code: str, period: Period, before: Period, labeller: Labeller) -> dict[str, Any]:
    indicator = INDICATORS[code]
    now = figure(code, period, CITY)
    earlier = figure(code, before, CITY)
    entry = now.as_dict()
    entry["records"] = indicator.records
    entry["before"] = earlier.as_dict()
    if indicator.kind == "volume":
        entry["denominator_ids"] = labeller.labelled("volume", volumes(period, CITY))
        entry["numerator_ids"] = {}
        return entry
    counted = labeller.labelled(indicator.records, indicator.denominator_records(period, CITY))
    entry["denominator_ids"] = counted
    if indicator.condition is None:
        entry["numerator_ids"] = dict(counted)
    else:
        # The numerator's records are the denominator's that meet the condition.
        ids = indicator.numerator_records(period, CITY).values_list("pk", flat=True)
        entry["numerator_ids"] = {str(pk): counted[str(pk)] for pk in sorted(set(ids))}
    return entry


def _losses(period: Period) -> list[dict[str, Any]]:
    """Every lost first-instance case of the year with its agencies' analyses."""
    lost = (
        Lawsuit.objects.filter(
            instance="first",
            concluded_on__gte=period.start,
            concluded_on__lte=period.end,
            result_type__counts_as_loss=True,
        )
        .select_related("result_type", "category")
        .only("court_case_no", "concluded_on", "category__label", "result_type__label")
        .prefetch_related(
            Prefetch(
                "defendants",
                queryset=Defendant.objects.select_related("agency").only(
                    "lawsuit_id", "part", "agency__name"
                ),
            ),
            Prefetch(
                "loss_analyses",
                queryset=LossAnalysis.objects.only(
                    "lawsuit_id", "agency_id", "analysis", "measures", "rectified_on"
                ).prefetch_related("causes"),
            ),
        )
        .order_by("concluded_on", "pk")
    )
    rows = []
    for lawsuit in lost:
        analyses = {a.agency_id: a for a in lawsuit.loss_analyses.all()}
        for defendant in lawsuit.defendants.all():
            if not defendant.is_sued:
                continue
            analysis = analyses.get(defendant.agency_id)
            rows.append(
                {
                    "number": lawsuit.court_case_no,
                    "agency": defendant.agency.name,
                    "category": lawsuit.category.label,
                    "result": lawsuit.result_type.label if lawsuit.result_type else "",
                    "concluded_on": f"{lawsuit.concluded_on:%Y-%m-%d}",
                    "causes": [c.label for c in analysis.causes.all()] if analysis else [],
                    "analysis": analysis.analysis if analysis else "",
                    "measures": analysis.measures if analysis else "",
                    "rectified_on": f"{analysis.rectified_on:%Y-%m-%d}"
                    if analysis and analysis.rectified_on
                    else "",
                }
            )
    return rows


def _suggestions(period: Period) -> list[dict[str, Any]]:
    recipients = (
        Recipient.objects.filter(
            suggestion__issued_on__gte=period.start, suggestion__issued_on__lte=period.end
        )
        .select_related("suggestion", "agency")
        .order_by("suggestion__issued_on", "pk")
    )
    return [
        {
            "number": r.suggestion.number,
            "subject": r.suggestion.subject,
            "agency": r.agency.name,
            "reply_due": f"{r.reply_due:%Y-%m-%d}",
            "replied_on": f"{r.replied_on:%Y-%m-%d}" if r.replied_on else "",
            "adoption": r.get_adoption_display() if r.adoption else "",
            "implementation": r.get_implementation_display() if r.implementation else "",
            "status": r.get_status_display(),
        }
        for r in recipients
    ]


def _row(row: Any) -> dict[str, Any]:
    return {
        "label": row.label,
        **row.counts,
        "loss_rate": row.loss_rate.display,
        "head_rate": row.head_rate.display,
        "performance_rate": row.performance_rate.display,
    }


def snapshot(year: int, today: date) -> dict[str, Any]:
    """Everything the report prints, as it stands today."""
    period = Period.year(year)
    before = period.year_before()
    codes = [*GOVERNMENT, *OFFICE]
    labeller = Labeller()
    loss = definition_of_loss()
    cause_counts: Counter[str] = Counter()
    losses = _losses(period)
    for row in losses:
        cause_counts.update(row["causes"])
    return {
        "year": year,
        "as_of": f"{today:%Y-%m-%d}",
        "as_of_cn": cn_date(today),
        "bureau": settings.LIAISON_BUREAU_NAME,
        "definitions": {
            "loss": loss["loss"],
            "concluded": loss["concluded"],
            "rounding": rounding_note(),
            "rounding_mode": settings.LIAISON_RATE_ROUNDING,
            "min_sample": settings.LIAISON_MIN_SAMPLE,
            "indicators": {code: INDICATORS[code].definition for code in codes},
        },
        "figures": {code: _figure_entry(code, period, before, labeller) for code in codes},
        "agencies": [_row(r) for r in by_agency(period, today, sort="lost")],
        "fields": [_row(r) for r in by_field(period, CITY)],
        "courts": [_row(r) for r in by_court(period)],
        "trend": [
            {
                "year": y.year,
                "filed": y.filed,
                "concluded": y.concluded,
                "lost": y.lost,
                "loss_rate": y.loss_rate.display,
                "loss_rate_value": None if y.loss_rate.value is None else float(y.loss_rate.value),
                "head_rate": y.head_rate.display,
            }
            for y in trend(year, CITY)
        ],
        "losses": losses,
        "causes": cause_counts.most_common(),
        "suggestions": _suggestions(period),
        "supervision": circular_data(period.start, period.end, today),
    }


def _changed_ids(kind: str, ids: list[int], since: datetime) -> set[int]:
    """Which of these records were changed after ``since``."""
    if not ids:
        return set()
    if kind == "lawsuit":
        return set(
            LiaisonEvent.objects.filter(lawsuit_id__in=ids, created_at__gt=since).values_list(
                "lawsuit_id", flat=True
            )
        )
    if kind == "appearance":
        return set(
            Appearance.objects.filter(pk__in=ids, recorded_at__gt=since).values_list(
                "pk", flat=True
            )
        )
    if kind == "performance":
        return set(
            Performance.objects.filter(pk__in=ids, updated_at__gt=since).values_list(
                "pk", flat=True
            )
        )
    if kind == "recipient":
        touched: set[tuple[int | None, int | None]] = set(
            LiaisonEvent.objects.filter(
                suggestion__recipients__pk__in=ids, created_at__gt=since
            ).values_list("suggestion_id", "agency_id")
        )
        return {
            pk
            for pk, suggestion, agency in Recipient.objects.filter(pk__in=ids).values_list(
                "pk", "suggestion_id", "agency_id"
            )
            if (suggestion, agency) in touched or (suggestion, None) in touched
        }
    if kind == "case":
        return set(
            CaseEvent.objects.filter(case_id__in=ids, created_at__gt=since).values_list(
                "case_id", flat=True
            )
        )
    if kind == "agreement":
        from agreements.models import Agreement

        return set(
            Agreement.objects.filter(pk__in=ids, updated_at__gt=since).values_list("pk", flat=True)
        )
    if kind == "volume":
        from liaison.models import ReconsiderationVolume

        return set(
            ReconsiderationVolume.objects.filter(pk__in=ids, updated_at__gt=since).values_list(
                "pk", flat=True
            )
        )
    return set()


LIST_LIMIT = 30


def changes(previous: dict[str, Any], current: dict[str, Any], since: datetime) -> dict[str, Any]:
    """What changed from the previous version's figures to these, and why: the records
    counted now and not then (added), then and not now (removed), and those counted both
    times but changed in the registers since the previous version was issued."""
    pairs = [
        (code, now, previous.get("figures", {}).get(code))
        for code, now in current["figures"].items()
    ]
    # The records counted both times, by kind: one query a kind says which were changed.
    kept: dict[str, set[int]] = {kind: set() for kind in LABELS}
    for _code, now, then in pairs:
        for side in ("denominator_ids", "numerator_ids"):
            if then is not None:
                old = then.get(side, {})
                kept[now["records"]].update(int(k) for k in now.get(side, {}) if k in old)
    changed_ids = {kind: _changed_ids(kind, sorted(ids), since) for kind, ids in kept.items()}
    result: dict[str, Any] = {}
    for code, now, then in pairs:
        if then is None:
            continue
        entry: dict[str, Any] = {
            "name": now["name"],
            "before": then["display"],
            "after": now["display"],
        }
        parts: dict[str, list[str]] = {}
        for side in ("denominator_ids", "numerator_ids"):
            old, new = then.get(side, {}), now.get(side, {})
            added = [new[k] for k in new if k not in old]
            removed = [old[k] for k in old if k not in new]
            changed = [new[k] for k in new if k in old and int(k) in changed_ids[now["records"]]]
            label = "分母" if side == "denominator_ids" else "分子"
            if added:
                parts[f"{label}新增"] = added
            if removed:
                parts[f"{label}移除"] = removed
            if changed:
                parts[f"{label}中有变动"] = changed
        # Edits to records that were counted both times explain a changed figure; on
        # their own, under an unchanged figure, they are noise.
        if entry["before"] == entry["after"] and not any(
            key.endswith(("新增", "移除")) for key in parts
        ):
            continue
        entry["reasons"] = {
            key: {"count": len(values), "records": values[:LIST_LIMIT]}
            for key, values in parts.items()
        }
        result[code] = entry
    return result
