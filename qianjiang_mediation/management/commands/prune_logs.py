"""Delete log entries older than the retention period, never younger than six months.

网络安全法 Art. 21 asks that network logs be kept no less than six months. The logs are
the access log (full ID numbers seen, files taken out), the audit trail of users and
reference data, and the sign-in records. Nothing is pruned unless
``LOG_RETENTION_DAYS`` is set; the case timeline and the registers' history are part
of the records themselves and are never pruned here.
"""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audited_models
from cases.models import AccessRecord

# Six months, counted generously (网络安全法 Art. 21).
RETENTION_FLOOR_DAYS = 183


def prunable() -> list[tuple[str, object, str]]:
    """(label, model, time field) of every log this command may prune."""
    logs: list[tuple[str, object, str]] = [
        ("查阅记录", AccessRecord, "at"),
        ("登录失败记录", AccessFailureLog, "attempt_time"),
        ("登录记录", AccessLog, "attempt_time"),
    ]
    logs += [(str(model._meta.verbose_name), model, "history_date") for model in audited_models()]
    return logs


class Command(BaseCommand):
    help = (
        "删除超过保存期限（LOG_RETENTION_DAYS）的日志：查阅记录、审计日志和登录记录。"
        "保存期限不得少于183天（六个月）；未设置时不删除任何记录。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除。")

    def handle(self, *args, dry_run: bool = False, **options):
        days = settings.LOG_RETENTION_DAYS
        if not days:
            self.stdout.write("未设置日志保存期限（DJANGO_LOG_RETENTION_DAYS），不删除任何记录。")
            return
        if days < RETENTION_FLOOR_DAYS:
            raise CommandError(
                f"日志保存期限设为{days}天，少于法定的六个月（{RETENTION_FLOOR_DAYS}天），"
                "未删除任何记录。请将 DJANGO_LOG_RETENTION_DAYS 设为不少于"
                f"{RETENTION_FLOOR_DAYS}的天数。"
            )
        cutoff = timezone.now() - timedelta(days=days)
        total = 0
        with transaction.atomic():
            for label, model, field in prunable():
                old = model._default_manager.filter(**{f"{field}__lt": cutoff})  # type: ignore[attr-defined]
                count = old.count() if dry_run else old.delete()[0]
                total += count
                if count:
                    self.stdout.write(f"{label}：{count} 条")
        verb = "可删除" if dry_run else "已删除"
        self.stdout.write(
            f"{verb} {timezone.localtime(cutoff):%Y-%m-%d %H:%M} 以前的日志共 {total} 条"
            f"（保存期限 {days} 天）。"
        )
