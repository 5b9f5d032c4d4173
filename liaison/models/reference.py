"""Reference tables of the registers that administrators edit: result types and loss causes."""

from __future__ import annotations

from django.db import models

from accounts.audit import audited


class ResultType(models.Model):
    """How a lawsuit ended (判决、裁定、调解的结果类型), and whether it counts as lost or concluded.

    Which results count as a loss (败诉) and as concluded (审结) is not fixed by any
    published rule (DOMAIN.md §6.2): the office edits the two flags, and the statistics
    and the reports say which definition they used.
    """

    class Form(models.TextChoices):
        JUDGMENT = "judgment", "判决"
        RULING = "ruling", "裁定"
        MEDIATION = "mediation", "调解书"
        OTHER = "other", "其他"

    code = models.SlugField(
        "代码",
        max_length=40,
        unique=True,
        help_text="英文字母、数字或下划线组成的代码，如 revoked；设定后不宜修改，统计按代码区分。",
    )
    label = models.CharField("名称", max_length=40, help_text="登记结果时选择的名称，如 撤销。")
    form = models.CharField(
        "裁判文书形式",
        max_length=20,
        choices=Form.choices,
        help_text="判决的上诉期限为送达之日起15日，裁定为10日（《行政诉讼法》第八十五条）；调解书不可上诉。",
    )
    appealable = models.BooleanField(
        "可以上诉",
        default=True,
        help_text="判决，以及不予立案、驳回起诉和管辖异议的裁定可以上诉；准予撤诉等其他裁定"
        "不可上诉，送达即生效（最高人民法院关于适用《中华人民共和国行政诉讼法》的解释"
        "第一百零一条）。",
    )
    counts_as_loss = models.BooleanField(
        "计为败诉",
        default=False,
        help_text="行政机关败诉率的分子：结果为此类型的一审审结案件计为行政机关败诉。",
    )
    counts_as_concluded = models.BooleanField(
        "计为审结",
        default=True,
        help_text="行政机关败诉率的分母：结果为此类型的一审案件计为审结。",
    )
    sort_order = models.PositiveSmallIntegerField(
        "排序", default=0, help_text="数字小的排在前面，相同的按代码排序。"
    )
    is_active = models.BooleanField(
        "启用", default=True, help_text="停用的类型不能再选择，已登记的案件仍保留。"
    )

    # Who changed what, when and from where (accounts/audit.py).
    history = audited()

    class Meta:
        verbose_name = "裁判结果类型"
        verbose_name_plural = "裁判结果类型"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def appeal_days(self) -> int | None:
        """Days to appeal from service (行政诉讼法第八十五条); None where no appeal lies."""
        if not self.appealable:
            return None
        return {self.Form.JUDGMENT: 15, self.Form.RULING: 10}.get(self.Form(self.form))


class LossCause(models.Model):
    """Why an agency lost (败诉原因), for the analysis every lost case gets."""

    code = models.SlugField(
        "代码", max_length=40, unique=True, help_text="英文字母、数字或下划线组成的代码。"
    )
    label = models.CharField("名称", max_length=40, help_text="败诉原因，如 事实不清、证据不足。")
    sort_order = models.PositiveSmallIntegerField(
        "排序", default=0, help_text="数字小的排在前面，相同的按代码排序。"
    )
    is_active = models.BooleanField(
        "启用", default=True, help_text="停用的原因不能再选择，已登记的分析仍保留。"
    )

    # Who changed what, when and from where (accounts/audit.py).
    history = audited()

    class Meta:
        verbose_name = "败诉原因"
        verbose_name_plural = "败诉原因"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.label
