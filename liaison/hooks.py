"""How this app plugs into cases: the case page shows the lawsuit that followed the
mediation, declared as this app's one ``CaseExtension`` (see ``cases.extensions``)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from django.template.loader import render_to_string

from cases import extensions
from cases.extensions import CaseExtension
from cases.models import Case


def _lawsuits_prefetch() -> Prefetch:
    from liaison.models import Lawsuit

    return Prefetch(
        "lawsuits",
        queryset=Lawsuit.objects.select_related("court", "result_type").prefetch_related(
            "defendants"
        ),
    )


def lawsuit_panel(request: HttpRequest, case: Case) -> str:
    """The lawsuits filed after this mediation: what the office may know of them (number,
    court, stage, result), with a link only for those who see the register."""
    from liaison.permissions import can_see_lawsuit

    lawsuits = list(case.lawsuits.all())
    if not lawsuits:
        return ""
    rows = [(lawsuit, can_see_lawsuit(request.user, lawsuit)) for lawsuit in lawsuits]
    return render_to_string("liaison/_case_panel.html", {"rows": rows}, request=request)


CASE_EXTENSION = CaseExtension(
    app="liaison",
    case_page_prefetches=(_lawsuits_prefetch,),
    panels={"side": (lawsuit_panel,)},
)


def register() -> None:
    extensions.register(CASE_EXTENSION)
