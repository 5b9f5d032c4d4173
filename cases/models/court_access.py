"""What the referring court may read beyond the referral: transcripts and the transfer package.

The mediation process is not public (特邀调解规定第二条) and what a party concedes to
reach agreement cannot be used against them later (第二十二条): the court reads the
session transcripts only on the parties' consent or its own written request, and of the
other materials only those the office chose to transfer (第二十一条、第二十六条).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models.attachment import Attachment
from cases.models.case import Case


class TranscriptAccess(models.Model):
    """The ground on which the referring court may read this case's session transcripts."""

    class Basis(models.TextChoices):
        CONSENT = "consent", "当事人同意"
        COURT_REQUEST = "court_request", "法院书面调取"

    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="transcript_accesses",
        help_text="笔录向法院公开的案件。",
    )
    basis = models.CharField(
        "依据", max_length=20, choices=Basis.choices, help_text="当事人同意，或法院书面调取。"
    )
    dated_on = models.DateField("日期", help_text="当事人书面同意或法院调取函的日期。")
    reference = models.CharField(
        "文号或说明",
        max_length=300,
        help_text="如法院调取函的文号，或当事人同意的方式（书面同意书、笔录签字）。",
    )
    document = models.ForeignKey(
        Attachment,
        verbose_name="依据文件",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="当事人同意书或法院调取函的扫描件（可不上传）。",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="登记当事人同意或法院书面调取的工作室人员。",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True, help_text="登记的时间。")
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="撤销法院查阅依据的工作室人员。",
    )
    withdrawn_at = models.DateTimeField(
        "撤销时间", null=True, blank=True, editable=False, help_text="撤销后笔录不再向法院公开。"
    )
    withdrawal_note = models.CharField(
        "撤销原因", max_length=300, blank=True, editable=False, help_text="如 当事人撤回同意。"
    )

    class Meta:
        verbose_name = "法院查阅笔录依据"
        verbose_name_plural = "法院查阅笔录依据"
        ordering = ["case_id", "recorded_at", "id"]
        indexes = [
            # Whether a case's transcripts are open: its records not withdrawn.
            models.Index(
                fields=["case"],
                condition=Q(withdrawn_at__isnull=True),
                name="transcriptaccess_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_basis_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class TransferItem(models.Model):
    """One item of the materials the office transfers to the referring court."""

    # No index of its own: transferitem_unique starts with it.
    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="transfer_items",
        db_index=False,
        help_text="移送材料所属的案件。",
    )
    attachment = models.ForeignKey(
        Attachment,
        verbose_name="材料",
        on_delete=models.CASCADE,
        related_name="transfer_items",
        help_text="移送法院的材料或本工作室制作的文书。",
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="选定人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="选定移送材料的工作室人员。",
    )
    chosen_at = models.DateTimeField("选定时间", auto_now_add=True, help_text="选定的时间。")

    class Meta:
        verbose_name = "移送材料"
        verbose_name_plural = "移送材料"
        ordering = ["case_id", "attachment__uploaded_at", "attachment_id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "attachment"], name="transferitem_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case} 移送 {self.attachment}"
