"""What may be uploaded: a short list of document types, recognised by content, not by name."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat


@dataclass(frozen=True)
class FileType:
    label: str
    extensions: tuple[str, ...]
    content_type: str
    magic: tuple[bytes, ...]
    # For ZIP-based formats: a member every genuine file of the type contains.
    zip_member: str = ""


FILE_TYPES = (
    FileType("PDF", (".pdf",), "application/pdf", (b"%PDF-",)),
    FileType("JPEG 图片", (".jpg", ".jpeg"), "image/jpeg", (b"\xff\xd8\xff",)),
    FileType("PNG 图片", (".png",), "image/png", (b"\x89PNG\r\n\x1a\n",)),
    FileType(
        "Word 文档",
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
        "word/document.xml",
    ),
    FileType("Word 97-2003 文档", (".doc",), "application/msword", (b"\xd0\xcf\x11\xe0",)),
    FileType(
        "Excel 表格",
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
        "xl/workbook.xml",
    ),
    FileType("OFD 版式文件", (".ofd",), "application/ofd", (b"PK\x03\x04",), "OFD.xml"),
)
ALLOWED_EXTENSIONS = tuple(ext for t in FILE_TYPES for ext in t.extensions)
ALLOWED_DESCRIPTION = "PDF、JPG、PNG、Word（.doc/.docx）、Excel（.xlsx）、OFD"


class UploadRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class InspectedUpload:
    content_type: str
    size: int
    sha256: str


def _zip_has(upload: UploadedFile, member: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        upload.seek(0)


def inspect_upload(upload: UploadedFile) -> InspectedUpload:
    """Check size, extension and content of an upload; hash it. Raises ``UploadRejected``."""
    limit = settings.ATTACHMENT_MAX_BYTES
    name = (upload.name or "").lower()
    if upload.size == 0:
        raise UploadRejected("文件是空的，请重新选择。")
    if upload.size > limit:
        raise UploadRejected(
            f"文件大小为{filesizeformat(upload.size)}，超过了{filesizeformat(limit)}的上限。"
            "请压缩或拆分后再上传。"
        )
    matching = [t for t in FILE_TYPES if name.endswith(t.extensions)]
    if not matching:
        raise UploadRejected(f"不支持这种文件类型。可以上传：{ALLOWED_DESCRIPTION}。")
    upload.seek(0)
    head = upload.read(16)
    file_type = next((t for t in matching if head.startswith(t.magic)), None)
    if (
        file_type is not None
        and file_type.zip_member
        and not _zip_has(upload, file_type.zip_member)
    ):
        file_type = None
    if file_type is None:
        raise UploadRejected(
            f"文件内容与扩展名不符（扩展名为{matching[0].label}），可能已损坏或被改名，请检查后重新上传。"
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return InspectedUpload(file_type.content_type, upload.size, digest.hexdigest())
