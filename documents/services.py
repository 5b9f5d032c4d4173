"""Making documents: render the case's data, keep both files as case attachments."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User
from cases.files import save_file
from cases.models import Attachment, Case, CaseEvent, Status
from cases.services.common import ServiceError, lock_case, record_event
from cases.workflow import NotPermitted
from documents.content import SPECS, MissingData, Spec, Subject
from documents.fonts import FontsUnusable
from documents.models import Document, DocumentTemplate
from documents.permissions import can_generate
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
    save_file(attachment.file, "document", ContentFile(content))
    attachment.save()
    return attachment


# Rendering again because the case changed meanwhile: at most this many renderings.
RENDER_ATTEMPTS = 3


@dataclass(frozen=True)
class _Plan:
    """What the document would be made from, as the case stood when it was read."""

    target: Subject
    title: str
    data: dict[str, Any]
    data_sha256: str
    template_name: str
    template_sha256: str
    latest: Document | None

    @property
    def basis(self) -> tuple[str, str, str, str, int | None]:
        """What the files and their title depend on, and the version a new one would follow."""
        latest = self.latest.pk if self.latest else None
        return (
            self.data_sha256,
            self.template_name,
            self.template_sha256,
            self.target.label,
            latest,
        )

    @property
    def unchanged(self) -> bool:
        """The latest version was made from this very data and template."""
        return self.latest is not None and (
            self.latest.data_sha256,
            self.latest.template_name,
            self.latest.template_sha256,
        ) == (self.data_sha256, self.template_name, self.template_sha256)


def _plan(spec: Spec, kind: str, case: Case, subject: str) -> _Plan:
    """Check the case may have the document now and build its data (no rendering)."""
    if case.status == Status.ARCHIVED:
        raise ServiceError("案件已归档，不能再制作文书。")
    target = _subject(spec, case, subject)
    try:
        data = spec.build(case, target)
    except MissingData as exc:
        raise ServiceError(exc.message) from None
    latest = (
        Document.objects.filter(case=case, kind=kind, subject=target.key)
        .order_by("-version")
        .first()
    )
    if latest is not None and spec.frozen and (why := spec.frozen(target)):
        raise ServiceError(f"{why}，{spec.title}以已制作的第{latest.version}版为准，不再重新制作。")
    template_name = template_for(kind)
    return _Plan(
        target=target,
        # A builder may title a document more precisely (a withdrawal report, say).
        title=data.get("title") or spec.title,
        data=data,
        data_sha256=data_digest(data),
        template_name=template_name,
        template_sha256=template_digest(template_name),
        latest=latest,
    )


def _render(plan: _Plan) -> Rendered:
    try:
        return render(plan.template_name, plan.title, plan.data)
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


def _same_files(rendered: Rendered, document: Document) -> bool:
    return (
        hashlib.sha256(rendered.pdf).hexdigest() == document.pdf.sha256
        and hashlib.sha256(rendered.docx).hexdigest() == document.docx.sha256
    )


def _record(*, case: Case, actor: User, kind: str, plan: _Plan, rendered: Rendered) -> Document:
    """Keep the rendered files as the next version and note it on the case timeline."""
    target, latest = plan.target, plan.latest
    version = latest.version + 1 if latest else 1
    title = plan.title + (f"（{target.label}）" if target.label else "") + f"第{version}版"
    document = Document.objects.create(
        case=case,
        kind=kind,
        subject=target.key,
        subject_label=target.label,
        version=version,
        title=plan.title,
        data=plan.data,
        data_sha256=plan.data_sha256,
        template_name=plan.template_name,
        template_sha256=plan.template_sha256,
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
    return document


def generate(*, case: Case, actor: User, kind: str, subject: str = "") -> tuple[Document, bool]:
    """Make the document from the case as it is now.

    Returns the document and whether a new version was made. The latest version
    is returned as it is when neither data nor template changed, or when the
    new files would be the same bytes (a change the document does not print).
    A document whose subject is settled (a signed agreement) is not remade.

    Rendering takes a second or more, so it happens before the case is locked,
    from the case read without a lock. Under the lock the data is built again:
    only if it, the template and the latest version are still what was rendered
    from are the files kept. If the case changed meanwhile, the document is
    rendered again from the case as it is then (a few times at most).
    """
    if not can_generate(actor, case):
        raise NotPermitted("您没有权限为本案制作文书。")
    spec = SPECS.get(kind)
    if spec is None:
        raise ServiceError("没有这种文书。")
    for _attempt in range(RENDER_ATTEMPTS):
        plan = _plan(spec, kind, Case.objects.select_related("office").get(pk=case.pk), subject)
        if plan.latest is not None and plan.unchanged:
            return plan.latest, False
        rendered = _render(plan)
        with transaction.atomic():
            locked = lock_case(case)
            now = _plan(spec, kind, locked, subject)
            if now.latest is not None and now.unchanged:
                # Somebody made this very version while we rendered.
                return now.latest, False
            if now.basis != plan.basis:
                continue  # the case changed while we rendered: render it as it is now
            if plan.latest is not None and _same_files(rendered, plan.latest):
                # Data changed that the document does not print: nothing new to keep.
                return plan.latest, False
            return _record(case=locked, actor=actor, kind=kind, plan=plan, rendered=rendered), True
    raise ServiceError(f"制作{spec.title}期间，本案信息一再被修改，文书未能制作。请稍后重新制作。")
