"""The mediation period: extensions with the parties' consent, suspensions and resumption."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.deadline_engine import cn_date
from cases.models import (
    Attachment,
    Case,
    CaseEvent,
    Decision,
    Extension,
    Party,
    Status,
    Suspension,
    Termination,
)
from cases.services.common import (
    ServiceError,
    apply_transition,
    lock_case,
    record_event,
    start_transition,
)
from cases.services.mediation.common import office_heads, start_operation
from cases.services.notify import notify
from cases.services.records import attachment_add
from cases.services.schedule import refresh_next_deadline
from cases.states import (
    APPROVAL_STEPS,
    allows,
    apply_step,
)
from cases.workflow import (
    NotPermitted,
    ensure_operation,
)

MAX_EXTENSION_DAYS = 365


# --- The mediation period: extensions and suspensions ----------------------------------


@transaction.atomic
def propose_extension(
    *,
    case: Case,
    actor: User,
    days: int,
    reason: str,
    consenting_parties: Sequence[Party],
    consent_form: UploadedFile,
) -> Extension:
    """Propose an extension every party agreed to in writing; the head approves it.

    When the head proposes it, it is approved at once.
    """
    case = start_operation(case=case, actor=actor, action="propose_extension")
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ServiceError(f"延长天数应在1至{MAX_EXTENSION_DAYS}日之间。", field="days")
    if not reason.strip():
        raise ServiceError("请说明延长的理由。", field="reason")
    if case.extensions.filter(status=Decision.PROPOSED).exists():
        raise ServiceError("已有一项延长申请等待审批，请先处理。")
    parties = set(case.parties.all())
    missing = parties - set(consenting_parties)
    if missing:
        names = "、".join(p.name for p in sorted(missing, key=lambda p: p.order))
        raise ServiceError(
            f"延长调解期限须经全体当事人同意（《特邀调解规定》第二十七条），{names}尚未同意。",
            field="consenting_parties",
        )
    form = attachment_add(
        case=case,
        actor=actor,
        kind=Attachment.Kind.EXTENSION_CONSENT,
        title=f"延长调解期限同意书（{days}日）",
        upload=consent_form,
        field="consent_form",
    )
    extension = Extension.objects.create(
        case=case, days=days, reason=reason, consent_form=form, proposed_by=actor
    )
    extension.consenting_parties.set(parties)
    record_event(
        case=case,
        kind=CaseEvent.Kind.EXTENSION_PROPOSED,
        actor=actor,
        note=f"延长{days}日：{reason}",
        data={"extension": extension.pk},
    )
    if actor.has_perm("cases.approve_mediation"):
        return decide_extension(extension=extension, actor=actor, approve=True, note="")
    notify(
        office_heads(case),
        case=case,
        key=f"extension:{extension.pk}",
        title=f"{case.display_number}：请审批延长调解期限{days}日",
        body=reason,
    )
    return extension


@transaction.atomic
def decide_extension(*, extension: Extension, actor: User, approve: bool, note: str) -> Extension:
    case = lock_case(extension.case)
    if not actor.has_perm("cases.approve_mediation") or actor.office_id != case.office_id:
        raise NotPermitted("只有工作室负责人可以审批延长调解期限。")
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if not allows(extension, "approve"):
        raise ServiceError(
            f"该延长申请已经审批（{extension.get_status_display()}）"
            + (f"：{extension.decision_note}" if extension.decision_note else "。")
        )
    if case.status not in (Status.IN_MEDIATION, Status.SUSPENDED):
        raise ServiceError(f"案件当前状态为“{case.get_status_display()}”，不能再延长调解期限。")
    if not approve and not note.strip():
        raise ServiceError("不批准的，请说明理由。", field="note")
    decide_request(extension, actor, approve=approve, note=note)
    refresh_next_deadline(case)
    court_note = "本案为法院委派案件，应告知委派法院。" if approve and case.is_referral else ""
    record_event(
        case=case,
        kind=CaseEvent.Kind.EXTENSION_APPROVED if approve else CaseEvent.Kind.EXTENSION_REJECTED,
        actor=actor,
        note=(
            f"延长{extension.days}日，调解期限至{cn_date(case.mediation_due)}。{court_note}"
            if approve and case.mediation_due
            else f"延长{extension.days}日。{note}{court_note}"
        ),
        data={"extension": extension.pk},
    )
    return extension


@transaction.atomic
def record_court_told_of_extension(
    *, extension: Extension, actor: User, told_on: date, how: str
) -> Extension:
    case = lock_case(extension.case)
    ensure_operation(actor, case, "propose_extension")
    if not case.is_referral or extension.status != Decision.APPROVED:
        raise ServiceError("只有已批准的委派案件延长需要告知法院。")
    if told_on > timezone.localdate():
        raise ServiceError("告知日期不能晚于今天。", field="told_on")
    extension.court_notified_on = told_on
    extension.court_notified_note = how
    extension.save(update_fields=["court_notified_on", "court_notified_note"])
    record_event(
        case=case,
        kind=CaseEvent.Kind.COURT_NOTIFIED,
        actor=actor,
        note=f"{cn_date(told_on)}告知{case.court}延长调解期限{extension.days}日（{how}）",
    )
    return extension


@transaction.atomic
def suspend(*, case: Case, actor: User, reason: str, note: str, started_on: date) -> Suspension:
    """Pause the mediation period; appraisal and the other reasons do not count (在线调解规则第二十六条)."""
    case, transition = start_transition(case=case, actor=actor, action="suspend")
    if reason not in Suspension.Reason.values:
        raise ServiceError("请选择中止原因。", field="reason")
    if reason == Suspension.Reason.OTHER and not note.strip():
        raise ServiceError("中止原因为“其他”的，请说明。", field="note")
    if started_on > timezone.localdate():
        raise ServiceError("中止日期不能晚于今天。", field="started_on")
    assert case.accepted_on is not None  # a mediation in progress was accepted
    if started_on < case.accepted_on:
        raise ServiceError("中止日期不能早于受理日期。", field="started_on")
    last = case.suspensions.exclude(ended_on=None).order_by("-ended_on").first()
    if last is not None and last.ended_on is not None and started_on < last.ended_on:
        raise ServiceError(
            f"中止日期不能早于上一次恢复调解的日期（{cn_date(last.ended_on)}）。",
            field="started_on",
        )
    suspension = Suspension.objects.create(
        case=case, reason=reason, note=note, started_on=started_on, started_by=actor
    )
    apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.SUSPENDED,
        note=f"{suspension.get_reason_display()}，自{cn_date(started_on)}起暂停计算调解期限。{note}",
    )
    refresh_next_deadline(case)
    return suspension


@transaction.atomic
def resume(*, case: Case, actor: User, resumed_on: date) -> Case:
    case, transition = start_transition(case=case, actor=actor, action="resume")
    suspension = case.suspensions.select_for_update().filter(ended_on__isnull=True).first()
    if suspension is None:
        raise ServiceError("没有正在进行的中止记录。")
    if resumed_on > timezone.localdate():
        raise ServiceError("恢复日期不能晚于今天。", field="resumed_on")
    if resumed_on < suspension.started_on:
        raise ServiceError(
            f"恢复日期不能早于中止日期（{cn_date(suspension.started_on)}）。", field="resumed_on"
        )
    suspension.ended_on = resumed_on
    suspension.ended_by = actor
    suspension.save(update_fields=["ended_on", "ended_by"])
    # As the deadline engine counts: the acceptance day itself is never in the period.
    assert case.accepted_on is not None  # a suspended mediation was accepted
    counted = max(
        0, (resumed_on - max(suspension.started_on, case.accepted_on + timedelta(days=1))).days
    )
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.RESUMED,
        note=f"自{cn_date(resumed_on)}起恢复调解，中止{counted}日不计入调解期限。",
    )
    refresh_next_deadline(case)
    return case


def decide_request(
    request: Extension | Termination,
    actor: User,
    *,
    approve: bool | None,
    note: str,
    fields: tuple[str, ...] = (),
) -> None:
    """Record the head's decision on a locked request (``approve=None``: it lapses)."""
    action = "lapse" if approve is None else "approve" if approve else "reject"
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
    apply_step(
        APPROVAL_STEPS,
        request,
        action,
        actor=None if approve is None else actor,
        fields=("decided_by", "decided_at", "decision_note", *fields),
    )
