"""Rules of the case record that several services check (DOMAIN.md §2.3, §2.5)."""

from __future__ import annotations

from cases.models import Art60Basis, Case
from cases.services.common import ServiceError


def check_scope_answers(case: Case) -> None:
    """The Art. 60 basis and the reconsideration-first notice are recorded, not guessed."""
    if not case.category.art60_mediable and not case.art60_basis:
        raise ServiceError(
            f"“{case.category.label}”一般不属于《行政诉讼法》第六十条规定的可调解范围，"
            "请选择工作室据以调解的依据。",
            field="art60_basis",
        )
    if case.art60_basis == Art60Basis.COORDINATION and not case.art60_note.strip():
        raise ServiceError("选择“协调撤改”的，请说明协调的具体内容。", field="art60_note")
    if case.category.reconsideration_first and not case.reconsideration_first_notified:
        raise ServiceError(
            f"“{case.category.label}”属于《行政复议法》第二十三条规定的复议前置事项，"
            "请先告知申请人应当先申请行政复议，并勾选“已告知复议前置”。",
            field="reconsideration_first_notified",
        )
