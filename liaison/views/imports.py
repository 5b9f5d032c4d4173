"""Importing the court's spreadsheet: upload, preview, confirm or discard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases.services.common import ServiceError
from cases.views.common import form_error
from cases.workflow import InvalidTransition, NotPermitted
from liaison.forms import ImportForm
from liaison.models import ImportBatch
from liaison.services import imports as import_services
from liaison.spreadsheet import COLUMNS, template_workbook
from liaison.views.common import refuse
from liaison.workflow import allows

PAGE = "lawsuits"
ROWS_PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own_batch(request: HttpRequest, pk: int) -> ImportBatch:
    """A user sees only the imports they uploaded (anyone else's is a 404)."""
    return get_object_or_404(ImportBatch, pk=pk, created_by=request.user)


@permission_required("liaison.import_lawsuits", raise_exception=True)
def import_upload(request: HttpRequest) -> HttpResponse:
    refuse(
        ""
        if import_services.import_courts(request.user).exists()
        else "只有法院联络员和司法局联络员可以导入法院案件清单。"
    )
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_services.import_preview(
                actor=request.user, upload=form.cleaned_data["file"]
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except ServiceError as exc:
            form_error(form, exc)
        else:
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = batch_url(batch)
                return response
            return redirect(batch_url(batch))
    recent = ImportBatch.objects.filter(created_by=request.user).order_by("-created_at")[:10]
    return render(
        request,
        "liaison/import_upload.html",
        {"page": PAGE, "form": form, "columns": COLUMNS, "recent": recent},
        status=400 if form.errors else 200,
    )


def batch_url(batch: ImportBatch) -> str:
    from django.urls import reverse

    return reverse("liaison:import_batch", args=[batch.pk])


@permission_required("liaison.import_lawsuits", raise_exception=True)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E8%A1%8C%E6%94%BF%E8%AF%89%E8%AE%BC%E6%A1%88%E4%BB%B6"
        "%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("liaison.import_lawsuits", raise_exception=True)
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    only_errors = request.GET.get("show") == "errors"
    rows = (
        [r for r in batch.rows if r["action"] == import_services.ERROR]
        if only_errors
        else batch.rows
    )
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "liaison/import_batch.html",
        {
            "page": PAGE,
            "batch": batch,
            "page_obj": page,
            "only_errors": only_errors,
            "labels": import_services.ACTION_LABELS,
            "can_apply": allows(batch, "apply"),
            "to_apply": batch.summary.get("create", 0) + batch.summary.get("update", 0),
        },
    )


@require_POST
@permission_required("liaison.import_lawsuits", raise_exception=True)
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    discard = request.POST.get("action") == "discard"
    try:
        if discard:
            import_services.import_discard(batch=batch, actor=request.user)
        else:
            batch = import_services.import_apply(batch=batch, actor=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except InvalidTransition:
        messages.error(request, "这份清单已经导入或已放弃，不能再次确认。")
    else:
        if discard:
            messages.success(request, "已放弃本次导入，台账未作任何改动。")
        else:
            summary = batch.summary
            messages.success(
                request,
                f"已导入：新建{summary['create']}件，更新{summary['update']}件，"
                f"无变化{summary['unchanged']}件，有错误未导入{summary['error']}行。",
            )
    return redirect(batch_url(batch))
