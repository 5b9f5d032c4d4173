"""Rules of the case record that several services check (DOMAIN.md §2.3, §2.5)."""

from __future__ import annotations

from cases.models import Art60Basis, Case, DisputeCategory
from cases.services.common import ServiceError


def scope_answer_problem(
    category: DisputeCategory, art60_basis: str, art60_note: str, notified: bool
) -> tuple[str, str] | None:
    """(message, field) of the first Art. 60 or reconsideration-first answer missing."""
    if not category.art60_mediable and not art60_basis:
        return (
            f"“{category.label}”一般不属于《行政诉讼法》第六十条规定的可调解范围，"
            "请选择工作室据以调解的依据。",
            "art60_basis",
        )
    if art60_basis == Art60Basis.COORDINATION and not art60_note.strip():
        return ("选择“协调撤改”的，请说明协调的具体内容。", "art60_note")
    if category.reconsideration_first and not notified:
        return (
            f"“{category.label}”属于《行政复议法》第二十三条规定的复议前置事项，"
            "请先告知申请人应当先申请行政复议，并勾选“已告知复议前置”。",
            "reconsideration_first_notified",
        )
    return None


def check_scope_answers(case: Case) -> None:
    """The Art. 60 basis and the reconsideration-first notice are recorded, not guessed."""
    problem = scope_answer_problem(
        case.category, case.art60_basis, case.art60_note, case.reconsideration_first_notified
    )
    if problem is not None:
        message, field = problem
        raise ServiceError(message, field=field)
