"""Making documents: render the case's data, keep both files as case attachments."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User
from cases.models import Attachment, Case, CaseEvent, Status
from cases.permissions import can_see_case
from cases.services.common import ServiceError, lock_case, record_event
from cases.workflow import NotPermitted
from documents.content import SPECS, MissingData, Spec, Subject
from documents.fonts import FontsUnusable
from documents.models import Document, DocumentTemplate
from documents.rendering import PrinterMissing, Rendered, render, template_digest

logger = logging.getLogger(__name__)

FORMATS = {
    "pdf": ("application/pdf", ".pdf"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
}


def template_for(kind: str) -> str:
    """The template an admin chose for this type, else the one shipped with the product."""
    row = DocumentTemplate.objects.filter(kind=kind).values_list("template_name", flat=True)
    return row.first() or f"documents/{kind}.html"


def data_digest(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def available(case: Case) -> list[tuple[Spec, list[Subject]]]:
    """The documents this case can have now, each with its subjects (uses prefetches)."""
    return [(spec, subjects) for spec in SPECS.values() if (subjects := spec.subjects(case))]


def _subject(spec: Spec, case: Case, key: str) -> Subject:
    subject = next((s for s in spec.subjects(case) if s.key == key), None)
    if subject is None:
        raise ServiceError(f"本案目前不能制作{spec.title}：{spec.when}。")
    return subject


def reproduce(document: Document) -> Rendered:
    """Render a stored document again from its own data (same template → same bytes)."""
    return render(document.template_name, document.title, document.data)


def _store(case: Case, actor: User, title: str, content: bytes, fmt: str) -> Attachment:
    content_type, suffix = FORMATS[fmt]
    attachment = Attachment(
        case=case,
        kind=Attachment.Kind.DOCUMENT,
        title=title,
        original_name=f"{title}{suffix}",
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save("document", ContentFile(content), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def generate(*, case: Case, actor: User, kind: str, subject: str = "") -> tuple[Document, bool]:
    """Make the document from the case as it is now.

    Returns the document and whether a new version was made. The latest version
    is returned as it is when neither data nor template changed, or when the
    new files would be the same bytes (a change the document does not print).
    A document whose subject is settled (a signed agreement) is not remade.
    """
    if not actor.has_perm("documents.generate_document") or not can_see_case(actor, case):
        raise NotPermitted("您没有权限为本案制作文书。")
    spec = SPECS.get(kind)
    if spec is None:
        raise ServiceError("没有这种文书。")
    case = lock_case(case)
    if case.status == Status.ARCHIVED:
        raise ServiceError("案件已归档，不能再制作文书。")
    target = _subject(spec, case, subject)
    try:
        data = spec.build(case, target)
    except MissingData as exc:
        raise ServiceError(exc.message) from None
    # A builder may title a document more precisely (a withdrawal report, say).
    doc_title = data.get("title") or spec.title
    template_name = template_for(kind)
    data_sha256, template_sha256 = data_digest(data), template_digest(template_name)
    latest = (
        Document.objects.filter(case=case, kind=kind, subject=target.key)
        .order_by("-version")
        .first()
    )
    if latest is not None and spec.frozen and (why := spec.frozen(target)):
        raise ServiceError(f"{why}，{spec.title}以已制作的第{latest.version}版为准，不再重新制作。")
    if (
        latest is not None
        and latest.data_sha256 == data_sha256
        and latest.template_sha256 == template_sha256
        and latest.template_name == template_name
    ):
        return latest, False
    try:
        rendered = render(template_name, doc_title, data)
    except PrinterMissing:
        logger.exception("Cannot print documents: WeasyPrint cannot load Pango")
        raise ServiceError(
            "服务器缺少 PDF 排版组件，暂时不能制作文书，请联系系统管理员"
            "（运行 manage.py check 可查看原因）。"
        ) from None
    except FontsUnusable:
        logger.exception("Cannot print documents: the vendored fonts are unusable")
        raise ServiceError(
            "服务器上的文书字体文件缺失或损坏，暂时不能制作文书，请联系系统管理员"
            "（运行 manage.py check 可查看原因）。"
        ) from None
    if (
        latest is not None
        and hashlib.sha256(rendered.pdf).hexdigest() == latest.pdf.sha256
        and hashlib.sha256(rendered.docx).hexdigest() == latest.docx.sha256
    ):
        # Data changed that the document does not print: nothing new to keep.
        return latest, False
    version = latest.version + 1 if latest else 1
    title = doc_title + (f"（{target.label}）" if target.label else "") + f"第{version}版"
    document = Document.objects.create(
        case=case,
        kind=kind,
        subject=target.key,
        subject_label=target.label,
        version=version,
        title=doc_title,
        data=data,
        data_sha256=data_sha256,
        template_name=template_name,
        template_sha256=template_sha256,
        pdf=_store(case, actor, title, rendered.pdf, "pdf"),
        docx=_store(case, actor, title, rendered.docx, "docx"),
        unprintable="".join(rendered.unprintable)[: Document.unprintable.field.max_length],
        created_by=actor,
    )
    record_event(
        case=case,
        kind=CaseEvent.Kind.DOCUMENT_GENERATED,
        actor=actor,
        note=title,
        data={
            "document": document.pk,
            "pdf_sha256": document.pdf.sha256,
            "docx_sha256": document.docx.sha256,
        },
    )
    return document, True
