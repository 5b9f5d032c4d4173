"""Pages of the mediation work: assignment, sessions, extensions, termination, agenda, reports."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.forms.mediation import (
    AssignForm,
    CancelSessionForm,
    CourtToldForm,
    DecisionForm,
    DeclareForm,
    ExtensionForm,
    SessionForm,
    SessionRecordForm,
    TerminationForm,
    UndisputedFactsForm,
    UploadForm,
    WaiverForm,
)
from cases.models import (
    Assignment,
    Case,
    CourtReport,
    Decision,
    Extension,
    Mediator,
    Session,
    Termination,
    TransferItem,
)
from cases.permissions import cases_visible_to, session_work_refusal
from cases.selectors import agenda_sessions, case_for_update, number_columns
from cases.services import court_access, mediation
from cases.services.common import ServiceError, StaleEdit
from cases.states import allows
from cases.views.common import CountedPaginator, form_error, query_date
from cases.workflow import (
    OPERATIONS,
    InvalidTransition,
    NotPermitted,
    ensure_operation,
)


def _operation_page(
    request: HttpRequest,
    case: Case,
    action: str,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    *,
    intro: str = "",
    template: str = "cases/operation.html",
    extra: dict | None = None,
) -> HttpResponse:
    """Show a form for work on a case; on a valid POST run the service and go back to the case."""
    try:
        operation = ensure_operation(request.user, case, action)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return redirect(case)
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except InvalidTransition as exc:
            messages.error(request, exc.message)
            return redirect(case)
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, done(result))
            return redirect(case)
    return render(
        request,
        template,
        {
            "page": "cases",
            "case": case,
            "title": operation.label,
            "form": form,
            "intro": intro,
            **(extra or {}),
        },
    )


def _bound(request: HttpRequest):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@permission_required("cases.assign_mediator", raise_exception=True)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_update(request.user, pk)
    current = list(
        case.assignments.filter(
            status__in=[Assignment.Status.PENDING, Assignment.Status.EFFECTIVE]
        ).select_related("mediator")
    )
    initial = {
        "mediators": [a.mediator for a in current],
        "presiding": next((a.mediator for a in current if a.is_presiding), None),
    }
    data = _data(request)
    form = AssignForm(data, case=case, initial=initial)
    return _operation_page(
        request,
        case,
        "assign",
        form,
        lambda d: mediation.assign_mediators(
            case=case,
            actor=request.user,
            mediators=list(d["mediators"]),
            presiding=d["presiding"],
            parties_joint_choice=d["parties_joint_choice"],
            choice_note=d["choice_note"],
        ),
        lambda result: "已指派调解员；各调解员声明不存在需要回避的情形后，指派生效。",
        intro="当事人在名册中共同选定调解员的，按其选定指派；未选定的，由工作室指定（《特邀调解规定》第十二条）。",
    )


def _assignment(request: HttpRequest, pk: int, assignment_pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("case", "mediator__user").filter(
            case__in=cases_visible_to(request.user), case_id=pk
        ),
        pk=assignment_pk,
    )


@permission_required("cases.conduct_mediation", raise_exception=True)
def declare(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """The assigned mediator declares whether a ground for recusal exists."""
    assignment = _assignment(request, pk, assignment_pk)
    if assignment.mediator.user_id != request.user.pk:
        raise PermissionDenied
    form = DeclareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mediation.declare_conflict_check(
                assignment=assignment,
                actor=request.user,
                no_conflict=form.cleaned_data["no_conflict"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "已记录回避声明。")
            return redirect(assignment.case)
    return render(
        request,
        "cases/operation.html",
        {
            "page": "cases",
            "case": assignment.case,
            "title": "声明回避情况",
            "form": form,
            "intro": "调解员是一方当事人或代理人的近亲属、与纠纷有利害关系，或者有其他可能影响公正调解的关系的，应当回避。",
        },
    )


@permission_required("cases.assign_mediator", raise_exception=True)
def waiver(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    assignment = _assignment(request, pk, assignment_pk)
    data, files = _bound(request)
    return _operation_page(
        request,
        assignment.case,
        "assign",
        WaiverForm(data, files),
        lambda d: mediation.record_waiver(
            assignment=assignment, actor=request.user, note=d["note"], upload=d["file"]
        ),
        lambda result: f"已记录当事人书面同意，{assignment.mediator}的指派生效。",
        intro=f"{assignment.mediator}声明：{assignment.declaration_note}",
    )


# --- Sessions --------------------------------------------------------------------------


@permission_required("cases.conduct_mediation", raise_exception=True)
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_update(request.user, pk)
    data = _data(request)
    return _operation_page(
        request,
        case,
        "schedule_session",
        SessionForm(data, case=case),
        lambda d: mediation.schedule_session(
            case=case,
            actor=request.user,
            scheduled_at=d["scheduled_at"],
            place=d["place"],
            mode=d["mode"],
            confirm_far_ahead=d["confirm_far_ahead"],
        ),
        lambda session: (
            f"已安排第{session.number}次调解会："
            f"{timezone.localtime(session.scheduled_at):%Y-%m-%d %H:%M}，{session.place}。"
        ),
        intro="调解员应当将调解时间、地点等事项及时通知当事人（《特邀调解规定》第十四条）。",
    )


def _session(request: HttpRequest, pk: int, session_pk: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("case", "transcript_scan", "created_by").filter(
            case__in=cases_visible_to(request.user), case_id=pk
        ),
        pk=session_pk,
    )


@permission_required("cases.view_case", raise_exception=True)
def session_page(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """One session: its details, and for the mediators the record form."""
    session = _session(request, pk, session_pk)
    case = session.case
    try:
        # The transcript is not public: the court reads it only on a recorded ground (404
        # otherwise, as for any case out of scope), and each reading is logged.
        court_access.record_transcript_view(case=case, actor=request.user, session=session)
    except NotPermitted:
        raise Http404 from None
    can_record = not session_work_refusal(request.user, case) and allows(session, "record")
    latest_transcript = None
    form = None
    if can_record:
        initial = {
            "version": session.transcript_version,
            "parties": session.attending_parties.all(),
            "agents": session.attending_agents.all(),
            "mediators": session.attending_mediators.all(),
            "agency_attendee": session.agency_attendee,
            "agency_principal_attended": session.agency_principal_attended,
            "invited_persons": session.invited_persons,
            "transcript": session.transcript,
            "outcome": session.outcome,
            "outcome_note": session.outcome_note,
        }
        form = SessionRecordForm(
            request.POST if request.method == "POST" else None, session=session, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                mediation.record_session(
                    session=session,
                    actor=request.user,
                    expected_version=d["version"],
                    transcript=d["transcript"],
                    outcome=d["outcome"],
                    outcome_note=d["outcome_note"],
                    parties=list(d["parties"]),
                    agents=list(d["agents"]),
                    mediators=list(d["mediators"]),
                    invited_persons=d["invited_persons"],
                    agency_attendee=d["agency_attendee"],
                    agency_principal_attended=d["agency_principal_attended"],
                )
            except StaleEdit as exc:
                session.refresh_from_db()
                latest_transcript = session.transcript
                form.add_error(None, exc.message)
                form.data = form.data.copy()
                form.data["version"] = str(session.transcript_version)
            except ServiceError as exc:
                form_error(form, exc)
            else:
                messages.success(request, f"已保存第{session.number}次调解会记录。")
                return redirect("cases:session", pk=case.pk, session_pk=session.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "cases/session.html",
        {
            "page": "cases",
            "case": case,
            "session": session,
            "form": form,
            "can_record": can_record,
            "latest_transcript": latest_transcript,
            "upload_form": UploadForm() if can_record else None,
            "cancel_form": CancelSessionForm()
            if can_record and session.status == Session.Status.SCHEDULED
            else None,
        },
    )


@require_POST
@permission_required("cases.conduct_mediation", raise_exception=True)
def session_scan(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    session = _session(request, pk, session_pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            mediation.attach_transcript_scan(
                session=session, actor=request.user, upload=form.cleaned_data["file"]
            )
        except (ServiceError, NotPermitted) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已上传签字笔录。")
    else:
        messages.error(request, "请选择要上传的签字笔录扫描件。")
    return redirect("cases:session", pk=pk, session_pk=session.pk)


@require_POST
@permission_required("cases.conduct_mediation", raise_exception=True)
def session_cancel(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    session = _session(request, pk, session_pk)
    form = CancelSessionForm(request.POST)
    if form.is_valid():
        try:
            mediation.cancel_session(
                session=session, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except (ServiceError, NotPermitted) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已取消第{session.number}次调解会。")
    else:
        messages.error(request, "请填写取消的原因。")
    return redirect(session.case)


@permission_required("cases.conduct_mediation", raise_exception=True)
def undisputed_facts(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_update(request.user, pk)
    data, files = _bound(request)
    return _operation_page(
        request,
        case,
        "undisputed_facts",
        UndisputedFactsForm(data, files),
        lambda d: mediation.record_undisputed_facts(
            case=case,
            actor=request.user,
            text=d["text"],
            signed_on=d["signed_on"],
            upload=d["file"],
        ),
        lambda record: "已记录无争议事实。",
        intro="调解不成的，可以将双方均认可的事实以书面形式记载，由当事人签字确认。",
    )


# --- Extensions and terminations ------------------------------------------------------------


@permission_required("cases.conduct_mediation", raise_exception=True)
def extension_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_update(request.user, pk)
    data, files = _bound(request)
    intro = "延长调解期限须经全体当事人同意，并上传各方签字的延长调解期限同意书。"
    if case.is_referral:
        intro += "本案为法院委派案件，批准后应告知委派法院。"
    return _operation_page(
        request,
        case,
        "propose_extension",
        ExtensionForm(data, files, case=case),
        lambda d: mediation.propose_extension(
            case=case,
            actor=request.user,
            days=d["days"],
            reason=d["reason"],
            consenting_parties=list(d["consenting_parties"]),
            consent_form=d["consent_form"],
        ),
        lambda ext: (
            "已批准延长调解期限。"
            if ext.status == Decision.APPROVED
            else "已提交延长申请，待工作室负责人审批。"
        ),
        intro=intro,
    )


def _case_child(request: HttpRequest, model, pk: int, child_pk: int):
    return get_object_or_404(
        model.objects.select_related("case").filter(
            case__in=cases_visible_to(request.user), case_id=pk
        ),
        pk=child_pk,
    )


@require_POST
@permission_required("cases.approve_mediation", raise_exception=True)
def extension_decide(request: HttpRequest, pk: int, extension_pk: int) -> HttpResponse:
    extension = _case_child(request, Extension, pk, extension_pk)
    return _decide(
        request,
        extension.case,
        lambda approve, note: mediation.decide_extension(
            extension=extension, actor=request.user, approve=approve, note=note
        ),
        "已批准延长调解期限。",
        "已不批准延长调解期限。",
    )


@require_POST
@permission_required("cases.approve_mediation", raise_exception=True)
def termination_decide(request: HttpRequest, pk: int, termination_pk: int) -> HttpResponse:
    termination = _case_child(request, Termination, pk, termination_pk)
    return _decide(
        request,
        termination.case,
        lambda approve, note: mediation.decide_termination(
            termination=termination, actor=request.user, approve=approve, note=note
        ),
        "已批准终止调解。",
        "已不批准终止调解，调解继续。",
    )


def _decide(request, case, decide, approved: str, rejected: str) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求不完整，请刷新页面后重试。")
        return redirect(case)
    approve = form.cleaned_data["approve"]
    try:
        decide(approve, form.cleaned_data["note"])
    except (ServiceError, InvalidTransition) as exc:
        messages.error(request, exc.message)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    else:
        messages.success(request, approved if approve else rejected)
    return redirect(case)


@permission_required("cases.conduct_mediation", raise_exception=True)
def extension_court_told(request: HttpRequest, pk: int, extension_pk: int) -> HttpResponse:
    extension = _case_child(request, Extension, pk, extension_pk)
    data = _data(request)
    return _operation_page(
        request,
        extension.case,
        "propose_extension",
        CourtToldForm(data),
        lambda d: mediation.record_court_told_of_extension(
            extension=extension, actor=request.user, told_on=d["told_on"], how=d["how"]
        ),
        lambda ext: "已记录告知法院的情况。",
        intro=f"延长调解期限{extension.days}日已批准，本案为{extension.case.court}委派的案件。",
    )


@permission_required("cases.conduct_mediation", raise_exception=True)
def termination_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_update(request.user, pk)
    data = _data(request)
    return _operation_page(
        request,
        case,
        "propose_termination",
        TerminationForm(data),
        lambda d: mediation.propose_termination(
            case=case, actor=request.user, reason=d["reason"], note=d["note"]
        ),
        lambda t: (
            "已终止调解。"
            if t.status == Decision.APPROVED
            else "已提出终止调解，待工作室负责人审批。"
        ),
        intro="终止调解须经工作室负责人批准；委派案件终止后将自动向委派法院报送终止调解情况报告。",
    )


# --- The agenda ------------------------------------------------------------------------------


# A week shows each day's first sessions; the day's own page shows them all.
AGENDA_DAY_LIMIT = 6


@dataclass(frozen=True)
class AgendaDay:
    day: date
    sessions: list[Session]
    total: int

    @property
    def more(self) -> int:
        """The day's sessions the week does not show."""
        return self.total - len(self.sessions)


