"""The case record, its referral, claims, timeline and number sequences."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accounts.links import record_url
from accounts.models import Court, Office
from cases.models.reference import Agency, DisputeCategory
from cases.models.search import (
    CASE_FIELDS,
    CASE_KINDS,
    REFERRAL_FIELDS,
    REFERRAL_KINDS,
    case_terms,
    changes_terms,
    referral_terms,
    replace_terms,
)
from cases.plausibility import not_before_error, not_negative, past_date_error


class Status(models.TextChoices):
    """The case's state (DOMAIN.md §2.2). Only the services in cases.services assign it."""

    # Registration of a self-accepted dispute
    REGISTERED = "registered", "已登记"  # registration number assigned, awaiting the head
    AWAITING_SUPPLEMENT = "awaiting_supplement", "待补正"  # one-time list of missing items sent
    # Court referrals
    REFERRAL_UNCONFIRMED = (
        "referral_unconfirmed",
        "委派待法院确认",
    )  # paper letter recorded by a clerk
    REFERRAL_PENDING = "referral_pending", "委派待签收"  # the office must answer in 3 working days
    REFERRAL_REJECTED = "referral_rejected", "法院未确认委派"  # the court disowned the paper letter
    REFERRAL_RETURNED = "referral_returned", "已退回委派"  # the office declined the referral
    # Acceptance
    ACCEPTED = "accepted", "已受理"  # case number assigned; the mediation period runs
    DECLINED = "declined", "不予受理"
    # Mediation
    ASSIGNED = "assigned", "已指派调解员"
    IN_MEDIATION = "in_mediation", "调解中"
    SUSPENDED = "suspended", "调解中止"  # the mediation period is paused
    AGREED = "agreed", "达成协议"  # the agreement, confirmation and performance follow
    TERMINATED = "terminated", "调解终止"
    WITHDRAWN = "withdrawn", "申请人撤回"
    TRANSFERRED_TO_FILING = "transferred_to_filing", "已转立案"
    # End of the file
    CLOSED = "closed", "已结案"
    ARCHIVED = "archived", "已归档"


OPEN_STATUSES = frozenset(
    {
        Status.REGISTERED,
        Status.AWAITING_SUPPLEMENT,
        Status.REFERRAL_UNCONFIRMED,
        Status.REFERRAL_PENDING,
        Status.ACCEPTED,
        Status.ASSIGNED,
        Status.IN_MEDIATION,
        Status.SUSPENDED,
        Status.AGREED,
    }
)
# States in which the case record itself (parties, act, claims) may still be edited.
EDITABLE_STATUSES = OPEN_STATUSES | {
    Status.TERMINATED,
    Status.WITHDRAWN,
    Status.TRANSFERRED_TO_FILING,
}


class Source(models.TextChoices):
    SELF = "self", "自行受理"
    COURT_REFERRAL = "court_referral", "法院委派"
    TRANSFERRED = "transferred", "其他部门转来"


class ActType(models.TextChoices):
    """Second-level causes of action (法发〔2020〕44号)."""

    PENALTY = "penalty", "行政处罚"
    COERCIVE_MEASURE = "coercive_measure", "行政强制措施"
    COERCIVE_ENFORCEMENT = "coercive_enforcement", "行政强制执行"
    LICENSING = "licensing", "行政许可"
    EXPROPRIATION = "expropriation", "行政征收或者征用"
    REGISTRATION = "registration", "行政登记"
    CONFIRMATION = "confirmation", "行政确认"
    BENEFIT = "benefit", "行政给付"
    PROMISE = "promise", "行政允诺"
    LEVY = "levy", "行政征缴"
    REWARD = "reward", "行政奖励"
    CHARGE = "charge", "行政收费"
    INFO_DISCLOSURE = "info_disclosure", "政府信息公开"
    APPROVAL_REPLY = "approval_reply", "行政批复"
    HANDLING = "handling", "行政处理"
    RECONSIDERATION = "reconsideration", "行政复议"
    ADJUDICATION = "adjudication", "行政裁决"
    AGREEMENT = "agreement", "行政协议"
    COMPENSATION_LAWFUL = "compensation_lawful", "行政补偿"
    COMPENSATION = "compensation", "行政赔偿"
    INACTION = "inaction", "不履行职责"
    PUBLIC_INTEREST = "public_interest", "公益诉讼"


