"""Settlement agreements, their signatures and legality checklist, judicial confirmation, performance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.links import record_url
from accounts.models import Court
from cases.models import Agent, Attachment, Case, Party
from cases.plausibility import not_negative


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "起草中"  # editable; signatures are being collected
    EFFECTIVE = "effective", "已生效"  # every required signature and the office seal
    SUPERSEDED = "superseded", "已被新版本取代"  # a later version replaced it
    ABANDONED = "abandoned", "未生效作废"  # mediation resumed or ended before it took effect


class Agreement(models.Model):
    """One version of a case's settlement agreement (调解协议书, 特邀调解规定第二十三、二十四条)."""

    Status = AgreementStatus

    # No index of its own: agreement_version_unique starts with it.
    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="agreements",
        db_index=False,
        help_text="协议所属的案件。",
    )
    version = models.PositiveSmallIntegerField(
        "版本", help_text="同一案件的协议从1起编号，修订时生成新版本。"
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
        help_text="同一案件同时只有一个起草中或已生效的版本。",
    )
    previous = models.OneToOneField(
        "self",
        verbose_name="前一版本",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        editable=False,
        help_text="本协议修改前的版本；第一版为空。",
    )
    parties_info = models.TextField(
        "当事人基本情况", max_length=5000, help_text="起草时根据案件当事人信息生成，可以修改。"
    )
    facts = models.TextField(
        "主要事实和争议事项", max_length=10000, help_text="争议的主要事实和各方争议的事项。"
    )
    result = models.TextField(
        "调解结果", max_length=10000, help_text="双方协商一致的内容；各方义务在下方逐项列明。"
    )
    other_terms = models.TextField(
        "其他约定", max_length=5000, blank=True, help_text="各方义务以外的其他约定，没有的留空。"
    )
    confirmation_intended = models.BooleanField(
        "当事人拟申请司法确认",
        default=False,
        help_text="勾选后，系统在申请期限届满前提醒。",
    )
    edit_version = models.PositiveIntegerField(
        "修改版本", default=1, editable=False, help_text="每次修改加一，防止两人同时修改互相覆盖。"
    )
    mediator_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="调解员签字",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="在协议上签字的调解员。",
    )
    mediator_signed_on = models.DateField(
        "调解员签字日期",
        null=True,
        blank=True,
        editable=False,
        help_text="调解员在协议上签字的日期。",
    )
    office_sealed_on = models.DateField(
        "加盖工作室印章日期",
        null=True,
        blank=True,
        editable=False,
        help_text="协议加盖工作室印章的日期。",
    )
    effective_on = models.DateField(
        "生效日期", null=True, blank=True, editable=False, help_text="最后一方签字或盖章之日。"
    )
    court_filed_on = models.DateField(
        "报法院备案日期",
        null=True,
        blank=True,
        editable=False,
        help_text="委派调解达成协议的，应当向委派法院备案（特邀调解规定第十九条）。",
    )
    court_filing_note = models.CharField(
        "备案情况",
        max_length=300,
        blank=True,
        editable=False,
        help_text="协议向委派法院备案时填写的备案情况。",
    )
    nonperformance_handled_on = models.DateField(
        "不履行处理日期", null=True, blank=True, editable=False, help_text="处理协议不履行的日期。"
    )
    nonperformance_note = models.TextField(
        "不履行的处理",
        blank=True,
        editable=False,
        help_text="当事人不履行协议时采取的处理措施，如 告知申请人可以起诉。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="起草协议的调解员。",
    )
    created_at = models.DateTimeField(
        "创建时间", auto_now_add=True, help_text="开始起草本版本的时间。"
    )
    updated_at = models.DateTimeField(
        "更新时间", auto_now=True, help_text="每次保存时由系统自动更新。"
    )

    class Meta:
        verbose_name = "调解协议"
        verbose_name_plural = "调解协议"
        ordering = ["case_id", "-version"]
        permissions = [
            ("draft_agreement", "起草和修改调解协议"),
            ("record_signature", "记录签字、盖章"),
            ("apply_confirmation", "记录司法确认申请"),
            ("record_confirmation_outcome", "记录司法确认结果"),
            ("record_performance", "记录协议履行"),
            ("handle_nonperformance", "处理协议不履行"),
        ]
        indexes = [
            # The office figures of a period: the agreements that took effect in it.
            models.Index(fields=["effective_on"], name="agreement_effective_idx"),
            # The performance list (selectors.performance_list): the effective agreements
            # of the office's agreed cases, their ids read from the index alone, without
            # visiting every agreement's row.
            models.Index(
                fields=["case", "id"],
                condition=Q(status=AgreementStatus.EFFECTIVE),
                name="agreement_in_force_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="agreement_version_unique"),
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values),
                name="agreement_status_valid",
            ),
            # At most one version of a case is being drafted or in force at a time.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=[AgreementStatus.DRAFT, AgreementStatus.EFFECTIVE]),
                name="agreement_one_current_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.display_number} 调解协议（第{self.version}版）"

    def get_absolute_url(self) -> str:
        return record_url("agreements:detail", self.case_id, self.pk)

    @property
    def is_current(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.EFFECTIVE)


