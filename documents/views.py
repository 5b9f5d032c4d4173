"""Making and downloading a case's documents; the documents section of the case page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import AccessKind, Case, Session
from cases.selectors import case_for_update
from cases.services import court_access
from cases.services.common import ServiceError
from cases.views.common import logged_download
from cases.workflow import NotPermitted
from documents import services
from documents.content import SPECS
from documents.models import Document, Kind
from documents.permissions import (
    CONFIRMATION_KINDS,
    case_documents_visible_to,
    documents_visible_to,
    offers_generate,
    prints_full_ids,
)


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices)
    subject = forms.RegexField(regex=r"^(|[a-z]+:\d{1,10})$", max_length=40, required=False)
    return_to = forms.ChoiceField(choices=[("", ""), ("agreement", "")], required=False)


@require_POST
@permission_required("documents.generate_document", raise_exception=True)
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_update(request.user, pk)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请从案件页面的“文书”栏选择要制作的文书。")
        return redirect(case)
    try:
        document, created = services.generate(
            case=case,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            subject=form.cleaned_data["subject"],
        )
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if created:
            messages.success(request, f"已制作{document.title}第{document.version}版。")
            if document.unprintable:
                messages.warning(request, document.unprintable_message)
        else:
            messages.info(
                request,
                f"{document.title}的内容和模板都没有变化，仍为第{document.version}版，未重复制作。",
            )
    subject = form.cleaned_data["subject"]
    if form.cleaned_data["return_to"] == "agreement" and subject.startswith("agreement:"):
        agreement_pk = int(subject.split(":")[1])
        return redirect(
            reverse("agreements:detail", kwargs={"pk": case.pk, "agreement_pk": agreement_pk})
            + "#documents"
        )
    return redirect(f"{case.get_absolute_url()}#documents")


@require_http_methods(["GET", "POST"])
@permission_required("documents.view_document", raise_exception=True)
def download(request: HttpRequest, pk: int, document_pk: int, fmt: str) -> HttpResponse:
    """A stored version as a download, in the access log; a document that prints full ID
    numbers (the agreement, the confirmation application) only with a reason."""
    document = get_object_or_404(
        documents_visible_to(request.user).select_related("case", "pdf", "docx").filter(case_id=pk),
        pk=document_pk,
    )
    if fmt not in services.FORMATS:
        raise Http404
    attachment = document.pdf if fmt == "pdf" else document.docx
    if document.kind == Kind.TRANSCRIPT:
        # documents_visible_to let it through: the office, or a court the transcripts
        # are open to, whose every reading is logged.
        try:
            court_access.record_transcript_view(
                case=document.case,
                actor=request.user,
                attachment=attachment,
                session=_subject_session(document),
            )
        except NotPermitted:
            raise Http404 from None
    filename = f"{document.case.display_number}-{attachment.original_name}"
    return logged_download(
        request,
        attachment,
        filename,
        kind=AccessKind.DOCUMENT_DOWNLOADED,
        subject=f"{document.get_kind_display()} 第{document.version}版（{fmt.upper()}）",
        case=document.case,
        sensitive=prints_full_ids(document),
        content_type=attachment.content_type,
    )


def _subject_session(document: Document) -> Session | None:
    """The session a transcript document was printed from (its subject "session:<pk>")."""
    kind, _, pk = document.subject.partition(":")
    if kind != "session" or not pk.isdigit():
        return None
    return Session.objects.filter(case_id=document.case_id, pk=int(pk)).first()


def _rows(documents: list[Document], offers) -> list[dict]:
    """One row per document and subject: what can be made now, then what was made before."""
    by_key: dict[tuple[str, str], list[Document]] = {}
    for document in documents:
        by_key.setdefault((document.kind, document.subject), []).append(document)
    rows = []
    for spec, subjects in offers:
        for subject in subjects:
            rows.append(
                {
                    "kind": spec.kind.value,
                    "title": spec.title,
                    "subject": subject.key,
                    "label": subject.label,
                    "versions": by_key.pop((spec.kind.value, subject.key), []),
                    "can_make": True,
                }
            )
    # Documents made earlier whose subject no longer offers a new version.
    for (kind, subject_key), versions in by_key.items():
        rows.append(
            {
                "kind": kind,
                "title": versions[0].title,
                "subject": subject_key,
                "label": versions[0].subject_label,
                "versions": versions,
                "can_make": False,
            }
        )
    return rows


def case_panel(request: HttpRequest, case: Case) -> str:
    user = request.user
    if not user.has_perm("documents.view_document"):
        return ""
    documents = list(
        case_documents_visible_to(user, case)
        .select_related("created_by", "pdf", "docx")
        .order_by("kind", "subject", "-version")
    )
    can_generate = offers_generate(user, case)
    rows = _rows(documents, services.available(case) if can_generate else [])
    if not rows:
        return ""
    return render_to_string(
        "documents/ui/panel.html",
        {"case": case, "rows": rows, "can_generate": can_generate},
        request=request,
    )


def agreement_panel(request: HttpRequest, agreement) -> str:
    """The agreement's own documents on its page: the agreement and the application."""
    user = request.user
    if not user.has_perm("documents.view_document"):
        return ""
    case = agreement.case
    key = f"agreement:{agreement.pk}"
    documents = list(
        documents_visible_to(user)
        .filter(case=case, kind__in=CONFIRMATION_KINDS, subject=key)
        .select_related("created_by", "pdf", "docx")
        .order_by("kind", "-version")
    )
    can_generate = offers_generate(user, case)
    offers = []
    if can_generate:
        prefetch_related_objects([case], "agreements")  # both types list the agreements
        for kind in CONFIRMATION_KINDS:
            spec = SPECS[kind]
            offers.append((spec, [s for s in spec.subjects(case) if s.key == key]))
    rows = _rows(documents, offers)
    if not rows:
        return ""
    return render_to_string(
        "documents/ui/panel.html",
        {
            "case": case,
            "rows": rows,
            "can_generate": can_generate,
            "return_to": "agreement",
        },
        request=request,
    )
