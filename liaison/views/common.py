"""What the register pages share: the form page around a service call, file downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cases.models import AccessKind
from cases.services.common import ServiceError, StaleEdit
from cases.views.common import form_error, logged_download
from cases.workflow import InvalidTransition, NotPermitted
from liaison.models import EvidenceFile
from liaison.permissions import (
    lawsuits_visible_to,
    recipients_visible_to,
    supervision_visible_to,
)


def data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def refuse(refusal: str) -> None:
    """A page of an action the user may not take on a record they see: 403 with the reason."""
    if refusal:
        raise PermissionDenied(refusal)


def form_page(
    request: HttpRequest,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    *,
    title: str,
    back: str,
    page: str,
    goto: Callable[[Any], str] | None = None,
    intro: str = "",
    record: Any = None,
    extra_forms: tuple[Any, ...] = (),
    template: str = "liaison/form.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form for one register action; on a valid POST run the service and go back.

    A refusal of the service's rules is shown by its field; a stale edit keeps what was
    typed; a state that no longer allows the action sends the user back with a message.
    """
    valid = form.is_valid() if request.method == "POST" else False
    if request.method == "POST" and valid and all(f.is_valid() for f in extra_forms):
        try:
            result = perform(form.cleaned_data)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except InvalidTransition as exc:
            messages.error(request, exc.message)
            return redirect(back)
        except StaleEdit as exc:
            form.add_error(None, exc.message)
        except ServiceError as exc:
            form_error(form, exc)
        else:
            if isinstance(result, tuple):
                result, warnings = result
                for warning in warnings:
                    messages.warning(request, warning)
            messages.success(request, done(result))
            return redirect(goto(result) if goto else back)
    return render(
        request,
        template,
        {
            "page": page,
            "title": title,
            "intro": intro,
            "form": form,
            "extra_forms": extra_forms,
            "back": back,
            "record": record,
            "multipart": any(
                isinstance(f.widget, forms.ClearableFileInput) for f in form.fields.values()
            ),
            **(context or {}),
        },
    )


def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A proof file, for whoever sees the record it belongs to (404 for anyone else)."""
    evidence = get_object_or_404(EvidenceFile, pk=pk)
    lawsuit_id = None
    if evidence.performance_id is not None:
        lawsuit_id = evidence.performance.lawsuit_id
    elif evidence.loss_analysis_id is not None:
        lawsuit_id = evidence.loss_analysis.lawsuit_id
    if lawsuit_id is not None:
        visible = lawsuits_visible_to(request.user).filter(pk=lawsuit_id).exists()
    elif evidence.recipient_id is not None:
        visible = recipients_visible_to(request.user).filter(pk=evidence.recipient_id).exists()
    else:
        visible = supervision_visible_to(request.user).filter(pk=evidence.supervision_id).exists()
    if not visible:
        raise_not_found()
    return logged_download(
        request,
        evidence,  # type: ignore[arg-type]
        evidence.original_name or evidence.title,
        kind=AccessKind.EVIDENCE_DOWNLOADED,
        subject=f"证明材料“{evidence.title}”",
    )


def raise_not_found() -> None:
    from django.http import Http404

    raise Http404("没有找到该文件")
