"""Writes for users: every role change goes through here so the permission group follows it."""

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Court, Office, Role, User


def role_group(role: str) -> Group:
    """The permission group of a role; the data migrations create one per role."""
    return Group.objects.get(name=Role(role).label)


def user_sync_role(*, user: User) -> None:
    """Make the user's groups and admin access match their role.

    A user holds exactly one role group. Only administrators (and superusers)
    reach the Django admin.
    """
    user.groups.set([role_group(user.role)])
    is_staff = user.role == Role.ADMIN or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def user_create(
    *,
    username: str,
    name: str,
    role: str,
    password: str,
    office: Office | None = None,
    court: Court | None = None,
    # A cases.Agency; not imported, as accounts sits below cases.
    agency: Any = None,
    email: str = "",
    phone: str = "",
) -> User:
    """Create a validated user with the group of their role."""
    user = User(
        username=username,
        name=name,
        role=role,
        office=office,
        court=court,
        agency=agency,
        email=email,
        phone=phone,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user_sync_role(user=user)
    return user
