"""The three small state machines of this app: agreement, confirmation, obligation.

Each table maps an action to the states it may start from and the state it
leads to. The services check every status change against these tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from agreements.models import Agreement, Confirmation, Obligation
from cases.workflow import InvalidTransition


@dataclass(frozen=True)
class Step:
    label: str
    sources: frozenset[str]
    target: str


A, C, OB = Agreement.Status, Confirmation.Status, Obligation.Status

AGREEMENT_STEPS: dict[str, Step] = {
    # The last required signature or seal makes it effective.
    "take_effect": Step("协议生效", frozenset({A.DRAFT}), A.EFFECTIVE),
    # A new version replaces a signed draft or an agreement whose confirmation failed.
    "supersede": Step("修订为新版本", frozenset({A.DRAFT, A.EFFECTIVE}), A.SUPERSEDED),
    # Mediation resumed or ended before every party signed.
    "abandon": Step("作废", frozenset({A.DRAFT}), A.ABANDONED),
}

CONFIRMATION_STEPS: dict[str, Step] = {
    "confirm": Step("确认有效", frozenset({C.APPLIED}), C.CONFIRMED),
    "fail": Step("未获确认", frozenset({C.APPLIED}), C.FAILED),
}

OBLIGATION_STEPS: dict[str, Step] = {
    "perform": Step("记录履行", frozenset({OB.DUE, OB.OVERDUE}), OB.PERFORMED),
    "become_overdue": Step("逾期", frozenset({OB.DUE}), OB.OVERDUE),
}


def ensure_step(table: dict[str, Step], obj, action: str) -> Step:
    """Return the step, or raise if the object's state does not allow it."""
    step = table[action]
    if obj.status not in step.sources:
        raise InvalidTransition(
            f"当前状态为“{obj.get_status_display()}”，不能{step.label}。页面可能已过期，请刷新后查看。"
        )
    return step
