"""How a mediation ends: agreement, termination, withdrawal, transfer to filing, closing, archiving."""

from __future__ import annotations

from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from cases.deadline_engine import cn_date
from cases.deadlines import legal_deadlines, load_work_calendar
from cases.models import (
    Assignment,
    Attachment,
    Case,
    CaseEvent,
    CourtReport,
    Decision,
    Extension,
    Session,
    Termination,
    TerminationReason,
)
from cases.services.common import (
    ServiceError,
    apply_transition,
    check_court_number_shape,
    lock_case,
    record_event,
    start_transition,
)
from cases.services.mediation.common import office_heads
from cases.services.mediation.period import decide_request
from cases.services.notify import notify
from cases.services.records import attachment_add
from cases.services.schedule import refresh_next_deadline
from cases.states import (
    SESSION_STEPS,
    allows,
    apply_step,
)
from cases.validators import normalise_court_case_number
from cases.workflow import (
    OPERATIONS,
    TRANSITIONS,
    InvalidTransition,
    NotPermitted,
    conducting,
    ensure_permitted,
)

# --- Endings ---------------------------------------------------------------------------


@transaction.atomic
def reach_agreement(*, case: Case, actor: User, note: str = "") -> Case:
    """The parties agree: the case moves on to the agreement stage."""
    case, transition = start_transition(case=case, actor=actor, action="reach_agreement")
    now = timezone.now()
    pending = case.sessions.filter(status=Session.Status.SCHEDULED, scheduled_at__lt=now)
    if pending.exists():
        raise ServiceError("尚有已过时间但未记录的调解会，请先记录笔录或取消。")
    _wind_up(case, actor, "当事人已达成一致", now=now)
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.AGREEMENT_REACHED,
        note=note or "当事人达成一致，进入调解协议阶段。",
    )
    refresh_next_deadline(case)
    return case


def _wind_up(case: Case, actor: User, why: str, *, now: datetime | None = None) -> None:
    """When mediation ends (``why``: "调解已终止" and the like), before the case moves on:
    the sessions still to come are called off, their mediators told to tell the parties,
    and the extensions and terminations waiting for approval lapse."""
    upcoming = case.sessions.select_for_update().filter(
        status=Session.Status.SCHEDULED, scheduled_at__gte=now or timezone.now()
    )
    called_off = []
    for session in upcoming.order_by("number"):
        session.cancel_reason = f"{why}，调解会取消。"
        # A consequence of the case's transition, which the actor was allowed to take.
        apply_step(SESSION_STEPS, session, "cancel", fields=["cancel_reason", "updated_at"])
        record_event(
            case=case,
            kind=CaseEvent.Kind.SESSION_CANCELLED,
            actor=actor,
            note=f"第{session.number}次调解会：{session.cancel_reason}",
            data={"session": session.pk, "called_off": True},
        )
        when = timezone.localtime(session.scheduled_at)
        called_off.append(f"第{session.number}次（{when.month}月{when.day}日 {when:%H:%M}）")
    if called_off:
        mediators = [
            assignment.mediator.user
            for assignment in case.assignments.filter(
                status=Assignment.Status.EFFECTIVE
            ).select_related("mediator__user")
        ]
        notify(
            [user for user in mediators if user.pk != actor.pk],
            case=case,
            key=f"called-off:{case.pk}:{timezone.now():%Y%m%d%H%M%S}",
            title=f"{case.display_number}的调解会已取消",
            body=f"{why}，已安排的{'、'.join(called_off)}调解会取消，请通知当事人。",
        )
    lapsed = (
        (Extension, CaseEvent.Kind.EXTENSION_REJECTED, "延长调解期限申请"),
        (Termination, CaseEvent.Kind.TERMINATION_REJECTED, "终止调解申请"),
    )
    for model, kind, what in lapsed:
        for request in model.objects.select_for_update().filter(
            case=case, status=Decision.PROPOSED
        ):
            decide_request(request, actor, approve=None, note=f"{why}，不再审批。")
            record_event(
                case=case,
                kind=kind,
                actor=actor,
                note=f"{what}不再审批：{why}。",
                # The stubs allow model_name to be None; a model class's _meta always has it.
                data={model._meta.model_name: request.pk, "lapsed": True},  # type: ignore[dict-item]
            )


def _channels(case: Case) -> list[dict]:
    """The remaining legal channels and their deadlines, frozen for the termination notice."""
    today = timezone.localdate()
    return [
        {
            "label": d.label,
            "due": d.due.isoformat(),
            "explanation": d.explanation,
            "note": d.note,
            "expired": d.state(today) == "overdue",
        }
        for d in legal_deadlines(case, load_work_calendar())
    ]


