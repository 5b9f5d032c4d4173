"""The case workflow: one table of actions that both the services and the buttons read.

Each action names the states it may start from, the state it leads to and the
permission it needs. ``ensure_allowed`` is the only status check the services
make; ``available_actions`` decides which buttons a page shows. Both read the
same table, so the page cannot offer what the service would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts.models import User
from cases import extensions
from cases.deadline_engine import cn_date
from cases.models import Case, Status


class InvalidTransition(Exception):
    """The action is not allowed from the case's current state."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotPermitted(Exception):
    """The user may not take this action on this case."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[Status]
    target: Status
    permission: str
    # An extra check on the user and case that the table cannot express.
    guard: Callable[[User, Case], bool] | None = field(default=None, compare=False)
    # A condition on the case beyond its state; returns why not, or "" when met.
    precondition: Callable[[Case], str] | None = field(default=None, compare=False)
    # Buttons of dangerous actions are shown in red.
    danger: bool = False
    # Taken by a service as the consequence of another action, never by a button.
    internal: bool = False

    def refusal(self, case: Case) -> str:
        """Why this action cannot be taken on the case now ("" if it can)."""
        if case.status not in self.sources:
            return (
                f"案件当前状态为“{case.get_status_display()}”，不能{self.label}。"
                "页面可能已过期，请刷新后查看最新状态。"
            )
        # This transition's own condition, then those other apps declare
        # (cases.extensions: the agreements app's for "close", say).
        checks = [self.precondition] if self.precondition else []
        for check in [*checks, *extensions.preconditions(self.action)]:
            if reason := check(case):
                return reason
        return ""


def _supplement_not_yet_requested(case: Case) -> str:
    # The one-time notice (一次性告知) can be given once per case.
    if case.supplement_requested_on is None:
        return ""
    return (
        f"本案已于{cn_date(case.supplement_requested_on)}一次性告知补正，不能再次通知补正；"
        "材料仍不齐全的，可以不予受理。"
    )


def conducting_user_ids(case: Case) -> set[int]:
    """Users whose assignment to the case is in effect (cached on the case object)."""
    cached = getattr(case, "_conducting_user_ids", None)
    if cached is None:
        from cases.models import Assignment

        if "assignments" in getattr(case, "_prefetched_objects_cache", {}):
            # The case page loaded them with their mediators: no query of its own.
            cached = {
                a.mediator.user_id
                for a in case.assignments.all()
                if a.status == Assignment.Status.EFFECTIVE
            }
        else:
            cached = set(
                Assignment.objects.filter(
                    case_id=case.pk, status=Assignment.Status.EFFECTIVE
                ).values_list("mediator__user_id", flat=True)
            )
        case._conducting_user_ids = cached
    return cached


def conducting(user: User, case: Case) -> bool:
    """The office head, or a mediator whose assignment to this case is in effect."""
    if not _own_office(user, case):
        return False
    return user.has_perm("cases.approve_mediation") or user.pk in conducting_user_ids(case)


def _no_open_sessions(case: Case) -> str:
    from cases.models import Session

    if Session.objects.filter(case_id=case.pk, status=Session.Status.SCHEDULED).exists():
        return "尚有已安排但未记录的调解会，请先记录或取消后再结案。"
    return ""


def _referral(case: Case) -> str:
    return "" if case.is_referral else "只有法院委派的案件才能转立案。"


def _own_court(user: User, case: Case) -> bool:
    return user.court_id is not None and user.court_id == case.court_id


def _own_office(user: User, case: Case) -> bool:
    return user.office_id is not None and user.office_id == case.office_id


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "request_supplement",
            "通知补正",
            frozenset({Status.REGISTERED}),
            Status.AWAITING_SUPPLEMENT,
            "cases.request_supplement",
            _own_office,
            precondition=_supplement_not_yet_requested,
        ),
        Transition(
            "supplement_received",
            "补正材料已收到",
            frozenset({Status.AWAITING_SUPPLEMENT}),
            Status.REGISTERED,
            "cases.request_supplement",
            _own_office,
        ),
        Transition(
            "accept",
            "受理",
            frozenset({Status.REGISTERED}),
            Status.ACCEPTED,
            "cases.accept_case",
            _own_office,
        ),
        Transition(
            "decline",
            "不予受理",
            frozenset({Status.REGISTERED, Status.AWAITING_SUPPLEMENT}),
            Status.DECLINED,
            "cases.accept_case",
            _own_office,
            danger=True,
        ),
        Transition(
            "approve_referral",
            "确认委派",
            frozenset({Status.REFERRAL_UNCONFIRMED}),
            Status.REFERRAL_PENDING,
            "cases.approve_referral",
            _own_court,
        ),
        Transition(
            "reject_referral",
            "不予确认",
            frozenset({Status.REFERRAL_UNCONFIRMED}),
            Status.REFERRAL_REJECTED,
            "cases.approve_referral",
            _own_court,
            danger=True,
        ),
        Transition(
            "sign_for",
            "签收委派",
            frozenset({Status.REFERRAL_PENDING}),
            Status.ACCEPTED,
            "cases.sign_for_referral",
            _own_office,
        ),
        Transition(
            "return_referral",
            "退回委派",
            frozenset({Status.REFERRAL_PENDING}),
            Status.REFERRAL_RETURNED,
            "cases.return_referral",
            _own_office,
            danger=True,
        ),
        Transition(
            "assignment_effective",
            "指派生效",
            frozenset({Status.ACCEPTED}),
            Status.ASSIGNED,
            "cases.assign_mediator",
            internal=True,
        ),
        Transition(
            "begin_mediation",
            "开始调解",
            frozenset({Status.ASSIGNED}),
            Status.IN_MEDIATION,
            "cases.conduct_mediation",
            conducting,
        ),
        Transition(
            "suspend",
            "中止调解",
            frozenset({Status.IN_MEDIATION}),
            Status.SUSPENDED,
            "cases.conduct_mediation",
            conducting,
        ),
        Transition(
            "resume",
            "恢复调解",
            frozenset({Status.SUSPENDED}),
            Status.IN_MEDIATION,
            "cases.conduct_mediation",
            conducting,
        ),
        Transition(
            "reach_agreement",
            "达成调解协议",
            frozenset({Status.IN_MEDIATION}),
            Status.AGREED,
            "cases.conduct_mediation",
            conducting,
        ),
        Transition(
            "remediate",
            "重新调解",
            frozenset({Status.AGREED}),
            Status.IN_MEDIATION,
            "cases.approve_mediation",
            _own_office,
        ),
        Transition(
            "terminate",
            "终止调解",
            frozenset(
                {
                    Status.ACCEPTED,
                    Status.ASSIGNED,
                    Status.IN_MEDIATION,
                    Status.SUSPENDED,
                    Status.AGREED,
                }
            ),
            Status.TERMINATED,
            "cases.approve_mediation",
            _own_office,
            danger=True,
        ),
        Transition(
            "withdraw",
            "申请人撤回",
            frozenset(
                {
                    Status.REGISTERED,
                    Status.AWAITING_SUPPLEMENT,
                    Status.ACCEPTED,
                    Status.ASSIGNED,
                    Status.IN_MEDIATION,
                    Status.SUSPENDED,
                }
            ),
            Status.WITHDRAWN,
            "cases.record_withdrawal",
            _own_office,
            danger=True,
        ),
        Transition(
            "transfer_to_filing",
            "登记转立案",
            frozenset({Status.TERMINATED, Status.WITHDRAWN}),
            Status.TRANSFERRED_TO_FILING,
            "cases.transfer_to_filing",
            _own_court,
            precondition=_referral,
        ),
        Transition(
            "close",
            "结案",
            frozenset(
                {
                    Status.DECLINED,
                    Status.REFERRAL_RETURNED,
                    Status.REFERRAL_REJECTED,
                    Status.TERMINATED,
                    Status.WITHDRAWN,
                    Status.TRANSFERRED_TO_FILING,
                    Status.AGREED,
                }
            ),
            Status.CLOSED,
            "cases.close_case",
            _own_office,
            precondition=_no_open_sessions,
        ),
        Transition(
            "archive",
            "归档",
            frozenset({Status.CLOSED}),
            Status.ARCHIVED,
            "cases.archive_case",
            _own_office,
        ),
    )
}


@dataclass(frozen=True)
class Operation:
    """Work on a case that does not change its state but is allowed only in some states."""

    action: str
    label: str
    states: frozenset[Status]
    permission: str
    guard: Callable[[User, Case], bool] | None = field(default=None, compare=False)


MEDIATING = frozenset({Status.ASSIGNED, Status.IN_MEDIATION, Status.SUSPENDED})

OPERATIONS: dict[str, Operation] = {
    op.action: op
    for op in (
        Operation(
            "assign",
            "指派调解员",
            frozenset({Status.ACCEPTED}) | MEDIATING,
            "cases.assign_mediator",
            _own_office,
        ),
        Operation(
            "schedule_session",
            "安排调解会",
            frozenset({Status.ASSIGNED, Status.IN_MEDIATION}),
            "cases.conduct_mediation",
            conducting,
        ),
        Operation(
            "propose_extension",
            "延长调解期限",
            frozenset({Status.IN_MEDIATION, Status.SUSPENDED}),
            "cases.conduct_mediation",
            conducting,
        ),
        Operation(
            "propose_termination",
            "提出终止调解",
            MEDIATING | {Status.AGREED},
            "cases.conduct_mediation",
            # The head terminates directly ("终止调解"); mediators propose.
            lambda user, case: (
                conducting(user, case) and not user.has_perm("cases.approve_mediation")
            ),
        ),
        Operation(
            "undisputed_facts",
            "记录无争议事实",
            frozenset({Status.IN_MEDIATION, Status.SUSPENDED, Status.TERMINATED}),
            "cases.conduct_mediation",
            conducting,
        ),
    )
}


def operation_allowed(user: User, case: Case, action: str) -> bool:
    op = OPERATIONS[action]
    return (
        case.status in op.states
        and user.has_perm(op.permission)
        and (op.guard is None or op.guard(user, case))
    )


def ensure_operation(user: User, case: Case, action: str) -> Operation:
    """Raise unless the user may do this work on the case in its current state."""
    op = OPERATIONS[action]
    if not user.has_perm(op.permission) or (op.guard is not None and not op.guard(user, case)):
        raise NotPermitted(f"您没有权限{op.label}。")
    if case.status not in op.states:
        raise InvalidTransition(
            f"案件当前状态为“{case.get_status_display()}”，不能{op.label}。"
            "页面可能已过期，请刷新后查看最新状态。"
        )
    return op


def available_operations(user: User, case: Case) -> list[Operation]:
    return [op for op in OPERATIONS.values() if operation_allowed(user, case, op.action)]


def ensure_allowed(case: Case, action: str) -> Transition:
    """Return the transition, or raise if the case's state does not allow it."""
    transition = TRANSITIONS[action]
    if refusal := transition.refusal(case):
        raise InvalidTransition(refusal)
    return transition


def ensure_permitted(user: User, case: Case, action: str) -> Transition:
    """Raise unless the user holds the action's permission for this case."""
    transition = TRANSITIONS[action]
    if not user.has_perm(transition.permission) or (
        transition.guard is not None and not transition.guard(user, case)
    ):
        raise NotPermitted(f"您没有权限{transition.label}。")
    return transition


def available_actions(user: User, case: Case) -> list[Transition]:
    """The actions this user may take on this case now, in table order."""
    return actions_for(user, case)[0]


def actions_for(user: User, case: Case) -> tuple[list[Transition], list[tuple[Transition, str]]]:
    """The user's actions on the case now, and those of this state a condition holds back
    (with the reason, so the page can say why a button is missing)."""
    available, blocked = [], []
    for t in TRANSITIONS.values():
        if t.internal or case.status not in t.sources or not user.has_perm(t.permission):
            continue
        if t.guard is not None and not t.guard(user, case):
            continue
        if reason := t.refusal(case):
            blocked.append((t, reason))
        else:
            available.append(t)
    return available, blocked


def transition_pairs() -> set[tuple[Status, Status]]:
    """Every (from, to) pair the table allows: the state diagram."""
    return {(source, t.target) for t in TRANSITIONS.values() for source in t.sources}