@permission_required("cases.view_dashboard", raise_exception=True)
def agenda(request: HttpRequest) -> HttpResponse:
    """The office's sessions of one week (each day's first few) or of one day (all of
    them), optionally of one mediator's cases."""
    today = timezone.localdate()
    # The mediator filter's choices: each one's name (Mediator.__str__), in its order.
    mediators = (
        Mediator.objects.filter(office_id=request.user.office_id)
        .select_related("user")
        .only("user__name", "user__username")
        .order_by("user__name", "id")
    )
    mediator = None
    if request.GET.get("mediator"):
        mediator = (
            mediators.filter(pk=request.GET["mediator"]).first()
            if request.GET["mediator"].isdigit()
            else None
        )
    if request.GET.get("day"):
        first = query_date(request, "day", today, what="要查看的日期", shown="今天的日程")
        shown, per_day = 1, None
    else:
        day = query_date(request, "week", today, what="要查看的周", shown="本周")
        first = day - timedelta(days=day.weekday())
        shown, per_day = 7, AGENDA_DAY_LIMIT
    sessions = agenda_sessions(
        request.user,
        start=timezone.make_aware(datetime.combine(first, time.min)),
        end=timezone.make_aware(datetime.combine(first + timedelta(days=shown), time.min)),
        mediator=mediator,
        per_day=per_day,
    )
    zone = timezone.get_current_timezone()
    by_day: dict[date, list[Session]] = defaultdict(list)
    for session in sessions:
        by_day[session.scheduled_at.astimezone(zone).date()].append(session)
    days = []
    for offset in range(shown):
        day = first + timedelta(days=offset)
        listed = by_day.get(day, [])
        total = listed[0].day_total if per_day and listed else len(listed)
        days.append(AgendaDay(day, listed, total))
    monday = first - timedelta(days=first.weekday())
    return render(
        request,
        "cases/agenda.html",
        {
            "page": "agenda",
            "days": days,
            "one_day": first if shown == 1 else None,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": first - timedelta(days=shown),
            "next": first + timedelta(days=shown),
            "today": today,
            "mediators": mediators,
            "mediator": mediator,
        },
    )


