"""The state machines of the registers: lawsuit, performance, suggestion reply,
supervision item and spreadsheet import.

Each table maps an action code to the states it may start from, the state it leads to
and the permission it needs (``cases.states.Step``). The services are the only code that
changes a status, through ``apply_step``; pages ask ``allows`` (the ``allows`` filter of
``liaison_ui``) whether to show a button, so the table drives both. Overdue replies and
supervision items are shown from their due dates, never stored.
"""

from __future__ import annotations

from typing import Any

from cases.states import Step, apply_step, ensure_step
from liaison.models import (
    FollowUpTask,
    ImportBatch,
    Lawsuit,
    Performance,
    Recipient,
    SupervisionItem,
)

__all__ = [
    "IMPORT_STEPS",
    "LAWSUIT_STEPS",
    "PERFORMANCE_STEPS",
    "RECIPIENT_STEPS",
    "SUPERVISION_STEPS",
    "TASK_STEPS",
    "allows",
    "apply_step",
    "ensure_step",
]

L, P, R, S, IM = (
    Lawsuit.Status,
    Performance.Status,
    Recipient.Status,
    SupervisionItem.Status,
    ImportBatch.Status,
)
COURT_FACTS = "liaison.record_court_facts"
AGENCY_FACTS = "liaison.record_agency_facts"

LAWSUIT_STEPS: dict[str, Step] = {
    # The court decided: judgment, ruling or mediation document.
    "record_outcome": Step("登记裁判结果", frozenset({L.PENDING}), L.DECIDED, COURT_FACTS),
    # The outcome was recorded for the wrong case or too early.
    "withdraw_outcome": Step("撤销裁判登记", frozenset({L.DECIDED}), L.PENDING, COURT_FACTS),
    # A party appealed; the second instance is a lawsuit of its own.
    "appeal": Step("登记上诉", frozenset({L.DECIDED}), L.APPEALED, COURT_FACTS),
    # No appeal in time, an appeal withdrawn or dismissed, or a final instance.
    "take_effect": Step(
        "登记裁判生效", frozenset({L.DECIDED, L.APPEALED}), L.EFFECTIVE, COURT_FACTS
    ),
}

PERFORMANCE_STEPS: dict[str, Step] = {
    "perform": Step(
        "登记履行完毕", frozenset({P.IN_PROGRESS, P.OVERDUE, P.ENFORCEMENT}), P.PERFORMED,
        AGENCY_FACTS,
    ),
    # The daily run, when the due date has passed.
    "become_overdue": Step("逾期未履行", frozenset({P.IN_PROGRESS}), P.OVERDUE),
    "apply_enforcement": Step(
        "登记申请强制执行", frozenset({P.IN_PROGRESS, P.OVERDUE}), P.ENFORCEMENT, COURT_FACTS
    ),
}  # fmt: skip

RECIPIENT_STEPS: dict[str, Step] = {
    # Replying again (a corrected reply) keeps it replied until the bureau checks it.
    "reply": Step(
        "登记答复", frozenset({R.AWAITING, R.REPLIED}), R.REPLIED, "liaison.reply_suggestion"
    ),
    "check": Step("核查落实情况", frozenset({R.REPLIED}), R.CHECKED, "liaison.check_suggestion"),
}

SUPERVISION_STEPS: dict[str, Step] = {
    "respond": Step(
        "反馈整改情况", frozenset({S.OPEN, S.ESCALATED}), S.RESPONDED,
        "liaison.respond_supervision",
    ),
    "return": Step("退回补充反馈", frozenset({S.RESPONDED}), S.OPEN, "liaison.open_supervision"),
    "escalate": Step(
        "提级督办", frozenset({S.OPEN, S.RESPONDED}), S.ESCALATED, "liaison.open_supervision"
    ),
    "close": Step(
        "办结", frozenset({S.OPEN, S.RESPONDED, S.ESCALATED}), S.CLOSED,
        "liaison.open_supervision",
    ),
}  # fmt: skip

IMPORT_STEPS: dict[str, Step] = {
    "apply": Step("确认导入", frozenset({IM.PREVIEWED}), IM.APPLIED, "liaison.import_lawsuits"),
    "discard": Step("放弃导入", frozenset({IM.PREVIEWED}), IM.DISCARDED, "liaison.import_lawsuits"),
}

TASK_STEPS: dict[str, Step] = {
    "complete": Step(
        # The bureau, or the owning agency's contact (task_completion_refusal decides).
        "登记办结", frozenset({FollowUpTask.Status.OPEN}), FollowUpTask.Status.DONE,
        "liaison.view_jointmeeting",
    ),
    "reopen": Step(
        "重新落实", frozenset({FollowUpTask.Status.DONE}), FollowUpTask.Status.OPEN,
        "liaison.manage_meetings",
    ),
}  # fmt: skip

TABLES: dict[type, dict[str, Step]] = {
    Lawsuit: LAWSUIT_STEPS,
    Performance: PERFORMANCE_STEPS,
    Recipient: RECIPIENT_STEPS,
    SupervisionItem: SUPERVISION_STEPS,
    ImportBatch: IMPORT_STEPS,
    FollowUpTask: TASK_STEPS,
}


def allows(obj: Any, action: str) -> bool:
    """The record's state lets this action start (what a button is shown for)."""
    return obj.status in TABLES[type(obj)][action].sources
