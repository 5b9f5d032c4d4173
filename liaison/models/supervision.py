"""Supervision of agencies that fall short (督察督办) and the circulars reporting on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.links import record_url
from cases.models import Agency
from liaison.models.lawsuit import Appearance, Lawsuit, Performance
from liaison.models.suggestion import Recipient


class SupervisionReason(models.TextChoices):
    HEAD_ABSENT = "head_absent", "负责人未出庭应诉"
    LOSS = "loss", "败诉"
    NONPERFORMANCE = "nonperformance", "未履行生效裁判"
    SUGGESTION = "suggestion", "司法建议逾期未回复或未落实"
    OTHER = "other", "其他"


# The register's record an item of each reason is about (SupervisionItem's field): the
# item is opened from that record, and a reason not listed here needs none.
SUPERVISED_RECORD = {
    SupervisionReason.HEAD_ABSENT: "appearance",
    SupervisionReason.LOSS: "lawsuit",
    SupervisionReason.NONPERFORMANCE: "performance",
    SupervisionReason.SUGGESTION: "recipient",
}


class SupervisionStatus(models.TextChoices):
    """Only the services in liaison.services assign it, through liaison.workflow."""

    OPEN = "open", "督办中"
    RESPONDED = "responded", "已反馈"
    ESCALATED = "escalated", "已提级督办"
    CLOSED = "closed", "已办结"


# Waiting on the agency's response: the home page's queue, the list's 待反馈, reminders.
AWAITING_RESPONSE = (SupervisionStatus.OPEN, SupervisionStatus.ESCALATED)


class SupervisionResult(models.TextChoices):
    RECTIFIED = "rectified", "整改到位"
    PARTLY = "partly", "部分整改"
    NOT_RECTIFIED = "not_rectified", "未整改"


class SupervisionItem(models.Model):
    """The bureau asks an agency to act on a shortfall by a due date, then closes the item."""

    Reason = SupervisionReason
    Status = SupervisionStatus
    Result = SupervisionResult

    year = models.PositiveSmallIntegerField("年度", editable=False, help_text="督办的年度。")
    seq = models.PositiveIntegerField("序号", editable=False, help_text="年度内的顺序号。")
    agency = models.ForeignKey(
        Agency,
        verbose_name="督办对象",
        on_delete=models.PROTECT,
        related_name="supervision_items",
        help_text="被督办的行政机关。",
    )
    reason = models.CharField(
        "督办事由", max_length=20, choices=Reason.choices, help_text="督办的原因。"
    )
    lawsuit = models.ForeignKey(
        Lawsuit,
        verbose_name="所涉诉讼案件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_items",
        help_text="督办所涉的诉讼案件（如有）。",
    )
    appearance = models.ForeignKey(
        Appearance,
        verbose_name="所涉出庭情况",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_items",
        help_text="负责人未出庭的那次开庭。",
    )
    performance = models.ForeignKey(
        Performance,
        verbose_name="所涉履行事项",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_items",
        help_text="逾期未履行的生效裁判。",
    )
    recipient = models.ForeignKey(
        Recipient,
        verbose_name="所涉司法建议",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_items",
        help_text="逾期未答复或未落实的司法建议。",
    )
    # What the item is about ("appearance:12", "loss:3:7"…): one open item per shortfall.
    subject_key = models.CharField(
        "督办对象键",
        max_length=60,
        blank=True,
        editable=False,
        help_text="同一事项只能有一项未办结的督办。",
    )
    facts = models.TextField(
        "问题情况", help_text="机关存在的问题，如 负责人无正当理由未出庭应诉。"
    )
    required_action = models.TextField("督办要求", help_text="要求机关采取的措施和书面反馈的内容。")
    opened_on = models.DateField("督办日期", help_text="发出督办的日期，办理期限自次日起算。")
    due_on = models.DateField("办理期限", help_text="机关应当反馈整改情况的日期。")
    due_explanation = models.CharField(
        "期限计算说明", max_length=400, blank=True, help_text="办理期限的计算依据和方法。"
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=Status.choices,
        default=Status.OPEN,
        editable=False,
        help_text="督办中、已反馈、已提级督办或已办结。",
    )
    response = models.TextField("整改反馈", blank=True, help_text="机关反馈的整改情况。")
    responded_on = models.DateField(
        "反馈日期", null=True, blank=True, help_text="机关书面反馈的日期。"
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="反馈登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="登记反馈的用户。",
    )
    escalation_note = models.TextField(
        "提级督办说明", blank=True, help_text="提级督办的原因和方式，如 报市政府督查室。"
    )
    result = models.CharField(
        "办结结果",
        max_length=20,
        choices=Result.choices,
        blank=True,
        help_text="司法局办结时认定的整改结果。",
    )
    result_note = models.TextField("办结意见", blank=True, help_text="办结时的评价和要求。")
    closed_on = models.DateField("办结日期", null=True, blank=True, help_text="办结的日期。")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="督办人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="发起督办的用户。",
    )
    created_at = models.DateTimeField(
        "登记时间", auto_now_add=True, help_text="保存记录时由系统自动填写。"
    )
    updated_at = models.DateTimeField(
        "更新时间", auto_now=True, help_text="每次保存时由系统自动更新。"
    )
    version = models.PositiveIntegerField(
        "版本", default=0, editable=False, help_text="每次修改加一，用于发现同时编辑。"
    )

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督察督办"
        ordering = ["-opened_on", "-id"]
        permissions = [
            ("open_supervision", "发起、提级和办结督办"),
            ("respond_supervision", "反馈督办事项"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="supervision_number_unique"),
            models.UniqueConstraint(
                fields=["subject_key"],
                condition=~Q(subject_key="") & ~Q(status=SupervisionStatus.CLOSED),
                name="supervision_one_open_item_per_subject",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SupervisionStatus.values),
                name="liaison_supervision_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=SupervisionReason.values),
                name="liaison_supervision_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(result="") | Q(result__in=SupervisionResult.values),
                name="liaison_supervision_result_valid",
            ),
        ]
        indexes = [
            # An agency contact's list and the circular: an agency's items by date.
            models.Index(fields=["agency", "-opened_on"], name="supervision_agency_idx"),
            # Open items by due date (reminders, the bureau's home).
            models.Index(fields=["status", "due_on"], name="supervision_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return record_url("liaison:supervision", self.pk)

    @property
    def number(self) -> str:
        return f"督办〔{self.year}〕{self.seq}号"

    def is_overdue(self, today) -> bool:
        return self.status in AWAITING_RESPONSE and today > self.due_on


class Circular(models.Model):
    """A circular (通报) on the supervision items of a period, frozen when it is issued."""

    number = models.CharField("文号", max_length=60, help_text="通报的文号，如 潜司通〔2026〕2号。")
    title = models.CharField(
        "标题",
        max_length=200,
        help_text="如 关于2026年第三季度行政机关负责人出庭应诉等工作督办情况的通报。",
    )
    period_start = models.DateField("起始日期", help_text="通报所涉督办事项的发起日期自。")
    period_end = models.DateField("截止日期", help_text="通报所涉督办事项的发起日期至。")
    remarks = models.TextField(
        "总体情况和要求", blank=True, help_text="印在通报开头的总体情况和工作要求。"
    )
    # The items by agency and their status as they were when issued.
    data = models.JSONField(
        "通报内容", default=dict, editable=False, help_text="制发时冻结的通报数据。"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="制发人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="制发通报的用户。",
    )
    issued_at = models.DateTimeField("制发时间", auto_now_add=True, help_text="制发通报的时间。")

    class Meta:
        verbose_name = "督办通报"
        verbose_name_plural = "督办通报"
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("liaison:circular", self.pk)
