"""The sections other apps add to the case page (declared in their ``CaseExtension``).

A panel is a callable ``(request, case) -> str`` returning HTML, or "" when it
has nothing to show for this case.
"""

from __future__ import annotations

from django.http import HttpRequest

from cases import extensions
from cases.models import Case


def render_panels(request: HttpRequest, case: Case, area: str = "main") -> list[str]:
    """ "main": the wide column, above the mediation section; "side": the narrow column."""
    return [html for panel in extensions.panels(area) if (html := panel(request, case))]
