"""In-app notifications, and e-mail when configured. Each key is delivered once per person."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts.models import Office, User
from cases.models import Case, Notification


def office_users(office: Office, role: str) -> list[User]:
    return list(office.users.filter(role=role, is_active=True))


def notify(
    users: Iterable[User | None],
    *,
    case: Case | None,
    key: str,
    title: str,
    body: str = "",
    link: str = "",
) -> list[Notification]:
    """Create one notification per user for ``key`` unless that user already has it.

    Repeated users and ``None`` entries in ``users`` are skipped.
    Returns the notifications created now; repeating a call creates nothing.
    """
    recipients = [u for u in dict.fromkeys(users) if u is not None]
    if not recipients:
        return []
    existing = set(
        Notification.objects.filter(recipient__in=recipients, key=key).values_list(
            "recipient_id", flat=True
        )
    )
    created = Notification.objects.bulk_create(
        [
            Notification(recipient=user, case=case, key=key, title=title, body=body, link=link)
            for user in recipients
            if user.pk not in existing
        ],
        ignore_conflicts=True,
    )
    if settings.REMINDER_EMAILS and created:
        ids = [user.pk for user in recipients if user.pk not in existing and user.email]
        transaction.on_commit(lambda: _email(ids, key, title, body))
    return created


def _email(user_ids: list[int], key: str, title: str, body: str) -> None:
    """E-mail the notification; personal data stays in the system, so only the title and a link."""
    for user in User.objects.filter(pk__in=user_ids):
        sent = send_mail(
            subject=f"[行政争议化解工作室] {title}",
            message=f"{user.get_full_name()}：\n\n{title}\n\n请登录案件管理系统查看详情。",
            from_email=None,
            recipient_list=[user.email],
            fail_silently=True,
        )
        if sent:
            Notification.objects.filter(recipient=user, key=key).update(emailed_at=timezone.now())
