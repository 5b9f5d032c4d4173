"""Mediation: the roster, assignments, sessions, the period's extensions and pauses, endings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.audit import audited
from accounts.models import Court, Office
from cases.models.attachment import Attachment
from cases.models.case import Case
from cases.models.party import Agent, Party
from cases.models.reference import DisputeCategory


class MediatorStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    SUSPENDED = "suspended", "暂停"
    REMOVED = "removed", "除名"


class Mediator(models.Model):
    """An entry of the office's mediator roster (调解员名册, 特邀调解规定第五条至第十条)."""

    Status = MediatorStatus

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.PROTECT,
        related_name="mediator_profile",
        help_text="调解员在系统中的账号，必须属于本工作室。",
    )
    office = models.ForeignKey(
        Office,
        verbose_name="工作室",
        on_delete=models.PROTECT,
        related_name="mediators",
        help_text="调解员所在的工作室，随所选用户的工作室确定。",
    )
    specialities = models.CharField(
        "专业领域", max_length=200, blank=True, help_text="如：征收补偿、社会保障、市场监管。"
    )
    categories = models.ManyToManyField(
        DisputeCategory,
        verbose_name="擅长的争议类别",
        blank=True,
        related_name="mediators",
        help_text="指派调解员时优先推荐。",
    )
    certificate_no = models.CharField(
        "证书编号", max_length=50, blank=True, help_text="调解员证书或聘书上的编号。"
    )
    trained_on = models.DateField(
        "最近培训日期", null=True, blank=True, help_text="最近一次参加调解业务培训的日期。"
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=Status.choices,
        default=Status.ACTIVE,
        editable=False,
        help_text="在管理后台的“名册变动”中暂停、恢复或除名，每次变动留有记录。",
    )
    status_reason = models.CharField(
        "状态原因",
        max_length=300,
        blank=True,
        help_text="暂停或除名的原因及处理（特邀调解规定第二十八条）。",
    )
    created_at = models.DateTimeField(
        "创建时间", auto_now_add=True, help_text="保存记录时由系统自动填写。"
    )
    updated_at = models.DateTimeField(
        "更新时间", auto_now=True, help_text="每次保存时由系统自动更新。"
    )

    # Who changed what, when and from where (accounts/audit.py).
    history = audited()

    class Meta:
        verbose_name = "调解员"
        verbose_name_plural = "调解员名册"
        ordering = ["office", "user__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MediatorStatus.values),
                name="mediator_status_valid",
            ),
            # A mediator who is not active says why.
            models.CheckConstraint(
                condition=Q(status=MediatorStatus.ACTIVE) | ~Q(status_reason=""),
                name="mediator_inactive_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name()

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class MediatorStatusChange(models.Model):
    """One change of a mediator's standing on the roster (特邀调解规定第二十八条)."""

    mediator = models.ForeignKey(
        Mediator,
        verbose_name="调解员",
        on_delete=models.CASCADE,
        related_name="status_changes",
        help_text="发生变动的调解员。",
    )
    action = models.CharField(
        "变动",
        max_length=20,
        help_text="变动的代码：suspend 暂停，reinstate 恢复在册，remove 除名。",
    )
    from_status = models.CharField(
        "原状态",
        max_length=20,
        choices=Mediator.Status.choices,
        help_text="变动前调解员在名册中的状态。",
    )
    to_status = models.CharField(
        "新状态",
        max_length=20,
        choices=Mediator.Status.choices,
        help_text="变动后调解员在名册中的状态。",
    )
    reason = models.CharField("原因", max_length=300, help_text="变动时在“状态原因”中写明的原因。")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="在管理后台作出这次变动的管理员。",
    )
    at = models.DateTimeField("时间", auto_now_add=True, help_text="作出变动的时间。")

    class Meta:
        verbose_name = "名册变动"
        verbose_name_plural = "名册变动"
        ordering = ["mediator_id", "-at", "-id"]

    def __str__(self) -> str:
        return f"{self.mediator} {self.get_from_status_display()}→{self.get_to_status_display()}"


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", "待声明回避情况"
    EFFECTIVE = "effective", "已生效"
    CONFLICT = "conflict", "声明存在利害关系"
    ENDED = "ended", "已更换"