class Art60Basis(models.TextChoices):
    """The basis on which the office treats the dispute as mediable (行政诉讼法第六十条)."""

    COMPENSATION = "compensation", "行政赔偿"
    LAWFUL_ACT_COMPENSATION = "lawful_act_compensation", "行政补偿"
    DISCRETION = "discretion", "自由裁量权范围内"
    COORDINATION = "coordination", "其他：协调行政机关自行撤销或变更、申请人撤回"


class DeclineReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", "不属于行政争议或受理范围"
    NOT_MEDIABLE = "not_mediable", "不属可调解范围或调解可能损害公共利益、他人合法权益"
    RESPONDENT_REFUSES = "respondent_refuses", "被申请人明确拒绝调解"
    PENDING_ELSEWHERE = "pending_elsewhere", "同一争议已进入行政复议或诉讼程序"
    RECONSIDERATION_FIRST = "reconsideration_first", "属复议前置事项"
    OTHER = "other", "其他"


class ReferralReturnReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", "超出本工作室受理范围"
    OUT_OF_EXPERTISE = "out_of_expertise", "超出调解员专业领域"
    CONFLICT = "conflict", "存在利益冲突"
    OTHER = "other", "其他"


# The fields of the case record staff edit through the case form (the rest are set by
# services: numbers, status, dates of decisions).
CASE_RECORD_FIELDS = (
    "source",
    "transferred_from",
    "received_date",
    "category",
    "act_type",
    "agency",
    "act_document_no",
    "act_date",
    "act_served_date",
    "act_known_date",
    "remedy_notified",
    "involves_real_property",
    "is_inaction",
    "duty_requested_date",
    "reconsideration_decision_date",
    "facts_and_reasons",
    "persons_affected",
    "amount_in_dispute",
    "risk_mass_dispute",
    "risk_public_attention",
    "risk_public_interest",
    "art60_basis",
    "art60_note",
    "reconsideration_first_notified",
)


# Dates of what has happened: not in the future, not before 1950.
CASE_RECORD_DATES = (
    "received_date",
    "act_date",
    "act_served_date",
    "act_known_date",
    "duty_requested_date",
    "reconsideration_decision_date",
)
# Dates that cannot come before the act in dispute.
AFTER_THE_ACT = (
    "act_served_date",
    "act_known_date",
    "received_date",
    "reconsideration_decision_date",
)


