"""Files attached to a case, kept in private storage and served only as downloads."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

from cases.models.case import Case


class PrivateStorage(LazyObject):
    """``storages["private"]``, looked up when first used.

    A field's storage is fixed when the model class is made, before tests (or
    anything else) can change ``STORAGES``; this stand-in follows the setting,
    as Django's ``default_storage`` does, so test files land in the test's directory.
    """

    def _setup(self) -> None:
        self._wrapped = storages["private"]


private_files = PrivateStorage()


@receiver(setting_changed)
def _follow_storages_setting(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        private_files._wrapped = empty


def private_storage():
    return private_files


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the user's file name on disk: it may carry personal data or path tricks.
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        APPLICATION = "application", "调解申请书"
        REFERRAL_LETTER = "referral_letter", "委派调解函"
        COMPLAINT = "complaint", "起诉状"
        EVIDENCE = "evidence", "证据材料"
        ID_COPY = "id_copy", "身份证明"
        POWER_OF_ATTORNEY = "power_of_attorney", "授权委托书"
        TRANSCRIPT = "transcript", "调解笔录（签字件）"
        EXTENSION_CONSENT = "extension_consent", "延长调解期限同意书"
        WAIVER = "waiver", "当事人同意调解员不回避的书面意见"
        UNDISPUTED_FACTS = "undisputed_facts", "无争议事实确认书"
        WITHDRAWAL = "withdrawal", "撤回调解申请书"
        OTHER = "other", "其他材料"
        DOCUMENT = "document", "本工作室制作的文书"

    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="attachments",
        help_text="所属的案件。",
    )
    kind = models.CharField(
        "材料类型",
        max_length=30,
        choices=Kind.choices,
        help_text="材料的种类，如 证据材料、身份证明。",
    )
    title = models.CharField(
        "名称", max_length=100, help_text="材料列表中显示的名称；上传时不填则使用材料类型。"
    )
    file = models.FileField(
        "文件",
        storage=private_storage,
        upload_to=attachment_path,
        help_text="保存在非公开目录，只能由有权查看本案的人下载。",
    )
    original_name = models.CharField("原文件名", max_length=255, help_text="上传时文件的名称。")
    content_type = models.CharField(
        "文件类型", max_length=100, help_text="系统根据文件内容识别的文件类型。"
    )
    size = models.PositiveBigIntegerField("大小（字节）", help_text="文件的大小，以字节计。")
    sha256 = models.CharField(
        "SHA-256",
        max_length=64,
        db_index=True,
        help_text="文件内容的 SHA-256 摘要，用于核对文件未被改动。",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="上传文件的用户。",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True, help_text="上传文件的时间。")

    class Meta:
        verbose_name = "案件材料"
        verbose_name_plural = "案件材料"
        ordering = ["case_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        """The title, with the format for a document the office made (its PDF and DOCX share it)."""
        return self.original_name if self.kind == Attachment.Kind.DOCUMENT else self.title


# The materials a court sends with a referral; the office's own records are the office's.
COURT_UPLOADABLE_KINDS = frozenset(
    {
        Attachment.Kind.REFERRAL_LETTER,
        Attachment.Kind.COMPLAINT,
        Attachment.Kind.EVIDENCE,
        Attachment.Kind.ID_COPY,
        Attachment.Kind.POWER_OF_ATTORNEY,
        Attachment.Kind.OTHER,
    }
)


def uploadable_kinds(user) -> list[tuple[str, str]]:
    """The material types this user may upload by hand (never the system's own documents)."""
    from accounts.models import Role

    kinds = [k for k in Attachment.Kind if k != Attachment.Kind.DOCUMENT]
    if user.role == Role.COURT_LIAISON:
        kinds = [k for k in kinds if k in COURT_UPLOADABLE_KINDS]
    return [(k.value, k.label) for k in kinds]
