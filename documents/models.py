"""Generated official documents (文书): each version kept with the data it was made from."""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from accounts.audit import audited
from cases.models import Attachment, Case


class Kind(models.TextChoices):
    ACCEPTANCE_NOTICE = "acceptance_notice", "受理通知书"
    DECLINE_NOTICE = "decline_notice", "不予受理告知书"
    REFERRAL_RETURN = "referral_return", "退回委派调解函"
    RIGHTS_NOTICE = "rights_notice", "权利义务告知书"
    TRANSCRIPT = "transcript", "调解笔录"
    EXTENSION_CONSENT = "extension_consent", "延长调解期限同意书"
    AGREEMENT = "agreement", "调解协议书"
    CONFIRMATION_APPLICATION = "confirmation_application", "司法确认申请书"
    TERMINATION_NOTICE = "termination_notice", "终止调解告知书"
    TERMINATION_REPORT = "termination_report", "终止调解情况报告"


def validate_document_template(name: str) -> None:
    if (
        posixpath.normpath(name) != name
        or not name.startswith("documents/")
        or not name.endswith(".html")
        or name.startswith("documents/ui/")
        or name.rsplit("/", 1)[-1].startswith("_")
        or name == "documents/base.html"
    ):
        raise ValidationError(
            "请填写 templates/documents/ 下某一文书的模板，如 documents/acceptance_notice.html"
            "（不能是 base.html、以下划线开头的片段或 ui/ 下的页面模板）。"
        )
    try:
        get_template(name)
    except TemplateDoesNotExist:
        raise ValidationError(f"找不到模板 {name}。") from None


class DocumentTemplate(models.Model):
    """Which Django template renders each document type (reference data, one row per type)."""

    kind = models.CharField(
        "文书类型",
        max_length=40,
        choices=Kind.choices,
        unique=True,
        help_text="本模板用于的文书类型，每种文书一个模板。",
    )
    template_name = models.CharField(
        "模板",
        max_length=200,
        validators=[validate_document_template],
        help_text="templates/ 下的路径，如 documents/acceptance_notice.html；文件名须以文书类型代码开头。"
        "所有文书共用打印样式 documents/print.css。",
    )
    updated_at = models.DateTimeField(
        "修改时间", auto_now=True, help_text="最近一次修改模板设置的时间。"
    )

    # Who changed what, when and from where (accounts/audit.py).
    history = audited()

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.template_name}"

    def clean(self) -> None:
        super().clean()
        # A template prints one type's data; another type's template would print blanks.
        filename = self.template_name.rsplit("/", 1)[-1]
        if self.kind and not filename.startswith(self.kind):
            raise ValidationError(
                {
                    "template_name": f"{self.get_kind_display()}的模板文件名须以“{self.kind}”开头"
                    f"（如 documents/{self.kind}.html 或 documents/本地/{self.kind}_2027.html），"
                    "以免套用其他文书的模板。"
                }
            )


class Document(models.Model):
    """One version of one document of a case, as PDF and DOCX case attachments.

    ``data`` is everything the template printed; rendering the same template
    from it again gives the same bytes, whose hashes the attachments keep.
    """

    # No index of its own: document_version_unique starts with it.
    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="documents",
        db_index=False,
        help_text="所属的案件。",
    )
    kind = models.CharField(
        "文书类型", max_length=40, choices=Kind.choices, help_text="文书的种类，决定使用的模板。"
    )
    subject = models.CharField(
        "对象",
        max_length=40,
        blank=True,
        help_text="同一案件可有多份的文书（如各次调解笔录）所指的对象，如 session:12。",
    )
    subject_label = models.CharField(
        "对象说明",
        max_length=100,
        blank=True,
        help_text="同一案件有多个同种文书时，说明文书针对的对象，如 某次调解会。",
    )
    version = models.PositiveSmallIntegerField(
        "版本", help_text="同一对象的同种文书每次重新制作加一。"
    )
    title = models.CharField("标题", max_length=100, help_text="文书的标题，也用作下载的文件名。")
    data = models.JSONField(
        "制作依据的数据", help_text="制作文书时从案件中取得的数据，存档以便核对。"
    )
    data_sha256 = models.CharField(
        "数据 SHA-256",
        max_length=64,
        help_text="制作依据的数据的摘要，用于判断数据变化后是否需要重新制作。",
    )
    template_name = models.CharField("模板", max_length=200, help_text="制作时使用的模板文件。")
    template_sha256 = models.CharField(
        "模板 SHA-256", max_length=64, help_text="模板和打印样式的摘要，模板修改后可以看出。"
    )
    pdf = models.OneToOneField(
        Attachment,
        verbose_name="PDF",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="文书的 PDF 文件。",
    )
    docx = models.OneToOneField(
        Attachment,
        verbose_name="DOCX",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="文书的 Word（DOCX）文件。",
    )
    unprintable = models.CharField(
        "无法打印的字符",
        max_length=200,
        blank=True,
        help_text="本案数据中文书字体没有的字符，PDF 中以“〓”代替；DOCX 保留原字符。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="制作人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="制作文书的用户。",
    )
    created_at = models.DateTimeField("制作时间", auto_now_add=True, help_text="制作文书的时间。")

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["case_id", "kind", "subject", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "subject", "version"], name="document_version_unique"
            )
        ]
        permissions = [("generate_document", "可以生成文书")]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    @property
    def unprintable_message(self) -> str:
        """What the clerk must know when the PDF could not print every character."""
        if not self.unprintable:
            return ""
        chars = "、".join(f"“{char}”（U+{ord(char):04X}）" for char in self.unprintable)
        return (
            f"{self.title}第{self.version}版的 PDF 中，字符 {chars} 文书字体没有，"
            "已以“〓”代替：请核对案件记录中的写法，或在打印件上手写补正（DOCX 保留原字符）。"
        )