class CaseQuerySet(models.QuerySet):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Case(models.Model):
    """One administrative dispute handled by an office."""

    # The states, for templates to compare with (case.Status.CLOSED), as every other
    # record with a status has them.
    Status = Status

    # No index of its own: the office indexes (Meta.indexes) and the number constraints start
    # with it.
    office = models.ForeignKey(
        Office,
        verbose_name="工作室",
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
        help_text="办理本案的工作室；其他工作室的人员看不到本案。",
    )
    # No index of its own: case_court_referral_idx starts with it.
    court = models.ForeignKey(
        Court,
        verbose_name="关联法院",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text="委派法院；该院法院联络员可以查看本案。",
        db_index=False,
    )
    source = models.CharField(
        "案件来源",
        max_length=20,
        choices=Source.choices,
        help_text="申请人直接申请的为自行受理；其他部门转来的须填写移送部门。",
    )
    transferred_from = models.CharField(
        "移送部门", max_length=100, blank=True, help_text="其他部门转来的，填写移送部门名称。"
    )
    status = models.CharField(
        "状态",
        max_length=30,
        choices=Status.choices,
        editable=False,
        db_index=True,
        help_text="案件所处的阶段，只能通过案件页面上的操作改变。",
    )
    # NULL until assigned, so the per-office unique constraints ignore unnumbered cases.
    registration_no = models.CharField(  # noqa: DJ001
        "登记号",
        max_length=60,
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="登记时按工作室和年度自动编号。",
    )
    case_no = models.CharField(  # noqa: DJ001
        "案号",
        max_length=60,
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="受理时按工作室和年度自动编号。",
    )
    received_date = models.DateField("收到申请日期", help_text="收到调解申请或委派材料的日期。")
    category = models.ForeignKey(
        DisputeCategory,
        verbose_name="争议类别",
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="类别决定是否属第六十条可调解范围、是否属复议前置事项。",
    )

    # The administrative act in dispute
    act_type = models.CharField(
        "行政行为种类",
        max_length=30,
        choices=ActType.choices,
        help_text="按行政案件案由（法发〔2020〕44号）选择争议的行政行为种类。",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="作出行政行为的机关",
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="从行政机关名录中选择；名录中没有的，请联系系统管理员添加。",
    )
    act_document_no = models.CharField(
        "行政行为文号",
        max_length=100,
        blank=True,
        help_text="如 潜人社工认〔2024〕12号。格式与常见文号不同时只提示，不阻止保存。",
    )
    act_date = models.DateField(
        "行政行为作出日期", null=True, blank=True, help_text="行政决定书等文书上载明的日期。"
    )
    act_served_date = models.DateField(
        "送达日期", null=True, blank=True, help_text="行政行为文书送达申请人的日期。"
    )
    act_known_date = models.DateField(
        "申请人知道或应当知道日期",
        null=True,
        blank=True,
        help_text="起诉期限和复议期限自此日起算。",
    )
    remedy_notified = models.BooleanField(
        "已告知复议、诉讼权利和期限",
        default=True,
        help_text="行政机关未告知的，起诉期限最长为一年、复议期限最长为一年。",
    )
    involves_real_property = models.BooleanField(
        "涉及不动产", default=False, help_text="涉及不动产的，最长起诉期限为二十年。"
    )
    is_inaction = models.BooleanField(
        "行政不作为",
        default=False,
        help_text="申请人认为行政机关不履行法定职责的勾选，并填写申请履行职责日期。",
    )
    duty_requested_date = models.DateField(
        "申请履行职责日期",
        null=True,
        blank=True,
        help_text="行政机关收到履行法定职责申请之日，满两个月未履行的可以起诉。",
    )
    reconsideration_decision_date = models.DateField(
        "收到复议决定日期",
        null=True,
        blank=True,
        help_text="已经过行政复议的，收到复议决定书之日，十五日内可以起诉。",
    )

    # The dispute
    facts_and_reasons = models.TextField(
        "事实和理由", max_length=10000, help_text="申请人陈述的争议经过和申请调解的理由。"
    )
    persons_affected = models.PositiveIntegerField(
        "涉及人数", default=1, help_text="争议涉及的人数，至少为1；少于申请人人数的会提示核对。"
    )
    amount_in_dispute = models.DecimalField(
        "争议金额（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[not_negative],
        help_text="争议涉及的金额，精确到分；不涉及金额的留空。",
    )
    risk_mass_dispute = models.BooleanField(
        "群体性纠纷风险", default=False, help_text="涉及人数众多、可能引发群体性事件的勾选。"
    )
    risk_public_attention = models.BooleanField(
        "社会关注度高", default=False, help_text="已引起媒体报道或社会广泛关注的勾选。"
    )
    risk_public_interest = models.BooleanField(
        "涉及重大公共利益", default=False, help_text="处理结果可能影响重大公共利益的勾选。"
    )
    art60_basis = models.CharField(
        "可调解依据",
        max_length=30,
        choices=Art60Basis.choices,
        blank=True,
        help_text="争议类别不属第六十条可调解范围时必须选择工作室据以调解的依据。",
    )
    art60_note = models.CharField(
        "可调解依据说明",
        max_length=500,
        blank=True,
        help_text="补充说明工作室据以调解的具体情况。",
    )
    reconsideration_first_notified = models.BooleanField(
        "已告知复议前置",
        default=False,
        help_text="属复议前置事项的，已告知申请人应当先申请行政复议。",
    )

    review_started_on = models.DateField(
        "受理审查起算日",
        null=True,
        editable=False,
        help_text="登记之日；补正材料收到后重新起算。",
    )

    # Supplement (一次性告知)
    supplement_items = models.JSONField(
        "补正事项",
        default=list,
        blank=True,
        editable=False,
        help_text="一次性告知申请人需要补正的材料和事项。",
    )
    supplement_requested_on = models.DateField(
        "补正通知日期",
        null=True,
        editable=False,
        help_text="发出补正通知的日期，通过“通知补正”操作填写。",
    )
    supplement_due = models.DateField(
        "补正期限", null=True, editable=False, help_text="申请人应当提交补正材料的最后日期。"
    )

    # Outcome of acceptance
    accepted_on = models.DateField(
        "受理日期", null=True, editable=False, help_text="委派案件为签收日期；调解期限自次日起算。"
    )
    decline_reason = models.CharField(
        "不予受理理由",
        max_length=30,
        choices=DeclineReason.choices,
        blank=True,
        editable=False,
        help_text="不予受理时在“不予受理”操作中选择的理由。",
    )
    decline_note = models.TextField(
        "不予受理说明",
        blank=True,
        editable=False,
        help_text="不予受理时填写的具体情况，写入不予受理通知书。",
    )
    channel_guidance = models.TextField(
        "救济途径指引", blank=True, editable=False, help_text="告知申请人可以选择的其他救济途径。"
    )

    # Mediation
    mediation_period_days = models.PositiveSmallIntegerField(
        "调解期限（日）",
        null=True,
        editable=False,
        help_text="受理时确定：委派案件30日，自行受理案件按工作室当时的设置；之后修改设置不影响本案。",
    )
    mediation_due = models.DateField(
        "调解期限届满日",
        null=True,
        editable=False,
        help_text="由期限计算引擎根据受理日期、延长和中止计算；中止期间为空。",
    )
    withdrawn_on = models.DateField(
        "撤回日期",
        null=True,
        editable=False,
        help_text="申请人撤回调解申请的日期，通过“撤回申请”操作填写。",
    )
    withdrawal_note = models.TextField(
        "撤回情况", blank=True, editable=False, help_text="撤回申请时填写的撤回方式和原因。"
    )
    closed_on = models.DateField(
        "结案日期", null=True, editable=False, help_text="结案的日期，通过“结案”操作填写。"
    )
    closing_note = models.TextField(
        "结案说明", blank=True, editable=False, help_text="结案时填写的结案情况说明。"
    )
    archived_on = models.DateField(
        "归档日期", null=True, editable=False, help_text="案卷归档的日期，通过“归档”操作填写。"
    )
    archive_no = models.CharField(
        "档案号",
        max_length=60,
        blank=True,
        editable=False,
        help_text="归档时填写的档案号，按工作室档案编号规则编写。",
    )

    # Deadlines kept current by the services so lists can filter on them.
    # No index of its own: every list reads it within an office (case_office_deadline_idx).
    next_deadline = models.DateField(
        "最近期限",
        null=True,
        editable=False,
        help_text="本案尚未届满的最近一个期限，由系统根据各项期限计算。",
    )
    next_deadline_label = models.CharField(
        "最近期限事项",
        max_length=50,
        blank=True,
        editable=False,
        help_text="最近期限的名称，仅供显示。",
    )
    next_deadline_code = models.CharField(
        "最近期限代码",
        max_length=30,
        blank=True,
        editable=False,
        help_text="期限种类的代码（如 mediation、obligation），提醒按代码而不按名称区分。",
    )

    version = models.PositiveIntegerField(
        "版本", default=1, editable=False, help_text="每次修改加一，防止两人同时修改互相覆盖。"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="登记本案的用户。",
    )
    created_at = models.DateTimeField(
        "创建时间", auto_now_add=True, help_text="保存记录时由系统自动填写。"
    )
    updated_at = models.DateTimeField(
        "更新时间", auto_now=True, help_text="每次保存时由系统自动更新。"
    )
    submission_token = models.UUIDField(
        "登记表标识",
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="登记表打开时生成，同一份表提交两次只登记一次。",
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-received_date", "-id"]
        permissions = [
            ("register_case", "登记自行受理案件"),
            ("request_supplement", "通知补正"),
            ("accept_case", "受理或不予受理"),
            ("create_referral", "创建法院委派"),
            ("record_referral", "录入纸质委派函"),
            ("approve_referral", "确认纸质委派函"),
            ("sign_for_referral", "签收委派"),
            ("return_referral", "退回委派"),
            ("view_full_id", "查看完整身份证号码"),
            ("assign_mediator", "指派调解员"),
            ("conduct_mediation", "安排调解会、记录笔录、提出延长或终止"),
            ("approve_mediation", "批准延长、中止和终止调解"),
            ("record_withdrawal", "记录申请人撤回"),
            ("transfer_to_filing", "登记转立案"),
            ("close_case", "结案"),
            ("view_dashboard", "查看期限提醒和调解日程"),
            ("archive_case", "归档"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_valid"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="case_source_valid"),
            # Numbers are unique within their office (each office has its own prefix).
            models.UniqueConstraint(
                fields=["office", "registration_no"], name="case_registration_no_unique"
            ),
            models.UniqueConstraint(fields=["office", "case_no"], name="case_case_no_unique"),
            models.CheckConstraint(
                condition=Q(amount_in_dispute__isnull=True) | Q(amount_in_dispute__gte=0),
                name="case_amount_not_negative",
            ),
            # A court referral always names its court.
            models.CheckConstraint(
                condition=~Q(source=Source.COURT_REFERRAL) | Q(court__isnull=False),
                name="case_referral_has_court",
            ),
        ]
        indexes = [
            # The register (cases.selectors.case_list): an office's cases, newest first, one
            # page read in index order with the id as tie-breaker; its COUNT is an index-only
            # scan of this narrow index.
            models.Index(
                fields=["office", "-received_date", "-id"], name="case_office_received_id_idx"
            ),
            # The register filtered by state (case_list with a status) and the home page's
            # queues and their counts (office_queues): an office's cases in one state.
            models.Index(
                fields=["office", "status", "-received_date", "-id"],
                name="case_office_status_idx",
            ),
            # The deadline dashboard (deadline_dashboard: next_deadline <= today + horizon,
            # in due order); also the register's deadline filters and sort. (The mediator's
            # home list, mediator_workload, sorts the few cases of one mediator itself.)
            models.Index(fields=["office", "next_deadline", "id"], name="case_office_deadline_idx"),
            # The court liaison's referrals: their home queues (court_queues: by state, the
            # returned ones last changed first, and their counts), the referral list's tabs
            # and its COUNT (court_referral_count: court and source, an index-only scan).
            models.Index(
                fields=["court", "source", "status", "-updated_at", "id"],
                name="case_court_referral_idx",
            ),
            # The home page's queues (cases.selectors.office_queues, court_queues): the first
            # cases of a waiting state in the queue's order, read from the index in that
            # order instead of sorting every case in the state. Partial: only the cases
            # waiting in that state.
            models.Index(
                fields=["office", "status", "next_deadline", "id"],
                condition=Q(status__in=[Status.REFERRAL_PENDING, Status.REGISTERED]),
                name="case_queue_deadline_idx",
            ),
            models.Index(
                fields=["office", "supplement_due", "id"],
                condition=Q(status=Status.AWAITING_SUPPLEMENT),
                name="case_queue_supplement_idx",
            ),
            models.Index(
                fields=["court", "source", "next_deadline", "id"],
                condition=Q(status=Status.REFERRAL_PENDING),
                name="case_court_pending_idx",
            ),
            models.Index(
                fields=["court", "source", "received_date", "id"],
                condition=Q(status=Status.REFERRAL_UNCONFIRMED),
                name="case_court_unconfirmed_idx",
            ),
            # The office figures of a period: the cases closed in it, city-wide or an office's.
            models.Index(fields=["closed_on"], name="case_closed_idx"),
            models.Index(fields=["office", "closed_on"], name="case_office_closed_idx"),
        ]

    def __str__(self) -> str:
        return self.number or f"案件 {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        fresh = self._state.adding
        super().save(*args, **kwargs)
        if changes_terms(kwargs.get("update_fields"), CASE_FIELDS):
            replace_terms(case_terms(self), case_id=self.pk, kinds=CASE_KINDS, fresh=fresh)

    def get_absolute_url(self) -> str:
        return record_url("cases:detail", self.pk)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        for name in CASE_RECORD_DATES:
            label = str(self._meta.get_field(name).verbose_name)
            if message := past_date_error(getattr(self, name), label):
                errors[name] = message
        for name in AFTER_THE_ACT:
            label = str(self._meta.get_field(name).verbose_name)
            message = not_before_error(
                getattr(self, name), label, self.act_date, "行政行为作出日期"
            )
            if message and name not in errors:
                errors[name] = message
        if errors:
            raise ValidationError(errors)

    @property
    def number(self) -> str:
        """The number people use: the case number once accepted, else the registration number."""
        return self.case_no or self.registration_no or ""

    @property
    def display_number(self) -> str:
        """The number, or for a referral not yet signed for, its letter number."""
        if self.number:
            return self.number
        if self.is_referral:
            try:
                return f"委派函{self.referral.letter_no}"
            except Referral.DoesNotExist:
                pass
        return "（未编号）"

    @property
    def is_referral(self) -> bool:
        return self.source == Source.COURT_REFERRAL

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def risk_flags(self) -> list[str]:
        flags = []
        if self.risk_mass_dispute:
            flags.append("群体性纠纷风险")
        if self.risk_public_attention:
            flags.append("社会关注度高")
        if self.risk_public_interest:
            flags.append("涉及重大公共利益")
        return flags


class Referral(models.Model):
    """The court's referral (委派) of a dispute before filing."""

    class Origin(models.TextChoices):
        COURT = "court", "法院联络员在线委派"
        PAPER = "paper", "工作室录入纸质委派函"

    case = models.OneToOneField(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="referral",
        help_text="委派调解对应的案件。",
    )
    origin = models.CharField(
        "来源",
        max_length=10,
        choices=Origin.choices,
        help_text="法院联络员在系统中委派，或工作室登记法院的纸质委派函。",
    )
    letter_no = models.CharField("委派函编号", max_length=60, help_text="委派调解函上的编号。")
    letter_date = models.DateField("委派日期", help_text="委派调解函落款的日期。")
    court_prefiling_no = models.CharField(
        "法院诉前调解号", max_length=60, blank=True, help_text="如（2025）鄂9005行诉前调12号。"
    )
    complaint_received_date = models.DateField(
        "法院收到起诉状日期", help_text="是否以此日确定起诉日期尚无明确规定，先行记录。"
    )
    parties_consent = models.BooleanField(
        "当事人同意委派调解", default=False, help_text="《特邀调解规定》第十一条：经当事人同意。"
    )
    consent_note = models.CharField(
        "同意情况说明", max_length=300, blank=True, help_text="当事人以何种方式、何时同意委派调解。"
    )
    materials = models.TextField(
        "移送材料清单", blank=True, help_text="法院随委派函移送的材料，如 起诉状、证据材料。"
    )
    pending_since = models.DateField(
        "待签收起始日",
        null=True,
        editable=False,
        help_text="委派生效、工作室可以签收之日；三个工作日答复期限自次日起算。",
    )
    answer_due = models.DateField(
        "答复期限", null=True, editable=False, help_text="工作室应当答复是否接收委派的最后日期。"
    )
    court_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="法院确认人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        help_text="确认或不予确认纸质委派的法院联络员。",
    )
    court_decided_at = models.DateTimeField(
        "法院确认时间",
        null=True,
        editable=False,
        help_text="法院联络员确认或不予确认纸质委派的时间。",
    )
    court_rejection_reason = models.TextField(
        "法院不予确认理由",
        blank=True,
        editable=False,
        help_text="法院不予确认纸质委派时填写的理由。",
    )
    signed_for_on = models.DateField(
        "签收日期",
        null=True,
        editable=False,
        help_text="工作室签收委派的日期，调解期限自次日起算。",
    )
    return_reason = models.CharField(
        "退回理由",
        max_length=30,
        choices=ReferralReturnReason.choices,
        blank=True,
        editable=False,
        help_text="退回委派时在“退回法院”操作中选择的理由。",
    )
    return_note = models.TextField(
        "退回说明", blank=True, editable=False, help_text="退回委派时填写的具体情况。"
    )

    class Meta:
        verbose_name = "法院委派"
        verbose_name_plural = "法院委派"
        ordering = ["-letter_date", "-id"]
        indexes = [
            # The court liaison's referral list (cases.selectors.court_referrals): the newest
            # letters first, read in this order page by page.
            models.Index(fields=["-letter_date", "-case"], name="referral_letter_idx"),
        ]

    def __str__(self) -> str:
        return self.letter_no

    def save(self, *args: Any, **kwargs: Any) -> None:
        fresh = self._state.adding
        super().save(*args, **kwargs)
        if changes_terms(kwargs.get("update_fields"), REFERRAL_FIELDS):
            replace_terms(
                referral_terms(self), case_id=self.case_id, kinds=REFERRAL_KINDS, fresh=fresh
            )

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        replace_terms((), case_id=self.case_id, kinds=REFERRAL_KINDS)
        return super().delete(*args, **kwargs)


class Claim(models.Model):
    """One numbered request (请求事项) of the applicant."""

    # No index of its own: claim_number_unique starts with it.
    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="claims",
        db_index=False,
        help_text="所属的案件。",
    )
    number = models.PositiveSmallIntegerField("序号", help_text="调解请求的序号，从1开始。")
    text = models.CharField(
        "请求内容", max_length=500, help_text="申请人的一项请求，如 撤销某决定、赔偿损失。"
    )
    amount = models.DecimalField(
        "金额（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[not_negative],
        help_text="请求涉及的金额，精确到分；不涉及金额的留空。",
    )

    class Meta:
        verbose_name = "请求事项"
        verbose_name_plural = "请求事项"
        ordering = ["case_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="claim_number_unique"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="claim_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class CaseLink(models.Model):
    """A possible duplicate found at registration and confirmed as a separate case."""

    # No index of its own: case_link_unique starts with it.
    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="links",
        db_index=False,
        help_text="确认关联的案件。",
    )
    linked_case = models.ForeignKey(
        Case,
        verbose_name="关联案件",
        on_delete=models.CASCADE,
        related_name="linked_from",
        help_text="与本案有关联的另一案件，如 同一申请人就同一行政行为申请。",
    )
    reason = models.CharField(
        "关联原因", max_length=200, help_text="两案关联的原因，如 疑似重复申请已核对。"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="确认两案关联的用户。",
    )
    created_at = models.DateTimeField(
        "确认时间", auto_now_add=True, help_text="保存记录时由系统自动填写。"
    )

    class Meta:
        verbose_name = "关联案件"
        verbose_name_plural = "关联案件"
        ordering = ["case_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "linked_case"], name="case_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case} ↔ {self.linked_case}"


