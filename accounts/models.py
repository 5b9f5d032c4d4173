"""Users, their role, and the organisation they belong to (an office or a court)."""

from typing import Any, ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.audit import audited

DEFAULT_REGISTRATION_NUMBER_PATTERN = "潜行调登〔{year}〕{seq:04d}号"
DEFAULT_CASE_NUMBER_PATTERN = "（{year}）潜行调字第{seq}号"


def validate_number_pattern(value: str) -> None:
    """A number pattern must contain ``{year}`` and ``{seq}`` and format cleanly."""
    if "{year" not in value or "{seq" not in value:
        raise ValidationError("编号格式必须同时包含 {year}（年度）和 {seq}（序号）。")
    try:
        value.format(year=2025, seq=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError(
            "编号格式无法使用：只能使用 {year} 和 {seq}，序号可写作 {seq:04d} 以补足四位。"
        ) from exc


phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$",
    "请输入有效的电话号码：11位手机号，或带区号的固定电话（如 0728-1234567）。",
)


class Office(models.Model):
    """A dispute-resolution office. Every case belongs to exactly one office."""

    name = models.CharField("名称", max_length=100, unique=True, help_text="全称，用于文书抬头。")
    short_name = models.CharField("简称", max_length=30, help_text="用于列表和编号。")
    registration_number_pattern = models.CharField(
        "登记号格式",
        max_length=60,
        default=DEFAULT_REGISTRATION_NUMBER_PATTERN,
        validators=[validate_number_pattern],
        help_text="登记时分配的编号。{year} 为年度，{seq} 为当年序号（{seq:04d} 补足四位）。",
    )
    case_number_pattern = models.CharField(
        "案号格式",
        max_length=60,
        default=DEFAULT_CASE_NUMBER_PATTERN,
        validators=[validate_number_pattern],
        help_text="受理时分配的案号。{year} 为年度，{seq} 为当年序号。",
    )
    self_accepted_mediation_days = models.PositiveSmallIntegerField(
        "自行受理调解期限（日）",
        default=30,
        help_text="自行受理案件的调解期限，自受理之次日起按自然日计算。无全国性规定，默认30日。",
    )
    acceptance_review_working_days = models.PositiveSmallIntegerField(
        "受理审查期限（工作日）",
        default=5,
        help_text="登记后决定是否受理的期限。无全国性规定，默认参照《行政复议法》第三十条为5个工作日。",
    )
    address = models.CharField(
        "地址", max_length=200, blank=True, help_text="印在文书末尾的联系地址。"
    )
    phone = models.CharField(
        "电话",
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text="印在文书末尾的联系电话：11位手机号，或带区号的固定电话。",
    )
    is_active = models.BooleanField(
        "启用", default=True, help_text="停用的工作室不再供法院委派时选择，历史案件仍保留。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Who changed what, when and from where (accounts/audit.py).
    history = audited()

    class Meta:
        verbose_name = "工作室"
        verbose_name_plural = "工作室"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Court(models.Model):
    """A people's court that refers disputes and confirms agreements."""

    class Level(models.TextChoices):
        BASIC = "basic", "基层人民法院"
        INTERMEDIATE = "intermediate", "中级人民法院"
        HIGH = "high", "高级人民法院"

    name = models.CharField(
        "名称", max_length=100, unique=True, help_text="法院全称，如 潜江市人民法院。"
    )
    code = models.CharField(
        "法院代字",
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                r"^[\u4e00-\u9fa5]\d{0,4}$",
                "法院代字由省份简称加0至4位数字组成，如“鄂9005”“鄂96”。",
            )
        ],
        help_text="案号中的法院代字，如 鄂9005（潜江市人民法院）、鄂96（汉江中级人民法院）。",
    )
    level = models.CharField(
        "级别",
        max_length=20,
        choices=Level.choices,
        default=Level.BASIC,
        help_text="法院的审级：基层、中级或高级人民法院。",
    )
    address = models.CharField(
        "地址", max_length=200, blank=True, help_text="法院的办公地址，供联系和移送材料。"
    )
    phone = models.CharField(
        "电话",
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text="法院的联系电话：11位手机号，或带区号的固定电话。",
    )
    is_active = models.BooleanField(
        "启用", default=True, help_text="停用的法院不再供委派和司法确认时选择，历史记录仍保留。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Who changed what, when and from where (accounts/audit.py).
    history = audited()

    class Meta:
        verbose_name = "法院"
        verbose_name_plural = "法院"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """The seven roles. Each is also a permission group named by its label."""

    CLERK = "clerk", "登记员"
    MEDIATOR = "mediator", "调解员"
    HEAD = "head", "工作室负责人"
    COURT_LIAISON = "court_liaison", "法院联络员"
    GOV_LIAISON = "gov_liaison", "司法局联络员"
    # A city agency's staff member for its lawsuits: sees only that agency's records.
    AGENCY_CONTACT = "agency_contact", "机关应诉联络员"
    ADMIN = "admin", "系统管理员"


OFFICE_ROLES = frozenset({Role.CLERK, Role.MEDIATOR, Role.HEAD})
COURT_ROLES = frozenset({Role.COURT_LIAISON})
AGENCY_ROLES = frozenset({Role.AGENCY_CONTACT})


class User(AbstractUser):
    """A person who signs in. Belongs to one office, one court, one agency, or none."""

    name = models.CharField("姓名", max_length=50, help_text="真实姓名，显示在页面和文书上。")
    role = models.CharField(
        "角色",
        max_length=20,
        choices=Role.choices,
        help_text="角色决定权限；修改角色后，用户随之调整到该角色的权限组。",
    )
    office = models.ForeignKey(
        Office,
        verbose_name="所属工作室",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="登记员、调解员和工作室负责人必须属于一个工作室。",
    )
    court = models.ForeignKey(
        Court,
        verbose_name="所属法院",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="法院联络员必须属于一个法院。",
    )
    # By name, not by import: accounts sits below cases, whose directory the agency is in.
    agency = models.ForeignKey(
        "cases.Agency",
        verbose_name="所属行政机关",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        help_text="机关应诉联络员必须属于行政机关名录中的一个机关，只能查看本机关的诉讼、司法建议和督办事项。",
    )
    phone = models.CharField(
        "电话",
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text="11位手机号，或带区号的固定电话。",
    )

    must_change_password = models.BooleanField(
        "下次登录须修改密码",
        default=False,
        help_text="管理员设置或重置密码后自动勾选；用户修改密码后自动取消。",
    )

    # Annotated as django-stubs annotates AbstractUser.objects, so that it returns Users.
    objects: ClassVar[UserManager[Self]] = UserManager()

    REQUIRED_FIELDS = ["email", "name", "role"]

    # Who changed what, when and from where (accounts/audit.py).
    history = audited(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]
        permissions = [("view_audit_log", "查看审计日志")]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="accounts_user_role_valid"
            ),
            # One organisation at most: an office, a court or an agency, never two.
            models.CheckConstraint(
                condition=(
                    Q(office__isnull=True, court__isnull=True)
                    | Q(office__isnull=True, agency__isnull=True)
                    | Q(court__isnull=True, agency__isnull=True)
                ),
                name="accounts_user_single_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.username}）" if self.name else self.username

    def get_full_name(self) -> str:
        return self.name or self.username

    def get_short_name(self) -> str:
        return self.name or self.username

    def get_absolute_url(self) -> str:
        return reverse("home")

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Signing in stamps last_login, which the audit trail leaves out: no history row.
        if set(kwargs.get("update_fields") or ()) == {"last_login"}:
            self.skip_history_when_saving = True
            try:
                super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
            return
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        role = self.get_role_display()
        if self.role in OFFICE_ROLES:
            if not self.office_id:
                errors["office"] = f"“{role}”必须选择所属工作室。"
            if self.court_id:
                errors["court"] = f"“{role}”不能同时属于法院。"
            if self.agency_id:
                errors["agency"] = f"“{role}”不能同时属于行政机关。"
        elif self.role in COURT_ROLES:
            if not self.court_id:
                errors["court"] = "法院联络员必须选择所属法院。"
            if self.office_id:
                errors["office"] = "法院联络员不能同时属于工作室。"
            if self.agency_id:
                errors["agency"] = "法院联络员不能同时属于行政机关。"
        elif self.role in AGENCY_ROLES:
            if not self.agency_id:
                errors["agency"] = "机关应诉联络员必须选择所属行政机关。"
            if self.office_id:
                errors["office"] = "机关应诉联络员不能同时属于工作室。"
            if self.court_id:
                errors["court"] = "机关应诉联络员不能同时属于法院。"
        elif self.role:
            if self.office_id:
                errors["office"] = f"“{role}”不属于任何工作室。"
            if self.court_id:
                errors["court"] = f"“{role}”不属于任何法院。"
            if self.agency_id:
                errors["agency"] = f"“{role}”不属于任何行政机关。"
        if errors:
            raise ValidationError(errors)

    @property
    def organisation(self) -> Any:
        """The office, court or agency the user belongs to (None for the bureau and IT)."""
        return self.office or self.court or self.agency

    @property
    def is_office_staff(self) -> bool:
        return self.role in OFFICE_ROLES and self.office_id is not None

    @property
    def is_court_liaison(self) -> bool:
        return self.role == Role.COURT_LIAISON and self.court_id is not None

    @property
    def is_agency_contact(self) -> bool:
        return self.role == Role.AGENCY_CONTACT and self.agency_id is not None
