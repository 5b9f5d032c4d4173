"""Who may see which cases. Every page, list, count and download loads cases through here."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import OFFICE_ROLES, Role, User
from cases.models import Case


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases a user may open: their office's, or their court's; nobody else sees case content."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.role in OFFICE_ROLES and user.office_id:
        return Case.objects.filter(office_id=user.office_id)
    if user.role == Role.COURT_LIAISON and user.court_id:
        return Case.objects.filter(court_id=user.court_id)
    return Case.objects.none()


def can_see_case(user: User, case: Case) -> bool:
    """The rule of ``cases_visible_to`` for one case already loaded (no query)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role in OFFICE_ROLES and user.office_id:
        return case.office_id == user.office_id
    if user.role == Role.COURT_LIAISON and user.court_id:
        return case.court_id == user.court_id
    return False


def can_view_full_id(user: User) -> bool:
    return user.has_perm("cases.view_full_id")


def can_edit_case(user: User) -> bool:
    return user.has_perm("cases.change_case")
