"""Keep each case's nearest deadline current, so lists and dashboards can filter on it."""

from __future__ import annotations

from cases.deadlines import load_work_calendar, office_deadlines
from cases.models import Case


def refresh_next_deadline(case: Case) -> None:
    """Store the earliest deadline the office must meet in the case's current state."""
    items = office_deadlines(case, load_work_calendar())
    nearest = min(items, key=lambda d: d.due) if items else None
    due, label = (nearest.due, nearest.label) if nearest else (None, "")
    if (case.next_deadline, case.next_deadline_label) != (due, label):
        case.next_deadline, case.next_deadline_label = due, label
        Case.objects.filter(pk=case.pk).update(next_deadline=due, next_deadline_label=label)
