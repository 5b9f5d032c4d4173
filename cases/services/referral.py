"""Court referrals (委派): created by the court or recorded from a paper letter, then answered."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Court, Office, Role, User
from cases.deadline_engine import cn_date
from cases.deadlines import MEDIATION_REFERRAL, REFERRAL_ANSWER, load_work_calendar
from cases.models import (
    Agency,
    Art60Basis,
    Case,
    CaseEvent,
    Referral,
    Source,
    Status,
)
from cases.models.case import ReferralReturnReason
from cases.services.common import (
    ServiceError,
    apply_transition,
    case_number,
    ensure_not_submitted,
    record_event,
    save_new_case,
    start_transition,
)
from cases.services.records import attachment_add, create_claims, create_parties
from cases.services.rules import check_scope_answers
from cases.services.schedule import refresh_next_deadline
from cases.workflow import NotPermitted


def _start_answer_clock(referral: Referral, on: date) -> None:
    referral.pending_since = on
    referral.answer_due = REFERRAL_ANSWER.compute(on, load_work_calendar()).due
    referral.save(update_fields=["pending_since", "answer_due"])


def _create_referral_case(
    *,
    office: Office,
    court: Court,
    actor: User,
    status: Status,
    case_data: dict[str, Any],
    referral_data: dict[str, Any],
    applicants: Sequence[dict[str, Any]],
    respondents: Sequence[Agency],
    claims: Sequence[dict[str, Any]],
    origin: str,
    materials: Sequence[tuple[str, UploadedFile]],
    submission_token: UUID | None,
) -> Case:
    ensure_not_submitted(submission_token)
    if not applicants:
        raise ServiceError("至少需要一名申请人（原告）。")
    if not respondents:
        raise ServiceError("至少需要一个被申请人（行政机关）。")
    if not claims:
        raise ServiceError("至少需要一项请求事项。")
    fields = {name: value for name, value in case_data.items() if name != "source"}
    case = Case(
        office=office,
        court=court,
        source=Source.COURT_REFERRAL,
        status=status,
        created_by=actor,
        submission_token=submission_token,
        **fields,
    )
    # The token's uniqueness is left to the insert (save_new_case), as in case_register.
    case.full_clean(exclude=["registration_no", "case_no", "created_by", "submission_token"])
    referral = Referral(case=case, origin=origin, **referral_data)
    referral.full_clean(exclude=["case"])
    existing = (
        Referral.objects.filter(case__court=court, letter_no=referral.letter_no)
        .exclude(case__status=Status.REFERRAL_REJECTED)
        .select_related("case")
        .first()
    )
    if existing is not None:
        # The same form sent twice at once: the letter may be its own twin's.
        ensure_not_submitted(submission_token)
        raise ServiceError(
            f"{court}的委派函“{referral.letter_no}”已录入（{existing.case.display_number}，"
            f"{existing.case.get_status_display()}），请勿重复录入。",
            field="letter_no",
        )
    if referral.letter_date > timezone.localdate():
        raise ServiceError("委派日期不能晚于今天。", field="letter_date")
    if referral.complaint_received_date > referral.letter_date:
        raise ServiceError(
            "法院收到起诉状的日期不能晚于委派日期。", field="complaint_received_date"
        )
    if not referral.parties_consent:
        raise ServiceError(
            "委派调解须经当事人同意（《特邀调解规定》第十一条），请确认并记录当事人同意的情况。",
            field="parties_consent",
        )
    save_new_case(case)
    referral.case = case
    referral.save()
    create_parties(case, applicants=applicants, respondents=respondents)
    create_claims(case, claims)
    for kind, upload in materials:
        attachment_add(case=case, actor=actor, kind=kind, title="", upload=upload)
    return case


@transaction.atomic
def referral_create(
    *,
    actor: User,
    office: Office,
    case_data: dict[str, Any],
    referral_data: dict[str, Any],
    applicants: Sequence[dict[str, Any]],
    respondents: Sequence[Agency],
    claims: Sequence[dict[str, Any]],
    materials: Sequence[tuple[str, UploadedFile]] = (),
    submission_token: UUID | None = None,
) -> Case:
    """A court liaison refers a dispute to the office; the office must answer in 3 working days."""
    if not actor.has_perm("cases.create_referral") or actor.role != Role.COURT_LIAISON:
        raise NotPermitted("只有法院联络员可以创建委派。")
    assert actor.court is not None  # User.clean(): a court liaison belongs to a court
    case = _create_referral_case(
        office=office,
        court=actor.court,
        actor=actor,
        status=Status.REFERRAL_PENDING,
        case_data=case_data,
        referral_data=referral_data,
        applicants=applicants,
        respondents=respondents,
        claims=claims,
        origin=Referral.Origin.COURT,
        materials=materials,
        submission_token=submission_token,
    )
    _start_answer_clock(case.referral, timezone.localdate())
    record_event(
        case=case,
        kind=CaseEvent.Kind.REFERRAL_CREATED,
        actor=actor,
        to_status=Status.REFERRAL_PENDING,
        note=f"{actor.court}委派，委派函{case.referral.letter_no}",
    )
    refresh_next_deadline(case)
    return case


@transaction.atomic
def referral_record_paper(
    *,
    actor: User,
    court: Court,
    case_data: dict[str, Any],
    referral_data: dict[str, Any],
    applicants: Sequence[dict[str, Any]],
    respondents: Sequence[Agency],
    claims: Sequence[dict[str, Any]],
    materials: Sequence[tuple[str, UploadedFile]] = (),
    submission_token: UUID | None = None,
) -> Case:
    """A clerk records a paper referral letter; the court's liaison must confirm it."""
    if not actor.has_perm("cases.record_referral") or actor.office is None:
        raise NotPermitted("您没有权限录入委派函。")
    case = _create_referral_case(
        office=actor.office,
        court=court,
        actor=actor,
        status=Status.REFERRAL_UNCONFIRMED,
        case_data=case_data,
        referral_data=referral_data,
        applicants=applicants,
        respondents=respondents,
        claims=claims,
        origin=Referral.Origin.PAPER,
        materials=materials,
        submission_token=submission_token,
    )
    record_event(
        case=case,
        kind=CaseEvent.Kind.REFERRAL_RECORDED,
        actor=actor,
        to_status=Status.REFERRAL_UNCONFIRMED,
        note=f"纸质委派函{case.referral.letter_no}，待{court}确认",
    )
    return case


