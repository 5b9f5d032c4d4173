"""The access log: who saw a full ID number or took a file out of the system, when, from
where, for which case and why (网络安全法 Art. 21, PIPL Art. 51; DOMAIN.md §7).

Kept apart from the case timeline, which records what was done to the case; this log
records who read what. It is kept at least six months and pruned only by
``manage.py prune_logs`` when ``LOG_RETENTION_DAYS`` allows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models.case import Case


class AccessKind(models.TextChoices):
    ID_REVEALED = "id_revealed", "查看完整证件号码"
    ID_SEARCHED = "id_searched", "按完整证件号码或信用代码查询"
    ATTACHMENT_DOWNLOADED = "attachment_downloaded", "下载案件材料"
    DOCUMENT_DOWNLOADED = "document_downloaded", "下载文书"
    EVIDENCE_DOWNLOADED = "evidence_downloaded", "下载台账证明材料"


class AccessPurpose(models.TextChoices):
    CASE_WORK = "case_work", "办理本案"
    IDENTITY = "identity", "核对当事人身份"
    SERVICE = "service", "制作或送达文书"
    COURT = "court", "报送法院或司法确认"
    ARCHIVE = "archive", "归档或查档"
    OTHER = "other", "其他（须说明）"


class AccessRecord(models.Model):
    kind = models.CharField(
        "事项", max_length=30, choices=AccessKind.choices, help_text="查看、查询还是下载。"
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True, help_text="查阅的时间。")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="查阅人",
        on_delete=models.PROTECT,
        related_name="access_records",
        help_text="查看号码、查询或下载文件的用户。",
    )
    address = models.GenericIPAddressField(
        "来源地址", null=True, blank=True, help_text="请求来自的网络地址。"
    )
    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_records",
        help_text="查询或台账材料不属于某一案件时为空。",
    )
    subject = models.CharField(
        "查阅内容",
        max_length=200,
        help_text="如 申请人 张三、材料“身份证明”、文书 调解协议书 第2版；查询只记录打码后的号码。",
    )
    purpose = models.CharField(
        "事由",
        max_length=20,
        choices=AccessPurpose.choices,
        help_text="查看号码和下载载有完整号码的文件时由用户选择；其他下载记为 办理本案。",
    )
    purpose_note = models.CharField(
        "事由说明", max_length=200, blank=True, help_text="选择“其他”时必填。"
    )

    class Meta:
        verbose_name = "查阅记录"
        verbose_name_plural = "查阅记录"
        ordering = ["-at", "-id"]
        indexes = [
            # The admin's list of one user's reads, newest first.
            models.Index(fields=["actor", "-at"], name="access_actor_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AccessKind.values), name="cases_access_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=AccessPurpose.values), name="cases_access_purpose_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_kind_display()} {self.subject}"
