"""What the mediation services share: starting an operation, the office's heads."""

from __future__ import annotations

from accounts.models import Role, User
from cases.models import (
    Case,
)
from cases.services.common import (
    lock_case,
)
from cases.services.notify import office_users
from cases.workflow import (
    ensure_operation,
)


def start_operation(*, case: Case, actor: User, action: str) -> Case:
    locked = lock_case(case)
    ensure_operation(actor, locked, action)
    return locked


def office_heads(case: Case) -> list[User]:
    return office_users(case.office, Role.HEAD)
