"""The register, the case page and the workflow actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.deadline_engine import cn_date
from cases.deadlines import (
    case_work_calendar,
    legal_deadlines,
    load_work_calendar,
    office_deadlines,
)
from cases.forms.actions import (
    AcceptForm,
    DeclineForm,
    NoteForm,
    RejectReferralForm,
    ReturnReferralForm,
    SignForForm,
    SupplementForm,
)
from cases.forms.mediation import (
    AgreementReachedForm,
    ArchiveForm,
    CloseForm,
    RemediateForm,
    ResumeForm,
    SuspendForm,
    TerminationForm,
    TransferForm,
    WithdrawForm,
)
from cases.forms.records import VersionedForm
from cases.forms.register import CaseFilterForm
from cases.models import AccessKind, Assignment, Attachment, Case, Party
from cases.models.case import EDITABLE_STATUSES
from cases.panels import render_panels
from cases.permissions import (
    can_edit_case,
    can_read_transcripts,
    can_view_full_id,
    court_readable_attachments,
    court_transcript_grounds,
    event_note_visible,
    event_visible,
    sees_internal_notes,
    transcript_access_refusal,
    transcripts_open_to_court,
    transfer_package_refusal,
)
from cases.selectors import case_detail, case_for_update, case_list
from cases.services import intake, mediation, referral
from cases.services.access import masked_identifier, record_access
from cases.services.common import ServiceError, StaleEdit, lock_case
from cases.views.common import CountedPaginator, form_error
from cases.views.mediation import operation_url_name
from cases.workflow import (
    TRANSITIONS,
    InvalidTransition,
    NotPermitted,
    actions_for,
    available_operations,
    conducting,
    ensure_allowed,
    ensure_permitted,
)

PAGE_SIZE = 25


@permission_required("cases.view_case", raise_exception=True)
def case_register_list(request: HttpRequest) -> HttpResponse:
    """The register: every case in the user's scope, filtered and searched."""
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    page = CountedPaginator(case_list(request.user, filters, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if masked := masked_identifier(filters.get("q") or ""):
        # A search by a full ID number or credit code is a read of personal data.
        record_access(
            request,
            kind=AccessKind.ID_SEARCHED,
            subject=f"案件登记簿查询 {masked}，结果 {page.paginator.count} 件"
            + ("以上" if page.paginator.bounded else ""),
        )
    return render(
        request,
        "cases/case_list.html",
        {"page": "cases", "form": form, "page_obj": page, "today": today},
    )


@permission_required("cases.view_case", raise_exception=True)
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_detail(request.user, pk)
    calendar = case_work_calendar(case)
    today = timezone.localdate()
    parties = list(case.parties.all())
    actions, blocked_actions = actions_for(request.user, case)
    # The office reads everything of its case; the court the minimum necessary.
    internal = sees_internal_notes(request.user, case)
    court_readable = set() if internal else court_readable_attachments(case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "page": "cases",
            "case": case,
            "today": today,
            "applicants": [p for p in parties if p.role == Party.Role.APPLICANT],
            "respondents": [p for p in parties if p.role == Party.Role.RESPONDENT],
            "others": [
                p for p in parties if p.role in (Party.Role.THIRD_PARTY, Party.Role.REPRESENTATIVE)
            ],
            "office_deadlines": [
                (d, d.state(today), d.days_left(today))
                for d in office_deadlines(case, calendar, today)
            ],
            # Once the case is over, these are facts for the parties, not the office's alarms.
            "legal_deadlines": [
                (d, d.state(today) if case.is_open else "info", d.days_left(today))
                for d in legal_deadlines(case, calendar)
            ],
            "actions": actions,
            "blocked_actions": blocked_actions,
            "operations": [
                (op, reverse(operation_url_name(op.action), args=[case.pk]))
                for op in available_operations(request.user, case)
            ],
            "assignments": [
                a
                for a in case.assignments.all()
                if a.is_current or a.status == Assignment.Status.CONFLICT
            ],
            "can_approve": request.user.has_perm("cases.approve_mediation")
            and request.user.office_id == case.office_id,
            "conducting": conducting(request.user, case),
            "panels": render_panels(request, case),
            "side_panels": render_panels(request, case, "side"),
            "can_edit": can_edit_case(request.user) and case.status in EDITABLE_STATUSES,
            "can_reveal": can_view_full_id(request.user),
            # Documents the office made are listed in their own section.
            "materials": [
                a
                for a in case.attachments.all()
                if a.kind != Attachment.Kind.DOCUMENT and (internal or a.pk in court_readable)
            ],
            "timeline": [
                (event, event_note_visible(request.user, event))
                for event in reversed(case.events.all())
                if event_visible(request.user, event)
            ],
            "internal": internal,
            "court_readable": court_readable,
            "can_read_transcripts": can_read_transcripts(request.user, case),
            "court_access": _court_access(request.user, case) if case.court_id else None,
            "can_upload": request.user.has_perm("cases.add_attachment"),
            "can_delete_attachment": request.user.has_perm("cases.delete_attachment"),
        },
    )


def _court_access(user, case: Case) -> dict[str, Any]:
    """What the referring court may read of the case, for the office and for the court."""
    grounds = court_transcript_grounds(case)
    if settings.COURT_SEES_TRANSCRIPTS:
        transcripts = "可查阅（系统设置向法院公开全部调解笔录，每次查阅均有记录）"
    elif grounds:
        transcripts = (
            "可查阅（"
            + "；".join(f"{g.get_basis_display()}：{g.reference}" for g in grounds)
            + "；每次查阅均有记录）"
        )
    else:
        transcripts = "不公开（未经当事人同意或法院书面调取）"
    items = list(case.transfer_items.all())
    return {
        "transcripts_open": transcripts_open_to_court(case),
        "transcripts": transcripts,
        "grounds": list(case.transcript_accesses.all()),
        "items": items,
        "can_record_ground": case.is_referral and not transcript_access_refusal(user, case),
        "can_choose_package": not transfer_package_refusal(user, case),
    }


# --- Workflow actions -------------------------------------------------------------


@dataclass(frozen=True)
class ActionView:
    form_class: type[forms.Form]
    perform: Callable[[Case, Any, dict[str, Any]], Case]
    done: Callable[[Case], str]
    intro: str = ""


class ConfirmForm(forms.Form):
    """An action that needs nothing but the user's confirmation."""


ACTION_VIEWS: dict[str, ActionView] = {
    "request_supplement": ActionView(
        SupplementForm,
        lambda case, user, d: intake.case_request_supplement(
            case=case, actor=user, items=d["items"], due=d["due"]
        ),
        lambda case: f"已通知补正，补正期限为{cn_date(case.supplement_due)}。",
        "一次性告知申请人需要补正的全部材料或事项（参照《行政诉讼法》第五十一条）。",
    ),
    "supplement_received": ActionView(
        NoteForm,
        lambda case, user, d: intake.case_supplement_received(
            case=case, actor=user, note=d["note"]
        ),
        lambda case: "已记录补正材料，案件回到待受理审查。",
    ),
    "accept": ActionView(
        AcceptForm,
        lambda case, user, d: intake.case_accept(
            case=case, actor=user, accepted_on=d["accepted_on"], note=d["note"]
        ),
        lambda case: f"已受理，案号{case.case_no}。",
        "受理后分配案号，调解期限自受理之次日起算。",
    ),
    "decline": ActionView(
        DeclineForm,
        lambda case, user, d: intake.case_decline(
            case=case, actor=user, reason=d["reason"], guidance=d["guidance"], note=d["note"]
        ),
        lambda case: "已决定不予受理。",
        "不予受理须说明理由，并告知申请人可以选择的其他救济途径。",
    ),
    "approve_referral": ActionView(
        ConfirmForm,
        lambda case, user, d: referral.referral_approve(case=case, actor=user),
        lambda case: f"已确认委派，工作室应于{cn_date(case.referral.answer_due)}前答复。",
        "确认该纸质委派函确为本院作出。确认后，工作室应在三个工作日内签收或退回。",
    ),
    "reject_referral": ActionView(
        RejectReferralForm,
        lambda case, user, d: referral.referral_reject(case=case, actor=user, reason=d["reason"]),
        lambda case: "已不予确认该委派函。",
    ),
    "sign_for": ActionView(
        SignForForm,
        lambda case, user, d: referral.referral_sign_for(
            case=case,
            actor=user,
            signed_on=d["signed_on"],
            art60_basis=d["art60_basis"],
            art60_note=d["art60_note"],
            reconsideration_first_notified=d.get("reconsideration_first_notified", False),
        ),
        lambda case: f"已签收委派，案号{case.case_no}；调解期限自签收之次日起算。",
        "签收即受理；调解期限为三十日，自签收之次日起算（《特邀调解规定》第二十七条）。",
    ),
    "begin_mediation": ActionView(
        ConfirmForm,
        lambda case, user, d: mediation.begin_mediation(case=case, actor=user),
        lambda case: "已开始调解。",
        "已与当事人取得联系、尚未安排调解会的，可以先开始调解；安排第一次调解会时也会自动开始。",
    ),
    "suspend": ActionView(
        SuspendForm,
        lambda case, user, d: (
            mediation.suspend(
                case=case,
                actor=user,
                reason=d["reason"],
                note=d["note"],
                started_on=d["started_on"],
            ).case
        ),
        lambda case: "已中止调解，调解期限暂停计算。",
        "中止期间（如鉴定、评估期间）不计入调解期限（《人民法院在线调解规则》第二十六条）。",
    ),
    "resume": ActionView(
        ResumeForm,
        lambda case, user, d: mediation.resume(case=case, actor=user, resumed_on=d["resumed_on"]),
        lambda case: f"已恢复调解，调解期限至{cn_date(case.mediation_due)}。",
    ),
    "reach_agreement": ActionView(
        AgreementReachedForm,
        lambda case, user, d: mediation.reach_agreement(case=case, actor=user, note=d["note"]),
        lambda case: "已记录达成一致，请起草调解协议。",
        "当事人就争议事项达成一致的，进入调解协议阶段。",
    ),
    "terminate": ActionView(
        TerminationForm,
        lambda case, user, d: (
            mediation.propose_termination(
                case=case, actor=user, reason=d["reason"], note=d["note"]
            ).case
        ),
        lambda case: (
            "已终止调解。" + ("已向委派法院报送终止调解情况报告。" if case.is_referral else "")
        ),
        "终止调解后，将计算申请人尚可选择的救济途径及其期限，用于终止调解告知书。",
    ),
    "withdraw": ActionView(
        WithdrawForm,
        lambda case, user, d: mediation.withdraw(
            case=case,
            actor=user,
            withdrawn_on=d["withdrawn_on"],
            note=d["note"],
            upload=d["file"],
        ),
        lambda case: (
            "已记录申请人撤回。"
            + (
                "已向委派法院报送撤回调解情况报告。"
                if case.is_referral and case.accepted_on
                else ""
            )
        ),
    ),
    "transfer_to_filing": ActionView(
        TransferForm,
        lambda case, user, d: mediation.transfer_to_filing(
            case=case,
            actor=user,
            filed_case_no=d["filed_case_no"],
            filed_on=d["filed_on"],
            number_confirmed=d["number_confirmed"],
        ),
        lambda case: "已登记转立案。",
        "该案调解不成，本院已登记立案的，记录立案案号（《特邀调解规定》第二十一条）。",
    ),
    "close": ActionView(
        CloseForm,
        lambda case, user, d: mediation.close_case(case=case, actor=user, note=d["note"]),
        lambda case: "已结案。",
        "结案后案件信息不再修改。",
    ),
    "remediate": ActionView(
        RemediateForm,
        lambda case, user, d: mediation.remediate(case=case, actor=user, note=d["note"]),
        lambda case: "案件已回到调解中；原协议保留备查。",
        "回到调解阶段。调解期限按原受理日期和已批准的延长计算。",
    ),
    "archive": ActionView(
        ArchiveForm,
        lambda case, user, d: mediation.archive_case(
            case=case, actor=user, archive_no=d["archive_no"]
        ),
        lambda case: f"已归档，档案号{case.archive_no}。",
        "归档后案卷封存。",
    ),
    "return_referral": ActionView(
        ReturnReferralForm,
        lambda case, user, d: referral.referral_return(
            case=case, actor=user, reason=d["reason"], note=d["note"]
        ),
        lambda case: "已退回委派，法院联络员将看到退回理由。",
        "退回委派须书面说明理由（《人民法院在线调解规则》第十二条）。",
    ),
}


def _prefill(case: Case, action: str) -> dict[str, Any]:
    if action == "sign_for":
        return {
            "art60_basis": case.art60_basis,
            "art60_note": case.art60_note,
            "reconsideration_first_notified": case.reconsideration_first_notified,
        }
    return {}


def _adapt(form: forms.Form, case: Case, action: str) -> None:
    """Tailor an action form to the case: what to tell the applicant, what applies."""
    if action == "decline":
        today = timezone.localdate()
        running = [
            f"{d.label}至{cn_date(d.due)}" + ("（已届满）" if d.state(today) == "overdue" else "")
            for d in legal_deadlines(case, load_work_calendar())
        ]
        if running:
            form.fields["guidance"].help_text = (
                "请写明申请人可以选择的救济途径和期限。本案计算的期限：" + "；".join(running) + "。"
            )
    if action == "sign_for" and not case.category.reconsideration_first:
        del form.fields["reconsideration_first_notified"]


@require_http_methods(["GET", "POST"])
@permission_required("cases.view_case", raise_exception=True)
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One page per workflow action: the form it needs, then the service."""
    if action not in ACTION_VIEWS or action not in TRANSITIONS:
        raise Http404
    case = case_for_update(request.user, pk)
    try:
        transition = ensure_permitted(request.user, case, action)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    try:
        ensure_allowed(case, action)
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return redirect(case)
    spec = ACTION_VIEWS[action]
    version = VersionedForm(
        request.POST if request.method == "POST" else None,
        initial={"version": case.version},
        prefix="v",
    )
    if request.method == "POST":
        form = spec.form_class(request.POST, request.FILES)
        _adapt(form, case, action)
        if form.is_valid():
            try:
                # The version the user saw is compared under the row lock the action
                # then holds, so nobody can change the case in between.
                with transaction.atomic():
                    locked = lock_case(case)
                    if version.is_valid() and version.cleaned_data["version"] != locked.version:
                        raise StaleEdit(
                            "您打开本页后，本案信息已有变动（见办理记录）。请核对最新情况后再确认。"
                        )
                    case = spec.perform(locked, request.user, form.cleaned_data)
            except StaleEdit as exc:
                # Someone changed the case after this page was opened: show it before deciding.
                case = case_for_update(request.user, pk)
                form.add_error(None, exc.message)
                version.data = version.data.copy()
                version.data["v-version"] = str(case.version)
            except InvalidTransition as exc:
                messages.error(request, exc.message)
                return redirect(case)
            except ServiceError as exc:
                form_error(form, exc)
            else:
                messages.success(request, spec.done(case))
                return redirect(case)
    else:
        form = spec.form_class(initial=_prefill(case, action))
        _adapt(form, case, action)
    return render(
        request,
        "cases/case_action.html",
        {
            "page": "cases",
            "case": case,
            "transition": transition,
            "form": form,
            "version_form": version,
            "intro": spec.intro,
            "last_event": case.events.select_related("actor").last(),
        },
    )
