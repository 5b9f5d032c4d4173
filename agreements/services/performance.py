"""Performance of the agreement's obligations, and what the office does when they are not met."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from agreements.models import Agreement, Confirmation, Obligation
from agreements.workflow import OBLIGATION_STEPS, apply_step, ensure_step
from cases.deadline_engine import cn_date
from cases.models import Attachment, Case, CaseEvent, Status
from cases.services.common import ServiceError, lock_case, record_event
from cases.services.records import attachment_add
from cases.services.schedule import refresh_next_deadline
from cases.workflow import NotPermitted


def refresh_case_deadline(case: Case) -> None:
    """The case's nearest deadline now includes this app's (see agreements.hooks)."""
    refresh_next_deadline(case)


@transaction.atomic
def record_performance(
    *,
    obligation: Obligation,
    actor: User,
    performed_on: date,
    proof_note: str,
    upload: UploadedFile | None = None,
) -> Obligation:
    """An obligation was carried out; proof is a document or a note (e.g. the new act's number)."""
    case = lock_case(obligation.agreement.case)
    obligation = (
        Obligation.objects.select_for_update().select_related("agreement").get(pk=obligation.pk)
    )
    if not actor.has_perm("agreements.record_performance") or actor.office_id != case.office_id:
        raise NotPermitted("您没有权限记录协议履行情况。")
    if obligation.agreement.status != Agreement.Status.EFFECTIVE:
        raise ServiceError("只能记录已生效协议的履行情况。")
    step = "perform"
    ensure_step(OBLIGATION_STEPS, obligation, step)
    if not proof_note.strip() and upload is None:
        raise ServiceError(
            "请提供履行凭证：上传凭证文件，或写明凭证（如转账凭证号、撤销决定的文号）。",
            field="proof_note",
        )
    if performed_on > timezone.localdate():
        raise ServiceError("履行日期不能晚于今天。", field="performed_on")
    assert obligation.agreement.effective_on is not None  # set when the agreement took effect
    if performed_on < obligation.agreement.effective_on:
        raise ServiceError("履行日期不能早于协议生效日期。", field="performed_on")
    if upload is not None:
        obligation.proof = attachment_add(
            case=case,
            actor=actor,
            kind=Attachment.Kind.OTHER,
            title=f"第{obligation.number}项义务履行凭证",
            upload=upload,
        )
    late = obligation.status == Obligation.Status.OVERDUE or performed_on > obligation.due_date
    obligation.performed_on = performed_on
    obligation.proof_note = proof_note
    obligation.recorded_by = actor
    apply_step(
        OBLIGATION_STEPS,
        obligation,
        step,
        fields=["performed_on", "proof_note", "recorded_by", "proof"],
    )
    record_event(
        case=case,
        kind=CaseEvent.Kind.OBLIGATION_PERFORMED,
        actor=actor,
        note=f"第{obligation.number}项（{obligation.obligor.name}）于{cn_date(performed_on)}履行"
        + ("，逾期履行" if late else "")
        + (f"：{proof_note}" if proof_note else ""),
        data={"obligation": obligation.pk},
    )
    refresh_case_deadline(case)
    return obligation


def mark_overdue(today: date) -> int:
    """Obligations of effective agreements past their due date become overdue (once)."""
    count = 0
    # Only cases still at the agreement stage: once a case went back to mediation or
    # ended, the office no longer follows that agreement's performance.
    due = Obligation.objects.filter(
        status=Obligation.Status.DUE,
        due_date__lt=today,
        agreement__status=Agreement.Status.EFFECTIVE,
        agreement__case__status=Status.AGREED,
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            obligation = (
                Obligation.objects.select_for_update()
                .select_related("agreement__case", "obligor")
                .get(pk=pk)
            )
            if obligation.status != Obligation.Status.DUE:
                continue
            apply_step(OBLIGATION_STEPS, obligation, "become_overdue")
            record_event(
                case=obligation.agreement.case,
                kind=CaseEvent.Kind.OBLIGATION_OVERDUE,
                actor=None,
                note=f"第{obligation.number}项（{obligation.obligor.name}）履行期限"
                f"{cn_date(obligation.due_date)}已过，尚未履行",
                data={"obligation": obligation.pk},
            )
            count += 1
    # A deadline that passed (an obligation now overdue, a confirmation window never
    # used) must not stay the case's nearest deadline and hide the next ones.
    for case in Case.objects.filter(status=Status.AGREED, next_deadline__lt=today):
        refresh_case_deadline(case)
    return count


@transaction.atomic
def handle_nonperformance(
    *, agreement: Agreement, actor: User, handled_on: date, note: str
) -> Agreement:
    """Record how the office dealt with an obligation not performed, so the case can close.

    A confirmed agreement can be enforced by the court (民事诉讼法第二百零六条);
    otherwise the party may sue on the agreement (特邀调解规定第二十五条).
    """
    case = lock_case(agreement.case)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not actor.has_perm("agreements.handle_nonperformance") or actor.office_id != case.office_id:
        raise NotPermitted("只有工作室负责人可以处理协议不履行。")
    if agreement.status != Agreement.Status.EFFECTIVE:
        raise ServiceError("只有已生效的协议才涉及不履行的处理。")
    today = timezone.localdate()
    if (
        not agreement.obligations.filter(due_date__lt=today)
        .exclude(status=Obligation.Status.PERFORMED)
        .exists()
    ):
        raise ServiceError("本协议没有逾期未履行的义务。")
    if not note.strip():
        raise ServiceError("请记录处理情况，如已告知当事人申请强制执行或提起诉讼。", field="note")
    if handled_on > today:
        raise ServiceError("处理日期不能晚于今天。", field="handled_on")
    if agreement.effective_on and handled_on < agreement.effective_on:
        raise ServiceError(
            f"处理日期不能早于协议生效日期（{cn_date(agreement.effective_on)}）。",
            field="handled_on",
        )
    agreement.nonperformance_handled_on, agreement.nonperformance_note = handled_on, note
    agreement.save(update_fields=["nonperformance_handled_on", "nonperformance_note", "updated_at"])
    record_event(
        case=case,
        kind=CaseEvent.Kind.NONPERFORMANCE_HANDLED,
        actor=actor,
        note=note,
        data={"agreement": agreement.pk},
    )
    return agreement


@dataclass(frozen=True)
class PerformanceState:
    code: str  # performing / performed / not_performed
    label: str
    advice: str


def performance_state(agreement: Agreement, today: date) -> PerformanceState | None:
    """Whether an effective agreement is being performed, performed, or not performed."""
    if agreement.status != Agreement.Status.EFFECTIVE:
        return None
    obligations = list(agreement.obligations.all())
    if obligations and all(o.status == Obligation.Status.PERFORMED for o in obligations):
        return PerformanceState("performed", "履行完毕", "")
    late = [
        o
        for o in obligations
        if o.status == Obligation.Status.OVERDUE
        or (o.status == Obligation.Status.DUE and o.due_date < today)
    ]
    if not late:
        return PerformanceState("performing", "履行中", "")
    confirmed = any(
        c.status == Confirmation.Status.CONFIRMED for c in agreement.confirmations.all()
    )
    advice = (
        "本协议已经人民法院司法确认，义务人拒绝履行的，对方当事人可以向人民法院申请强制执行"
        "（《民事诉讼法》第二百零六条）。"
        if confirmed
        else "本协议未经司法确认，义务人不履行的，对方当事人可以就协议的履行向人民法院提起诉讼"
        "（《特邀调解规定》第二十五条）。"
    )
    return PerformanceState("not_performed", "未履行", advice)
