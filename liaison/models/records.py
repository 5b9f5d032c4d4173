"""What the registers keep besides the records themselves: their history, evidence files,
the reconsideration volumes and the court's spreadsheets being imported."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models.attachment import private_storage
from liaison.models.lawsuit import Lawsuit, LossAnalysis, Performance
from liaison.models.suggestion import JudicialSuggestion, Recipient
from liaison.models.supervision import SupervisionItem


class LiaisonEvent(models.Model):
    """One change of a register record: who, when, what changed (old and new values)."""

    class Kind(models.TextChoices):
        LAWSUIT_CREATED = "lawsuit_created", "登记诉讼案件"
        LAWSUIT_IMPORTED = "lawsuit_imported", "从法院清单导入"
        LAWSUIT_UPDATED = "lawsuit_updated", "修改案件信息"
        DEFENCE_RECORDED = "defence_recorded", "登记答辩情况"
        HEARING_RECORDED = "hearing_recorded", "登记开庭"
        HEARING_UPDATED = "hearing_updated", "修改开庭信息"
        APPEARANCE_RECORDED = "appearance_recorded", "登记出庭应诉情况"
        OUTCOME_RECORDED = "outcome_recorded", "登记裁判结果"
        OUTCOME_CORRECTED = "outcome_corrected", "更正裁判结果"
        APPEALED = "appealed", "登记上诉"
        TOOK_EFFECT = "took_effect", "登记裁判生效"
        LOSS_ANALYSED = "loss_analysed", "填报败诉分析"
        PERFORMANCE_ADDED = "performance_added", "登记履行事项"
        PERFORMED = "performed", "登记履行完毕"
        PERFORMANCE_OVERDUE = "performance_overdue", "履行逾期"
        ENFORCEMENT = "enforcement", "登记申请强制执行"
        SUGGESTION_CREATED = "suggestion_created", "登记司法建议"
        SUGGESTION_UPDATED = "suggestion_updated", "修改司法建议"
        REPLIED = "replied", "登记答复"
        CHECKED = "checked", "核查落实情况"
        SUPERVISION_OPENED = "supervision_opened", "发起督办"
        SUPERVISION_RESPONDED = "supervision_responded", "反馈整改情况"
        SUPERVISION_RETURNED = "supervision_returned", "退回补充反馈"
        SUPERVISION_ESCALATED = "supervision_escalated", "提级督办"
        SUPERVISION_CLOSED = "supervision_closed", "办结督办"
        MEETING_RECORDED = "meeting_recorded", "登记联席会议"
        MEETING_UPDATED = "meeting_updated", "修改联席会议"
        TASK_ADDED = "task_added", "布置会议任务"
        TASK_DONE = "task_done", "会议任务办结"
        TASK_REOPENED = "task_reopened", "会议任务重新落实"
        FILE_ADDED = "file_added", "上传证明材料"

    lawsuit = models.ForeignKey(
        Lawsuit,
        verbose_name="诉讼案件",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        help_text="事件涉及的行政诉讼案件。",
    )
    suggestion = models.ForeignKey(
        JudicialSuggestion,
        verbose_name="司法建议",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        help_text="事件涉及的司法建议。",
    )
    supervision = models.ForeignKey(
        SupervisionItem,
        verbose_name="督办事项",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        help_text="事件涉及的督办事项。",
    )
    meeting = models.ForeignKey(
        "liaison.JointMeeting",
        verbose_name="联席会议",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        help_text="事件涉及的联席会议。",
    )
    # The agency the change concerns, when it is one agency's own (its reply to a judicial
    # suggestion): other addressees do not see it.
    agency = models.ForeignKey(
        "cases.Agency",
        verbose_name="所涉机关",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="事件涉及的行政机关。",
    )
    kind = models.CharField(
        "事项", max_length=40, choices=Kind.choices, help_text="操作或事件的种类。"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="进行操作的用户；系统自动处理的为空。",
    )
    note = models.CharField("说明", max_length=300, blank=True, help_text="操作时填写的说明。")
    # Field label → [old, new], as shown to people.
    changes = models.JSONField(
        "修改内容", default=dict, blank=True, help_text="修改的字段及修改前后的值。"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True, help_text="发生的时间。")

    class Meta:
        verbose_name = "台账记录变动"
        verbose_name_plural = "台账记录变动"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lawsuit__isnull=False)
                | Q(suggestion__isnull=False)
                | Q(supervision__isnull=False)
                | Q(meeting__isnull=False),
                name="liaison_event_has_a_record",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    # Never the user's file name on disk: it may carry personal data or path tricks.
    return f"liaison/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    """A proof an agency or the bureau uploads: a reply letter, a decision, a payment slip."""

    performance = models.ForeignKey(
        Performance,
        verbose_name="履行事项",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        help_text="文件证明的履行事项。",
    )
    recipient = models.ForeignKey(
        Recipient,
        verbose_name="司法建议答复",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        help_text="文件所属的司法建议答复。",
    )
    supervision = models.ForeignKey(
        SupervisionItem,
        verbose_name="督办事项",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        help_text="文件所属的督办事项。",
    )
    loss_analysis = models.ForeignKey(
        LossAnalysis,
        verbose_name="败诉分析",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        help_text="文件所属的败诉分析。",
    )
    title = models.CharField("名称", max_length=100, help_text="如 答复函、重新作出的决定书。")
    file = models.FileField(
        "文件",
        storage=private_storage,
        upload_to=evidence_path,
        help_text="保存在非公开目录，只能由有权查看该记录的人下载。",
    )
    original_name = models.CharField("原文件名", max_length=200, help_text="上传时的文件名。")
    content_type = models.CharField("文件类型", max_length=100, help_text="按文件内容识别的类型。")
    size = models.PositiveIntegerField("大小（字节）", help_text="文件大小。")
    sha256 = models.CharField("SHA-256", max_length=64, help_text="文件内容的摘要，用于核对。")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="上传文件的用户。",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True, help_text="上传文件的时间。")

    class Meta:
        verbose_name = "证明材料"
        verbose_name_plural = "证明材料"
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(performance__isnull=False)
                | Q(recipient__isnull=False)
                | Q(supervision__isnull=False)
                | Q(loss_analysis__isnull=False),
                name="liaison_file_has_a_record",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReconsiderationVolume(models.Model):
    """The reconsideration figures the bureau reports for a quarter (行政复议收结案情况)."""

    year = models.PositiveSmallIntegerField("年度", help_text="统计年度。")
    quarter = models.PositiveSmallIntegerField(
        "季度",
        choices=[(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
        help_text="统计季度。",
    )
    received = models.PositiveIntegerField(
        "收到申请", default=0, help_text="本季度收到的复议申请。"
    )
    accepted = models.PositiveIntegerField("受理", default=0, help_text="本季度受理的复议案件。")
    concluded = models.PositiveIntegerField(
        "审结", default=0, help_text="本季度审结的复议案件，应等于下列各类结果之和。"
    )
    upheld = models.PositiveIntegerField("维持", default=0, help_text="决定维持的。")
    revoked = models.PositiveIntegerField("撤销", default=0, help_text="决定撤销的。")
    changed = models.PositiveIntegerField("变更", default=0, help_text="决定变更的。")
    confirmed_illegal = models.PositiveIntegerField(
        "确认违法", default=0, help_text="确认违法或无效的。"
    )
    ordered_performance = models.PositiveIntegerField(
        "责令履行", default=0, help_text="责令履行法定职责的。"
    )
    dismissed = models.PositiveIntegerField("驳回", default=0, help_text="驳回复议请求或申请的。")
    mediated = models.PositiveIntegerField("调解", default=0, help_text="制作复议调解书结案的。")
    settled_withdrawn = models.PositiveIntegerField(
        "和解后撤回", default=0, help_text="当事人和解后申请人撤回申请的。"
    )
    other = models.PositiveIntegerField("其他", default=0, help_text="以其他方式审结的。")
    note = models.CharField("说明", max_length=300, blank=True, help_text="需要说明的情况。")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="最近一次填报的用户。",
    )
    updated_at = models.DateTimeField("填报时间", auto_now=True, help_text="最近一次填报的时间。")
    version = models.PositiveIntegerField(
        "版本", default=0, editable=False, help_text="每次修改加一，用于发现同时编辑。"
    )

    # The decision types, in the order they are reported; they add up to ``concluded``.
    OUTCOME_FIELDS = (
        "upheld",
        "revoked",
        "changed",
        "confirmed_illegal",
        "ordered_performance",
        "dismissed",
        "mediated",
        "settled_withdrawn",
        "other",
    )

    class Meta:
        verbose_name = "行政复议收结案数"
        verbose_name_plural = "行政复议收结案数"
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter"], name="reconsideration_quarter_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="reconsideration_quarter_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.quarter}季度"

    @property
    def outcome_total(self) -> int:
        return sum(getattr(self, name) for name in self.OUTCOME_FIELDS)


class ImportStatus(models.TextChoices):
    """Only the services in liaison.services assign it, through liaison.workflow."""

    PREVIEWED = "previewed", "待确认"
    APPLIED = "applied", "已导入"
    DISCARDED = "discarded", "已放弃"


class ImportBatch(models.Model):
    """A spreadsheet of the court's being imported: parsed, previewed, then applied once."""

    Status = ImportStatus

    file_name = models.CharField("文件名", max_length=200, help_text="上传的文件名。")
    sha256 = models.CharField("SHA-256", max_length=64, help_text="文件内容的摘要。")
    # One dict per spreadsheet row: its number, values, errors and what it would do.
    rows = models.JSONField(
        "逐行结果", default=list, help_text="导入时每一行的处理结果和错误信息。"
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=Status.choices,
        default=Status.PREVIEWED,
        editable=False,
        help_text="待确认、已导入或已放弃。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="上传清单的用户。",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True, help_text="上传表格的时间。")
    applied_at = models.DateTimeField(
        "导入时间", null=True, blank=True, help_text="确认导入的时间。"
    )
    summary = models.JSONField(
        "导入结果", default=dict, blank=True, help_text="新建、更新和未变的行数。"
    )

    class Meta:
        verbose_name = "法院清单导入"
        verbose_name_plural = "法院清单导入"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="liaison_import_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name
