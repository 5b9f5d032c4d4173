"""Parties to a case and their agents (DOMAIN.md §3.1)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import phone_validator
from cases.identifiers import IdentifierError, mask_citizen_id, parse_citizen_id
from cases.models.case import Case
from cases.models.reference import Agency
from cases.models.search import PARTY_FIELDS, changes_terms, party_terms, replace_terms
from cases.plausibility import validate_birth_date
from cases.validators import validate_uscc_format

MAX_AGENTS_PER_PARTY = 2  # 行政诉讼法第三十一条


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    HK_MACAO_PERMIT = "hk_macao_permit", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan_permit", "台湾居民来往大陆通行证"
    HMT_RESIDENCE = "hmt_residence", "港澳台居民居住证"
    FOREIGN_PERMANENT = "foreign_permanent", "外国人永久居留身份证"
    PASSPORT = "passport", "护照"
    OTHER = "other", "其他"


class Party(models.Model):
    """A participant in the case: applicant, respondent agency, third party or representative."""

    class Role(models.TextChoices):
        APPLICANT = "applicant", "申请人"
        RESPONDENT = "respondent", "被申请人"
        THIRD_PARTY = "third_party", "第三人"
        REPRESENTATIVE = "representative", "代表人"

    class Kind(models.TextChoices):
        NATURAL_PERSON = "natural_person", "自然人"
        LEGAL_PERSON = "legal_person", "法人"
        OTHER_ORG = "other_org", "非法人组织"
        AGENCY = "agency", "行政机关或授权组织"

    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"

    class EServiceChannel(models.TextChoices):
        SMS = "sms", "手机短信"
        EMAIL = "email", "电子邮件"
        PLATFORM = "platform", "调解平台"

    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="parties",
        help_text="所属的案件。",
    )
    role = models.CharField(
        "诉讼地位",
        max_length=20,
        choices=Role.choices,
        help_text="当事人在本案中的地位；人数众多的，可以推选代表人。",
    )
    kind = models.CharField(
        "类型",
        max_length=20,
        choices=Kind.choices,
        help_text="自然人填写证件信息，组织填写统一社会信用代码，行政机关从名录中选择。",
    )
    name = models.CharField(
        "名称或姓名",
        max_length=100,
        help_text="自然人填写姓名，组织填写全称；行政机关使用名录中的名称。",
    )

    # Natural persons
    gender = models.CharField(
        "性别",
        max_length=10,
        choices=Gender.choices,
        blank=True,
        help_text="填写居民身份证号码的，按号码确定。",
    )
    ethnicity = models.CharField("民族", max_length=20, blank=True, help_text="如 汉族、土家族。")
    birth_date = models.DateField(
        "出生日期",
        null=True,
        blank=True,
        validators=[validate_birth_date],
        help_text="填写居民身份证号码的，按号码确定。",
    )
    id_type = models.CharField(
        "证件类型",
        max_length=30,
        choices=IdType.choices,
        blank=True,
        help_text="自然人的身份证件种类，一般为居民身份证。",
    )
    id_number = models.CharField(
        "证件号码",
        max_length=30,
        blank=True,
        db_index=True,
        help_text="居民身份证按国家标准校验。列表和通知中只显示前六位和后四位。",
    )
    domicile = models.CharField(
        "住所地或经常居住地",
        max_length=200,
        blank=True,
        help_text="户籍登记的住所；经常居住地与住所不一致的，填写经常居住地。",
    )
    occupation = models.CharField(
        "职业", max_length=50, blank=True, help_text="如 农民、个体工商户、退休职工。"
    )

    # Legal persons and other organisations
    uscc = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        db_index=True,
        validators=[validate_uscc_format],
        help_text="18位代码；法人必须填写，非法人组织有的也应填写。",
    )
    uscc_checksum_confirmed = models.BooleanField(
        "校验位不符已核对",
        default=False,
        help_text="统一社会信用代码校验位不符，但已与营业执照等原件核对无误的勾选。",
    )
    legal_representative = models.CharField(
        "法定代表人或负责人",
        max_length=50,
        blank=True,
        help_text="法人的法定代表人或非法人组织的负责人姓名。",
    )
    legal_representative_title = models.CharField(
        "职务", max_length=50, blank=True, help_text="法定代表人或负责人的职务，如 董事长、厂长。"
    )

    # Administrative agencies
    agency = models.ForeignKey(
        Agency,
        verbose_name="行政机关",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parties",
        help_text="从行政机关名录中选择；名录中没有的，请联系系统管理员添加。",
    )
    contact_person = models.CharField(
        "联系人", max_length=50, blank=True, help_text="行政机关负责联系本案的工作人员。"
    )

    # Everyone
    phone = models.CharField(
        "联系电话",
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text="11位手机号，或带区号的固定电话。",
    )
    service_address = models.CharField(
        "送达地址", max_length=200, blank=True, help_text="当事人确认的接收文书的地址。"
    )
    service_address_confirmed = models.BooleanField(
        "已签署送达地址确认书", default=False, help_text="当事人已签署送达地址确认书的勾选。"
    )
    e_service_consent = models.BooleanField(
        "同意电子送达", default=False, help_text="电子送达须经受送达人同意。"
    )
    e_service_channel = models.CharField(
        "电子送达方式",
        max_length=20,
        choices=EServiceChannel.choices,
        blank=True,
        help_text="同意电子送达的，选择送达方式。",
    )
    e_service_address = models.CharField(
        "电子送达地址", max_length=100, blank=True, help_text="手机号码或电子邮箱。"
    )
    willing_to_mediate = models.BooleanField(
        "同意调解", null=True, blank=True, help_text="尚未询问的留空。"
    )
    order = models.PositiveSmallIntegerField(
        "排序", default=0, help_text="当事人在文书中的排列顺序，数字小的在前。"
    )
    created_at = models.DateTimeField(
        "创建时间", auto_now_add=True, help_text="保存记录时由系统自动填写。"
    )
    updated_at = models.DateTimeField(
        "更新时间", auto_now=True, help_text="每次保存时由系统自动更新。"
    )

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["case_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["applicant", "respondent", "third_party", "representative"]),
                name="party_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["natural_person", "legal_person", "other_org", "agency"]),
                name="party_kind_valid",
            ),
            # An agency party always points at the directory entry.
            models.CheckConstraint(
                condition=~Q(kind="agency") | Q(agency__isnull=False),
                name="party_agency_has_directory_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        fresh = self._state.adding
        super().save(*args, **kwargs)
        if changes_terms(kwargs.get("update_fields"), PARTY_FIELDS):
            # A deleted party's terms go with it (SearchTerm.party, on_delete=CASCADE).
            replace_terms(
                party_terms(self), case_id=self.case_id, kinds=(), party_id=self.pk, fresh=fresh
            )

    def clean(self) -> None:
        super().clean()
        if self.id_type == IdType.RESIDENT_ID and self.id_number:
            try:
                parsed = parse_citizen_id(self.id_number, today=timezone.localdate())
            except IdentifierError as exc:
                raise ValidationError({"id_number": exc.message}) from None
            if parsed.number != self.id_number:
                raise ValidationError({"id_number": "身份证号码应以18位大写形式保存。"})

    @property
    def is_natural_person(self) -> bool:
        return self.kind == self.Kind.NATURAL_PERSON

    @property
    def is_organisation(self) -> bool:
        return self.kind in (self.Kind.LEGAL_PERSON, self.Kind.OTHER_ORG)

    @property
    def masked_id_number(self) -> str:
        return mask_citizen_id(self.id_number) if self.id_number else ""

    @property
    def identity(self) -> str:
        """The identifier duplicates are matched on: ID number, credit code or agency."""
        if self.is_natural_person:
            return self.id_number
        if self.is_organisation:
            return self.uscc
        return f"agency:{self.agency_id}" if self.agency_id else ""


class Agent(models.Model):
    """An agent (代理人) of a party; at most two per party."""

    class Kind(models.TextChoices):
        LAWYER = "lawyer", "律师"
        LEGAL_WORKER = "legal_worker", "基层法律服务工作者"
        CLOSE_RELATIVE = "close_relative", "近亲属"
        STAFF = "staff", "工作人员"
        RECOMMENDED = "recommended", "社区、单位或社会团体推荐的公民"
        GUARDIAN = "guardian", "法定代理人"

    class Authority(models.TextChoices):
        GENERAL = "general", "一般授权"
        SPECIAL = "special", "特别授权"

    party = models.ForeignKey(
        Party,
        verbose_name="被代理人",
        on_delete=models.CASCADE,
        related_name="agents",
        help_text="由其委托代理的当事人。",
    )
    name = models.CharField("姓名", max_length=50, help_text="代理人的姓名，与授权委托书一致。")
    kind = models.CharField(
        "代理人类型",
        max_length=20,
        choices=Kind.choices,
        help_text="按行政诉讼法第三十一条可以担任代理人的人员类别。",
    )
    authority = models.CharField(
        "代理权限",
        max_length=10,
        choices=Authority.choices,
        help_text="只有特别授权的代理人可以代为签署调解协议、申请司法确认。",
    )
    id_number = models.CharField(
        "身份证号码",
        max_length=18,
        blank=True,
        help_text="代理人的居民身份证号码，按国家标准校验。",
    )
    organisation = models.CharField(
        "执业机构或工作单位",
        max_length=100,
        blank=True,
        help_text="律师填写律师事务所，其他代理人填写工作单位。",
    )
    licence_no = models.CharField(
        "执业证号", max_length=50, blank=True, help_text="律师、基层法律服务工作者的执业证号。"
    )
    phone = models.CharField(
        "联系电话",
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text="11位手机号，或带区号的固定电话。",
    )
    created_at = models.DateTimeField(
        "创建时间", auto_now_add=True, help_text="保存记录时由系统自动填写。"
    )

    class Meta:
        verbose_name = "代理人"
        verbose_name_plural = "代理人"
        ordering = ["party_id", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}，{self.get_authority_display()}）"

    @property
    def masked_id_number(self) -> str:
        return mask_citizen_id(self.id_number) if self.id_number else ""
