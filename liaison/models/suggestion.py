"""The register of judicial suggestions (司法建议台账, 法释〔2023〕11号) and their replies."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.links import record_url
from accounts.models import Court
from cases.models import Agency
from liaison.models.lawsuit import Hearing, Lawsuit


class SuggestionKind(models.TextChoices):
    CASE = "case", "个案司法建议"
    GOVERNANCE = "governance", "综合治理类司法建议"


class JudicialSuggestion(models.Model):
    """One suggestion the court issued, to one or more agencies."""

    Kind = SuggestionKind

    number = models.CharField(
        "文号",
        max_length=60,
        help_text="统一编号：地名简称＋“法建”＋〔年度〕＋编号＋“号”，如 潜法建〔2025〕3号。",
    )
    number_key = models.CharField(
        "文号检索键",
        max_length=60,
        unique=True,
        editable=False,
        help_text="统一括号和全半角后的文号。",
    )
    number_confirmed = models.BooleanField(
        "文号格式已核对", default=False, help_text="文号与统一编号格式不符，经核对确认无误。"
    )
    # No index of its own: suggestion_court_issued_idx starts with it.
    court = models.ForeignKey(
        Court,
        verbose_name="发出法院",
        on_delete=models.PROTECT,
        related_name="suggestions",
        db_index=False,
        help_text="发出司法建议的人民法院。",
    )
    kind = models.CharField(
        "类型", max_length=20, choices=Kind.choices, help_text="个案或综合治理类司法建议。"
    )
    subject = models.CharField(
        "事由",
        max_length=200,
        help_text="司法建议的标题或事由，如 关于规范工伤认定程序的司法建议。",
    )
    content = models.TextField("建议内容", help_text="司法建议指出的问题和提出的建议。")
    lawsuits = models.ManyToManyField(
        Lawsuit,
        verbose_name="所涉诉讼案件",
        blank=True,
        related_name="suggestions",
        help_text="司法建议所由产生的诉讼案件（可不填）。",
    )
    hearing = models.ForeignKey(
        Hearing,
        verbose_name="因负责人未出庭",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        help_text="因行政机关负责人未出庭应诉而发出的（法释〔2020〕3号第十二条），关联该次开庭。",
    )
    issued_on = models.DateField("发出日期", help_text="司法建议书落款的日期。")
    reply_months = models.PositiveSmallIntegerField(
        "答复期限（月）",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="法院确定的书面答复期限，一般不超过两个月（法释〔2023〕11号第八条），自机关收到之日起算。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="登记本建议的用户。",
    )
    created_at = models.DateTimeField(
        "登记时间", auto_now_add=True, help_text="保存记录时由系统自动填写。"
    )
    updated_at = models.DateTimeField(
        "更新时间", auto_now=True, help_text="每次保存时由系统自动更新。"
    )

    class Meta:
        verbose_name = "司法建议"
        verbose_name_plural = "司法建议台账"
        ordering = ["-issued_on", "-id"]
        permissions = [
            ("issue_suggestion", "登记司法建议"),
            ("reply_suggestion", "登记司法建议的答复"),
            ("check_suggestion", "核查司法建议的落实"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SuggestionKind.values), name="liaison_suggestion_kind_valid"
            ),
        ]
        indexes = [
            # A court liaison's list: their court's suggestions, newest first.
            models.Index(fields=["court", "-issued_on"], name="suggestion_court_issued_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return record_url("liaison:suggestion", self.pk)


class RecipientStatus(models.TextChoices):
    """Only the services in liaison.services assign it, through liaison.workflow.
    Overdue is shown from the due date, never stored."""

    AWAITING = "awaiting", "待答复"
    REPLIED = "replied", "已答复"
    CHECKED = "checked", "已核查落实"


class Adoption(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


class Implementation(models.TextChoices):
    IMPLEMENTED = "implemented", "已落实"
    PARTLY = "partly", "部分落实"
    NOT_IMPLEMENTED = "not_implemented", "未落实"


class Recipient(models.Model):
    """One addressee agency of a suggestion: its receipt, reply and the bureau's check."""

    Status = RecipientStatus
    Adoption = Adoption
    Implementation = Implementation

    # No index of its own: recipient_unique starts with it.
    suggestion = models.ForeignKey(
        JudicialSuggestion,
        verbose_name="司法建议",
        on_delete=models.CASCADE,
        related_name="recipients",
        db_index=False,
        help_text="发给该机关的司法建议。",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="建议对象",
        on_delete=models.PROTECT,
        related_name="suggestion_receipts",
        help_text="司法建议的主送机关。",
    )
    received_on = models.DateField(
        "收到日期", help_text="机关收到司法建议书的日期，答复期限自次日起算。"
    )
    reply_due = models.DateField(
        "答复期限", editable=False, help_text="按答复期限（月）自收到之日计算，遇节假日顺延。"
    )
    reply_due_explanation = models.CharField(
        "期限计算说明",
        max_length=400,
        editable=False,
        blank=True,
        help_text="答复期限的计算依据和方法。",
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=Status.choices,
        default=Status.AWAITING,
        editable=False,
        help_text="待答复、已答复或已核查落实；逾期未答复按期限显示。",
    )
    replied_on = models.DateField(
        "答复日期", null=True, blank=True, help_text="机关书面答复法院的日期。"
    )
    reply = models.TextField("答复内容", blank=True, help_text="书面答复的主要内容。")
    adoption = models.CharField(
        "采纳情况",
        max_length=20,
        choices=Adoption.choices,
        blank=True,
        help_text="机关对建议采纳、部分采纳或未采纳。",
    )
    measures = models.TextField(
        "整改措施", blank=True, help_text="机关针对建议采取的措施；未采纳的说明理由。"
    )
    checked_on = models.DateField(
        "核查日期", null=True, blank=True, help_text="司法局核查落实情况的日期。"
    )
    implementation = models.CharField(
        "落实情况",
        max_length=20,
        choices=Implementation.choices,
        blank=True,
        help_text="司法局核查后认定的落实情况。",
    )
    check_note = models.TextField("核查意见", blank=True, help_text="核查的方式和发现的问题。")
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="登记答复的用户。",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核查人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="登记核查结果的用户。",
    )
    version = models.PositiveIntegerField(
        "版本", default=0, editable=False, help_text="每次修改加一，用于发现同时编辑。"
    )

    class Meta:
        verbose_name = "司法建议对象"
        verbose_name_plural = "司法建议对象"
        ordering = ["suggestion_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "agency"], name="recipient_unique"),
            models.CheckConstraint(
                condition=Q(status__in=RecipientStatus.values),
                name="liaison_recipient_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(adoption="") | Q(adoption__in=Adoption.values),
                name="liaison_recipient_adoption_valid",
            ),
            models.CheckConstraint(
                condition=Q(implementation="") | Q(implementation__in=Implementation.values),
                name="liaison_recipient_implementation_valid",
            ),
        ]
        indexes = [
            # Overdue replies for the reminders and the supervision suggestions.
            models.Index(fields=["status", "reply_due"], name="recipient_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion} → {self.agency}"

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.AWAITING and today > self.reply_due
