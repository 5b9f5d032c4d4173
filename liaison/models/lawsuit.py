"""The litigation register (行政诉讼案件台账): one lawsuit per court case number, its
defendant agencies, plaintiffs, hearings with the heads' appearances, the loss analyses
and the performance of effective judgments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.links import record_url
from accounts.models import Court
from cases.identifiers import mask_citizen_id
from cases.models import Agency, Case, DisputeCategory
from liaison.models.reference import LossCause, ResultType


class Instance(models.TextChoices):
    FIRST = "first", "一审"
    SECOND = "second", "二审"
    RETRIAL = "retrial", "再审"


class LawsuitStatus(models.TextChoices):
    """Only the services in liaison.services assign it, through liaison.workflow."""

    PENDING = "pending", "审理中"
    DECIDED = "decided", "已裁判未生效"  # the appeal period runs
    APPEALED = "appealed", "已上诉"  # the higher instance is its own record
    EFFECTIVE = "effective", "已生效"


class Lawsuit(models.Model):
    """One administrative lawsuit against city agencies, as the court numbered it."""

    Status = LawsuitStatus

    court_case_no = models.CharField(
        "案号",
        max_length=60,
        help_text="人民法院案号，如（2025）鄂9005行初12号；半角括号自动改为全角。",
    )
    # The unique spelling-independent key: importing the court's list twice changes nothing.
    number_key = models.CharField(
        "案号检索键",
        max_length=60,
        unique=True,
        editable=False,
        help_text="统一括号和全半角后的案号。",
    )
    number_confirmed = models.BooleanField(
        "案号格式已核对",
        default=False,
        help_text="案号与通常格式不符，经核对确认无误。",
    )
    instance = models.CharField(
        "审级", max_length=10, choices=Instance.choices, help_text="一审、二审或再审。"
    )
    lower_instance = models.ForeignKey(
        "self",
        verbose_name="原审案件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="higher_instances",
        help_text="二审、再审案件对应的原审案件。",
    )
    # No index of its own: lawsuit_court_filed_idx starts with it.
    court = models.ForeignKey(
        Court,
        verbose_name="审理法院",
        on_delete=models.PROTECT,
        related_name="lawsuits",
        db_index=False,
        help_text="受理本案的人民法院；该院法院联络员可以查看和登记本案。",
    )
    category = models.ForeignKey(
        DisputeCategory,
        verbose_name="争议类别",
        on_delete=models.PROTECT,
        related_name="lawsuits",
        help_text="与工作室案件相同的争议类别，用于分领域统计。",
    )
    act_in_dispute = models.CharField(
        "被诉行政行为",
        max_length=300,
        help_text="如 市人社局作出的不予认定工伤决定。",
    )
    act_document_no = models.CharField(
        "行政行为文号", max_length=60, blank=True, help_text="被诉行政行为的文号（如有）。"
    )
    filed_on = models.DateField("立案日期", help_text="人民法院立案的日期，按此统计收案数。")
    mediation_case = models.ForeignKey(
        Case,
        verbose_name="经工作室调解的案件",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lawsuits",
        help_text="争议起诉前经过本工作室调解的，关联该调解案件。",
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
        editable=False,
        help_text="审理中、已裁判未生效、已上诉或已生效，随登记的裁判结果变化。",
    )
    result_type = models.ForeignKey(
        ResultType,
        verbose_name="裁判结果",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lawsuits",
        help_text="判决、裁定或调解的结果类型；是否计为败诉、审结见该类型的设置。",
    )
    concluded_on = models.DateField(
        "审结日期",
        null=True,
        blank=True,
        help_text="作出判决、裁定或制作调解书的日期；败诉率按审结日期统计。",
    )
    served_on = models.DateField(
        "裁判文书送达日期",
        null=True,
        blank=True,
        help_text="判决书、裁定书送达行政机关的日期，上诉期限自次日起算。",
    )
    appealed_on = models.DateField(
        "上诉日期", null=True, blank=True, help_text="当事人提起上诉的日期。"
    )
    appellant = models.CharField(
        "上诉人",
        max_length=20,
        choices=[("agency", "行政机关"), ("plaintiff", "原告"), ("both", "双方")],
        blank=True,
        help_text="提起上诉的一方。",
    )
    effective_on = models.DateField(
        "生效日期",
        null=True,
        blank=True,
        help_text="裁判发生法律效力的日期；生效裁判的履行自此起算。",
    )
    outcome_note = models.TextField(
        "裁判要旨", blank=True, help_text="裁判主文或要点，如 撤销被诉决定，责令六十日内重新作出。"
    )
    version = models.PositiveIntegerField(
        "版本", default=0, editable=False, help_text="每次修改加一，用于发现同时编辑。"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="首次登记本案的用户。",
    )
    created_at = models.DateTimeField(
        "登记时间", auto_now_add=True, help_text="保存记录时由系统自动填写。"
    )
    updated_at = models.DateTimeField(
        "更新时间", auto_now=True, help_text="每次保存时由系统自动更新。"
    )

    class Meta:
        verbose_name = "行政诉讼案件"
        verbose_name_plural = "行政诉讼案件台账"
        ordering = ["-filed_on", "-id"]
        permissions = [
            ("record_court_facts", "登记法院审理信息（立案、开庭、裁判、生效）"),
            ("record_agency_facts", "登记机关应诉信息（出庭、答辩、败诉分析、履行）"),
            ("import_lawsuits", "导入法院案件清单"),
            ("view_statistics", "查看府院联动统计分析"),
            ("view_office_statistics", "查看工作室办案统计"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=LawsuitStatus.values), name="liaison_lawsuit_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(instance__in=Instance.values), name="liaison_lawsuit_instance_valid"
            ),
        ]
        indexes = [
            # A court liaison's list: their court's lawsuits, newest first.
            models.Index(fields=["court", "-filed_on"], name="lawsuit_court_filed_idx"),
            # The volumes and loss rate of a period: concluded first-instance cases by date.
            models.Index(fields=["instance", "concluded_on"], name="lawsuit_concluded_idx"),
        ]

    def __str__(self) -> str:
        return self.court_case_no

    def get_absolute_url(self) -> str:
        return record_url("liaison:lawsuit", self.pk)

    @property
    def is_lost(self) -> bool:
        return self.result_type is not None and self.result_type.counts_as_loss

    @property
    def is_final_instance(self) -> bool:
        """A second-instance judgment or ruling is final (行政诉讼法第八十五条 applies to the
        first instance only): no appeal lies from it."""
        return self.instance == Instance.SECOND


class Part(models.TextChoices):
    DEFENDANT = "defendant", "被告"
    # The reconsideration organ that upheld the act (行政诉讼法第二十六条第二款).
    CO_DEFENDANT = "co_defendant", "共同被告（复议机关）"
    THIRD_PARTY = "third_party", "第三人"


# The parts whose head is expected in court (法释〔2020〕3号 applies to the sued organ).
SUED_PARTS = (Part.DEFENDANT, Part.CO_DEFENDANT)


class Defendant(models.Model):
    """An agency's part in a lawsuit, with the dates its own deadlines run from."""

    # No index of its own: defendant_unique starts with it.
    lawsuit = models.ForeignKey(
        Lawsuit,
        verbose_name="诉讼案件",
        on_delete=models.CASCADE,
        related_name="defendants",
        db_index=False,
        help_text="所属的行政诉讼案件。",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="行政机关",
        on_delete=models.PROTECT,
        related_name="lawsuit_parts",
        help_text="行政机关名录中的机关。",
    )
    part = models.CharField(
        "诉讼地位",
        max_length=20,
        choices=Part.choices,
        help_text="被告；复议维持案件中的复议机关为共同被告；或第三人。",
    )
    complaint_received_on = models.DateField(
        "收到起诉状副本日期",
        null=True,
        blank=True,
        help_text="机关收到起诉状副本的日期；提交答辩状和证据的15日期限自次日起算（《行政诉讼法》第六十七条）。",
    )
    defence_due = models.DateField(
        "答辩期限",
        null=True,
        blank=True,
        editable=False,
        help_text="收到起诉状副本之日起15日，遇节假日顺延；登记收到日期时计算。",
    )
    defence_submitted_on = models.DateField(
        "提交答辩状和证据日期",
        null=True,
        blank=True,
        help_text="向法院提交答辩状、证据和所依据的规范性文件的日期；逾期提交证据的视为没有相应证据（第三十四条）。",
    )

    class Meta:
        verbose_name = "被诉机关"
        verbose_name_plural = "被诉机关"
        ordering = ["lawsuit_id", "part", "id"]
        indexes = [
            # An agency's overdue defences (its home page and the register's filter).
            models.Index(fields=["agency", "defence_due"], name="defendant_agency_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["lawsuit", "agency"], name="defendant_unique"),
            models.CheckConstraint(
                condition=Q(part__in=Part.values), name="liaison_defendant_part_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}（{self.get_part_display()}）"

    @property
    def is_sued(self) -> bool:
        return self.part in SUED_PARTS

    @property
    def is_defendant(self) -> bool:
        return self.part == Part.DEFENDANT


class PlaintiffKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", "自然人"
    LEGAL_PERSON = "legal_person", "法人"
    OTHER_ORG = "other_org", "其他组织"


class Plaintiff(models.Model):
    Kind = PlaintiffKind

    # No index of its own: plaintiff_order_idx starts with it.
    lawsuit = models.ForeignKey(
        Lawsuit,
        verbose_name="诉讼案件",
        on_delete=models.CASCADE,
        related_name="plaintiffs",
        db_index=False,
        help_text="所属的行政诉讼案件。",
    )
    name = models.CharField("名称或姓名", max_length=100, help_text="原告的姓名或名称。")
    kind = models.CharField(
        "类型", max_length=20, choices=Kind.choices, help_text="自然人、法人或其他组织。"
    )
    id_number = models.CharField(
        "身份证件号码",
        max_length=30,
        blank=True,
        help_text="自然人的身份证号码，列表和导出中只显示前6位和后4位。",
    )
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, help_text="法人或其他组织的代码（如有）。"
    )
    order = models.PositiveSmallIntegerField("序号", default=1, help_text="原告的排列顺序。")

    class Meta:
        verbose_name = "原告"
        verbose_name_plural = "原告"
        ordering = ["lawsuit_id", "order", "id"]
        indexes = [
            # The lawsuit page and list show the plaintiffs in order.
            models.Index(fields=["lawsuit", "order"], name="plaintiff_order_idx"),
            # Search by a plaintiff's name.
            models.Index(fields=["name"], name="plaintiff_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PlaintiffKind.values), name="liaison_plaintiff_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_citizen_id(self.id_number) if self.id_number else ""


class Hearing(models.Model):
    """A hearing of a lawsuit; in open court (开庭审理) the heads' appearance is recorded."""

    # No index of its own: hearing_lawsuit_date_idx starts with it.
    lawsuit = models.ForeignKey(
        Lawsuit,
        verbose_name="诉讼案件",
        on_delete=models.CASCADE,
        related_name="hearings",
        db_index=False,
        help_text="所属的行政诉讼案件。",
    )
    held_on = models.DateField("开庭日期", help_text="开庭或询问的日期。")
    open_court = models.BooleanField(
        "开庭审理",
        default=True,
        help_text="开庭审理的，计入负责人出庭应诉率的分母；书面审理或询问不计。",
    )
    head_notified = models.BooleanField(
        "法院通知负责人出庭",
        default=False,
        help_text="涉及重大公共利益、社会高度关注或可能引发群体性事件的案件，法院应当通知负责人出庭"
        "（法释〔2020〕3号第四条）。",
    )
    head_notice_on = models.DateField(
        "通知日期",
        null=True,
        blank=True,
        help_text="法院通知负责人出庭的日期，应不迟于开庭前三日（第五条）。",
    )
    note = models.CharField("备注", max_length=200, blank=True, help_text="如 第二次开庭。")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="登记本次开庭的用户。",
    )
    created_at = models.DateTimeField(
        "登记时间", auto_now_add=True, help_text="保存记录时由系统自动填写。"
    )

    class Meta:
        verbose_name = "开庭"
        verbose_name_plural = "开庭"
        ordering = ["lawsuit_id", "held_on", "id"]
        indexes = [
            # The lawsuit page lists its hearings by date.
            models.Index(fields=["lawsuit", "held_on"], name="hearing_lawsuit_date_idx"),
            # The appearance rate of a period: open-court hearings by date.
            models.Index(fields=["held_on"], name="hearing_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.lawsuit} {self.held_on:%Y-%m-%d}"


class HeadRank(models.TextChoices):
    """Who appeared for the agency. Only the first three count (法释〔2020〕3号第二条)."""

    PRINCIPAL = "principal", "正职负责人（一把手）"
    DEPUTY = "deputy", "副职负责人"
    IN_CHARGE = "in_charge", "其他参与分管的负责人"
    SUBORDINATE = "subordinate", "下级或所属机构负责人（不计入）"
    ENTRUSTED = "entrusted", "受委托组织负责人（不计入）"


COUNTING_RANKS = (HeadRank.PRINCIPAL, HeadRank.DEPUTY, HeadRank.IN_CHARGE)


class AbsenceReason(models.TextChoices):
    """Why no head appeared (法释〔2020〕3号第八条、第九条)."""

    FORCE_MAJEURE = "force_majeure", "不可抗力"
    ACCIDENT = "accident", "意外事件"
    OFFICIAL_DUTY = "official_duty", "需要履行他人不能代替的公务"
    OTHER_PROPER = "other_proper", "其他正当事由"
    NONE = "none", "无正当理由"


PROPER_REASONS = (
    AbsenceReason.FORCE_MAJEURE,
    AbsenceReason.ACCIDENT,
    AbsenceReason.OFFICIAL_DUTY,
    AbsenceReason.OTHER_PROPER,
)


class Appearance(models.Model):
    """Who appeared for one sued agency at one hearing (出庭应诉情况)."""

    # No index of its own: appearance_unique starts with it.
    hearing = models.ForeignKey(
        Hearing,
        verbose_name="开庭",
        on_delete=models.CASCADE,
        related_name="appearances",
        db_index=False,
        help_text="所属的开庭。",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="行政机关",
        on_delete=models.PROTECT,
        related_name="appearances",
        help_text="应当出庭应诉的被诉机关。",
    )
    head_appeared = models.BooleanField(
        "负责人出庭",
        null=True,
        blank=True,
        help_text="尚未登记的为空。",
    )
    head_name = models.CharField("出庭负责人", max_length=50, blank=True, help_text="姓名。")
    head_title = models.CharField("职务", max_length=50, blank=True, help_text="如 局长、副局长。")
    head_rank = models.CharField(
        "负责人类别",
        max_length=20,
        choices=HeadRank.choices,
        blank=True,
        help_text="正职、副职和其他参与分管的负责人计为负责人出庭；下级或所属机构、受委托组织的负责人不计入"
        "（法释〔2020〕3号第二条）。",
    )
    head_spoke = models.BooleanField(
        "负责人出庭发言",
        null=True,
        blank=True,
        help_text="出庭负责人是否在庭审中发表意见（出庭“出声”）。",
    )
    staff = models.CharField(
        "其他出庭人员",
        max_length=200,
        blank=True,
        help_text="一同出庭的工作人员和代理律师；不能只委托律师出庭。",
    )
    absence_reason = models.CharField(
        "未出庭原因",
        max_length=20,
        choices=AbsenceReason.choices,
        blank=True,
        help_text="负责人未出庭的原因（法释〔2020〕3号第八条、第九条）。",
    )
    absence_note = models.CharField(
        "原因说明", max_length=300, blank=True, help_text="未出庭原因的具体情况。"
    )
    written_explanation = models.BooleanField(
        "已提交书面说明",
        default=False,
        help_text="负责人不能出庭的，应当向法院提交情况说明并加盖机关印章。",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="登记出庭情况的用户。",
    )
    recorded_at = models.DateTimeField(
        "登记时间", null=True, blank=True, help_text="登记出庭情况的时间。"
    )
    version = models.PositiveIntegerField(
        "版本", default=0, editable=False, help_text="每次修改加一，用于发现同时编辑。"
    )

    class Meta:
        verbose_name = "出庭应诉情况"
        verbose_name_plural = "出庭应诉情况"
        ordering = ["hearing_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "agency"], name="appearance_unique"),
            models.CheckConstraint(
                condition=Q(head_rank="") | Q(head_rank__in=HeadRank.values),
                name="liaison_appearance_rank_valid",
            ),
            models.CheckConstraint(
                condition=Q(absence_reason="") | Q(absence_reason__in=AbsenceReason.values),
                name="liaison_appearance_reason_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hearing} {self.agency}"

    @property
    def recorded(self) -> bool:
        return self.head_appeared is not None

    @property
    def head_counts(self) -> bool:
        """A head within the meaning of 法释〔2020〕3号第二条 appeared."""
        return bool(self.head_appeared) and self.head_rank in COUNTING_RANKS

    @property
    def principal_appeared(self) -> bool:
        return bool(self.head_appeared) and self.head_rank == HeadRank.PRINCIPAL

    @property
    def absence_accepted(self) -> bool:
        """No head, but for a reason the rules accept and explained in writing."""
        return (
            self.recorded
            and not self.head_counts
            and self.absence_reason in PROPER_REASONS
            and self.written_explanation
        )


class LossAnalysis(models.Model):
    """The agency's analysis of a lost case and its rectification (应诉一件、规范一片)."""

    # No index of its own: loss_analysis_unique starts with it.
    lawsuit = models.ForeignKey(
        Lawsuit,
        verbose_name="诉讼案件",
        on_delete=models.CASCADE,
        related_name="loss_analyses",
        db_index=False,
        help_text="所属的行政诉讼案件。",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="行政机关",
        on_delete=models.PROTECT,
        related_name="loss_analyses",
        help_text="败诉的被诉机关。",
    )
    causes = models.ManyToManyField(
        LossCause,
        verbose_name="败诉原因",
        related_name="analyses",
        help_text="可以多选。",
    )
    analysis = models.TextField("原因分析", help_text="机关对败诉原因的书面分析。")
    measures = models.TextField("整改措施", help_text="针对败诉原因采取的整改和规范措施。")
    measures_due = models.DateField(
        "整改期限", null=True, blank=True, help_text="整改措施计划完成的日期。"
    )
    rectified_on = models.DateField(
        "整改完成日期", null=True, blank=True, help_text="整改措施全部完成的日期。"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="填报分析的用户。",
    )
    submitted_at = models.DateTimeField(
        "填报时间", auto_now_add=True, help_text="行政机关填报败诉分析的时间。"
    )
    updated_at = models.DateTimeField(
        "更新时间", auto_now=True, help_text="每次保存时由系统自动更新。"
    )
    version = models.PositiveIntegerField(
        "版本", default=0, editable=False, help_text="每次修改加一，用于发现同时编辑。"
    )

    class Meta:
        verbose_name = "败诉分析"
        verbose_name_plural = "败诉分析"
        ordering = ["lawsuit_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lawsuit", "agency"], name="loss_analysis_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.lawsuit} {self.agency}"


class PerformanceStatus(models.TextChoices):
    """Only the services in liaison.services assign it, through liaison.workflow."""

    IN_PROGRESS = "in_progress", "履行中"
    PERFORMED = "performed", "已履行"
    OVERDUE = "overdue", "逾期未履行"  # set by the daily run, never by hand
    ENFORCEMENT = "enforcement", "已申请强制执行"


class Performance(models.Model):
    """What an agency must do under an effective judgment, and whether it did (第九十四至九十六条)."""

    Status = PerformanceStatus

    # No index of its own: performance_lawsuit_idx starts with it.
    lawsuit = models.ForeignKey(
        Lawsuit,
        verbose_name="诉讼案件",
        on_delete=models.CASCADE,
        related_name="performances",
        db_index=False,
        help_text="所属的行政诉讼案件。",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="履行机关",
        on_delete=models.PROTECT,
        related_name="performances",
        help_text="应当履行生效裁判的机关。",
    )
    duty = models.CharField(
        "履行事项",
        max_length=300,
        help_text="生效裁判要求机关做的事，如 六十日内重新作出工伤认定决定。",
    )
    due_on = models.DateField("履行期限", help_text="生效裁判确定的履行期限届满日。")
    due_explanation = models.CharField(
        "期限计算说明",
        max_length=400,
        blank=True,
        help_text="履行期限的计算依据和方法。",
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=Status.choices,
        default=Status.IN_PROGRESS,
        editable=False,
        help_text="履行中、已履行、逾期未履行（系统每日标记）或已申请强制执行。",
    )
    performed_on = models.DateField(
        "履行日期", null=True, blank=True, help_text="机关履行完毕的日期。"
    )
    enforcement_on = models.DateField(
        "申请强制执行日期", null=True, blank=True, help_text="当事人申请人民法院强制执行的日期。"
    )
    evidence = models.TextField(
        "履行情况和证明",
        blank=True,
        help_text="履行的方式和证明材料，如 重新作出的决定文号、支付凭证。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="登记履行事项的用户。",
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
        verbose_name = "生效裁判履行"
        verbose_name_plural = "生效裁判履行"
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PerformanceStatus.values),
                name="liaison_performance_status_valid",
            ),
        ]
        indexes = [
            # The lawsuit page lists its performances.
            models.Index(fields=["lawsuit", "due_on"], name="performance_lawsuit_idx"),
            # The daily overdue marking and the reminders: open duties by due date.
            models.Index(fields=["status", "due_on"], name="performance_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.duty
