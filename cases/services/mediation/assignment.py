"""Assigning mediators and their conflict-of-interest declarations (特邀调解规定第十二至十五条)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import (
    Assignment,
    Attachment,
    Case,
    CaseEvent,
    Mediator,
    Status,
)
from cases.services.common import (
    ServiceError,
    apply_transition,
    lock_case,
    record_event,
)
from cases.services.mediation.common import office_heads, start_operation
from cases.services.notify import notify
from cases.services.records import attachment_add
from cases.services.schedule import refresh_next_deadline
from cases.states import (
    ASSIGNMENT_STEPS,
    allows,
    apply_step,
)
from cases.workflow import (
    NotPermitted,
    ensure_allowed,
)

# --- Assignment ------------------------------------------------------------------------


@transaction.atomic
def assign_mediators(
    *,
    case: Case,
    actor: User,
    mediators: Sequence[Mediator],
    presiding: Mediator,
    parties_joint_choice: bool = False,
    choice_note: str = "",
) -> list[Assignment]:
    """Assign one mediator, or several with exactly one presiding (特邀调解规定第十二、十三条).

    Mediators already assigned and kept stay as they are; those left out are
    replaced. New assignments take effect once each mediator has declared no
    conflict of interest, or the parties' written waiver is recorded.
    """
    case = start_operation(case=case, actor=actor, action="assign")
    chosen = list(dict.fromkeys(mediators))
    if not chosen:
        raise ServiceError("请至少选择一名调解员。", field="mediators")
    if presiding not in chosen:
        raise ServiceError("主持调解员必须是所选调解员之一。", field="presiding")
    for mediator in chosen:
        if mediator.office_id != case.office_id:
            raise ServiceError(f"{mediator}不在本工作室的调解员名册中。", field="mediators")
        if not mediator.is_active:
            raise ServiceError(
                f"{mediator}目前为“{mediator.get_status_display()}”状态，不能指派。",
                field="mediators",
            )
    if parties_joint_choice and not choice_note.strip():
        raise ServiceError("当事人共同选定的，请记录选定情况。", field="choice_note")
    now = timezone.now()
    current = {
        a.mediator_id: a
        for a in case.assignments.select_for_update().filter(
            status__in=[Assignment.Status.PENDING, Assignment.Status.EFFECTIVE]
        )
    }
    chosen_ids = {m.pk for m in chosen}
    # Those left out are replaced; a declared conflict is settled by this new choice
    # (a waiver is the other way). The event below lists them.
    replaced = [a for mediator_id, a in current.items() if mediator_id not in chosen_ids]
    replaced += case.assignments.select_for_update().filter(status=Assignment.Status.CONFLICT)
    for ended in replaced:
        ended.ended_at = now
        apply_step(ASSIGNMENT_STEPS, ended, "end", actor=actor, fields=["ended_at"])
    result = []
    new_users: list[User] = []
    for mediator in chosen:
        assignment = current.get(mediator.pk)
        if assignment is None:
            assignment = Assignment.objects.create(
                case=case,
                mediator=mediator,
                is_presiding=mediator == presiding,
                parties_joint_choice=parties_joint_choice,
                choice_note=choice_note,
                assigned_by=actor,
            )
            new_users.append(mediator.user)
        elif assignment.is_presiding != (mediator == presiding):
            assignment.is_presiding = mediator == presiding
            assignment.save(update_fields=["is_presiding"])
        result.append(assignment)
    names = "、".join(
        f"{m}{'（主持）' if m == presiding and len(chosen) > 1 else ''}" for m in chosen
    )
    record_event(
        case=case,
        kind=CaseEvent.Kind.MEDIATORS_ASSIGNED,
        actor=actor,
        note=names + ("，当事人共同选定" if parties_joint_choice else ""),
        data={
            "mediators": [m.pk for m in chosen],
            "presiding": presiding.pk,
            **({"ended_assignments": [a.pk for a in replaced]} if replaced else {}),
        },
    )
    notify(
        new_users,
        case=case,
        key=f"assigned:{case.pk}:{now:%Y%m%d%H%M%S}",
        title=f"您被指派调解{case.display_number}",
        body="请在案件页面声明是否存在需要回避的情形，指派在声明后生效。",
    )
    _take_effect_if_ready(case, actor)
    return result


def _take_effect_if_ready(case: Case, actor: User) -> None:
    """Move an accepted case to "assigned" once every assignment is in effect."""
    if case.status != Status.ACCEPTED:
        return
    if case.assignments.filter(status=Assignment.Status.CONFLICT).exists():
        # The head must replace that mediator or record the parties' waiver first.
        return
    assignments = list(
        case.assignments.filter(status__in=[Assignment.Status.PENDING, Assignment.Status.EFFECTIVE])
    )
    effective = [a for a in assignments if a.status == Assignment.Status.EFFECTIVE]
    if not effective or len(effective) != len(assignments):
        return
    if len(effective) > 1 and sum(a.is_presiding for a in effective) != 1:
        return
    transition = ensure_allowed(case, "assignment_effective")
    apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.ASSIGNMENT_EFFECTIVE,
        note="调解员：" + "、".join(str(a.mediator) for a in effective),
    )
    refresh_next_deadline(case)


@transaction.atomic
def declare_conflict_check(
    *, assignment: Assignment, actor: User, no_conflict: bool, note: str = ""
) -> Assignment:
    """The assigned mediator declares whether a ground for recusal exists (特邀调解规定第十五条)."""
    case = lock_case(assignment.case)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.mediator.user_id != actor.pk:
        raise NotPermitted("只有被指派的调解员本人可以声明回避情况。")
    action = "declare_no_conflict" if no_conflict else "declare_conflict"
    if not allows(assignment, action):
        raise ServiceError("该指派已经声明过，无需重复声明。")
    if not no_conflict and not note.strip():
        raise ServiceError("存在需要回避的情形的，请说明具体情况。", field="note")
    assignment.declaration_note = note or "不存在需要回避的情形"
    assignment.declared_at = timezone.now()
    apply_step(ASSIGNMENT_STEPS, assignment, action, fields=["declaration_note", "declared_at"])
    record_event(
        case=case,
        kind=CaseEvent.Kind.CONFLICT_DECLARED,
        actor=actor,
        note=f"{assignment.mediator}：{assignment.declaration_note}",
        data={"assignment": assignment.pk, "no_conflict": no_conflict},
    )
    if not no_conflict:
        notify(
            office_heads(case),
            case=case,
            key=f"conflict:{assignment.pk}",
            title=f"{case.display_number}：调解员{assignment.mediator}声明存在利害关系",
            body="请更换调解员，或取得当事人书面同意后记录。",
        )
    _take_effect_if_ready(case, actor)
    return assignment


@transaction.atomic
def record_waiver(
    *, assignment: Assignment, actor: User, note: str, upload: UploadedFile
) -> Assignment:
    """The parties agree in writing that the mediator need not withdraw (特邀调解规定第十五条)."""
    case = start_operation(case=assignment.case, actor=actor, action="assign")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not allows(assignment, "waive_conflict"):
        raise ServiceError("只有声明存在利害关系的指派才需要记录当事人同意。")
    if not note.strip():
        raise ServiceError("请说明当事人同意的情况。", field="note")
    attachment = attachment_add(
        case=case, actor=actor, kind=Attachment.Kind.WAIVER, title="", upload=upload
    )
    assignment.waiver_note = note
    assignment.waiver_attachment = attachment
    apply_step(
        ASSIGNMENT_STEPS,
        assignment,
        "waive_conflict",
        actor=actor,
        fields=["waiver_note", "waiver_attachment"],
    )
    record_event(
        case=case,
        kind=CaseEvent.Kind.WAIVER_RECORDED,
        actor=actor,
        note=f"{assignment.mediator}：{note}",
        data={"assignment": assignment.pk},
    )
    _take_effect_if_ready(case, actor)
    return assignment
