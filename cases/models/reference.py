"""Reference data the case work depends on: agencies, dispute categories, the holiday calendar."""

from django.db import models
from django.db.models import Q

from accounts.audit import audited
from accounts.models import phone_validator
from cases.validators import validate_uscc_format


class Agency(models.Model):
    """An administrative agency (or an organisation authorised by law) that may be a respondent."""

    class Level(models.TextChoices):
        TOWNSHIP = "township", "乡镇/街道"
        CITY_DEPARTMENT = "city_department", "市直部门"
        CITY_GOVERNMENT = "city_government", "市人民政府"
        PROVINCIAL = "provincial", "省级部门及派驻机构"
        AUTHORISED = "authorised", "法律法规授权组织"
        OTHER = "other", "其他"

    name = models.CharField("名称", max_length=100, unique=True, help_text="机关全称。")
    short_name = models.CharField(
        "简称", max_length=30, blank=True, help_text="列表中显示的简称，如 市人社局。"
    )
    uscc = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[validate_uscc_format],
        help_text="机关的统一社会信用代码通常以“11”开头。",
    )
    uscc_checksum_confirmed = models.BooleanField(
        "校验位不符已核对",
        default=False,
        help_text="代码校验位不符时，经核对证照确认无误。",
    )
    level = models.CharField(
        "层级",
        max_length=30,
        choices=Level.choices,
        help_text="机关所属的层级，如 市直部门、乡镇/街道。",
    )
    principal_name = models.CharField(
        "主要负责人",
        max_length=50,
        blank=True,
        help_text="正职负责人姓名，文书中作为机关负责人载明，签署协议时默认为签字人。",
    )
    principal_title = models.CharField(
        "负责人职务", max_length=50, blank=True, help_text="如 局长、主任。"
    )
    address = models.CharField(
        "地址",
        max_length=200,
        blank=True,
        help_text="当事人信息中未填写住所地和送达地址的，文书中使用此地址。",
    )
    phone = models.CharField(
        "电话",
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text="当事人信息中未填写联系电话的，文书中使用此电话。",
    )
    is_active = models.BooleanField(
        "有效", default=True, help_text="撤销或合并的机关停用而不删除，历史案件仍引用它。"
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
        verbose_name = "行政机关"
        verbose_name_plural = "行政机关名录"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=~Q(uscc=""), name="cases_agency_uscc_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DisputeCategory(models.Model):
    """The office's practical dispute categories (DOMAIN.md §3.4), editable by administrators."""

    code = models.SlugField(
        "代码",
        max_length=40,
        unique=True,
        allow_unicode=False,
        help_text="英文字母、数字或下划线组成的代码，如 EXPROPRIATION；设定后不宜修改。",
    )
    label = models.CharField(
        "名称", max_length=60, help_text="登记时选择的类别名称，如 征收拆迁/征地补偿。"
    )
    cause_of_action = models.CharField(
        "对应案由",
        max_length=100,
        blank=True,
        help_text="《最高人民法院关于行政案件案由的暂行规定》二级案由。",
    )
    field = models.CharField(
        "行政管理领域", max_length=60, blank=True, help_text="统计口径中的行政管理领域。"
    )
    art60_mediable = models.BooleanField(
        "属行政诉讼法第六十条可调解范围",
        default=False,
        help_text="行政赔偿、补偿以及行政机关行使法律法规规定的自由裁量权的案件可以调解。",
    )
    art60_note = models.CharField(
        "可调解性说明",
        max_length=200,
        blank=True,
        help_text="类别不属可调解范围的，登记页面向登记员显示的说明。",
    )
    reconsideration_first = models.BooleanField(
        "复议前置",
        default=False,
        help_text="《行政复议法》第二十三条规定应当先申请行政复议的情形。",
    )
    reconsideration_note = models.CharField(
        "复议前置说明",
        max_length=200,
        blank=True,
        help_text="属复议前置的，登记页面显示的提示及法律依据。",
    )
    sort_order = models.PositiveSmallIntegerField(
        "排序", default=0, help_text="数字小的排在前面，相同的按代码排序。"
    )
    is_active = models.BooleanField(
        "启用", default=True, help_text="停用的类别不能在登记时选择，历史案件仍保留。"
    )

    # Who changed what, when and from where (accounts/audit.py).
    history = audited()

    class Meta:
        verbose_name = "争议类别"
        verbose_name_plural = "争议类别"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.label


class CalendarDay(models.Model):
    """A statutory holiday or a make-up working day from the State Council's yearly notice.

    Ordinary weekends are not stored: only the exceptions to Monday–Friday.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    date = models.DateField(
        "日期", unique=True, help_text="放假或调休上班的日期；普通周末不必录入。"
    )
    kind = models.CharField(
        "类型",
        max_length=10,
        choices=Kind.choices,
        help_text="放假的按休息日、调休上班的按工作日计算期限。",
    )
    name = models.CharField("节日", max_length=20, help_text="如 春节、国庆节。")
    note = models.CharField("依据", max_length=200, blank=True, help_text="国务院办公厅通知文号。")

    # Who changed what, when and from where (accounts/audit.py).
    history = audited()

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["holiday", "workday"]), name="cases_calendarday_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}{self.get_kind_display()}"
