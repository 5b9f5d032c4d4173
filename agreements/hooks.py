"""How this app plugs into cases: the workflow's conditions and hooks, the deadlines of the
agreement stage, their reminders and the case page's panel, all declared at the end as
this app's one ``CaseExtension`` (see ``cases.extensions``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.http import HttpRequest
from django.template.loader import render_to_string

from accounts.models import Role
from agreements.models import Agreement, Confirmation, Obligation
from cases import extensions
from cases.deadline_engine import WorkCalendar
from cases.deadlines import CONFIRMATION_APPLY, CONFIRMATION_OBJECTION, CaseDeadline
from cases.extensions import CaseExtension
from cases.models import Case, Status
from cases.reminders import Kind

# The codes of this app's deadlines (CaseDeadline.code).
CONFIRMATION_APPLY_CODE = "confirmation_apply"
CONFIRMATION_OBJECTION_CODE = "confirmation_objection"
OBLIGATION_CODE = "obligation"

OBLIGATION_NEAR_DAYS = 3
CONFIRMATION_NEAR_DAYS = 7
LAPSED_WINDOW_NOTICE_DAYS = 1


def current_agreement(case: Case) -> Agreement | None:
    """The version being drafted or in force (uses a prefetch when there is one)."""
    return next(
        (
            a
            for a in case.agreements.all()
            if a.status in (Agreement.Status.DRAFT, Agreement.Status.EFFECTIVE)
        ),
        None,
    )


def _active_confirmation(agreement: Agreement) -> Confirmation | None:
    return next(
        (c for c in agreement.confirmations.all() if c.status != Confirmation.Status.FAILED),
        None,
    )


def _latest_confirmation(agreement: Agreement) -> Confirmation | None:
    confirmations = sorted(agreement.confirmations.all(), key=lambda c: (c.applied_on, c.pk))
    return confirmations[-1] if confirmations else None


# --- Workflow conditions ---------------------------------------------------------------


def may_leave_agreement_stage(case: Case) -> str:
    """Back to mediation or ending it: only before the agreement took effect, or after the
    court refused to confirm it (民事诉讼法第二百零六条)."""
    if case.status != Status.AGREED:
        return ""
    agreement = current_agreement(case)
    if agreement is None or agreement.status == Agreement.Status.DRAFT:
        return ""
    latest = _latest_confirmation(agreement)
    if latest is not None and latest.status == Confirmation.Status.FAILED:
        return ""
    return "调解协议已经生效；只有司法确认未获支持的，才能重新调解或终止调解。"


def may_close(case: Case) -> str:
    """A case with an agreement closes once it is performed or its non-performance handled."""
    if case.status != Status.AGREED:
        return ""
    agreement = current_agreement(case)
    if agreement is None or agreement.status != Agreement.Status.EFFECTIVE:
        return "调解协议尚未生效，不能结案。"
    if any(c.status == Confirmation.Status.APPLIED for c in agreement.confirmations.all()):
        return "司法确认申请尚待法院作出结果，不能结案。"
    obligations = list(agreement.obligations.all())
    if all(o.status == Obligation.Status.PERFORMED for o in obligations):
        return ""
    if agreement.nonperformance_handled_on and not any(
        o.status == Obligation.Status.DUE for o in obligations
    ):
        return ""
    return "协议义务尚未全部履行；逾期未履行的，工作室负责人记录处理情况后可以结案。"


def set_aside_drafts(case: Case, actor) -> None:
    from agreements.services.agreement import abandon_unsigned_drafts

    abandon_unsigned_drafts(case, actor)


# --- Deadlines -------------------------------------------------------------------------


def _obligations_with_obligors(agreement: Agreement) -> list[Obligation]:
    """The prefetched obligations when the page loaded them, else one query with obligors."""
    if "obligations" in getattr(agreement, "_prefetched_objects_cache", {}):
        return list(agreement.obligations.all())
    return list(agreement.obligations.select_related("obligor"))


def agreement_deadlines(case: Case, calendar: WorkCalendar, today: date) -> list[CaseDeadline]:
    if case.status != Status.AGREED:
        return []
    agreement = current_agreement(case)
    if agreement is None or agreement.status != Agreement.Status.EFFECTIVE:
        return []
    items = []
    confirmation = _active_confirmation(agreement)
    if agreement.confirmation_intended and confirmation is None:
        window = CONFIRMATION_APPLY.compute(agreement.effective_on, calendar)
        items.append(
            CaseDeadline.of(
                "申请司法确认期限",
                window,
                CONFIRMATION_NEAR_DAYS,
                # The day after it passed the office is told it lapsed; after that it
                # is a fact to know and the obligations' deadlines come first.
                informational=(today - window.due).days > LAPSED_WINDOW_NOTICE_DAYS,
                code=CONFIRMATION_APPLY_CODE,
            )
        )
    if confirmation is not None and confirmation.served_on:
        items.append(
            CaseDeadline.of(
                "当事人对确认裁定提出异议期限",
                CONFIRMATION_OBJECTION.compute(confirmation.served_on, calendar),
                0,
                informational=True,
                code=CONFIRMATION_OBJECTION_CODE,
            )
        )
    for o in _obligations_with_obligors(agreement):
        if o.status != Obligation.Status.PERFORMED:
            items.append(
                CaseDeadline(
                    f"履行期限：第{o.number}项（{o.obligor.name}）",
                    o.due_date,
                    f"调解协议第{agreement.version}版约定，{o.obligor.name}应于"
                    f"{o.due_date.year}年{o.due_date.month}月{o.due_date.day}日前{o.description}。",
                    OBLIGATION_NEAR_DAYS,
                    code=OBLIGATION_CODE,
                )
            )
    return items


# --- The case page -----------------------------------------------------------------------


def case_panel(request: HttpRequest, case: Case) -> str:
    from agreements.selectors import agreement_panel_context

    context = agreement_panel_context(request.user, case)
    if context is None:
        return ""
    return render_to_string("agreements/_panel.html", context, request=request)


OBLIGATION_REMINDER = Kind("obligation", (1, 0), False, (Role.HEAD, Role.CLERK))
CONFIRMATION_REMINDER = Kind("confirmation", (7, 3, 1, 0), True, (Role.CLERK,))


def _agreements_prefetch() -> Prefetch:
    # The case page loads the agreements once, with everything the panel shows; the
    # conditions and deadlines above then read the same objects.
    from agreements.selectors import agreement_queryset

    # Without the case joined again: each agreement's case is then the page's own, with
    # its parties and agreements prefetched (the panel's signers and versions read them).
    queryset = (
        agreement_queryset().select_related(None).select_related("mediator_signed_by", "created_by")
    )
    return Prefetch("agreements", queryset=queryset.order_by("-version"))


CASE_EXTENSION = CaseExtension(
    app="agreements",
    preconditions={
        "remediate": (may_leave_agreement_stage,),
        "terminate": (may_leave_agreement_stage,),
        "close": (may_close,),
    },
    transition_hooks={"remediate": (set_aside_drafts,), "terminate": (set_aside_drafts,)},
    deadline_providers=(agreement_deadlines,),
    reminder_kinds={
        OBLIGATION_CODE: OBLIGATION_REMINDER,
        CONFIRMATION_APPLY_CODE: CONFIRMATION_REMINDER,
    },
    case_page_prefetches=(_agreements_prefetch,),
    panels={"main": (case_panel,)},
)


def register() -> None:
    extensions.register(CASE_EXTENSION)
