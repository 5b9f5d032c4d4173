"""Settlement agreements, their signatures and legality checklist, judicial confirmation, performance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.models import Court
from cases.models import Agent, Attachment, Case, Party
from cases.plausibility import not_negative


class Agreement(models.Model):
    """One version of a case's settlement agreement (调解协议书, 特邀调解规定第二十三、二十四条)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "起草中"  # editable; signatures are being collected
        EFFECTIVE = "effective", "已生效"  # every required signature and the office seal
        SUPERSEDED = "superseded", "已被新版本取代"  # a later version replaced it
        ABANDONED = "abandoned", "未生效作废"  # mediation resumed or ended before it took effect

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="agreements"
    )
    version = models.PositiveSmallIntegerField("版本")
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    previous = models.OneToOneField(
        "self",
        verbose_name="前一版本",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        editable=False,
    )
    parties_info = models.TextField(
        "当事人基本情况", max_length=5000, help_text="起草时根据案件当事人信息生成，可以修改。"
    )
    facts = models.TextField("主要事实和争议事项", max_length=10000)
    result = models.TextField(
        "调解结果", max_length=10000, help_text="双方协商一致的内容；各方义务在下方逐项列明。"
    )
    other_terms = models.TextField("其他约定", max_length=5000, blank=True)
    confirmation_intended = models.BooleanField(
        "当事人拟申请司法确认",
        default=False,
        help_text="勾选后，系统在申请期限届满前提醒。",
    )
    edit_version = models.PositiveIntegerField("修改版本", default=1, editable=False)
    mediator_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="调解员签字",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    mediator_signed_on = models.DateField("调解员签字日期", null=True, blank=True, editable=False)
    office_sealed_on = models.DateField("加盖工作室印章日期", null=True, blank=True, editable=False)
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
    court_filing_note = models.CharField("备案情况", max_length=300, blank=True, editable=False)
    nonperformance_handled_on = models.DateField(
        "不履行处理日期", null=True, blank=True, editable=False
    )
    nonperformance_note = models.TextField("不履行的处理", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "调解协议"
        verbose_name_plural = "调解协议"
        ordering = ["case", "-version"]
        permissions = [
            ("draft_agreement", "起草和修改调解协议"),
            ("record_signature", "记录签字、盖章"),
            ("apply_confirmation", "记录司法确认申请"),
            ("record_confirmation_outcome", "记录司法确认结果"),
            ("record_performance", "记录协议履行"),
            ("handle_nonperformance", "处理协议不履行"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="agreement_version_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "effective", "superseded", "abandoned"]),
                name="agreement_status_valid",
            ),
            # At most one version of a case is being drafted or in force at a time.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["draft", "effective"]),
                name="agreement_one_current_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.display_number} 调解协议（第{self.version}版）"

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", args=[self.case_id, self.pk])

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

    agreement = models.ForeignKey(
        Agreement, verbose_name="调解协议", on_delete=models.CASCADE, related_name="checklist"
    )
    item = models.CharField("审查事项", max_length=30, choices=ChecklistItem.choices)
    answer = models.CharField("结论", max_length=10, choices=Answer.choices)
    note = models.CharField("说明", max_length=500, blank=True)
    override_reason = models.CharField(
        "仍予签署的理由",
        max_length=500,
        blank=True,
        help_text="审查结论为“不符合”而仍然签署的，必须记录理由。",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审查人", on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField("审查时间", auto_now=True)

    class Meta:
        verbose_name = "合法性审查"
        verbose_name_plural = "合法性审查"
        ordering = ["agreement", "id"]
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


class Obligation(models.Model):
    """One obligation of the agreement: who does what, by when, how."""

    class Status(models.TextChoices):
        DUE = "due", "待履行"
        PERFORMED = "performed", "已履行"
        OVERDUE = "overdue", "逾期未履行"

    agreement = models.ForeignKey(
        Agreement, verbose_name="调解协议", on_delete=models.CASCADE, related_name="obligations"
    )
    number = models.PositiveSmallIntegerField("序号")
    obligor = models.ForeignKey(
        Party, verbose_name="义务人", on_delete=models.PROTECT, related_name="obligations"
    )
    kind = models.CharField("义务类型", max_length=30, choices=ObligationKind.choices)
    description = models.CharField("内容", max_length=1000)
    amount = models.DecimalField(
        "金额（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[not_negative],
    )
    due_date = models.DateField("履行期限")
    method = models.CharField(
        "履行方式", max_length=300, help_text="如：转账至申请人账户、送达书面决定。"
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DUE, editable=False
    )
    performed_on = models.DateField("履行日期", null=True, blank=True, editable=False)
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
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "协议义务"
        verbose_name_plural = "协议义务"
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="obligation_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["due", "performed", "overdue"]),
                name="obligation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="obligation_amount_not_negative",
            ),
        ]
        indexes = [
            # The performance list: obligations due soon or overdue.
            models.Index(fields=["status", "due_date"], name="obligation_due_idx"),
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

    agreement = models.ForeignKey(
        Agreement, verbose_name="调解协议", on_delete=models.CASCADE, related_name="signatures"
    )
    party = models.ForeignKey(
        Party, verbose_name="当事人", on_delete=models.PROTECT, related_name="signatures"
    )
    signer_name = models.CharField("签字人", max_length=50)
    capacity = models.CharField("签字人身份", max_length=30, choices=Capacity.choices)
    agent = models.ForeignKey(
        Agent,
        verbose_name="代理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    method = models.CharField("方式", max_length=20, choices=Method.choices)
    signed_on = models.DateField("签字日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "签字记录"
        verbose_name_plural = "签字记录"
        ordering = ["agreement", "signed_on", "id"]
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


class Confirmation(models.Model):
    """A joint application for judicial confirmation (司法确认) and the court's outcome."""

    class Status(models.TextChoices):
        APPLIED = "applied", "已申请"
        CONFIRMED = "confirmed", "已确认"
        FAILED = "failed", "未获确认"

    agreement = models.ForeignKey(
        Agreement, verbose_name="调解协议", on_delete=models.PROTECT, related_name="confirmations"
    )
    court = models.ForeignKey(
        Court, verbose_name="受理法院", on_delete=models.PROTECT, related_name="confirmations"
    )
    applicants = models.ManyToManyField(
        Party, verbose_name="申请人", related_name="confirmation_applications"
    )
    applied_on = models.DateField("申请日期")
    late = models.BooleanField("超过申请期限", default=False, editable=False)
    materials = models.JSONField("提交材料", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.APPLIED, editable=False
    )
    outcome = models.CharField(
        "结果", max_length=30, choices=ConfirmationOutcome.choices, blank=True, editable=False
    )
    court_case_no = models.CharField("法院案号", max_length=60, blank=True, editable=False)
    filed_on = models.DateField("法院立案日期", null=True, blank=True, editable=False)
    decided_on = models.DateField("裁定或文书日期", null=True, blank=True, editable=False)
    served_on = models.DateField("送达当事人日期", null=True, blank=True, editable=False)
    outcome_note = models.CharField("说明", max_length=500, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请记录人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结果记录人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "司法确认申请"
        verbose_name_plural = "司法确认申请"
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["applied", "confirmed", "failed"]),
                name="confirmation_status_valid",
            ),
            # An agreement version has at most one application pending or granted.
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(status__in=["applied", "confirmed"]),
                name="confirmation_one_active_per_agreement",
            ),
        ]
        indexes = [
            # The court liaison's queue: their court's pending applications first.
            models.Index(fields=["court", "status", "applied_on"], name="confirmation_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} 司法确认"
