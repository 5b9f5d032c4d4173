"""The three small state machines of this app: agreement, confirmation, obligation.

Each table maps an action to the states it may start from and the state it
leads to. The services check every status change against these tables.
"""

from __future__ import annotations

from agreements.models import Agreement, Confirmation, Obligation
from cases.states import Step, apply_step, ensure_step

__all__ = ["AGREEMENT_STEPS", "CONFIRMATION_STEPS", "OBLIGATION_STEPS", "apply_step", "ensure_step"]

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
