"""In-app notifications: deadline reminders and the messages of the workflow.

Used by every app (cases, agreements) through ``cases.services.notify``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cases.models.case import Case


class Notification(models.Model):
    """An in-app message; ``key`` makes each reminder unique per recipient so it is sent once."""

    # No index of its own: notification_once and notification_unread_idx start with it.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
        help_text="接收提醒的用户。",
    )
    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text="提醒涉及的案件。",
    )
    # Where the notice leads when it concerns no case (a lawsuit or a judicial suggestion
    # of the registers); a case's notice leads to the case.
    link = models.CharField(
        "链接", max_length=200, blank=True, help_text="提醒所涉的台账记录页面（与案件无关的提醒）。"
    )
    key = models.CharField(
        "去重键", max_length=200, help_text="同一事项只提醒一次，由系统根据事项生成。"
    )
    title = models.CharField("标题", max_length=200, help_text="提醒的标题。")
    body = models.TextField("内容", blank=True, help_text="提醒的内容。")
    created_at = models.DateTimeField("时间", auto_now_add=True, help_text="生成提醒的时间。")
    read_at = models.DateTimeField(
        "已读时间", null=True, blank=True, help_text="接收人标记已读的时间；未读的为空。"
    )
    emailed_at = models.DateTimeField(
        "邮件发送时间", null=True, blank=True, help_text="发送提醒邮件的时间；未发送的为空。"
    )

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once"),
        ]
        indexes = [
            # The unread count in every page's menu.
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.title