# --- Reports to the court --------------------------------------------------------------------


# What a report's card shows (cases/court_reports.html): the report, its case's number,
# state, letter and agency, and who sent it.
COURT_REPORT_COLUMNS = (
    "kind",
    "summary",
    "created_at",
    "received_at",
    "filed_case_no",
    "created_by__name",
    "created_by__username",
    "case__status",
    "case__agency__name",
    "case__agency__short_name",
    *number_columns("case__"),
)


@permission_required("cases.transfer_to_filing", raise_exception=True)
def court_reports(request: HttpRequest) -> HttpResponse:
    """The court liaison's queue of termination and withdrawal reports from the office."""
    if not request.user.court_id:
        raise PermissionDenied
    show = request.GET.get("show", "open")
    reports = (
        CourtReport.objects.filter(court_id=request.user.court_id)
        .select_related("case__agency", "case__referral", "created_by")
        .only(*COURT_REPORT_COLUMNS)
        # What the office chose to transfer, as the court reads it on the case page; into a
        # list (to_attr), not a filtered queryset built for each row.
        .prefetch_related(
            Prefetch(
                "case__transfer_items",
                queryset=TransferItem.objects.select_related("attachment").only(
                    "case_id", "attachment__kind", "attachment__title", "attachment__original_name"
                ),
                to_attr="transfer_item_list",
            )
        )
    )
    if show == "open":
        reports = reports.filter(filed_case_no="")
    page = CountedPaginator(reports.order_by("-created_at", "-id"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cases/court_reports.html",
        {"page": "court_reports", "page_obj": page, "show": show},
    )


@require_POST
@permission_required("cases.transfer_to_filing", raise_exception=True)
def court_report_receive(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = get_object_or_404(CourtReport, pk=report_pk, court_id=request.user.court_id)
    mediation.receive_court_report(report=report, actor=request.user)
    messages.success(request, f"已接收{report.case.display_number}的{report.get_kind_display()}。")
    return redirect("cases:court_reports")


def operation_url_name(action: str) -> str:
    if action not in OPERATIONS:
        raise Http404
    return {
        "assign": "cases:assign",
        "schedule_session": "cases:session_new",
        "propose_extension": "cases:extension_new",
        "propose_termination": "cases:termination_new",
        "undisputed_facts": "cases:undisputed_facts",
    }[action]
