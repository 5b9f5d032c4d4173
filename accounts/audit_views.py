"""The 审计日志 page: the audit trail of users and reference data, for administrators."""

from __future__ import annotations

import io
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts import audit
from accounts.models import User

PER_PAGE = 50
# An export is for reading, not a copy of the database: the newest rows up to this many.
EXPORT_LIMIT = 10_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["时间", "操作人", "来源地址", "对象类别", "对象", "操作", "修改内容（原值 → 新值）"]


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        label="操作人",
        queryset=User.objects.order_by("username"),
        required=False,
        empty_label="全部",
        error_messages={"invalid_choice": "没有这个用户，请从列表中选择。"},
    )
    subject = forms.ChoiceField(label="对象类别", required=False)
    date_from = forms.DateField(
        label="起始日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入有效的日期，如 2026-01-31。"},
    )
    date_to = forms.DateField(
        label="截止日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入有效的日期，如 2026-12-31。"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        subject = self.fields["subject"]
        assert isinstance(subject, forms.ChoiceField)
        subject.choices = [("", "全部"), *audit.subjects()]
        subject.error_messages["invalid_choice"] = "没有这个对象类别，请从列表中选择。"

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return cleaned

    def filters(self) -> audit.Filters:
        if not self.is_valid():
            return audit.Filters()
        data = self.cleaned_data
        return audit.Filters(
            user_id=data["user"].pk if data["user"] else None,
            subject=data["subject"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


@permission_required("accounts.view_audit_log", raise_exception=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every change to users and reference data, newest first, with filters; the same
    rows as an Excel workbook with ``?export=xlsx``."""
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    trail = audit.Trail(filters)
    if request.GET.get("export") == "xlsx":
        return _workbook(trail[0:EXPORT_LIMIT], form)
    page: Page = Paginator(trail, PER_PAGE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    return render(
        request, "accounts/audit_log.html", {"page": "audit_log", "form": form, "page_obj": page}
    )


def _workbook(items: list[audit.Entry], form: AuditFilterForm) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "审计日志"
    sheet.append(["审计日志（用户与基础数据的修改记录）"])
    sheet["A1"].font = Font(bold=True, size=14)
    shown = []
    if form.is_valid():
        subjects = dict(audit.subjects())
        for name in ("user", "subject", "date_from", "date_to"):
            value = form.cleaned_data.get(name)
            if value:
                label = subjects[value] if name == "subject" else value
                shown.append(f"{form.fields[name].label}：{label}")
    sheet.append(["筛选条件：" + ("；".join(shown) if shown else "全部")])
    sheet.append([f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}；共 {len(items)} 条"])
    if len(items) >= EXPORT_LIMIT:
        sheet.append([f"仅导出最新的 {EXPORT_LIMIT} 条，请缩小日期范围后分批导出。"])
    sheet.append([])
    sheet.append(HEADER)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in audit.rows_for_export(items):
        sheet.append(row)
    for column, width in zip("ABCDEFG", (20, 18, 16, 14, 28, 8, 80), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"审计日志-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
