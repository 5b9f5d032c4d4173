"""Mediation sessions: scheduling, recording, transcripts, cancelling; undisputed facts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import (
    Attachment,
    Case,
    CaseEvent,
    Decision,
    Mediator,
    Party,
    Session,
    Status,
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
from cases.services.mediation.common import start_operation
from cases.services.records import attachment_add
from cases.services.schedule import refresh_next_deadline
from cases.states import (
    SESSION_STEPS,
    allows,
    apply_step,
)
from cases.workflow import (
    NotPermitted,
)

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


# --- Sessions --------------------------------------------------------------------------


def session_period(case: Case) -> dict[str, Any]:
    """What ``session_time_problem`` knows of the case: the end of its mediation period
    and whether an extension of it awaits approval."""
    return {
        "mediation_due": case.mediation_due,
        "extension_pending": case.mediation_due is not None
        and case.extensions.filter(status=Decision.PROPOSED).exists(),
    }


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

    A time after the mediation period or more than a year ahead needs
    ``confirm_far_ahead``; one more than two years ahead is refused (see
    ``cases.plausibility``).
    """
    case = start_operation(case=case, actor=actor, action="schedule_session")
    assert case.accepted_on is not None  # every state that schedules is past acceptance
    if scheduled_at.date() < case.accepted_on:
        raise ServiceError("调解会时间不能早于受理日期。", field="scheduled_at")
    if problem := session_time_problem(scheduled_at, **session_period(case)):
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
    case = start_operation(case=case, actor=actor, action="undisputed_facts")
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
