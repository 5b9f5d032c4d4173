"""Reference data the case work depends on: agencies, dispute categories, the holiday calendar."""

from django.db import models
from django.db.models import Q

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
    short_name = models.CharField("简称", max_length=30, blank=True)
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
    level = models.CharField("层级", max_length=30, choices=Level.choices)
    principal_name = models.CharField("主要负责人", max_length=50, blank=True)
    principal_title = models.CharField("负责人职务", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True, validators=[phone_validator])
    is_active = models.BooleanField(
        "有效", default=True, help_text="撤销或合并的机关停用而不删除，历史案件仍引用它。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

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

    code = models.SlugField("代码", max_length=40, unique=True, allow_unicode=False)
    label = models.CharField("名称", max_length=60)
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
    art60_note = models.CharField("可调解性说明", max_length=200, blank=True)
    reconsideration_first = models.BooleanField(
        "复议前置",
        default=False,
        help_text="《行政复议法》第二十三条规定应当先申请行政复议的情形。",
    )
    reconsideration_note = models.CharField("复议前置说明", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

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

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("节日", max_length=20, help_text="如 春节、国庆节。")
    note = models.CharField("依据", max_length=200, blank=True, help_text="国务院办公厅通知文号。")

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
