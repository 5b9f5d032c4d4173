"""The joint meeting of the city government and the court (府院联席会议), its follow-up
tasks, and the annual report issued from a frozen snapshot of the figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.links import record_url
from cases.models import Agency


class JointMeeting(models.Model):
    """One meeting: who met, what was raised and decided, and its minutes."""

    title = models.CharField(
        "会议名称", max_length=200, help_text="如 2026年度潜江市府院联席会议。"
    )
    held_on = models.DateField("会议日期", help_text="召开会议的日期；任务的办理期限自次日起算。")
    place = models.CharField("地点", max_length=200, help_text="如 市政府第一会议室。")
    convenors = models.CharField(
        "召集人", max_length=300, help_text="如 市政府分管副市长、市人民法院院长。"
    )
    attendees = models.TextField(
        "参会单位和人员", help_text="每行一个单位：单位名称：姓名（职务）、姓名（职务）。"
    )
    agenda = models.TextField("议程", help_text="每行一项。")
    matters = models.TextField(
        "研究的重大事项和问题",
        blank=True,
        help_text="会议研究的普遍性、倾向性重大事项和需要解决的问题，每行一项。",
    )
    decisions = models.TextField("议定事项", blank=True, help_text="会议议定的事项，每行一项。")
    minutes_number = models.CharField(
        "纪要文号", max_length=60, blank=True, help_text="会议纪要的文号，如 潜府院纪〔2026〕1号。"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="登记会议的用户。",
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
        verbose_name = "府院联席会议"
        verbose_name_plural = "府院联席会议"
        ordering = ["-held_on", "-id"]
        permissions = [("manage_meetings", "登记府院联席会议、任务和年度通报")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("liaison:meeting", self.pk)


class TaskStatus(models.TextChoices):
    """Only the services in liaison.services assign it, through liaison.workflow."""

    OPEN = "open", "落实中"
    DONE = "done", "已办结"


class FollowUpTask(models.Model):
    """A task the meeting gave an agency or another unit, with its due date."""

    Status = TaskStatus

    # No index of its own: task_meeting_idx starts with it.
    meeting = models.ForeignKey(
        JointMeeting,
        verbose_name="会议",
        on_delete=models.CASCADE,
        related_name="tasks",
        db_index=False,
        help_text="布置该任务的联席会议。",
    )
    description = models.CharField(
        "任务", max_length=300, help_text="如 市人社局牵头规范工伤认定调查程序。"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="责任机关",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_tasks",
        help_text="负责落实的行政机关；法院等其他单位的填写“责任单位”。",
    )
    unit = models.CharField(
        "责任单位",
        max_length=100,
        blank=True,
        help_text="不在行政机关名录中的单位，如 市人民法院。",
    )
    due_on = models.DateField("办理期限", help_text="任务应当完成的日期。")
    due_explanation = models.CharField(
        "期限计算说明", max_length=400, blank=True, help_text="办理期限的计算依据和方法。"
    )
    status = models.CharField(
        "状态",
        max_length=10,
        choices=TaskStatus.choices,
        default=TaskStatus.OPEN,
        editable=False,
        help_text="落实中或已办结。",
    )
    done_on = models.DateField("办结日期", null=True, blank=True, help_text="任务完成的日期。")
    done_note = models.TextField("落实情况", blank=True, help_text="任务的落实情况。")
    created_at = models.DateTimeField(
        "登记时间", auto_now_add=True, help_text="保存记录时由系统自动填写。"
    )

    class Meta:
        verbose_name = "会议任务"
        verbose_name_plural = "会议任务"
        ordering = ["meeting_id", "due_on", "id"]
        indexes = [
            # A meeting's page lists its tasks by due date.
            models.Index(fields=["meeting", "due_on"], name="task_meeting_idx"),
            # Open tasks by due date, for the reminders.
            models.Index(fields=["status", "due_on"], name="task_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TaskStatus.values), name="liaison_task_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | ~Q(unit=""), name="liaison_task_has_an_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def owner(self) -> str:
        return self.agency.name if self.agency_id and self.agency else self.unit

    def is_overdue(self, today) -> bool:
        return self.status == TaskStatus.OPEN and today > self.due_on


class AnnualReport(models.Model):
    """A version of the year's report, from the figures frozen when it was issued."""

    year = models.PositiveSmallIntegerField("年度", help_text="通报的年度。")
    version = models.PositiveSmallIntegerField("版本", help_text="同一年度的第几次制发。")
    title = models.CharField("标题", max_length=200, help_text="通报的标题。")
    number = models.CharField("文号", max_length=60, blank=True, help_text="通报的文号（如有）。")
    note = models.CharField(
        "制发说明", max_length=300, blank=True, help_text="再次制发的原因，如 更正某案的裁判结果。"
    )
    # The indicators, tables and the ids of every record counted, as they were at issue.
    snapshot = models.JSONField(
        "数据快照",
        default=dict,
        editable=False,
        help_text="制发报告时冻结的统计数据，之后的数据变化不影响本报告。",
    )
    # What changed since the previous version: figures and records added, removed, changed.
    changes = models.JSONField(
        "与上一版的差异", default=dict, editable=False, help_text="与上一版报告相比数据的变化。"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="制发人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="制发通报的用户。",
    )
    issued_at = models.DateTimeField("制发时间", auto_now_add=True, help_text="制发报告的时间。")

    class Meta:
        verbose_name = "年度通报"
        verbose_name_plural = "年度通报"
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "version"], name="annual_report_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    def get_absolute_url(self) -> str:
        return record_url("liaison:report", self.pk)
