"""Reads for the agreement pages; everything starts from the user's case scope."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User
from agreements.models import Agreement, ChecklistAnswer, Confirmation, Obligation, Signature
from agreements.services.agreement import missing_signatures, required_signers, signing_blockers
from agreements.services.confirmation import application_window, objection_window
from agreements.services.performance import performance_state
from cases.deadlines import case_work_calendar
from cases.models import Case, Party, Status
from cases.permissions import cases_visible_to
from cases.selectors import number_columns
from cases.workflow import conducting


def agreement_queryset() -> QuerySet[Agreement]:
    return Agreement.objects.select_related(
        "case", "case__office", "case__court", "mediator_signed_by", "created_by"
    ).prefetch_related(
        Prefetch("obligations", queryset=Obligation.objects.select_related("obligor", "proof")),
        Prefetch("signatures", queryset=Signature.objects.select_related("party", "agent")),
        Prefetch("checklist", queryset=ChecklistAnswer.objects.select_related("answered_by")),
        Prefetch(
            "confirmations",
            queryset=Confirmation.objects.select_related("court", "decided_by").prefetch_related(
                "applicants"
            ),
        ),
    )


def agreements_visible_to(user: User) -> QuerySet[Agreement]:
    """The office sees its cases' agreements; a court liaison sees those applied to their court."""
    if user.role == Role.COURT_LIAISON and user.court_id:
        return Agreement.objects.filter(
            Q(case__in=cases_visible_to(user)) | Q(confirmations__court_id=user.court_id)
        ).distinct()
    return Agreement.objects.filter(case__in=cases_visible_to(user))


def agreement_for_page(user: User, case_pk: int, pk: int) -> Agreement:
    ids = agreements_visible_to(user).filter(case_id=case_pk, pk=pk).values("pk")
    return get_object_or_404(agreement_queryset().filter(pk__in=ids))


def agreement_for_update(user: User, case_pk: int, pk: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.select_related("case", "case__office").filter(
            case__in=cases_visible_to(user), case_id=case_pk
        ),
        pk=pk,
    )


def signature_rows(agreement: Agreement) -> list[tuple[Party, Signature | None]]:
    signed = {s.party_id: s for s in agreement.signatures.all()}
    return [(p, signed.get(p.pk)) for p in required_signers(agreement.case)]


def agreement_page_context(user: User, agreement: Agreement) -> dict:
    case = agreement.case
    today = timezone.localdate()
    office_user = user.office_id == case.office_id
    is_draft = agreement.status == Agreement.Status.DRAFT
    drafting = (
        office_user and user.has_perm("agreements.draft_agreement") and conducting(user, case)
    )
    recording = (
        office_user
        and user.has_perm("agreements.record_signature")
        and (user.role != Role.MEDIATOR or conducting(user, case))
    )
    any_signed = bool(agreement.signatures.all()) or bool(
        agreement.mediator_signed_on or agreement.office_sealed_on
    )
    missing = missing_signatures(agreement) if is_draft else []
    confirmations = sorted(agreement.confirmations.all(), key=lambda c: (c.applied_on, c.pk))
    # One holiday calendar for the application window and every objection window.
    calendar = (
        case_work_calendar(case)
        if agreement.effective_on is not None or any(c.served_on for c in confirmations)
        else None
    )
    window = application_window(agreement, calendar)
    active = next((c for c in confirmations if c.status != Confirmation.Status.FAILED), None)
    return {
        "agreement": agreement,
        "case": case,
        "today": today,
        # The case page prefetched them; the agreement page reads them here.
        "versions": sorted(case.agreements.all(), key=lambda a: -a.version),
        "blockers": signing_blockers(agreement) if is_draft else [],
        "missing": missing if is_draft else [],
        # The seal comes last, after every party and the mediator signed.
        "ready_to_seal": is_draft and missing == ["工作室印章"],
        "signature_rows": signature_rows(agreement),
        "checklist": {a.item: a for a in agreement.checklist.all()},
        "can_edit": drafting and is_draft and not any_signed and case.status == Status.AGREED,
        "can_check": drafting and is_draft,
        "can_sign": recording and is_draft,
        "can_revise": drafting
        and case.status == Status.AGREED
        and agreement.status in (Agreement.Status.DRAFT, Agreement.Status.EFFECTIVE)
        and (any_signed or agreement.status == Agreement.Status.EFFECTIVE)
        and active is None,
        "can_file": recording
        and case.is_referral
        and agreement.status == Agreement.Status.EFFECTIVE
        and not agreement.court_filed_on,
        "can_apply": office_user
        and user.has_perm("agreements.apply_confirmation")
        and agreement.status == Agreement.Status.EFFECTIVE
        and case.status == Status.AGREED
        and active is None,
        "can_perform": office_user
        and user.has_perm("agreements.record_performance")
        and agreement.status == Agreement.Status.EFFECTIVE,
        "can_handle": office_user
        and user.has_perm("agreements.handle_nonperformance")
        and agreement.status == Agreement.Status.EFFECTIVE
        and any(o.status == Obligation.Status.OVERDUE for o in agreement.obligations.all()),
        # The application window matters while nobody applied and the case is open.
        "window": window if case.status == Status.AGREED and active is None else None,
        "window_state": None if window is None else ("overdue" if window.due < today else "ok"),
        "confirmations": [(c, objection_window(c, calendar)) for c in confirmations],
        "performance": performance_state(agreement, today),
        "office_user": office_user,
    }


