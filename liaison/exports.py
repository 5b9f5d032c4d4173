"""The records an indicator counts, as page rows and as Excel workbooks.

Every workbook starts with what it is (the table, the period, the scope, when it was
exported) and carries a sheet of definitions: each indicator's formula, what its
numerator and denominator count, which result types count as a loss and as concluded,
and how rates are rounded. No full ID number is ever exported.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from cases.permissions import can_see_case
from liaison.indicators import (
    GOVERNMENT,
    INDICATORS,
    OFFICE,
    Figure,
    Indicator,
    Period,
    Scope,
    definition_of_loss,
    figure,
    rounding_note,
)
from liaison.models import Defendant
from liaison.permissions import can_see_lawsuit, recipients_visible_to

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _d(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _yes(value: bool | None) -> str:
    return {True: "是", False: "否", None: ""}[value]


def _lawsuit_row(x: Any) -> list[Any]:
    return [
        x.court_case_no,
        x.get_instance_display(),
        x.court.name,
        "、".join(d.agency.name for d in x.defendants.all() if d.is_sued),
        "、".join(p.name for p in x.plaintiffs.all()),
        x.category.label,
        _d(x.filed_on),
        _d(x.concluded_on),
        x.result_type.label if x.result_type else "",
        _yes(x.result_type.counts_as_loss) if x.result_type else "",
    ]


def _appearance_row(a: Any) -> list[Any]:
    if a.head_counts:
        present = "是"
    elif a.head_appeared:
        present = "不计入"
    else:
        present = "否"
    return [
        a.hearing.lawsuit.court_case_no,
        _d(a.hearing.held_on),
        a.agency.name,
        present,
        a.head_name,
        a.head_title,
        a.get_head_rank_display() if a.head_rank else "",
        _yes(a.head_spoke),
        a.get_absence_reason_display() if a.absence_reason else "",
    ]


def _performance_row(p: Any) -> list[Any]:
    return [
        p.lawsuit.court_case_no,
        p.agency.name,
        p.duty,
        _d(p.due_on),
        p.get_status_display(),
        _d(p.performed_on),
    ]


def _recipient_row(r: Any) -> list[Any]:
    return [
        r.suggestion.number,
        r.suggestion.subject,
        r.agency.name,
        _d(r.received_on),
        _d(r.reply_due),
        _d(r.replied_on),
        r.get_adoption_display() if r.adoption else "",
        r.get_implementation_display() if r.implementation else "",
    ]


def _case_row(c: Any) -> list[Any]:
    return [
        c.display_number,
        c.office.short_name,
        _d(c.accepted_on),
        _d(c.closed_on),
        c.get_status_display(),
    ]


def _agreement_row(a: Any) -> list[Any]:
    return [a.case.display_number, f"第{a.version}版", _d(a.effective_on), a.get_status_display()]


def _confirmation_row(c: Any) -> list[Any]:
    return [
        c.agreement.case.display_number,
        _d(c.applied_on),
        c.court.name if c.court else "",
        c.get_status_display(),
        c.get_outcome_display() if c.outcome else "",
    ]


COLUMNS: dict[str, tuple[list[str], Callable[[Any], list[Any]]]] = {
    "lawsuit": (
        [
            "案号",
            "审级",
            "审理法院",
            "被诉机关",
            "原告",
            "争议类别",
            "立案日期",
            "审结日期",
            "裁判结果",
            "败诉",
        ],
        _lawsuit_row,
    ),
    "appearance": (
        [
            "案号",
            "开庭日期",
            "机关",
            "负责人出庭",
            "出庭负责人",
            "职务",
            "负责人类别",
            "发言",
            "未出庭原因",
        ],
        _appearance_row,
    ),
    "performance": (["案号", "机关", "履行事项", "履行期限", "状态", "履行日期"], _performance_row),
    "recipient": (
        ["文号", "事由", "建议对象", "收到日期", "答复期限", "答复日期", "采纳情况", "落实情况"],
        _recipient_row,
    ),
    "case": (["案号", "工作室", "受理日期", "结案日期", "状态"], _case_row),
    "agreement": (["案号", "协议版本", "生效日期", "状态"], _agreement_row),
    "confirmation": (["案号", "申请日期", "法院", "状态", "结果"], _confirmation_row),
}


def with_columns(kind: str, records: QuerySet) -> QuerySet:
    """The records with what their rows show joined in, in a stable order."""
    if kind == "lawsuit":
        return (
            records.select_related("court", "category", "result_type")
            .prefetch_related(
                Prefetch("defendants", queryset=Defendant.objects.select_related("agency")),
                "plaintiffs",
            )
            .order_by("concluded_on", "filed_on", "pk")
        )
    if kind == "appearance":
        return records.select_related("agency", "hearing__lawsuit").order_by(
            "hearing__held_on", "pk"
        )
    if kind == "performance":
        return records.select_related("agency", "lawsuit").order_by("due_on", "pk")
    if kind == "recipient":
        return records.select_related("agency", "suggestion").order_by("reply_due", "pk")
    if kind == "case":
        return records.select_related("office").order_by("closed_on", "pk")
    if kind == "agreement":
        return records.select_related("case").order_by("effective_on", "pk")
    if kind == "confirmation":
        return records.select_related("agreement__case", "court").order_by("applied_on", "pk")
    return records


def headers(kind: str) -> list[str]:
    return COLUMNS[kind][0]


def row_of(kind: str, record: Any) -> list[Any]:
    return COLUMNS[kind][1](record)


def links_for(kind: str, records: list[Any], user: Any) -> list[str]:
    """Where each row leads, if the user may open it there (one query at most)."""
    from liaison.permissions import lawsuits_visible_to

    if kind == "lawsuit":
        return [r.get_absolute_url() if can_see_lawsuit(user, r) else "" for r in records]
    if kind in ("appearance", "performance"):
        lawsuits = [r.hearing.lawsuit_id if kind == "appearance" else r.lawsuit_id for r in records]
        visible = set(
            lawsuits_visible_to(user).filter(pk__in=lawsuits).values_list("pk", flat=True)
        )
        return [reverse("liaison:lawsuit", args=[pk]) if pk in visible else "" for pk in lawsuits]
    if kind == "recipient":
        visible = set(
            recipients_visible_to(user)
            .filter(pk__in=[r.pk for r in records])
            .values_list("pk", flat=True)
        )
        return [r.suggestion.get_absolute_url() if r.pk in visible else "" for r in records]
    cases = {
        "case": lambda r: r,
        "agreement": lambda r: r.case,
        "confirmation": lambda r: r.agreement.case,
    }[kind]
    return [cases(r).get_absolute_url() if can_see_case(user, cases(r)) else "" for r in records]


# --- Workbooks -----------------------------------------------------------------------------


def _workbook(title: str, period: Period, scope: Scope):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.create_sheet(title[:31], 0)
    workbook.remove(workbook.worksheets[1])
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["统计期间", period.label, f"{period.start:%Y-%m-%d}至{period.end:%Y-%m-%d}"])
    sheet.append(["统计范围", scope.label])
    sheet.append(["导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    sheet.append([])
    return workbook, sheet


def _header(sheet: Any, names: list[str]) -> None:
    from openpyxl.styles import Font, PatternFill

    sheet.append(names)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")


def figure_cell(sheet: Any, figure: Figure) -> Any:
    """A figure as a number Excel can add and sort, formatted as the page prints it
    (8.82%, 23.0日); the page's text where there is no number to give (—, 不适用, the
    fraction of a small sample)."""
    if figure.kind == "count" and figure.applicable:
        return figure.numerator
    if not figure.applicable or figure.value is None or figure.small_sample:
        return figure.display
    if figure.kind == "rate":
        return _formatted(sheet, figure.value / 100, "0.00%")
    return _formatted(sheet, figure.value, '0.0"日"')


def _formatted(sheet: Any, value: Any, number_format: str) -> Any:
    from openpyxl.cell import Cell

    cell = Cell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _definitions(workbook: Any, codes: list[str]) -> None:
    sheet = workbook.create_sheet("指标定义")
    _header(sheet, ["指标", "计算方法", "分子", "分母"])
    for code in codes:
        indicator: Indicator = INDICATORS[code]
        numerator, denominator = _parts(indicator)
        sheet.append([indicator.name, indicator.definition, numerator, denominator])
    sheet.append([])
    loss = definition_of_loss()
    sheet.append(["计为败诉的裁判结果", "、".join(loss["loss"])])
    sheet.append(["计为审结的裁判结果", "、".join(loss["concluded"])])
    sheet.append(["比率的计算", rounding_note()])
    for column, width in zip("ABCD", (22, 90, 30, 30), strict=True):
        sheet.column_dimensions[column].width = width


def _parts(indicator: Indicator) -> tuple[str, str]:
    if indicator.kind == "count":
        return "记录数", ""
    if indicator.kind == "days":
        return "天数合计", "案件数"
    return "符合条件的记录数", "统计范围内的记录数"


def _save(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def records_workbook(
    indicator: Indicator, period: Period, scope: Scope, part: str, records: QuerySet
) -> bytes:
    workbook, sheet = _workbook(f"{indicator.name}：{part}", period, scope)
    sheet.append(["定义", indicator.definition])
    sheet.append([])
    _header(sheet, headers(indicator.records))
    for record in records.iterator(chunk_size=500) if not _prefetches(records) else records:
        sheet.append(row_of(indicator.records, record))
    _definitions(workbook, [indicator.code])
    return _save(workbook)


def _prefetches(records: QuerySet) -> bool:
    return bool(getattr(records, "_prefetch_related_lookups", ()))


def table_workbook(table: str, period: Period, scope: Scope, user: Any) -> tuple[bytes, str]:
    from liaison.permissions import sees_government_figures, sees_office_figures
    from liaison.statistics import by_agency, by_court, by_field, trend

    today = timezone.localdate()
    if table == "indicators":
        codes = []
        if sees_government_figures(user) and scope.kind != "office":
            codes += GOVERNMENT
        if sees_office_figures(user) and scope.kind in ("city", "office"):
            codes += OFFICE
        workbook, sheet = _workbook("统计指标", period, scope)
        before = period.year_before()
        _header(sheet, ["指标", "结果", "分子", "分母", f"上年同期（{before.label}）", "定义"])
        for code in codes:
            now, earlier = figure(code, period, scope), figure(code, before, scope)
            sheet.append(
                [
                    now.name,
                    figure_cell(sheet, now),
                    now.numerator,
                    now.denominator,
                    figure_cell(sheet, earlier),
                    now.definition,
                ]
            )
        _definitions(workbook, codes)
        return _save(workbook), "统计指标"
    if table == "agencies":
        workbook, sheet = _workbook("分机关统计", period, scope)
        _header(
            sheet,
            [
                "机关",
                "收案",
                "审结",
                "败诉",
                "败诉率",
                "开庭次数",
                "负责人出庭",
                "负责人出庭应诉率",
                "正职出庭",
                "负责人未出庭",
                "应答复的司法建议",
                "已答复",
                "逾期答复",
                "到期履行事项",
                "按期履行",
            ],
        )
        rows = by_agency(
            period, today, only=scope.pk if scope.kind == "agency" else None, sort="lost"
        )
        for r in rows:
            c = r.counts
            sheet.append(
                [
                    r.label,
                    c["filed"],
                    c["concluded"],
                    c["lost"],
                    figure_cell(sheet, r.loss_rate),
                    c["hearings"],
                    c["heads"],
                    figure_cell(sheet, r.head_rate),
                    c["principals"],
                    c["absent"],
                    c["replies_due"],
                    c["replied"],
                    c["overdue_replies"],
                    c["performances_due"],
                    c["on_time"],
                ]
            )
        _definitions(
            workbook,
            [
                "filed",
                "concluded",
                "lost",
                "loss_rate",
                "head_rate",
                "principal_rate",
                "reply_rate",
                "late_replies",
                "performance_rate",
            ],
        )
        return _save(workbook), "分机关统计"
    if table == "fields":
        workbook, sheet = _workbook("分领域统计", period, scope)
        _header(sheet, ["争议类别", "收案", "审结", "败诉", "败诉率"])
        for r in by_field(period, scope):
            sheet.append(
                [
                    r.label,
                    r.counts["filed"],
                    r.counts["concluded"],
                    r.counts["lost"],
                    figure_cell(sheet, r.loss_rate),
                ]
            )
        _definitions(workbook, ["filed", "concluded", "lost", "loss_rate"])
        return _save(workbook), "分领域统计"
    if table == "courts":
        workbook, sheet = _workbook("分法院统计", period, scope)
        _header(sheet, ["法院", "收案", "审结", "败诉", "败诉率"])
        for r in by_court(period):
            sheet.append(
                [
                    r.label,
                    r.counts["filed"],
                    r.counts["concluded"],
                    r.counts["lost"],
                    figure_cell(sheet, r.loss_rate),
                ]
            )
        _definitions(workbook, ["filed", "concluded", "lost", "loss_rate"])
        return _save(workbook), "分法院统计"
    workbook, sheet = _workbook("逐年趋势", period, scope)
    _header(
        sheet,
        ["年度", "收案", "审结", "败诉", "败诉率", "开庭次数", "负责人出庭", "负责人出庭应诉率"],
    )
    for y in trend(period.end.year, scope):
        sheet.append(
            [
                f"{y.year}年",
                y.filed,
                y.concluded,
                y.lost,
                figure_cell(sheet, y.loss_rate),
                y.hearings,
                y.heads,
                figure_cell(sheet, y.head_rate),
            ]
        )
    _definitions(workbook, ["filed", "concluded", "lost", "loss_rate", "head_rate"])
    return _save(workbook), "逐年趋势"


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.xlsx"
    response["Cache-Control"] = "private, no-store"
    return response
