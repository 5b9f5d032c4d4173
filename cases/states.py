"""The small state machines of the records around a case.

The case itself has its transitions table in ``cases.workflow``; every other
record with a status has one here (and ``agreements.workflow`` has the
agreement's, the confirmation's and the obligation's). Each table maps an
action code to the states it may start from, the state it leads to and the
permission it needs. The services are the only code that changes a status, and
they do it through ``apply_step``; the templates ask ``allows`` (the ``allows``
filter of ``case_ui``) whether to show a button, so the table drives both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cases.models import Assignment, Case, Decision, Extension, Mediator, Session, Termination
from cases.workflow import TRANSITIONS, InvalidTransition, NotPermitted


@dataclass(frozen=True)
class Step:
    label: str
    sources: frozenset[str]
    target: str
    # The Django permission the actor needs ("app.codename"); None where the service
    # decides who may act from the record itself (the assigned mediator declares).
    permission: str | None = None


AS, SE, D, M = Assignment.Status, Session.Status, Decision, Mediator.Status

ASSIGNMENT_STEPS: dict[str, Step] = {
    # The mediator declares no ground for recusal (特邀调解规定第十五条).
    "declare_no_conflict": Step("声明不存在回避情形", frozenset({AS.PENDING}), AS.EFFECTIVE),
    "declare_conflict": Step("声明存在利害关系", frozenset({AS.PENDING}), AS.CONFLICT),
    # The parties agree in writing that the mediator need not withdraw.
    "waive_conflict": Step(
        "记录当事人书面同意", frozenset({AS.CONFLICT}), AS.EFFECTIVE, "cases.assign_mediator"
    ),
    # Replaced by another choice of mediators.
    "end": Step(
        "更换调解员", frozenset({AS.PENDING, AS.EFFECTIVE, AS.CONFLICT}), AS.ENDED,
        "cases.assign_mediator",
    ),
}  # fmt: skip

SESSION_STEPS: dict[str, Step] = {
    # Recording again (a corrected transcript) keeps it held.
    "record": Step(
        "记录调解会", frozenset({SE.SCHEDULED, SE.HELD}), SE.HELD, "cases.conduct_mediation"
    ),
    "cancel": Step(
        "取消调解会", frozenset({SE.SCHEDULED}), SE.CANCELLED, "cases.conduct_mediation"
    ),
}

# Extensions and terminations: proposed by the mediator, decided by the office head.
APPROVAL_STEPS: dict[str, Step] = {
    "approve": Step("批准", frozenset({D.PROPOSED}), D.APPROVED, "cases.approve_mediation"),
    "reject": Step("不批准", frozenset({D.PROPOSED}), D.REJECTED, "cases.approve_mediation"),
    # Mediation ended (agreement, termination, withdrawal) while it waited for a decision.
    "lapse": Step("不再审批", frozenset({D.PROPOSED}), D.REJECTED),
}

MEDIATOR_STEPS: dict[str, Step] = {
    "suspend": Step("暂停", frozenset({M.ACTIVE}), M.SUSPENDED, "cases.change_mediator"),
    "reinstate": Step("恢复在册", frozenset({M.SUSPENDED}), M.ACTIVE, "cases.change_mediator"),
    "remove": Step("除名", frozenset({M.ACTIVE, M.SUSPENDED}), M.REMOVED, "cases.change_mediator"),
}

TABLES: dict[type, dict[str, Step]] = {
    Assignment: ASSIGNMENT_STEPS,
    Session: SESSION_STEPS,
    Extension: APPROVAL_STEPS,
    Termination: APPROVAL_STEPS,
    Mediator: MEDIATOR_STEPS,
}


def table_for(obj: Any) -> dict[str, Step]:
    return TABLES[type(obj)]


def allows(obj: Any, action: str) -> bool:
    """The record's state lets this action start (what a button is shown for): a case's
    by its transitions table (cases.workflow), every other record's by its table here."""
    if isinstance(obj, Case):
        return obj.status in TRANSITIONS[action].sources
    return obj.status in table_for(obj)[action].sources


def available(obj: Any, actor: Any = None) -> list[tuple[str, Step]]:
    """The actions the record's state (and the actor's permissions) allow now."""
    return [
        (action, step)
        for action, step in table_for(obj).items()
        if obj.status in step.sources
        and (actor is None or step.permission is None or actor.has_perm(step.permission))
    ]


def ensure_step(table: dict[str, Step], obj: Any, action: str, actor: Any = None) -> Step:
    """Return the step, or raise if the actor may not take it or the state does not allow it."""
    step = table[action]
    if actor is not None and step.permission and not actor.has_perm(step.permission):
        raise NotPermitted(f"您没有权限{step.label}。")
    if obj.status not in step.sources:
        raise InvalidTransition(
            f"当前状态为“{obj.get_status_display()}”，不能{step.label}。页面可能已过期，请刷新后查看。"
        )
    return step


def apply_step(
    table: dict[str, Step],
    obj: Any,
    action: str,
    *,
    actor: Any = None,
    fields: Iterable[str] = (),
) -> Step:
    """Check the table and set the record's new status; saves ``status`` and ``fields``.

    The caller holds the record's row lock and writes the event.
    """
    step = ensure_step(table, obj, action, actor)
    obj.status = step.target
    obj.save(update_fields=["status", *fields])
    return step
