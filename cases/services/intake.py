"""Registration, supplement, acceptance and decline of disputes (DOMAIN.md §2.3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Office, User
from cases.deadline_engine import cn_date
from cases.models import (
    Agency,
    Case,
    CaseEvent,
    CaseLink,
    DeclineReason,
    Party,
    Source,
    Status,
)
from cases.models.case import OPEN_STATUSES
from cases.services.common import (
    ServiceError,
    apply_transition,
    case_number,
    ensure_not_submitted,
    record_event,
    registration_number,
    save_new_case,
    start_transition,
)
from cases.services.records import create_claims, create_parties
from cases.services.rules import check_scope_answers
from cases.services.schedule import refresh_next_deadline
from cases.workflow import NotPermitted


@dataclass(frozen=True)
class PossibleDuplicate:
    case: Case
    reason: str


class DuplicateSuspected(Exception):
    """Open cases look like the same dispute; registering needs an explicit confirmation."""

    def __init__(self, duplicates: list[PossibleDuplicate]) -> None:
        super().__init__("可能与已有案件重复")
        self.duplicates = duplicates


def find_duplicates(
    *,
    office: Office,
    applicants: Sequence[dict[str, Any]],
    agency: Agency,
    act_document_no: str = "",
    exclude: Case | None = None,
) -> list[PossibleDuplicate]:
    """Open cases of the office with the same applicant identity against the same agency.

    When an act number is given it must match as well, so two disputes of one
    person with one agency about different acts are not flagged.
    """
    ids = {a["id_number"] for a in applicants if a.get("id_number")}
    codes = {a["uscc"] for a in applicants if a.get("uscc")}
    if not ids and not codes:
        return []
    same_applicant = Q(parties__role=Party.Role.APPLICANT) & (
        Q(parties__id_number__in=ids) | Q(parties__uscc__in=codes)
    )
    cases = Case.objects.filter(
        same_applicant, office=office, agency=agency, status__in=OPEN_STATUSES
    )
    if act_document_no:
        cases = cases.filter(Q(act_document_no=act_document_no) | Q(act_document_no=""))
    if exclude is not None:
        cases = cases.exclude(pk=exclude.pk)
    found = []
    for case in cases.distinct().select_related("referral").order_by("-received_date")[:10]:
        reason = "同一申请人、同一被申请机关"
        if act_document_no and case.act_document_no == act_document_no:
            reason += f"、同一文号（{act_document_no}）"
        found.append(PossibleDuplicate(case, reason + "的未结案件"))
    return found


@transaction.atomic
def case_register(
    *,
    office: Office,
    actor: User,
    case_data: dict[str, Any],
    applicants: Sequence[dict[str, Any]],
    respondents: Sequence[Agency],
    claims: Sequence[dict[str, Any]],
    confirm_not_duplicate: bool = False,
    submission_token: UUID | None = None,
) -> Case:
    """Register a self-accepted (or transferred) dispute and give it a registration number.

    Raises ``DuplicateSuspected`` when open cases look like the same dispute and
    the clerk has not confirmed it is a new one; ``ServiceError`` when a rule
    of §2.3 is not met; ``AlreadySubmitted`` when the form with this
    ``submission_token`` registered a case already. Nothing is saved in any case.
    """
    if not actor.has_perm("cases.register_case") or actor.office_id != office.pk:
        raise NotPermitted("您没有权限在本工作室登记案件。")
    if not applicants:
        raise ServiceError("至少需要一名申请人。")
    if not respondents:
        raise ServiceError("至少需要一个被申请人（行政机关）。")
    if not claims:
        raise ServiceError("至少需要一项请求事项。")
    ensure_not_submitted(submission_token)
    case = Case(
        office=office,
        created_by=actor,
        status=Status.REGISTERED,
        submission_token=submission_token,
        **case_data,
    )
    if case.source == Source.COURT_REFERRAL:
        raise ServiceError("法院委派的案件请通过“录入委派函”登记。", field="source")
    # The token's uniqueness is left to the insert (save_new_case): a check here would
    # race with the same form sent at the same instant and report a field error.
    case.full_clean(exclude=["registration_no", "case_no", "created_by", "submission_token"])
    check_scope_answers(case)

    duplicates = find_duplicates(
        office=office,
        applicants=applicants,
        agency=case.agency,
        act_document_no=case.act_document_no,
    )
    if duplicates and not confirm_not_duplicate:
        # The same form sent twice at once: the case like this one may be its own twin,
        # committed since the check above. That is a repeat, not a suspected duplicate.
        ensure_not_submitted(submission_token)
        raise DuplicateSuspected(duplicates)

    today = timezone.localdate()
    case.registration_no = registration_number(office, today)
    case.review_started_on = today
    save_new_case(case)
    create_parties(case, applicants=applicants, respondents=respondents)
    create_claims(case, claims)
    record_event(
        case=case,
        kind=CaseEvent.Kind.REGISTERED,
        actor=actor,
        to_status=Status.REGISTERED,
        note=f"登记号{case.registration_no}",
    )
    refresh_next_deadline(case)
    for duplicate in duplicates:
        CaseLink.objects.create(
            case=case, linked_case=duplicate.case, reason=duplicate.reason, created_by=actor
        )
        record_event(
            case=case,
            kind=CaseEvent.Kind.DUPLICATE_CONFIRMED,
            actor=actor,
            note=f"与{duplicate.case.display_number}相似（{duplicate.reason}），经确认不是重复案件。",
            data={"linked_case": duplicate.case.pk},
        )
    return case


@transaction.atomic
def case_request_supplement(*, case: Case, actor: User, items: Sequence[str], due: date) -> Case:
    """Send the one-time list of everything missing (一次性告知补正)."""
    case, transition = start_transition(case=case, actor=actor, action="request_supplement")
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise ServiceError("请逐项列明需要补正的材料或事项。", field="items")
    today = timezone.localdate()
    if due <= today:
        raise ServiceError("补正期限应当晚于今天。", field="due")
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.SUPPLEMENT_REQUESTED,
        fields={"supplement_items": items, "supplement_requested_on": today, "supplement_due": due},
        note="；".join(items),
        data={"due": due.isoformat()},
    )
    refresh_next_deadline(case)
    return case


@transaction.atomic
def case_supplement_received(*, case: Case, actor: User, note: str = "") -> Case:
    case, transition = start_transition(case=case, actor=actor, action="supplement_received")
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.SUPPLEMENT_RECEIVED,
        fields={"review_started_on": timezone.localdate()},
        note=note,
    )
    refresh_next_deadline(case)
    return case


@transaction.atomic
def case_accept(*, case: Case, actor: User, accepted_on: date, note: str = "") -> Case:
    """Accept a registered dispute: case number assigned, the mediation period starts."""
    case, transition = start_transition(case=case, actor=actor, action="accept")
    check_scope_answers(case)
    today = timezone.localdate()
    if accepted_on > today:
        raise ServiceError("受理日期不能晚于今天。", field="accepted_on")
    if accepted_on < case.received_date:
        raise ServiceError("受理日期不能早于收到申请的日期。", field="accepted_on")
    if case.review_started_on and accepted_on < case.review_started_on:
        raise ServiceError(
            f"受理日期不能早于登记或收到补正材料的日期（{cn_date(case.review_started_on)}）。",
            field="accepted_on",
        )
    unwilling = [
        p.name
        for p in case.parties.filter(role=Party.Role.APPLICANT)
        if p.willing_to_mediate is not True
    ]
    if unwilling:
        # 人民调解法第十七条、特邀调解规定第十一条: mediation needs the applicant's will.
        raise ServiceError(
            f"申请人{'、'.join(unwilling)}是否同意调解尚未记录为“同意”。"
            "请先在当事人信息中记录其调解意愿；明确拒绝调解的，应当不予受理。"
        )
    number = case_number(case.office, accepted_on)
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.ACCEPTED,
        fields={
            "case_no": number,
            "accepted_on": accepted_on,
            "mediation_period_days": case.office.self_accepted_mediation_days,
        },
        note=note or f"案号{number}",
        data={"case_no": number, "accepted_on": accepted_on.isoformat()},
    )
    refresh_next_deadline(case)
    return case


@transaction.atomic
def case_decline(*, case: Case, actor: User, reason: str, guidance: str, note: str = "") -> Case:
    """Decline with a reason code and the channels still open to the applicant."""
    case, transition = start_transition(case=case, actor=actor, action="decline")
    if reason not in DeclineReason.values:
        raise ServiceError("请选择不予受理的理由。", field="reason")
    if not guidance.strip():
        raise ServiceError("请告知申请人可以选择的其他救济途径。", field="guidance")
    if reason == DeclineReason.OTHER and not note.strip():
        raise ServiceError("理由为“其他”的，请具体说明。", field="note")
    case = apply_transition(
        case=case,
        transition=transition,
        actor=actor,
        event_kind=CaseEvent.Kind.DECLINED,
        fields={"decline_reason": reason, "decline_note": note, "channel_guidance": guidance},
        note=f"{DeclineReason(reason).label}。{note}".rstrip("。") + "。",
    )
    refresh_next_deadline(case)
    return case