@transaction.atomic
def propose_termination(*, case: Case, actor: User, reason: str, note: str) -> Termination:
    """The mediator proposes ending the mediation; the head approves (a head's own is approved)."""
    case = lock_case(case)
    # The head terminates through the same service (the page shows the head
    # "终止调解" instead of "提出终止调解"), so check the rule, not the button.
    if not actor.has_perm("cases.conduct_mediation") or not conducting(actor, case):
        raise NotPermitted("只有本案的调解员或工作室负责人可以提出终止调解。")
    if case.status not in OPERATIONS["propose_termination"].states:
        raise InvalidTransition(
            f"案件当前状态为“{case.get_status_display()}”，不能终止调解。页面可能已过期，请刷新后查看最新状态。"
        )
    if refusal := TRANSITIONS["terminate"].refusal(case):
        raise ServiceError(refusal)
    if reason not in TerminationReason.values:
        raise ServiceError("请选择终止调解的原因。", field="reason")
    if not note.strip():
        raise ServiceError(
            "请写明终止调解的具体情况，将用于终止调解告知书和报送法院。", field="note"
        )
    if case.terminations.filter(status=Decision.PROPOSED).exists():
        raise ServiceError("已有一项终止调解申请等待审批。")
    termination = Termination.objects.create(case=case, reason=reason, note=note, proposed_by=actor)
    record_event(
        case=case,
        kind=CaseEvent.Kind.TERMINATION_PROPOSED,
        actor=actor,
        note=f"{termination.get_reason_display()}：{note}",
        data={"termination": termination.pk},
    )
    if actor.has_perm("cases.approve_mediation"):
        return decide_termination(termination=termination, actor=actor, approve=True, note="")
    notify(
        office_heads(case),
        case=case,
        key=f"termination:{termination.pk}",
        title=f"{case.display_number}：请审批终止调解",
        body=f"{termination.get_reason_display()}：{note}",
    )
    return termination


@transaction.atomic
def decide_termination(
    *, termination: Termination, actor: User, approve: bool, note: str
) -> Termination:
    """Approve (the case ends, the channels are computed, a referral is reported) or reject."""
    case = lock_case(termination.case)
    ensure_permitted(actor, case, "terminate")
    termination = Termination.objects.select_for_update().get(pk=termination.pk)
    if not allows(termination, "approve"):
        raise ServiceError(
            f"该终止调解申请已经审批（{termination.get_status_display()}）"
            + (f"：{termination.decision_note}" if termination.decision_note else "。")
        )
    if not approve:
        if not note.strip():
            raise ServiceError("不批准的，请说明理由。", field="note")
        decide_request(termination, actor, approve=False, note=note)
        record_event(
            case=case,
            kind=CaseEvent.Kind.TERMINATION_REJECTED,
            actor=actor,
            note=note,
            data={"termination": termination.pk},
        )
        return termination
    case, transition = start_transition(case=case, actor=actor, action="terminate")
    termination.channels = _channels(case)
    decide_request(termination, actor, approve=True, note=note, fields=("channels",))
    _wind_up(case, actor, "调解已终止")
    apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.TERMINATION_APPROVED,
        note=f"{termination.get_reason_display()}。{termination.note}",
        data={"termination": termination.pk},
    )
    refresh_next_deadline(case)
    if case.is_referral:
        _report_to_court(
            case,
            actor,
            CourtReport.Kind.TERMINATION,
            f"终止调解原因：{termination.get_reason_display()}。\n{termination.note}",
        )
    return termination


@transaction.atomic
def withdraw(
    *, case: Case, actor: User, withdrawn_on: date, note: str, upload: UploadedFile | None = None
) -> Case:
    """Record the applicant's withdrawal (written application or signed transcript)."""
    case, transition = start_transition(case=case, actor=actor, action="withdraw")
    if withdrawn_on > timezone.localdate():
        raise ServiceError("撤回日期不能晚于今天。", field="withdrawn_on")
    if withdrawn_on < case.received_date:
        raise ServiceError("撤回日期不能早于收到申请的日期。", field="withdrawn_on")
    if not note.strip():
        raise ServiceError("请记录撤回的方式和理由（书面申请或笔录签字）。", field="note")
    if upload is not None:
        attachment_add(
            case=case, actor=actor, kind=Attachment.Kind.WITHDRAWAL, title="", upload=upload
        )
    _wind_up(case, actor, "申请人已撤回")
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.WITHDRAWN,
        fields={"withdrawn_on": withdrawn_on, "withdrawal_note": note},
        note=note,
    )
    refresh_next_deadline(case)
    if case.is_referral and case.accepted_on:
        _report_to_court(case, actor, CourtReport.Kind.WITHDRAWAL, f"申请人撤回调解申请。\n{note}")
    return case


