"""Who may see which cases. Every page, list, count and download loads cases through here."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import OFFICE_ROLES, Role, User
from cases.models import Case


def _scope(user: User) -> tuple[str, int] | None:
    """The one rule of who sees which cases, as (field of Case, value): an office role sees
    its office's cases, a court liaison its court's; anybody else sees no case content."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in OFFICE_ROLES and user.office_id:
        return ("office_id", user.office_id)
    if user.role == Role.COURT_LIAISON and user.court_id:
        return ("court_id", user.court_id)
    return None


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases a user may open (``_scope`` as a query)."""
    scope = _scope(user)
    if scope is None:
        return Case.objects.none()
    field, value = scope
    return Case.objects.filter(**{field: value})


def can_see_case(user: User, case: Case) -> bool:
    """``_scope`` for one case already loaded (no query); the same rule as the query."""
    scope = _scope(user)
    if scope is None:
        return False
    field, value = scope
    return getattr(case, field) == value


def can_view_full_id(user: User) -> bool:
    return user.has_perm("cases.view_full_id")


def can_edit_case(user: User) -> bool:
    return user.has_perm("cases.change_case")
