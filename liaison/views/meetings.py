"""The joint meeting register, its tasks and minutes; the annual reports; the scorecard."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.services.common import ServiceError
from cases.views.common import form_error, query_year
from cases.workflow import InvalidTransition, NotPermitted
from liaison import forms as liaison_forms
from liaison import scorecard as scorecards
from liaison.models import AnnualReport, FollowUpTask
from liaison.permissions import (
    meetings_refusal,
    meetings_visible_to,
    own_agency_id,
    sees_government_figures,
    task_completion_refusal,
    tasks_visible_to,
)
from liaison.services import meetings as meeting_services
from liaison.views.common import data, form_page, refuse
from liaison.views.statistics import PAGE as STATISTICS_PAGE
from liaison.workflow import allows

PAGE = "meetings"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@permission_required("liaison.view_jointmeeting", raise_exception=True)
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = meetings_visible_to(request.user).prefetch_related("tasks")
    return render(
        request,
        "liaison/meeting_list.html",
        {
            "page": PAGE,
            "meetings": meetings,
            "today": timezone.localdate(),
            "can_manage": not meetings_refusal(request.user),
            "reports": AnnualReport.objects.select_related("issued_by")[:20]
            if request.user.has_perm("liaison.view_annualreport")
            else [],
        },
    )


def _meeting(request: HttpRequest, pk: int):
    return get_object_or_404(meetings_visible_to(request.user), pk=pk)


@permission_required("liaison.view_jointmeeting", raise_exception=True)
def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    tasks = tasks_visible_to(request.user).filter(meeting=meeting).select_related("agency")
    agency_id = own_agency_id(request.user)
    return render(
        request,
        "liaison/meeting_detail.html",
        {
            "page": PAGE,
            "meeting": meeting,
            "tasks": tasks,
            "today": timezone.localdate(),
            "lines": {
                name: _lines(getattr(meeting, name))
                for name in ("attendees", "agenda", "matters", "decisions")
            },
            "can_manage": not meetings_refusal(request.user),
            # An agency contact sees only their agency's tasks, and may record them done.
            "can_complete": not meetings_refusal(request.user) or agency_id is not None,
            "events": meeting.events.select_related("actor") if agency_id is None else [],
        },
    )


def _meeting_form(request: HttpRequest, meeting=None) -> HttpResponse:
    refuse(meetings_refusal(request.user))
    initial = None
    if meeting is not None:
        initial = {name: getattr(meeting, name) for name in meeting_services.MEETING_FIELDS}
        initial["version"] = meeting.version
    form = liaison_forms.MeetingForm(data(request), initial=initial)
    return form_page(
        request,
        form,
        lambda c: meeting_services.meeting_save(
            actor=request.user, data=c, meeting=meeting, expected_version=c.get("version")
        ),
        lambda m: f"已保存{m.title}。",
        title="登记联席会议" if meeting is None else f"修改 · {meeting.title}",
        back=meeting.get_absolute_url() if meeting else reverse("liaison:meetings"),
        goto=lambda m: m.get_absolute_url(),
        page=PAGE,
    )


@permission_required("liaison.manage_meetings", raise_exception=True)
def meeting_new(request: HttpRequest) -> HttpResponse:
    return _meeting_form(request)


@permission_required("liaison.manage_meetings", raise_exception=True)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_form(request, _meeting(request, pk))


@permission_required("liaison.manage_meetings", raise_exception=True)
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    refuse(meetings_refusal(request.user))
    form = liaison_forms.TaskForm(data(request), initial={"unit_of_time": "days"})
    return form_page(
        request,
        form,
        lambda c: meeting_services.task_add(actor=request.user, meeting=meeting, **c),
        lambda t: f"已布置任务，办理期限至{t.due_on:%Y-%m-%d}。",
        title=f"布置任务 · {meeting.title}",
        back=meeting.get_absolute_url(),
        page=PAGE,
    )


def _task(request: HttpRequest, pk: int) -> FollowUpTask:
    return get_object_or_404(
        tasks_visible_to(request.user).select_related("meeting", "agency"), pk=pk
    )


@permission_required("liaison.view_jointmeeting", raise_exception=True)
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    refuse(task_completion_refusal(request.user, task))
    if not allows(task, "complete"):
        messages.error(request, "该任务已办结。")
        return redirect(task.meeting.get_absolute_url())
    form = liaison_forms.TaskDoneForm(data(request), initial={"done_on": timezone.localdate()})
    return form_page(
        request,
        form,
        lambda c: meeting_services.task_complete(actor=request.user, task=task, **c),
        lambda t: f"已登记“{t.description}”办结。",
        title=f"登记任务办结 · {task.description}",
        back=task.meeting.get_absolute_url(),
        page=PAGE,
    )


@require_POST
@permission_required("liaison.manage_meetings", raise_exception=True)
def task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    try:
        meeting_services.task_reopen(
            actor=request.user, task=task, note=request.POST.get("note", "")
        )
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except (InvalidTransition, ServiceError) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{task.description}”重新落实。")
    return redirect(task.meeting.get_absolute_url())


def _document(template: str, title: str, data: dict[str, Any], fmt: str) -> HttpResponse:
    from documents.fonts import FontsUnusable
    from documents.rendering import PrinterMissing
    from documents.rendering import render as render_document

    if fmt not in ("pdf", "docx"):
        raise Http404("没有这种格式")
    try:
        rendered = render_document(template, title, data)
    except (PrinterMissing, FontsUnusable) as exc:
        raise Http404(f"无法生成文件：{exc}") from None
    content = rendered.pdf if fmt == "pdf" else rendered.docx
    kind = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.{fmt}"
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("liaison.view_jointmeeting", raise_exception=True)
def minutes(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The meeting's minutes (会议纪要) as A4 PDF or DOCX."""
    from django.conf import settings

    meeting = _meeting(request, pk)
    refuse(meetings_refusal(request.user))
    tasks = [
        {"owner": t.owner, "description": t.description, "due_on": f"{t.due_on:%Y-%m-%d}"}
        for t in meeting.tasks.select_related("agency")
    ]
    data = {
        "bureau": settings.LIAISON_BUREAU_NAME,
        "title": meeting.title,
        "number": meeting.minutes_number,
        "held_on": f"{meeting.held_on.year}年{meeting.held_on.month}月{meeting.held_on.day}日",
        "place": meeting.place,
        "convenors": meeting.convenors,
        **{
            name: _lines(getattr(meeting, name))
            for name in ("attendees", "agenda", "matters", "decisions")
        },
        "tasks": tasks,
    }
    return _document("documents/meeting_minutes.html", f"{meeting.title}纪要", data, fmt)


