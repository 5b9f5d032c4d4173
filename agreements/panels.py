"""Sections other apps add to the agreement page (the documents app adds its documents).

A panel is a callable ``(request, agreement) -> str`` returning HTML, or "".
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from agreements.models import Agreement

Panel = Callable[[HttpRequest, Agreement], str]
PANELS: list[Panel] = []


def register(panel: Panel) -> None:
    if panel not in PANELS:
        PANELS.append(panel)


def render_panels(request: HttpRequest, agreement: Agreement) -> list[str]:
    return [html for panel in PANELS if (html := panel(request, agreement))]
