"""Mediation services: assignment, sessions, the period (extensions, pauses), and its endings.

Each service locks the case, checks the action against cases.workflow, writes,
records a timeline event and refreshes the case's deadlines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

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
    Mediator,
    Party,
    Session,
    Status,
    Suspension,
    Termination,
    TerminationReason,
    UndisputedFacts,
)
from cases.permissions import can_work_on_sessions, session_work_refusal
from cases.plausibility import session_time_problem
from cases.services.common import (
    ServiceError,
    StaleEdit,
    apply_transition,
    lock_case,
    record_event,
    start_transition,
)
from cases.services.notify import notify, office_users
from cases.services.records import attachment_add
from cases.services.schedule import refresh_next_deadline
from cases.states import (
    APPROVAL_STEPS,
    ASSIGNMENT_STEPS,
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
    ensure_allowed,
    ensure_operation,
    ensure_permitted,
)

MAX_EXTENSION_DAYS = 365

# What recording a session writes besides its status.
SESSION_RECORD_FIELDS = (
    "transcript",
    "transcript_version",
    "outcome",
    "outcome_note",
    "invited_persons",
    "agency_attendee",
    "agency_principal_attended",
    "updated_at",
)


def _start_operation(*, case: Case, actor: User, action: str) -> Case:
    locked = lock_case(case)
    ensure_operation(actor, locked, action)
    return locked


def _heads(case: Case) -> list[User]:
    return office_users(case.office, Role.HEAD)


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
    case = _start_operation(case=case, actor=actor, action="assign")
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
        title=f"您被指派调解 {case.display_number}",
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
            _heads(case),
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
    case = _start_operation(case=assignment.case, actor=actor, action="assign")
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


# --- Sessions --------------------------------------------------------------------------


@transaction.atomic
def schedule_session(
    *,
    case: Case,
    actor: User,
    scheduled_at: datetime,
    place: str,
    mode: str,
    confirm_far_ahead: bool = False,
) -> Session:
    """Schedule a session; the first one starts the mediation (已指派 → 调解中).

    A time more than a year ahead needs ``confirm_far_ahead``; one more than two years
    ahead is refused (see ``cases.plausibility``).
    """
    case = _start_operation(case=case, actor=actor, action="schedule_session")
    assert case.accepted_on is not None  # every state that schedules is past acceptance
    if scheduled_at.date() < case.accepted_on:
        raise ServiceError("调解会时间不能早于受理日期。", field="scheduled_at")
    if problem := session_time_problem(scheduled_at):
        message, can_confirm = problem
        if not (can_confirm and confirm_far_ahead):
            raise ServiceError(message, field="scheduled_at")
    if mode not in Session.Mode.values:
        raise ServiceError("请选择调解方式。", field="mode")
    number = (case.sessions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    session = Session.objects.create(
        case=case,
        number=number,
        scheduled_at=scheduled_at,
        place=place,
        mode=mode,
        created_by=actor,
    )
    when = timezone.localtime(scheduled_at)
    record_event(
        case=case,
        kind=CaseEvent.Kind.SESSION_SCHEDULED,
        actor=actor,
        note=f"第{number}次，{when:%Y-%m-%d %H:%M}，{place}（{session.get_mode_display()}）",
        data={"session": session.pk},
    )
    if case.status == Status.ASSIGNED:
        case, transition = start_transition(case=case, actor=actor, action="begin_mediation")
        apply_transition(
            case=case,
            transition=transition,
            actor=actor,
            event_kind=CaseEvent.Kind.MEDIATION_STARTED,
            note="安排第一次调解会",
        )
        refresh_next_deadline(case)
    return session


def _ensure_session_work(session: Session, actor: User) -> Case:
    case = lock_case(session.case)
    # The same rule the session page shows its form by (cases.permissions).
    if refusal := session_work_refusal(actor, case):
        if not can_work_on_sessions(actor, case):
            raise NotPermitted(refusal)
        raise ServiceError(refusal)
    return case


@transaction.atomic
def record_session(
    *,
    session: Session,
    actor: User,
    expected_version: int,
    transcript: str,
    outcome: str,
    outcome_note: str = "",
    parties: Sequence[Party] = (),
    agents: Sequence = (),
    mediators: Sequence[Mediator] = (),
    invited_persons: str = "",
    agency_attendee: str = "",
    agency_principal_attended: bool | None = None,
) -> Session:
    """Record who attended, the transcript and the outcome of a session.

    ``expected_version`` is the transcript version the user started from: if
    someone saved the transcript in between, ``StaleEdit`` is raised and
    nothing is overwritten.
    """
    case = _ensure_session_work(session, actor)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not allows(session, "record"):
        raise ServiceError("该次调解会已取消，不能记录。")
    if session.transcript_version != expected_version:
        raise StaleEdit(
            "在您编辑期间，其他人已保存了这份笔录。您填写的内容仍保留在下方，"
            "请与最新笔录核对、合并后再保存。"
        )
    if session.scheduled_at > timezone.now():
        raise ServiceError("调解会尚未召开，不能记录笔录。可以在召开后记录。")
    if outcome and outcome not in Session.Outcome.values:
        raise ServiceError("请选择调解结果。", field="outcome")
    for party in parties:
        if party.case_id != case.pk:
            raise ServiceError("到场当事人必须是本案当事人。", field="parties")
    for agent in agents:
        if agent.party.case_id != case.pk:
            raise ServiceError("到场代理人必须是本案当事人的代理人。", field="agents")
    assigned = set(case.assignments.values_list("mediator_id", flat=True))
    for mediator in mediators:
        if mediator.pk not in assigned:
            raise ServiceError("参加的调解员必须是本案指派的调解员。", field="mediators")
    first_record = session.status != Session.Status.HELD
    session.transcript = transcript
    session.transcript_version += 1
    session.outcome = outcome
    session.outcome_note = outcome_note
    session.invited_persons = invited_persons
    session.agency_attendee = agency_attendee
    session.agency_principal_attended = agency_principal_attended
    apply_step(SESSION_STEPS, session, "record", actor=actor, fields=SESSION_RECORD_FIELDS)
    session.attending_parties.set(parties)
    session.attending_agents.set(agents)
    session.attending_mediators.set(mediators)
    record_event(
        case=case,
        kind=CaseEvent.Kind.SESSION_RECORDED,
        actor=actor,
        note=f"第{session.number}次调解会"
        + ("" if first_record else "（修改笔录）")
        + (f"：{session.get_outcome_display()}" if outcome else ""),
        data={"session": session.pk, "transcript_version": session.transcript_version},
    )
    return session


@transaction.atomic
def attach_transcript_scan(*, session: Session, actor: User, upload: UploadedFile) -> Session:
    case = _ensure_session_work(session, actor)
    attachment = attachment_add(
        case=case,
        actor=actor,
        kind=Attachment.Kind.TRANSCRIPT,
        title=f"第{session.number}次调解笔录（签字件）",
        upload=upload,
    )
    Session.objects.filter(pk=session.pk).update(transcript_scan=attachment)
    session.transcript_scan = attachment
    return session


@transaction.atomic
def cancel_session(*, session: Session, actor: User, reason: str) -> Session:
    case = _ensure_session_work(session, actor)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not allows(session, "cancel"):
        raise ServiceError("只有尚未召开的调解会可以取消。")
    if not reason.strip():
        raise ServiceError("请说明取消的原因。", field="reason")
    session.cancel_reason = reason
    apply_step(
        SESSION_STEPS, session, "cancel", actor=actor, fields=["cancel_reason", "updated_at"]
    )
    record_event(
        case=case,
        kind=CaseEvent.Kind.SESSION_CANCELLED,
        actor=actor,
        note=f"第{session.number}次调解会：{reason}",
        data={"session": session.pk},
    )
    return session


@transaction.atomic
def record_undisputed_facts(
    *, case: Case, actor: User, text: str, signed_on: date | None, upload: UploadedFile | None
) -> UndisputedFacts:
    """The facts both sides accept, signed by them, kept when mediation fails (DOMAIN.md §2.3)."""
    case = _start_operation(case=case, actor=actor, action="undisputed_facts")
    if not text.strip():
        raise ServiceError("请记录无争议的事实。", field="text")
    if signed_on and signed_on > timezone.localdate():
        raise ServiceError("签字日期不能晚于今天。", field="signed_on")
    scan = None
    if upload is not None:
        scan = attachment_add(
            case=case, actor=actor, kind=Attachment.Kind.UNDISPUTED_FACTS, title="", upload=upload
        )
    record = UndisputedFacts.objects.create(
        case=case, text=text, signed_on=signed_on, signed_scan=scan, recorded_by=actor
    )
    record_event(case=case, kind=CaseEvent.Kind.UNDISPUTED_FACTS, actor=actor, note=text[:200])
    return record


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
    case = _start_operation(case=case, actor=actor, action="propose_extension")
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
        _heads(case),
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
    _decide(extension, actor, approve=approve, note=note)
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


# --- Endings ---------------------------------------------------------------------------


@transaction.atomic
def reach_agreement(*, case: Case, actor: User, note: str = "") -> Case:
    """The parties agree: the case moves on to the agreement stage."""
    case, transition = start_transition(case=case, actor=actor, action="reach_agreement")
    pending = case.sessions.filter(status=Session.Status.SCHEDULED, scheduled_at__lt=timezone.now())
    if pending.exists():
        raise ServiceError("尚有已过时间但未记录的调解会，请先记录笔录或取消。")
    _close_pending_requests(case, actor, "当事人已达成一致，不再审批。")
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.AGREEMENT_REACHED,
        note=note or "当事人达成一致，进入调解协议阶段。",
    )
    refresh_next_deadline(case)
    return case


def _decide(
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


def _close_pending_requests(case: Case, actor: User, why: str) -> None:
    """Extensions and terminations still waiting for approval lapse when mediation ends."""
    lapsed = (
        (Extension, CaseEvent.Kind.EXTENSION_REJECTED, "延长调解期限申请"),
        (Termination, CaseEvent.Kind.TERMINATION_REJECTED, "终止调解申请"),
    )
    for model, kind, what in lapsed:
        for request in model.objects.select_for_update().filter(
            case=case, status=Decision.PROPOSED
        ):
            _decide(request, actor, approve=None, note=why)
            record_event(
                case=case,
                kind=kind,
                actor=actor,
                note=f"{what}不再审批：{why}",
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
        _heads(case),
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
        _decide(termination, actor, approve=False, note=note)
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
    _decide(termination, actor, approve=True, note=note, fields=("channels",))
    _close_pending_requests(case, actor, "调解已终止，不再审批。")
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
    _close_pending_requests(case, actor, "申请人已撤回，不再审批。")
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
def transfer_to_filing(*, case: Case, actor: User, filed_case_no: str, filed_on: date) -> Case:
    """The court registered the case after a failed referral: record its case number (特邀 Art 21)."""
    case, transition = start_transition(case=case, actor=actor, action="transfer_to_filing")
    number = normalise_court_case_number(filed_case_no)
    if not number:
        raise ServiceError("请填写法院立案案号。", field="filed_case_no")
    if filed_on > timezone.localdate():
        raise ServiceError("立案日期不能晚于今天。", field="filed_on")
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
        note=f"档案号 {archive_no.strip()}",
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
