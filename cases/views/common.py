"""Helpers the case views share."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from cases.services.common import ServiceError


def form_error(form: forms.BaseForm, exc: ServiceError) -> None:
    """Show a service's refusal beside the field it concerns, or above the form."""
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)


def show_warnings(request: HttpRequest, warnings: list[str]) -> None:
    for warning in warnings:
        messages.warning(request, warning)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