class CaseEvent(models.Model):
    """The case timeline: one row per action, the audit trail people read."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", "登记"
        SUPPLEMENT_REQUESTED = "supplement_requested", "通知补正"
        SUPPLEMENT_RECEIVED = "supplement_received", "补正材料收到"
        ACCEPTED = "accepted", "受理"
        DECLINED = "declined", "不予受理"
        REFERRAL_CREATED = "referral_created", "法院委派"
        REFERRAL_RECORDED = "referral_recorded", "录入纸质委派函"
        REFERRAL_APPROVED = "referral_approved", "法院确认委派"
        REFERRAL_REJECTED = "referral_rejected", "法院不予确认委派"
        REFERRAL_SIGNED_FOR = "referral_signed_for", "签收委派"
        REFERRAL_RETURNED = "referral_returned", "退回委派"
        DUPLICATE_CONFIRMED = "duplicate_confirmed", "确认非重复案件"
        CASE_UPDATED = "case_updated", "修改案件信息"
        PARTY_ADDED = "party_added", "增加当事人"
        PARTY_UPDATED = "party_updated", "修改当事人"
        PARTY_REMOVED = "party_removed", "删除当事人"
        AGENT_ADDED = "agent_added", "增加代理人"
        AGENT_UPDATED = "agent_updated", "修改代理人"
        AGENT_REMOVED = "agent_removed", "删除代理人"
        CLAIMS_UPDATED = "claims_updated", "修改请求事项"
        ATTACHMENT_ADDED = "attachment_added", "上传材料"
        ATTACHMENT_REMOVED = "attachment_removed", "删除材料"
        ID_REVEALED = "id_revealed", "查看完整身份证号码"
        MEDIATORS_ASSIGNED = "mediators_assigned", "指派调解员"
        CONFLICT_DECLARED = "conflict_declared", "调解员声明回避情况"
        WAIVER_RECORDED = "waiver_recorded", "记录当事人同意不回避"
        ASSIGNMENT_EFFECTIVE = "assignment_effective", "指派生效"
        MEDIATION_STARTED = "mediation_started", "开始调解"
        SESSION_SCHEDULED = "session_scheduled", "安排调解会"
        SESSION_RECORDED = "session_recorded", "记录调解会"
        SESSION_CANCELLED = "session_cancelled", "取消调解会"
        UNDISPUTED_FACTS = "undisputed_facts", "记录无争议事实"
        EXTENSION_PROPOSED = "extension_proposed", "提出延长调解期限"
        EXTENSION_APPROVED = "extension_approved", "批准延长调解期限"
        EXTENSION_REJECTED = "extension_rejected", "不批准延长调解期限"
        COURT_NOTIFIED = "court_notified", "告知法院"
        SUSPENDED = "suspended", "中止调解"
        RESUMED = "resumed", "恢复调解"
        AGREEMENT_REACHED = "agreement_reached", "达成调解协议"
        TERMINATION_PROPOSED = "termination_proposed", "提出终止调解"
        TERMINATION_APPROVED = "termination_approved", "批准终止调解"
        TERMINATION_REJECTED = "termination_rejected", "不批准终止调解"
        WITHDRAWN = "withdrawn", "申请人撤回"
        COURT_REPORTED = "court_reported", "报送法院"
        COURT_REPORT_RECEIVED = "court_report_received", "法院接收报告"
        TRANSFERRED_TO_FILING = "transferred_to_filing", "转立案"
        CLOSED = "closed", "结案"
        ARCHIVED = "archived", "归档"
        REMEDIATED = "remediated", "重新调解"
        AGREEMENT_DRAFTED = "agreement_drafted", "起草调解协议"
        AGREEMENT_UPDATED = "agreement_updated", "修改调解协议"
        AGREEMENT_CHECKED = "agreement_checked", "合法性审查"
        AGREEMENT_SIGNED = "agreement_signed", "签署调解协议"
        AGREEMENT_EFFECTIVE = "agreement_effective", "调解协议生效"
        AGREEMENT_NEW_VERSION = "agreement_new_version", "修订调解协议"
        AGREEMENT_FILED = "agreement_filed", "调解协议报法院备案"
        CONFIRMATION_APPLIED = "confirmation_applied", "申请司法确认"
        CONFIRMATION_DECIDED = "confirmation_decided", "司法确认结果"
        OBLIGATION_PERFORMED = "obligation_performed", "义务已履行"
        OBLIGATION_OVERDUE = "obligation_overdue", "义务逾期未履行"
        NONPERFORMANCE_HANDLED = "nonperformance_handled", "处理不履行"
        DOCUMENT_GENERATED = "document_generated", "制作文书"
        TRANSCRIPT_ACCESS_GRANTED = "transcript_access_granted", "登记法院查阅笔录依据"
        TRANSCRIPT_ACCESS_WITHDRAWN = "transcript_access_withdrawn", "撤销法院查阅笔录依据"
        TRANSCRIPT_VIEWED = "transcript_viewed", "法院查阅调解笔录"
        TRANSFER_PACKAGE_CHOSEN = "transfer_package_chosen", "确定移送法院材料"

    # No index of its own: caseevent_case_time_idx starts with it.
    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,
        help_text="所属的案件。",
    )
    kind = models.CharField(
        "事项", max_length=40, choices=Kind.choices, help_text="操作或事件的种类。"
    )
    from_status = models.CharField(
        "原状态",
        max_length=30,
        choices=Status.choices,
        blank=True,
        help_text="操作前案件的状态；不改变状态的事件为空。",
    )
    to_status = models.CharField(
        "新状态",
        max_length=30,
        choices=Status.choices,
        blank=True,
        help_text="操作后案件的状态；不改变状态的事件为空。",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        help_text="进行操作的用户；系统自动处理的为空。",
    )
    note = models.TextField("说明", blank=True, help_text="操作时填写的说明。")
    data = models.JSONField(
        "数据", default=dict, blank=True, help_text="操作涉及的其他数据，如 修改前后的值。"
    )
    created_at = models.DateTimeField(
        "时间", auto_now_add=True, db_index=True, help_text="保存记录时由系统自动填写。"
    )

    class Meta:
        verbose_name = "案件日志"
        verbose_name_plural = "案件日志"
        ordering = ["created_at", "id"]
        indexes = [
            # The timeline on the case page.
            models.Index(fields=["case", "created_at"], name="caseevent_case_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class NumberSequence(models.Model):
    """The last number given out, per office, per kind of number, per year."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", "登记号"
        CASE = "case", "案号"

    # No index of its own: number_sequence_unique starts with it.
    office = models.ForeignKey(
        Office,
        verbose_name="工作室",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        help_text="编号所属的工作室。",
    )
    kind = models.CharField(
        "编号种类", max_length=20, choices=Kind.choices, help_text="登记号或案号。"
    )
    year = models.PositiveSmallIntegerField("年度", help_text="编号所属的年度，每年从1重新编号。")
    last_value = models.PositiveIntegerField(
        "已用到", default=0, help_text="本年度已经用到的最大序号，下一个编号为其加一。"
    )

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        ordering = ["office", "kind", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "year"], name="number_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.get_kind_display()} {self.year}: {self.last_value}"
