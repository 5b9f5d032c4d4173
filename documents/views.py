"""Making and downloading a case's documents; the documents section of the case page."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from cases.models import Case
from cases.permissions import cases_visible_to
from cases.selectors import case_for_update
from cases.services.common import ServiceError
from cases.workflow import NotPermitted
from documents import services
from documents.content import SPECS
from documents.models import Document, Kind


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices)
    subject = forms.RegexField(regex=r"^(|[a-z]+:\d{1,10})$", max_length=40, required=False)


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
        else:
            messages.info(
                request,
                f"{document.title}的内容和模板都没有变化，仍为第{document.version}版，未重复制作。",
            )
    return redirect(f"{case.get_absolute_url()}#documents")


@permission_required("documents.view_document", raise_exception=True)
def download(request: HttpRequest, pk: int, document_pk: int, fmt: str) -> FileResponse:
    document = get_object_or_404(
        Document.objects.select_related("case", "pdf", "docx").filter(
            case__in=cases_visible_to(request.user), case_id=pk
        ),
        pk=document_pk,
    )
    if fmt not in services.FORMATS:
        raise Http404
    attachment = document.pdf if fmt == "pdf" else document.docx
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    filename = f"{document.case.display_number}-{attachment.original_name}"
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["Content-Type"] = attachment.content_type
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def case_panel(request: HttpRequest, case: Case) -> str:
    user = request.user
    if not user.has_perm("documents.view_document"):
        return ""
    documents = list(
        Document.objects.filter(case=case)
        .select_related("created_by", "pdf", "docx")
        .order_by("kind", "subject", "-version")
    )
    can_generate = user.has_perm("documents.generate_document") and case.status != "archived"
    by_key: dict[tuple[str, str], list[Document]] = {}
    for document in documents:
        by_key.setdefault((document.kind, document.subject), []).append(document)
    rows = []
    for spec, subjects in services.available(case) if can_generate else []:
        for subject in subjects:
            versions = by_key.pop((spec.kind.value, subject.key), [])
            rows.append(
                {
                    "kind": spec.kind.value,
                    "title": spec.title,
                    "subject": subject.key,
                    "label": subject.label,
                    "versions": versions,
                    "can_make": True,
                }
            )
    # Documents made earlier whose subject no longer offers a new version.
    for (kind, subject_key), versions in by_key.items():
        rows.append(
            {
                "kind": kind,
                "title": SPECS[kind].title,
                "subject": subject_key,
                "label": versions[0].subject_label,
                "versions": versions,
                "can_make": False,
            }
        )
    if not rows:
        return ""
    return render_to_string(
        "documents/ui/panel.html",
        {"case": case, "rows": rows},
        request=request,
    )