def _report_to_court(case: Case, actor: User, kind: str, summary: str) -> CourtReport:
    """Report to the referring court and hand over the materials (特邀调解规定第二十六条)."""
    court = case.court
    assert court is not None  # a referral always names its court (case_referral_has_court)
    # The materials received and recorded; the office's own documents are not materials.
    materials = "\n".join(
        f"{a.get_kind_display()}：{a.title}"
        for a in case.attachments.exclude(kind=Attachment.Kind.DOCUMENT).order_by("uploaded_at")
    )
    sessions = case.sessions.filter(status=Session.Status.HELD).count()
    if sessions:
        materials += f"\n调解笔录{sessions}份"
    report = CourtReport.objects.create(
        case=case,
        court=court,
        kind=kind,
        summary=summary,
        materials=materials.strip(),
        created_by=actor,
    )
    record_event(
        case=case,
        kind=CaseEvent.Kind.COURT_REPORTED,
        actor=actor,
        note=f"已向{court}报送{report.get_kind_display()}",
        data={"report": report.pk},
    )
    notify(
        list(court.users.filter(role=Role.COURT_LIAISON, is_active=True)),
        case=case,
        key=f"court_report:{report.pk}",
        title=f"{case.display_number}：{report.get_kind_display()}",
        body=summary[:300],
    )
    return report


@transaction.atomic
def receive_court_report(*, report: CourtReport, actor: User) -> CourtReport:
    if actor.court_id != report.court_id or not actor.has_perm("cases.transfer_to_filing"):
        raise NotPermitted("只有委派法院的法院联络员可以接收报告。")
    report = CourtReport.objects.select_for_update().get(pk=report.pk)
    if report.received_at is None:
        report.received_by, report.received_at = actor, timezone.now()
        report.save(update_fields=["received_by", "received_at"])
        record_event(
            case=report.case,
            kind=CaseEvent.Kind.COURT_REPORT_RECEIVED,
            actor=actor,
            note=f"{report.court}已接收{report.get_kind_display()}",
        )
    return report


@transaction.atomic
def transfer_to_filing(
    *, case: Case, actor: User, filed_case_no: str, filed_on: date, number_confirmed: bool = False
) -> Case:
    """The court registered the case after a failed referral: record its case number
    (特邀 Art 21); a number unlike the courts' only when ``number_confirmed``."""
    case, transition = start_transition(case=case, actor=actor, action="transfer_to_filing")
    number = normalise_court_case_number(filed_case_no)
    if not number:
        raise ServiceError("请填写法院立案案号。", field="filed_case_no")
    check_court_number_shape(number, confirmed=number_confirmed, field="filed_case_no")
    if filed_on > timezone.localdate():
        raise ServiceError("立案日期不能晚于今天。", field="filed_on")
    if filed_on < case.received_date:
        raise ServiceError(
            f"立案日期不能早于工作室收到委派的日期（{cn_date(case.received_date)}）。",
            field="filed_on",
        )
    report = case.court_reports.order_by("-created_at").first()
    if report is not None:
        report.filed_case_no, report.filed_on = number, filed_on
        if report.received_at is None:
            report.received_by, report.received_at = actor, timezone.now()
        report.save(update_fields=["filed_case_no", "filed_on", "received_by", "received_at"])
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.TRANSFERRED_TO_FILING,
        note=f"{case.court}于{cn_date(filed_on)}立案，案号{number}",
        data={"filed_case_no": number, "filed_on": filed_on.isoformat()},
    )
    return case


@transaction.atomic
def close_case(*, case: Case, actor: User, note: str = "") -> Case:
    """The head closes a case whose outcome is complete.

    What can refuse it: ``TRANSITIONS["close"]`` in ``cases.workflow`` (the states it
    starts from, its permission and guard, ``_no_open_sessions``) and the "close"
    preconditions other apps declare in ``cases.extensions`` (the agreements app's
    ``may_close``); ``start_transition`` checks them all under the row lock.
    """
    case, transition = start_transition(case=case, actor=actor, action="close")
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.CLOSED,
        fields={"closed_on": timezone.localdate(), "closing_note": note},
        note=note or "结案",
    )
    refresh_next_deadline(case)
    return case


@transaction.atomic
def remediate(*, case: Case, actor: User, note: str) -> Case:
    """Back to mediation from the agreement stage (a draft was rejected, or confirmation failed)."""
    case, transition = start_transition(case=case, actor=actor, action="remediate")
    if not note.strip():
        raise ServiceError("请说明重新调解的原因。", field="note")
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.REMEDIATED,
        note=note,
    )
    refresh_next_deadline(case)
    return case


@transaction.atomic
def archive_case(*, case: Case, actor: User, archive_no: str) -> Case:
    """Seal the file of a closed case under its archive number."""
    case, transition = start_transition(case=case, actor=actor, action="archive")
    if not archive_no.strip():
        raise ServiceError("请填写档案号。", field="archive_no")
    return apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.ARCHIVED,
        fields={"archived_on": timezone.localdate(), "archive_no": archive_no.strip()},
        note=f"档案号{archive_no.strip()}",
    )


@transaction.atomic
def begin_mediation(*, case: Case, actor: User) -> Case:
    """First contact made before any session was scheduled (已指派 → 调解中)."""
    case, transition = start_transition(case=case, actor=actor, action="begin_mediation")
    return apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.MEDIATION_STARTED,
        note="开始调解",
    )
