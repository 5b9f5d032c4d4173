"""Sections other apps add to the case page (the agreements app adds its own).

A panel is a callable ``(request, case) -> str`` returning HTML, or "" when it
has nothing to show for this case.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from cases.models import Case

Panel = Callable[[HttpRequest, Case], str]
# "main": the wide column, above the mediation section; "side": the narrow column,
# above the materials.
PANELS: dict[str, list[Panel]] = {"main": [], "side": []}


def register(panel: Panel, area: str = "main") -> None:
    if panel not in PANELS[area]:
        PANELS[area].append(panel)


def render_panels(request: HttpRequest, case: Case, area: str = "main") -> list[str]:
    return [html for panel in PANELS[area] if (html := panel(request, case))]
