"""Keep each case's nearest deadline current, so lists and dashboards can filter on it."""

from __future__ import annotations

from django.utils import timezone

from cases.deadlines import load_work_calendar, office_deadlines
from cases.models import Case


def refresh_next_deadline(case: Case) -> None:
    """Store the earliest deadline the office must meet, and the mediation period's due date.

    A suspended case has no running deadline: its period is paused.
    """
    items = office_deadlines(case, load_work_calendar(), timezone.localdate())
    mediation = next((d for d in items if d.label == "调解期限"), None)
    running = [d for d in items if not d.informational]
    nearest = min(running, key=lambda d: d.due) if running else None
    due, label = (nearest.due, nearest.label) if nearest else (None, "")
    mediation_due = mediation.due if mediation and not mediation.informational else None
    current = (case.next_deadline, case.next_deadline_label, case.mediation_due)
    if current != (due, label, mediation_due):
        case.next_deadline, case.next_deadline_label, case.mediation_due = due, label, mediation_due
        Case.objects.filter(pk=case.pk).update(
            next_deadline=due, next_deadline_label=label, mediation_due=mediation_due
        )
