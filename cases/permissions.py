"""Who may see which cases. Every page, list, count and download loads cases through here."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import OFFICE_ROLES, Role, User
from cases.models import Case
from cases.models.case import EDITABLE_STATUSES
from cases.workflow import conducting


def _scope(user: User | AnonymousUser) -> tuple[str, int] | None:
    """The one rule of who sees which cases, as (field of Case, value): an office role sees
    its office's cases, a court liaison its court's; anybody else sees no case content."""
    if not isinstance(user, User) or not user.is_active:
        return None
    if user.role in OFFICE_ROLES and user.office_id:
        return ("office_id", user.office_id)
    if user.role == Role.COURT_LIAISON and user.court_id:
        return ("court_id", user.court_id)
    return None


def cases_visible_to(user: User | AnonymousUser) -> QuerySet[Case]:
    """The cases a user may open (``_scope`` as a query)."""
    scope = _scope(user)
    if scope is None:
        return Case.objects.none()
    field, value = scope
    return Case.objects.filter(**{field: value})


def can_see_case(user: User | AnonymousUser, case: Case) -> bool:
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


def can_work_on_sessions(user: User, case: Case) -> bool:
    """A mediator whose assignment is in effect, or the head, works on the case's sessions."""
    return user.has_perm("cases.conduct_mediation") and conducting(user, case)


def session_work_refusal(user: User, case: Case) -> str:
    """Why the user may not record the case's sessions now, or "" (the page and the service)."""
    if not can_work_on_sessions(user, case):
        return "只有本案的调解员或工作室负责人可以记录调解会。"
    if case.status not in EDITABLE_STATUSES:
        return f"案件已{case.get_status_display()}，调解会记录不能再修改。"
    return ""