class Assignment(models.Model):
    """A mediator assigned to a case; it takes effect once the conflict check is done."""

    Status = AssignmentStatus

    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="assignments",
        help_text="所属的案件。",
    )
    mediator = models.ForeignKey(
        Mediator,
        verbose_name="调解员",
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text="从本工作室调解员名册中在册的调解员中选择。",
    )
    is_presiding = models.BooleanField(
        "主持调解", default=False, help_text="指派两名以上调解员的，由其中一名主持调解。"
    )
    parties_joint_choice = models.BooleanField(
        "当事人共同选定", default=False, help_text="特邀调解规定第十二条：当事人在名册中共同选定。"
    )
    choice_note = models.CharField(
        "选定情况说明", max_length=300, blank=True, help_text="当事人共同选定调解员的情况。"
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
        editable=False,
        help_text="调解员是否已声明回避情况、是否在任，通过案件页面上的操作改变。",
    )
    declaration_note = models.CharField(
        "回避声明",
        max_length=500,
        blank=True,
        editable=False,
        help_text="调解员声明是否存在应当回避的情形时填写的情况。",
    )
    declared_at = models.DateTimeField(
        "声明时间", null=True, editable=False, help_text="调解员作出回避声明的时间。"
    )
    waiver_note = models.CharField(
        "当事人书面同意说明",
        max_length=500,
        blank=True,
        editable=False,
        help_text="存在回避情形但各方当事人书面同意由其继续调解的情况说明。",
    )
    waiver_attachment = models.ForeignKey(
        Attachment,
        verbose_name="当事人书面同意",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="各方当事人同意该调解员继续调解的书面材料扫描件。",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="指派人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="指派调解员的负责人。",
    )
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True, help_text="作出指派的时间。")
    ended_at = models.DateTimeField(
        "结束时间", null=True, editable=False, help_text="指派结束（回避、更换或结案）的时间。"
    )

    class Meta:
        verbose_name = "调解员指派"
        verbose_name_plural = "调解员指派"
        ordering = ["case_id", "-is_presiding", "assigned_at", "id"]
        constraints = [
            # A mediator is assigned to a case at most once at a time.
            models.UniqueConstraint(
                fields=["case", "mediator"],
                condition=Q(status__in=[AssignmentStatus.PENDING, AssignmentStatus.EFFECTIVE]),
                name="assignment_one_current_per_mediator",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values), name="assignment_status_valid"
            ),
        ]
        indexes = [
            # The head's approvals on the home page (cases.selectors.pending_approvals): the
            # few conflict declarations waiting, without reading every assignment.
            models.Index(
                fields=["case"],
                condition=Q(status=AssignmentStatus.CONFLICT),
                name="assignment_conflict_idx",
            ),
        ]

    def __str__(self) -> str:
        role = "主持调解员" if self.is_presiding else "调解员"
        return f"{self.case} {role} {self.mediator}"

    @property
    def is_current(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.EFFECTIVE)


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "已安排"
    HELD = "held", "已召开"
    CANCELLED = "cancelled", "已取消"


