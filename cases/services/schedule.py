"""Keep each case's nearest deadline current, so lists and dashboards can filter on it."""

from __future__ import annotations

from django.utils import timezone

from cases.deadlines import MEDIATION_CODE, load_work_calendar, office_deadlines
from cases.models import Case


def refresh_next_deadline(case: Case) -> None:
    """Store the earliest deadline the office must meet, and the mediation period's due date.

    A suspended case has no running deadline: its period is paused.
    """
    items = office_deadlines(case, load_work_calendar(), timezone.localdate())
    mediation = next((d for d in items if d.code == MEDIATION_CODE), None)
    running = [d for d in items if not d.informational]
    nearest = min(running, key=lambda d: d.due) if running else None
    values = {
        "next_deadline": nearest.due if nearest else None,
        "next_deadline_label": nearest.label if nearest else "",
        "next_deadline_code": nearest.code if nearest else "",
        "mediation_due": mediation.due if mediation and not mediation.informational else None,
    }
    if any(getattr(case, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(case, name, value)
        Case.objects.filter(pk=case.pk).update(**values)