# --- Annual reports ------------------------------------------------------------------------------


@permission_required("liaison.view_annualreport", raise_exception=True)
def reports(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = query_year(request, "year", today.year - 1)
    form = liaison_forms.ReportForm(
        data(request), initial={"title": meeting_services.report_title(year)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = meeting_services.report_issue(
                actor=request.user, year=year, **form.cleaned_data
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已制发{report.title}（第{report.version}版）。")
            return redirect(report.get_absolute_url())
    return render(
        request,
        "liaison/reports.html",
        {
            "page": STATISTICS_PAGE,
            "year": year,
            "years": range(today.year, 2015, -1),
            "form": form,
            "issued": AnnualReport.objects.filter(year=year).select_related("issued_by"),
            "can_issue": not meetings_refusal(request.user),
        },
    )


def _report(request: HttpRequest, pk: int) -> AnnualReport:
    return get_object_or_404(AnnualReport.objects.select_related("issued_by"), pk=pk)


@permission_required("liaison.view_annualreport", raise_exception=True)
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return render(
        request,
        "liaison/report_detail.html",
        {"page": STATISTICS_PAGE, "report": report, "s": report.snapshot},
    )


@permission_required("liaison.view_annualreport", raise_exception=True)
def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The issued report as A4 PDF, DOCX or XLSX, printed from its snapshot alone."""
    from liaison.exports import xlsx_response
    from liaison.report_files import report_data, report_workbook

    report = _report(request, pk)
    title = f"{report.title}（第{report.version}版）"
    if fmt == "xlsx":
        return xlsx_response(report_workbook(report), title)
    return _document("documents/annual_report.html", report.title, report_data(report), fmt)


# --- The 法治政府建设 scorecard -------------------------------------------------------------------


@permission_required("liaison.view_statistics", raise_exception=True)
def scorecard(request: HttpRequest) -> HttpResponse:
    if not sees_government_figures(request.user):
        raise PermissionDenied("您没有查看统计分析的权限。")
    today = timezone.localdate()
    year = query_year(request, "year", today.year - 1)
    from liaison.permissions import own_agency_id

    rows = scorecards.scorecard(year, today, only=own_agency_id(request.user))
    if request.GET.get("export") == "xlsx":
        from liaison.exports import xlsx_response

        return xlsx_response(scorecards.workbook(year, rows), f"{year}年度法治政府建设考评指标")
    return render(
        request,
        "liaison/scorecard.html",
        {
            "page": STATISTICS_PAGE,
            "year": year,
            "years": range(today.year, 2015, -1),
            "rows": rows,
            "definitions": scorecards.DEFINITIONS,
        },
    )
