"""The annual report's files, printed from its frozen snapshot alone."""

from __future__ import annotations

import io
from typing import Any

from liaison.models import AnnualReport

# The sections of the report, in order: (indicator codes, heading).
SECTIONS = (
    (("filed", "concluded", "lost", "loss_rate"), "行政诉讼收案、审结和败诉情况"),
    (("head_rate", "principal_rate", "voice_rate"), "行政机关负责人出庭应诉情况"),
    (("performance_rate",), "生效裁判履行情况"),
    (("reply_rate", "late_replies", "adoption_rate", "implementation_rate"), "司法建议及落实情况"),
    (("reconsideration_correction_rate", "reconsideration_settlement_rate"), "行政复议情况"),
    (
        (
            "mediation_success_rate",
            "confirmation_application_rate",
            "confirmation_success_rate",
            "voluntary_performance_rate",
            "resolution_days",
            "overdue_rate",
            "litigated_after",
        ),
        "行政争议调解情况",
    ),
)
CN_NUMBERS = "一二三四五六七八九十"


def _bars(trend: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The loss-rate trend as bars for an SVG chart in the PDF (its table is beside it)."""
    values = [t["loss_rate_value"] or 0 for t in trend]
    top = max([*values, 1.0])
    width, gap, height = 60, 30, 120
    bars = []
    for index, (t, value) in enumerate(zip(trend, values, strict=True)):
        h = round(height * value / top, 1)
        bars.append(
            {
                "x": 40 + index * (width + gap),
                "y": 20 + height - h,
                "value_y": 20 + height - h - 4,
                "w": width,
                "h": h,
                "label": f"{t['year']}年",
                "value": t["loss_rate"],
                "label_x": 40 + index * (width + gap) + width / 2,
            }
        )
    return bars


def report_data(report: AnnualReport) -> dict[str, Any]:
    s = report.snapshot
    figures = s["figures"]
    sections = []
    for index, (codes, heading) in enumerate(SECTIONS):
        sections.append(
            {
                "heading": f"{CN_NUMBERS[index]}、{heading}",
                "rows": [figures[code] for code in codes if code in figures],
            }
        )
    return {
        **s,
        "title": report.title,
        "number": report.number,
        "version": report.version,
        "issued_cn": f"{report.issued_at:%Y}年{report.issued_at.month}月{report.issued_at.day}日",
        "sections": sections,
        "loss": figures.get("loss_rate", {}),
        "bars": _bars(s.get("trend", [])),
        "changes": report.changes,
        "note": report.note,
        "next": CN_NUMBERS[len(SECTIONS)],
    }


def report_workbook(report: AnnualReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    s = report.snapshot
    book = Workbook()
    first = book.create_sheet("指标", 0)
    book.remove(book.worksheets[1])

    def header(sheet: Any, names: list[str]) -> None:
        sheet.append(names)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")

    first.append([f"{report.title}（第{report.version}版）"])
    first["A1"].font = Font(bold=True, size=14)
    first.append(["统计期间", f"{s['year']}年", "数据截至", s["as_of"]])
    first.append(["统计范围", "全市"])
    first.append([])
    header(first, ["指标", "结果", "分子", "分母", "上年", "定义"])
    for entry in s["figures"].values():
        first.append(
            [
                entry["name"],
                entry["display"],
                entry["numerator"],
                entry["denominator"],
                entry["before"]["display"],
                entry["definition"],
            ]
        )
    tables = (
        (
            "分机关",
            s["agencies"],
            [
                "label",
                "filed",
                "concluded",
                "lost",
                "loss_rate",
                "hearings",
                "heads",
                "head_rate",
                "principals",
                "absent",
                "replies_due",
                "replied",
                "overdue_replies",
                "performances_due",
                "on_time",
            ],
            [
                "机关",
                "收案",
                "审结",
                "败诉",
                "败诉率",
                "开庭",
                "负责人出庭",
                "出庭率",
                "正职出庭",
                "未出庭",
                "应答复",
                "已答复",
                "逾期答复",
                "到期履行",
                "按期履行",
            ],
        ),
        (
            "分领域",
            s["fields"],
            ["label", "filed", "concluded", "lost", "loss_rate"],
            ["争议类别", "收案", "审结", "败诉", "败诉率"],
        ),
        (
            "分法院",
            s["courts"],
            ["label", "filed", "concluded", "lost", "loss_rate"],
            ["法院", "收案", "审结", "败诉", "败诉率"],
        ),
        (
            "逐年",
            s["trend"],
            ["year", "filed", "concluded", "lost", "loss_rate", "head_rate"],
            ["年度", "收案", "审结", "败诉", "败诉率", "负责人出庭应诉率"],
        ),
        (
            "败诉案件",
            s["losses"],
            [
                "number",
                "agency",
                "category",
                "result",
                "concluded_on",
                "causes",
                "analysis",
                "measures",
                "rectified_on",
            ],
            [
                "案号",
                "机关",
                "争议类别",
                "裁判结果",
                "审结日期",
                "败诉原因",
                "原因分析",
                "整改措施",
                "整改完成",
            ],
        ),
        (
            "司法建议",
            s["suggestions"],
            [
                "number",
                "subject",
                "agency",
                "reply_due",
                "replied_on",
                "adoption",
                "implementation",
            ],
            ["文号", "事由", "建议对象", "答复期限", "答复日期", "采纳情况", "落实情况"],
        ),
    )
    for title, rows, keys, names in tables:
        sheet = book.create_sheet(title)
        header(sheet, names)
        for row in rows:
            sheet.append(
                ["、".join(v) if isinstance(v := row.get(k, ""), list) else v for k in keys]
            )
    sheet = book.create_sheet("督察督办")
    header(sheet, ["机关", "编号", "事由", "所涉案件", "督办日期", "办理期限", "办理情况", "结果"])
    for agency in s["supervision"]["agencies"]:
        for item in agency["items"]:
            sheet.append(
                [
                    agency["name"],
                    item["number"],
                    item["reason"],
                    item["case"],
                    item["opened_on"],
                    item["due_on"],
                    item["status"],
                    item["result"],
                ]
            )
    notes = book.create_sheet("指标定义")
    header(notes, ["指标", "定义"])
    for entry in s["figures"].values():
        notes.append([entry["name"], entry["definition"]])
    notes.append(["计为败诉的裁判结果", "、".join(s["definitions"]["loss"])])
    notes.append(["计为审结的裁判结果", "、".join(s["definitions"]["concluded"])])
    notes.append(["比率的计算", s["definitions"]["rounding"]])
    notes.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