@transaction.atomic
def referral_approve(*, case: Case, actor: User) -> Case:
    """The court confirms a paper referral letter as its own; the answer clock starts."""
    case, transition = start_transition(case=case, actor=actor, action="approve_referral")
    referral = case.referral
    referral.court_decided_by = actor
    referral.court_decided_at = timezone.now()
    referral.save(update_fields=["court_decided_by", "court_decided_at"])
    _start_answer_clock(referral, timezone.localdate())
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.REFERRAL_APPROVED,
        note=f"答复期限 {referral.answer_due:%Y-%m-%d}",
    )
    refresh_next_deadline(case)
    return case


@transaction.atomic
def referral_reject(*, case: Case, actor: User, reason: str) -> Case:
    """The court does not recognise the paper letter (wrong court, not a referral, ...)."""
    case, transition = start_transition(case=case, actor=actor, action="reject_referral")
    if not reason.strip():
        raise ServiceError("请说明不予确认的理由。", field="reason")
    referral = case.referral
    referral.court_decided_by = actor
    referral.court_decided_at = timezone.now()
    referral.court_rejection_reason = reason
    referral.save(update_fields=["court_decided_by", "court_decided_at", "court_rejection_reason"])
    return apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.REFERRAL_REJECTED,
        note=reason,
    )


@transaction.atomic
def referral_sign_for(
    *,
    case: Case,
    actor: User,
    signed_on: date,
    art60_basis: str = "",
    art60_note: str = "",
    reconsideration_first_notified: bool = False,
) -> Case:
    """Sign for the referral: the case is accepted and the 30-day period starts the next day.

    The Art. 60 basis and the reconsideration-first notice are checked as at
    acceptance of a self-accepted dispute.
    """
    case, transition = start_transition(case=case, actor=actor, action="sign_for")
    referral = case.referral
    today = timezone.localdate()
    if signed_on > today:
        raise ServiceError("签收日期不能晚于今天。", field="signed_on")
    if referral.pending_since and signed_on < referral.pending_since:
        raise ServiceError(
            f"签收日期不能早于委派生效日期（{cn_date(referral.pending_since)}）。",
            field="signed_on",
        )
    if art60_basis and art60_basis not in Art60Basis.values:
        raise ServiceError("请选择有效的可调解依据。", field="art60_basis")
    if art60_basis:
        case.art60_basis, case.art60_note = art60_basis, art60_note
    if reconsideration_first_notified:
        case.reconsideration_first_notified = True
    check_scope_answers(case)
    referral.signed_for_on = signed_on
    referral.save(update_fields=["signed_for_on"])
    number = case_number(case.office, signed_on)
    late = referral.answer_due and signed_on > referral.answer_due
    fields = {
        "case_no": number,
        "accepted_on": signed_on,
        "mediation_period_days": MEDIATION_REFERRAL.period.amount,
        "art60_basis": case.art60_basis,
        "art60_note": case.art60_note,
        "reconsideration_first_notified": case.reconsideration_first_notified,
    }
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.REFERRAL_SIGNED_FOR,
        fields=fields,
        note=f"案号{number}" + ("（已超过三个工作日答复期限）" if late else ""),
        data={"case_no": number, "signed_on": signed_on.isoformat(), "late": bool(late)},
    )
    refresh_next_deadline(case)
    return case


@transaction.atomic
def referral_return(*, case: Case, actor: User, reason: str, note: str) -> Case:
    """Return the referral to the court with written reasons (在线调解规则第十二条)."""
    case, transition = start_transition(case=case, actor=actor, action="return_referral")
    if reason not in ReferralReturnReason.values:
        raise ServiceError("请选择退回理由。", field="reason")
    if not note.strip():
        raise ServiceError("退回委派应当书面说明理由，请填写退回说明。", field="note")
    referral = case.referral
    referral.return_reason = reason
    referral.return_note = note
    referral.save(update_fields=["return_reason", "return_note"])
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.REFERRAL_RETURNED,
        note=f"{ReferralReturnReason(reason).label}：{note}",
    )
    refresh_next_deadline(case)
    return case
