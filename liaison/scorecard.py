"""The 法治政府建设 scorecard: per agency and year, the figures the city's rule-of-law
index takes from the registers, each with its definition."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from agreements.models import Agreement
from cases.models import Agency, Case
from liaison.exports import figure_cell
from liaison.indicators import Figure, Period, percentage, rounding_note
from liaison.models import SUED_PARTS, Defendant, Instance, Recipient
from liaison.statistics import by_agency

DEFINITIONS = {
    "head_rate": "负责人出庭应诉率：本机关已登记的开庭审理出庭应诉情况中，负责人（正职、副职或其他参与分管的"
    "负责人）出庭的次数除以已登记的次数。",
    "principals": "正职负责人出庭次数：本机关正职负责人（一把手）出庭应诉的次数。",
    "lost": "败诉案件数和败诉率：审结日期在本年度的一审案件中，本机关为被告或共同被告、裁判结果计为败诉的件数，"
    "及其占审结件数的比例。",
    "substantive": "行政争议实质性化解率（本系统口径，待工作室确认）：本年度结案的、以本机关为被申请人的调解案件中"
    "达成并生效调解协议的件数，加上本年度审结的、本机关为被告的一审案件中以“原告撤诉（机关纠正后）”"
    "或“调解结案”结案的件数，除以上述调解结案件数与一审审结件数之和。",
    "implemented": "司法建议落实率：本年度核查的、向本机关发出的司法建议中，经核查已落实的件数除以核查件数。",
}


@dataclass
class ScoreRow:
    agency: Agency
    head_rate: Figure
    principals: int
    lost: int
    loss_rate: Figure
    substantive: Figure
    implemented: Figure


def scorecard(year: int, today: date, *, only: int | None = None) -> list[ScoreRow]:
    """Every agency with any figure in the year (or just ``only``), by name."""
    period = Period.year(year)
    rows = {r.key: r for r in by_agency(period, today, only=only, sort="name")}
    closed = Case.objects.filter(
        closed_on__gte=period.start, closed_on__lte=period.end, agency__isnull=False
    )
    cases = {
        r["agency_id"]: r
        for r in closed.values("agency_id").annotate(
            closed=Count("pk"),
            agreed=Count(
                "pk",
                filter=Q(
                    Exists(
                        Agreement.objects.filter(case=OuterRef("pk"), effective_on__isnull=False)
                    )
                ),
            ),
        )
    }
    codes = settings.LIAISON_SUBSTANTIVE_RESULT_CODES
    lawsuits = {
        r["agency_id"]: r
        for r in Defendant.objects.filter(
            part__in=SUED_PARTS,
            lawsuit__instance=Instance.FIRST,
            lawsuit__concluded_on__gte=period.start,
            lawsuit__concluded_on__lte=period.end,
            lawsuit__result_type__counts_as_concluded=True,
        )
        .values("agency_id")
        .annotate(
            concluded=Count("lawsuit", distinct=True),
            resolved=Count(
                "lawsuit", distinct=True, filter=Q(lawsuit__result_type__code__in=codes)
            ),
        )
    }
    suggestions = {
        r["agency_id"]: r
        for r in Recipient.objects.filter(checked_on__gte=period.start, checked_on__lte=period.end)
        .values("agency_id")
        .annotate(
            checked=Count("pk"),
            implemented=Count("pk", filter=Q(implementation=Recipient.Implementation.IMPLEMENTED)),
        )
    }
    ids = set(rows) | set(cases) | set(lawsuits) | set(suggestions)
    if only is not None:
        ids &= {only}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=ids)}
    result = []
    for pk in sorted(agencies, key=lambda k: agencies[k].name):
        row = rows.get(pk)
        c = cases.get(pk, {"closed": 0, "agreed": 0})
        law = lawsuits.get(pk, {"concluded": 0, "resolved": 0})
        sug = suggestions.get(pk, {"checked": 0, "implemented": 0})
        resolved = c["agreed"] + law["resolved"]
        total = c["closed"] + law["concluded"]
        result.append(
            ScoreRow(
                agencies[pk],
                row.head_rate if row else Figure("head_rate", "", "", "rate", 0, 0, None),
                row.counts["principals"] if row else 0,
                row.counts["lost"] if row else 0,
                row.loss_rate if row else Figure("loss_rate", "", "", "rate", 0, 0, None),
                Figure("substantive", "", "", "rate", resolved, total, percentage(resolved, total)),
                Figure(
                    "implemented",
                    "",
                    "",
                    "rate",
                    sug["implemented"],
                    sug["checked"],
                    percentage(sug["implemented"], sug["checked"]),
                ),
            )
        )
    return result


def workbook(year: int, rows: list[ScoreRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.create_sheet("考评指标", 0)
    book.remove(book.worksheets[1])
    sheet.append([f"{year}年度法治政府建设考评指标（府院联动部分）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["统计期间", f"{year}年"])
    sheet.append([])
    sheet.append(
        [
            "机关",
            "负责人出庭应诉率",
            "正职负责人出庭次数",
            "败诉案件数",
            "败诉率",
            "实质性化解率",
            "司法建议落实率",
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append(
            [
                r.agency.name,
                figure_cell(sheet, r.head_rate),
                r.principals,
                r.lost,
                figure_cell(sheet, r.loss_rate),
                figure_cell(sheet, r.substantive),
                figure_cell(sheet, r.implemented),
            ]
        )
    notes = book.create_sheet("指标定义")
    for text in DEFINITIONS.values():
        notes.append([text])
    notes.append([rounding_note()])
    notes.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