class Session(models.Model):
    """A mediation session (调解会) with who attended, the transcript and the outcome."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "现场调解"
        VIDEO = "video", "视频调解"
        PHONE = "phone", "电话调解"
        SEPARATE = "separate", "背靠背调解"

    Status = SessionStatus

    class Outcome(models.TextChoices):
        PROGRESS = "progress", "取得进展，继续调解"
        AGREEMENT = "agreement", "达成一致意见"
        NO_AGREEMENT = "no_agreement", "未达成一致"
        ADJOURNED = "adjourned", "改期"

    # No index of its own: session_number_unique starts with it.
    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="sessions",
        db_index=False,
        help_text="所属的案件。",
    )
    number = models.PositiveSmallIntegerField(
        "次序", help_text="本案第几次调解会，安排时自动编号。"
    )
    # No index of its own: session_agenda_idx starts with it.
    scheduled_at = models.DateTimeField("时间", help_text="调解会开始的日期和时间。")
    place = models.CharField("地点", max_length=200, help_text="调解会的地点，如 工作室调解室。")
    mode = models.CharField(
        "方式", max_length=20, choices=Mode.choices, help_text="调解会的组织方式。"
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=Status.choices,
        default=Status.SCHEDULED,
        editable=False,
        help_text="调解会已安排、已召开或已取消，通过案件页面上的操作改变。",
    )
    attending_parties = models.ManyToManyField(
        Party,
        verbose_name="到场当事人",
        blank=True,
        related_name="sessions_attended",
        help_text="实际到场参加本次调解的当事人。",
    )
    attending_agents = models.ManyToManyField(
        Agent,
        verbose_name="到场代理人",
        blank=True,
        related_name="sessions_attended",
        help_text="实际到场参加本次调解的代理人。",
    )
    attending_mediators = models.ManyToManyField(
        Mediator,
        verbose_name="参加的调解员",
        blank=True,
        related_name="sessions_attended",
        help_text="参加本次调解的调解员。",
    )
    invited_persons = models.CharField(
        "特邀人员",
        max_length=300,
        blank=True,
        help_text="邀请参加的人员及身份（特邀调解规定第十七条），如：社区干部 张三。",
    )
    agency_attendee = models.CharField(
        "行政机关出席人员", max_length=100, blank=True, help_text="姓名及职务。"
    )
    agency_principal_attended = models.BooleanField(
        "行政机关主要负责人亲自出席",
        null=True,
        blank=True,
        help_text="正职负责人（一把手）本人出席的选“是”。",
    )
    transcript = models.TextField(
        "调解笔录",
        blank=True,
        help_text="记录时间、地点、参加人员和各方陈述，打印后由参加人员签字。",
    )
    transcript_version = models.PositiveIntegerField(
        "笔录版本",
        default=0,
        editable=False,
        help_text="每次修改笔录加一，防止两人同时修改互相覆盖。",
    )
    transcript_scan = models.ForeignKey(
        Attachment,
        verbose_name="签字笔录扫描件",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="参加人员签字后的调解笔录扫描件。",
    )
    outcome = models.CharField(
        "结果",
        max_length=20,
        choices=Outcome.choices,
        blank=True,
        help_text="本次调解的结果；记录笔录的必须选择。",
    )
    outcome_note = models.CharField(
        "结果说明", max_length=500, blank=True, help_text="结果的简要说明，如 改期的原因。"
    )
    cancel_reason = models.CharField(
        "取消原因",
        max_length=300,
        blank=True,
        editable=False,
        help_text="取消调解会时在“取消”操作中填写的原因。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="安排人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="安排调解会的用户。",
    )
    created_at = models.DateTimeField(
        "创建时间", auto_now_add=True, help_text="保存记录时由系统自动填写。"
    )
    updated_at = models.DateTimeField(
        "更新时间", auto_now=True, help_text="每次保存时由系统自动更新。"
    )

    class Meta:
        verbose_name = "调解会"
        verbose_name_plural = "调解会"
        ordering = ["case_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="session_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=SessionStatus.values), name="session_status_valid"
            ),
        ]
        indexes = [
            # The agenda: sessions of a week, in time order.
            models.Index(fields=["scheduled_at", "status"], name="session_agenda_idx"),
        ]

    def __str__(self) -> str:
        return f"第{self.number}次调解（{self.scheduled_at:%Y-%m-%d %H:%M}）"


class UndisputedFacts(models.Model):
    """The record of facts both sides accept, kept when mediation fails (在线调解规则第二十二条)."""

    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="undisputed_facts",
        help_text="所属的案件。",
    )
    text = models.TextField(
        "无争议事实", max_length=10000, help_text="调解不成时，双方当事人均认可的事实。"
    )
    signed_on = models.DateField(
        "签字日期", null=True, blank=True, help_text="当事人签字确认的日期。"
    )
    signed_scan = models.ForeignKey(
        Attachment,
        verbose_name="签字扫描件",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="当事人签字的无争议事实确认书扫描件。",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="记录无争议事实的用户。",
    )
    created_at = models.DateTimeField(
        "记录时间", auto_now_add=True, help_text="记录无争议事实的时间。"
    )

    class Meta:
        verbose_name = "无争议事实记录"
        verbose_name_plural = "无争议事实记录"
        ordering = ["case_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.case} 无争议事实"


class Decision(models.TextChoices):
    PROPOSED = "proposed", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"


class HeadApproval(models.Model):
    """A proposal the office head approves or rejects (an extension, a termination)."""

    status = models.CharField(
        "审批",
        max_length=20,
        choices=Decision.choices,
        default=Decision.PROPOSED,
        editable=False,
        help_text="待审批、已批准或未批准，由负责人在案件页面上审批。",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提出人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="提出申请的调解员。",
    )
    proposed_at = models.DateTimeField("提出时间", auto_now_add=True, help_text="提出申请的时间。")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        help_text="审批申请的负责人。",
    )
    decided_at = models.DateTimeField(
        "审批时间", null=True, editable=False, help_text="负责人作出审批决定的时间。"
    )
    decision_note = models.CharField(
        "审批意见",
        max_length=500,
        blank=True,
        editable=False,
        help_text="负责人审批时填写的意见；不批准的应说明理由。",
    )

    class Meta:
        abstract = True

    @property
    def is_approved(self) -> bool:
        return self.status == Decision.APPROVED


class Extension(HeadApproval):
    """An extension of the mediation period with every party's consent (特邀调解规定第二十七条)."""

    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="extensions",
        help_text="所属的案件。",
    )
    days = models.PositiveSmallIntegerField(
        "延长天数", help_text="调解期限延长的天数，按自然日计算。"
    )
    reason = models.CharField("理由", max_length=500, help_text="需要延长调解期限的理由。")
    consenting_parties = models.ManyToManyField(
        Party,
        verbose_name="同意延长的当事人",
        related_name="extensions_consented",
        help_text="须经全体当事人同意（《特邀调解规定》第二十七条）。",
    )
    consent_form = models.ForeignKey(
        Attachment,
        verbose_name="延长调解期限同意书",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="各方当事人签字的延长调解期限同意书扫描件。",
    )
    court_notified_on = models.DateField(
        "告知法院日期", null=True, editable=False, help_text="委派案件延长调解期限应告知委派法院。"
    )
    court_notified_note = models.CharField(
        "告知方式",
        max_length=200,
        blank=True,
        editable=False,
        help_text="告知委派法院的方式，如 电话告知 王法官。",
    )

    class Meta:
        verbose_name = "延长调解期限"
        verbose_name_plural = "延长调解期限"
        ordering = ["case_id", "proposed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="extension_days_positive"),
            models.CheckConstraint(
                condition=Q(status__in=Decision.values), name="extension_status_valid"
            ),
        ]
        indexes = [
            # The head's approvals on the home page (cases.selectors.pending_approvals): the
            # few proposals waiting, without reading the decided ones.
            models.Index(
                fields=["case"],
                condition=Q(status=Decision.PROPOSED),
                name="extension_proposed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} 延长{self.days}日"


class Suspension(models.Model):
    """A pause of the mediation period (中止); the days between start and end do not count."""

    class Reason(models.TextChoices):
        APPRAISAL = "appraisal", "鉴定、评估"
        FALSE_MEDIATION = "false_mediation", "涉嫌虚假调解"
        PARTY_INCAPACITY = "party_incapacity", "当事人死亡、丧失行为能力，待确定继承人或代理人"
        FORCE_MAJEURE = "force_majeure", "不可抗力"
        OTHER = "other", "其他"

    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="suspensions",
        help_text="所属的案件。",
    )
    reason = models.CharField(
        "中止原因", max_length=30, choices=Reason.choices, help_text="需要中止调解的原因。"
    )
    note = models.CharField(
        "说明", max_length=500, blank=True, help_text="中止的具体情况，如 委托鉴定的事项和机构。"
    )
    started_on = models.DateField("中止日期", help_text="自该日起不计入调解期限。")
    ended_on = models.DateField(
        "恢复日期", null=True, blank=True, help_text="恢复调解之日，自该日起继续计算。"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="中止人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="中止调解的用户。",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="恢复人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="恢复调解的用户。",
    )

    class Meta:
        verbose_name = "中止调解"
        verbose_name_plural = "中止调解"
        ordering = ["case_id", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="suspension_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} 中止（{self.get_reason_display()}）"


class TerminationReason(models.TextChoices):
    """DOMAIN.md §2.4 (特邀调解规定第二十六条；在线调解规则第二十五条)."""

    PARTY_WITHDREW = "party_withdrew", "当事人撤回调解请求"
    PARTY_REFUSED = "party_refused", "当事人明确拒绝继续调解"
    GAP_TOO_WIDE = "gap_too_wide", "当事人分歧较大，难以达成协议"
    UNREACHABLE = "unreachable", "调解期限内无法联系到当事人"
    PERIOD_EXPIRED = "period_expired", "调解期限届满且未同意延长"
    REFUSED_TO_SIGN = "refused_to_sign", "当事人拒绝在调解协议上签字"
    SETTLED_PRIVATELY = "settled_privately", "当事人自行和解"
    FALSE_MEDIATION = "false_mediation", "涉嫌虚假调解"
    OTHER = "other", "其他"


class Termination(HeadApproval):
    """Ending mediation without agreement: proposed by the mediator, approved by the head."""

    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="terminations",
        help_text="所属的案件。",
    )
    reason = models.CharField(
        "终止原因",
        max_length=30,
        choices=TerminationReason.choices,
        help_text="终止调解的情形（特邀调解规定第二十六条）。",
    )
    note = models.TextField(
        "具体情况", max_length=3000, help_text="调解经过和终止的理由；委派案件据此向法院报告。"
    )
    channels = models.JSONField(
        "救济途径和期限",
        default=list,
        blank=True,
        editable=False,
        help_text="批准时计算的其他救济途径及其期限，用于终止调解告知书。",
    )

    class Meta:
        verbose_name = "终止调解"
        verbose_name_plural = "终止调解"
        ordering = ["case_id", "proposed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Decision.values), name="termination_status_valid"
            ),
        ]
        indexes = [
            # The head's approvals on the home page (cases.selectors.pending_approvals): the
            # few proposals waiting, without reading the decided ones.
            models.Index(
                fields=["case"],
                condition=Q(status=Decision.PROPOSED),
                name="termination_proposed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} 终止调解（{self.get_reason_display()}）"


class CourtReport(models.Model):
    """The written report to the referring court when a referral ends without agreement."""

    class Kind(models.TextChoices):
        TERMINATION = "termination", "终止调解情况报告"
        WITHDRAWAL = "withdrawal", "撤回调解情况报告"

    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="court_reports",
        help_text="所属的案件。",
    )
    # No index of its own: courtreport_queue_time_idx starts with it.
    court = models.ForeignKey(
        Court,
        verbose_name="法院",
        on_delete=models.PROTECT,
        related_name="reports",
        db_index=False,
        help_text="接收报告的法院。",
    )
    kind = models.CharField(
        "报告类型",
        max_length=20,
        choices=Kind.choices,
        help_text="向法院报告的事项，如 调解不成转立案。",
    )
    summary = models.TextField("基本情况和理由", help_text="案件的基本情况和报告的理由。")
    materials = models.TextField("移送材料", blank=True, help_text="随报告移送法院的材料清单。")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="向法院报送的用户。",
    )
    created_at = models.DateTimeField("报送时间", auto_now_add=True, help_text="向法院报送的时间。")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="法院接收人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="在系统中接收报告的法院联络员。",
    )
    received_at = models.DateTimeField(
        "接收时间", null=True, blank=True, help_text="法院联络员接收报告的时间。"
    )
    filed_case_no = models.CharField(
        "立案案号",
        max_length=60,
        blank=True,
        help_text="转立案后法院的案号，如（2026）鄂9005行初12号。",
    )
    filed_on = models.DateField(
        "立案日期", null=True, blank=True, help_text="转立案后法院登记立案的日期。"
    )

    class Meta:
        verbose_name = "报送法院报告"
        verbose_name_plural = "报送法院报告"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The court liaison's queue (cases.views.mediation.court_reports): their court's
            # reports not yet filed, newest first, one page read in index order.
            models.Index(
                fields=["court", "filed_case_no", "-created_at", "-id"],
                name="courtreport_queue_time_idx",
            ),
            # The same queue with the filed reports too (court_reports, show=all): the
            # court's reports newest first, and their COUNT.
            models.Index(fields=["court", "-created_at", "-id"], name="courtreport_court_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"
