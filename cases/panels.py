"""Sections other apps add to the case page (the agreements app adds its own).

A panel is a callable ``(request, case) -> str`` returning HTML, or "" when it
has nothing to show for this case.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from cases.models import Case

Panel = Callable[[HttpRequest, Case], str]
PANELS: list[Panel] = []


def register(panel: Panel) -> None:
    if panel not in PANELS:
        PANELS.append(panel)


def render_panels(request: HttpRequest, case: Case) -> list[str]:
    return [html for panel in PANELS if (html := panel(request, case))]