class ChecklistItem(models.TextChoices):
    """The legality checklist before signing (DOMAIN.md §2.5)."""

    MEDIABLE = "mediable", "属于可以调解的事项（行政赔偿、补偿、自由裁量或协调撤改），依据已记录"
    NO_HARM = "no_harm", "不损害国家利益、社会公共利益和他人合法权益"
    LAWFUL = "lawful", "不违反法律、行政法规的强制性规定和公序良俗"
    VOLUNTARY = "voluntary", "出于各方自愿，无强迫调解"
    CLEAR = "clear", "内容明确、可以履行：每项义务都有义务人、内容、期限和履行方式"
    POWERS = "powers", "行政机关未放弃或超越法定职权"
    THIRD_PARTIES = "third_parties", "受协议影响的第三人已参加调解或表示同意"
    NO_REAL_RIGHTS = "no_real_rights", "拟申请司法确认的，不涉及确认物权或知识产权权属"


class ChecklistAnswer(models.Model):
    class Answer(models.TextChoices):
        PASS = "pass", "符合"
        FAIL = "fail", "不符合"
        NOT_APPLICABLE = "na", "不适用"

    # No index of its own: checklist_item_unique starts with it.
    agreement = models.ForeignKey(
        Agreement,
        verbose_name="调解协议",
        on_delete=models.CASCADE,
        related_name="checklist",
        db_index=False,
        help_text="所属的调解协议。",
    )
    item = models.CharField(
        "审查事项",
        max_length=30,
        choices=ChecklistItem.choices,
        help_text="签署前合法性审查清单中的一项。",
    )
    answer = models.CharField(
        "结论", max_length=10, choices=Answer.choices, help_text="该事项的审查结论。"
    )
    note = models.CharField(
        "说明", max_length=500, blank=True, help_text="审查的依据或需要说明的情况。"
    )
    override_reason = models.CharField(
        "仍予签署的理由",
        max_length=500,
        blank=True,
        help_text="审查结论为“不符合”而仍然签署的，必须记录理由。",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审查人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="审查该事项的用户。",
    )
    answered_at = models.DateTimeField("审查时间", auto_now=True, help_text="审查该事项的时间。")

    class Meta:
        verbose_name = "合法性审查"
        verbose_name_plural = "合法性审查"
        ordering = ["agreement_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "item"], name="checklist_item_unique"),
            models.CheckConstraint(
                condition=~Q(answer="fail") | ~Q(override_reason=""),
                name="checklist_fail_has_override",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}：{self.get_answer_display()}"


class ObligationKind(models.TextChoices):
    PAYMENT = "payment", "支付款项"
    REVOKE_OR_CHANGE = "revoke_or_change", "撤销或变更行政行为"
    NEW_ACT = "new_act", "重新作出行政行为"
    PERFORM_DUTY = "perform_duty", "履行法定职责"
    ISSUE_DOCUMENT = "issue_document", "出具文书"
    WITHDRAW_COMPLAINT = "withdraw_complaint", "申请人撤回复议、起诉或信访"
    OTHER = "other", "其他"


class ObligationStatus(models.TextChoices):
    DUE = "due", "待履行"
    PERFORMED = "performed", "已履行"
    OVERDUE = "overdue", "逾期未履行"


class Obligation(models.Model):
    """One obligation of the agreement: who does what, by when, how."""

    Status = ObligationStatus

    # No index of its own: obligation_number_unique starts with it.
    agreement = models.ForeignKey(
        Agreement,
        verbose_name="调解协议",
        on_delete=models.CASCADE,
        related_name="obligations",
        db_index=False,
        help_text="所属的调解协议。",
    )
    number = models.PositiveSmallIntegerField("序号", help_text="义务在协议中的序号，从1开始。")
    obligor = models.ForeignKey(
        Party,
        verbose_name="义务人",
        on_delete=models.PROTECT,
        related_name="obligations",
        help_text="承担该项义务的当事人。",
    )
    kind = models.CharField(
        "义务类型",
        max_length=30,
        choices=ObligationKind.choices,
        help_text="义务的种类；支付款项的须填写金额。",
    )
    description = models.CharField(
        "内容", max_length=1000, help_text="义务人具体要做什么，如 支付补偿款。"
    )
    amount = models.DecimalField(
        "金额（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[not_negative],
        help_text="支付款项的金额，精确到分；其他义务可以不填。",
    )
    due_date = models.DateField("履行期限", help_text="义务人应当履行的最后日期。")
    method = models.CharField(
        "履行方式", max_length=300, help_text="如：转账至申请人账户、送达书面决定。"
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=Status.choices,
        default=Status.DUE,
        editable=False,
        help_text="待履行、已履行或逾期未履行，通过协议页面上的操作改变。",
    )
    performed_on = models.DateField(
        "履行日期", null=True, blank=True, editable=False, help_text="义务履行完毕的日期。"
    )
    proof_note = models.CharField(
        "履行凭证",
        max_length=300,
        blank=True,
        editable=False,
        help_text="如转账凭证号、撤销决定文号。",
    )
    proof = models.ForeignKey(
        Attachment,
        verbose_name="凭证文件",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="证明义务已经履行的文件。",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="记录履行情况的用户。",
    )

    class Meta:
        verbose_name = "协议义务"
        verbose_name_plural = "协议义务"
        ordering = ["agreement_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="obligation_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ObligationStatus.values),
                name="obligation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="obligation_amount_not_negative",
            ),
        ]
        indexes = [
            # performance.mark_overdue: the obligations still due past their date.
            models.Index(fields=["status", "due_date"], name="obligation_due_idx"),
            # The performance list (selectors.performance_list): each effective agreement's
            # obligations not yet performed, within the horizon, read from the index alone.
            models.Index(
                fields=["agreement", "due_date", "id"],
                condition=Q(status__in=[ObligationStatus.DUE, ObligationStatus.OVERDUE]),
                name="obligation_followed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.obligor.name}：{self.description}"


class Signature(models.Model):
    """A party's signature, seal or fingerprint on one agreement version."""

    class Capacity(models.TextChoices):
        IN_PERSON = "in_person", "本人"
        LEGAL_REPRESENTATIVE = "legal_representative", "法定代表人或负责人"
        SPECIAL_AGENT = "special_agent", "特别授权代理人"
        AGENCY_SEAL = "agency_seal", "行政机关（负责人签字并加盖印章）"

    class Method(models.TextChoices):
        SIGNATURE = "signature", "签名"
        SEAL = "seal", "盖章"
        FINGERPRINT = "fingerprint", "捺印"
        E_SIGNATURE = "e_signature", "电子签章"

    # No index of its own: signature_once_per_party starts with it.
    agreement = models.ForeignKey(
        Agreement,
        verbose_name="调解协议",
        on_delete=models.CASCADE,
        related_name="signatures",
        db_index=False,
        help_text="所属的调解协议。",
    )
    party = models.ForeignKey(
        Party,
        verbose_name="当事人",
        on_delete=models.PROTECT,
        related_name="signatures",
        help_text="签字或盖章的当事人。",
    )
    signer_name = models.CharField(
        "签字人", max_length=50, help_text="实际签字的人；由代理人签署的为代理人姓名。"
    )
    capacity = models.CharField(
        "签字人身份",
        max_length=30,
        choices=Capacity.choices,
        help_text="签字人以何种身份代表当事人签署。",
    )
    agent = models.ForeignKey(
        Agent,
        verbose_name="代理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        help_text="由代理人签署的，只能选择特别授权的代理人。",
    )
    method = models.CharField(
        "方式", max_length=20, choices=Method.choices, help_text="签名、盖章、捺印或电子签章。"
    )
    signed_on = models.DateField("签字日期", help_text="当事人在协议上签字或盖章的日期。")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="在系统中记录签字的用户。",
    )
    recorded_at = models.DateTimeField(
        "记录时间", auto_now_add=True, help_text="在系统中记录签字的时间。"
    )

    class Meta:
        verbose_name = "签字记录"
        verbose_name_plural = "签字记录"
        ordering = ["agreement_id", "signed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="signature_once_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.party.name}：{self.signer_name}（{self.get_capacity_display()}）"


class ConfirmationOutcome(models.TextChoices):
    """The court's decision on the application (DOMAIN.md §1.5)."""

    VALID_RULING = "valid_ruling", "裁定调解协议有效"
    PRE_LITIGATION_DOCUMENT = "pre_litigation_document", "出具行政诉前调解书"
    DISMISSED = "dismissed", "裁定驳回申请"
    NOT_ACCEPTED = "not_accepted", "裁定不予受理"
    WITHDRAWN = "withdrawn", "准许撤回或按撤回申请处理"


CONFIRMED_OUTCOMES = frozenset(
    {ConfirmationOutcome.VALID_RULING, ConfirmationOutcome.PRE_LITIGATION_DOCUMENT}
)


class ConfirmationMaterial(models.TextChoices):
    """Materials of the application (民诉法解释第三百五十四条)."""

    AGREEMENT = "agreement", "调解协议书"
    PRESIDING_PROOF = "presiding_proof", "调解组织主持调解的证明"
    IDENTITY = "identity", "双方当事人的身份、住所、联系方式等证明材料"
    PROPERTY_PROOF = "property_proof", "与调解协议相关的财产权利证明"
    POWER_OF_ATTORNEY = "power_of_attorney", "委托代理人的授权委托书"


class ConfirmationStatus(models.TextChoices):
    APPLIED = "applied", "已申请"
    CONFIRMED = "confirmed", "已确认"
    FAILED = "failed", "未获确认"


class Confirmation(models.Model):
    """A joint application for judicial confirmation (司法确认) and the court's outcome."""

    Status = ConfirmationStatus

    agreement = models.ForeignKey(
        Agreement,
        verbose_name="调解协议",
        on_delete=models.PROTECT,
        related_name="confirmations",
        help_text="申请确认的调解协议版本。",
    )
    # No index of its own: confirmation_queue_idx starts with it.
    court = models.ForeignKey(
        Court,
        verbose_name="受理法院",
        on_delete=models.PROTECT,
        related_name="confirmations",
        db_index=False,
        help_text="受理司法确认申请的人民法院；委派案件默认为委派法院。",
    )
    applicants = models.ManyToManyField(
        Party,
        verbose_name="申请人",
        related_name="confirmation_applications",
        help_text="共同提出申请的当事人，须由双方当事人共同申请。",
    )
    applied_on = models.DateField(
        "申请日期", help_text="向法院提交申请的日期；超过申请期限的须确认后才能记录。"
    )
    late = models.BooleanField(
        "超过申请期限",
        default=False,
        editable=False,
        help_text="申请日期晚于协议生效之日起三十日的，记录申请时由系统标记。",
    )
    materials = models.JSONField(
        "提交材料",
        default=list,
        blank=True,
        help_text="随申请提交的材料（民诉法解释第三百五十四条）。",
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=Status.choices,
        default=Status.APPLIED,
        editable=False,
        help_text="记录法院的结果后，由结果确定为已确认或未获确认。",
    )
    outcome = models.CharField(
        "结果",
        max_length=30,
        choices=ConfirmationOutcome.choices,
        blank=True,
        editable=False,
        help_text="法院对申请作出的处理结果。",
    )
    court_case_no = models.CharField(
        "法院案号",
        max_length=60,
        blank=True,
        editable=False,
        help_text="法院受理申请的案号，如（2026）鄂9005民特3号。",
    )
    filed_on = models.DateField(
        "法院立案日期",
        null=True,
        blank=True,
        editable=False,
        help_text="法院对司法确认申请立案的日期。",
    )
    decided_on = models.DateField(
        "裁定或文书日期",
        null=True,
        blank=True,
        editable=False,
        help_text="法院作出裁定或出具调解书的日期。",
    )
    served_on = models.DateField(
        "送达当事人日期",
        null=True,
        blank=True,
        editable=False,
        help_text="法院裁定送达当事人的日期。",
    )
    outcome_note = models.CharField(
        "说明", max_length=500, blank=True, editable=False, help_text="记录法院裁定时填写的说明。"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请记录人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="记录司法确认申请的用户。",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结果记录人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="记录法院裁定结果的用户。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True, help_text="记录申请的时间。")

    class Meta:
        verbose_name = "司法确认申请"
        verbose_name_plural = "司法确认申请"
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ConfirmationStatus.values),
                name="confirmation_status_valid",
            ),
            # An agreement version has at most one application pending or granted.
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(status__in=[ConfirmationStatus.APPLIED, ConfirmationStatus.CONFIRMED]),
                name="confirmation_one_active_per_agreement",
            ),
        ]
        indexes = [
            # The court liaison's queue: their court's pending applications first.
            models.Index(fields=["court", "status", "applied_on"], name="confirmation_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} 司法确认"
