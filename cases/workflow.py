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

    def refusal(self, case: Case) -> str:
        """Why this action cannot be taken on the case now ("" if it can)."""
        if case.status not in self.sources:
            return (
                f"案件当前状态为“{case.get_status_display()}”，不能{self.label}。"
                "页面可能已过期，请刷新后查看最新状态。"
            )
        return self.precondition(case) if self.precondition else ""


def _supplement_not_yet_requested(case: Case) -> str:
    # The one-time notice (一次性告知) can be given once per case.
    if case.supplement_requested_on is None:
        return ""
    return (
        f"本案已于{cn_date(case.supplement_requested_on)}一次性告知补正，不能再次通知补正；"
        "材料仍不齐全的，可以不予受理。"
    )


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
    )
}


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
    return [
        t
        for t in TRANSITIONS.values()
        if not t.refusal(case)
        and user.has_perm(t.permission)
        and (t.guard is None or t.guard(user, case))
    ]


def transition_pairs() -> set[tuple[Status, Status]]:
    """Every (from, to) pair the table allows: the state diagram."""
    return {(source, t.target) for t in TRANSITIONS.values() for source in t.sources}