def agreement_panel_context(user: User, case: Case) -> dict | None:
    """What the case page shows of the agreement stage, or None before it."""
    # The case page prefetched them (see hooks.register) with everything shown here.
    agreements = sorted(case.agreements.all(), key=lambda a: -a.version)
    if not agreements and case.status != Status.AGREED:
        return None
    current = next((a for a in agreements if a.is_current), None)
    context = {
        "case": case,
        "agreements": agreements,
        "current": current,
        "can_draft": case.status == Status.AGREED
        and current is None
        and user.has_perm("agreements.draft_agreement")
        and conducting(user, case),
    }
    if current is not None:
        context.update(agreement_page_context(user, current))
        context["agreement"] = current
    return context


# --- Queues and lists ------------------------------------------------------------------


def _court_confirmations(user: User) -> QuerySet[Confirmation]:
    """The applications to the user's court; none for someone who belongs to no court."""
    if user.court_id is None:
        return Confirmation.objects.none()
    return Confirmation.objects.filter(court_id=user.court_id)


# A row of the court's confirmation queue (agreements/confirmations.html): not the
# agreement's text, nor the case's hundred columns.
CONFIRMATION_ROW_COLUMNS = (
    "applied_on",
    "late",
    "status",
    "outcome",
    "court_case_no",
    "agreement__case_id",
    "agreement__version",
    "agreement__case__office__short_name",
    *number_columns("agreement__case__"),
)


def confirmation_queue(user: User, *, pending_only: bool) -> QuerySet[Confirmation]:
    confirmations = (
        _court_confirmations(user)
        .select_related("agreement__case__office", "agreement__case__referral")
        .only(*CONFIRMATION_ROW_COLUMNS)
        # Into a list (to_attr): Django otherwise builds a filtered queryset per row to hold
        # what it read.
        .prefetch_related(
            Prefetch("applicants", queryset=Party.objects.only("name"), to_attr="applicant_list")
        )
    )
    if pending_only:
        confirmations = confirmations.filter(status=Confirmation.Status.APPLIED)
    return confirmations.order_by("status", "applied_on", "id")


def confirmation_for_court(user: User, pk: int) -> Confirmation:
    return get_object_or_404(
        _court_confirmations(user).select_related("agreement", "agreement__case", "court"),
        pk=pk,
    )


PERFORMANCE_COLUMNS = (
    "agreement_id",
    "obligor_id",
    "number",
    "description",
    "amount",
    "due_date",
    "status",
)


def performance_list(
    user: User, *, today: date, horizon_days: int | None = 7
) -> QuerySet[Obligation]:
    """Obligations of the office's effective agreements due within the horizon (all of them
    when ``horizon_days`` is None) or overdue, earliest first: the obligations alone, to
    count and to page through (performance_rows loads a page)."""
    # Followed while the case is at the agreement stage; a closed case's non-performance
    # was handled before closing. Nested subqueries, not joins through the scope: the
    # office's cases at that stage (cases' case_office_status_idx), their effective
    # agreements (agreement_version_unique starts with the case), their obligations
    # (obligation_number_unique starts with the agreement).
    agreed = cases_visible_to(user).filter(status=Status.AGREED)
    effective = Agreement.objects.filter(case__in=agreed, status=Agreement.Status.EFFECTIVE)
    return (
        Obligation.objects.filter(
            agreement__in=effective,
            status__in=[Obligation.Status.DUE, Obligation.Status.OVERDUE],
        )
        .filter(**({"due_date__lte": today + timedelta(days=horizon_days)} if horizon_days else {}))
        .order_by("due_date", "id")
    )


def performance_rows(ids: list[int]) -> list[Obligation]:
    """The performance list's rows of these obligations (a page of performance_list)."""
    return list(
        Obligation.objects.filter(pk__in=ids)
        .select_related("obligor", "agreement", "agreement__case", "agreement__case__referral")
        # The columns agreements/_performance_rows.html shows (the case's number and, for a
        # referral not yet numbered, its letter number), not whole agreements, cases and
        # referrals.
        .only(
            *PERFORMANCE_COLUMNS,
            "obligor__name",
            "agreement__case_id",
            *number_columns("agreement__case__"),
        )
        .order_by("due_date", "id")
    )


def obligation_in_scope(user: User, case_pk: int, pk: int) -> Obligation:
    return get_object_or_404(
        Obligation.objects.select_related("agreement", "agreement__case", "obligor").filter(
            agreement__case__in=cases_visible_to(user), agreement__case_id=case_pk
        ),
        pk=pk,
    )
