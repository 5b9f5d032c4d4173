"""Presentation of case states and deadlines."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from django import template
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from accounts.links import record_url
from cases.models import AccessPurpose, Status

register = template.Library()

STATUS_COLOURS = {
    Status.REGISTERED: "primary",
    Status.AWAITING_SUPPLEMENT: "warning",
    Status.REFERRAL_UNCONFIRMED: "secondary",
    Status.REFERRAL_PENDING: "info",
    Status.REFERRAL_REJECTED: "dark",
    Status.REFERRAL_RETURNED: "dark",
    Status.ACCEPTED: "success",
    Status.DECLINED: "dark",
    Status.ASSIGNED: "success",
    Status.IN_MEDIATION: "success",
    Status.SUSPENDED: "warning",
    Status.AGREED: "primary",
    Status.TERMINATED: "danger",
    Status.WITHDRAWN: "secondary",
    Status.TRANSFERRED_TO_FILING: "secondary",
    Status.CLOSED: "light",
    Status.ARCHIVED: "light",
}


@cache
def _choice_labels(model: type[models.Model], name: str) -> dict[Any, Any]:
    return dict(make_hashable(model._meta.get_field(name).flatchoices))


@register.filter
def display(record: models.Model, name: str) -> str:
    """``record.get_<name>_display()`` for a field with fixed choices. Django builds the
    dictionary of all the field's choices on every call (an event kind has sixty); this
    builds it once per field."""
    value = getattr(record, name)
    label = _choice_labels(type(record), name).get(make_hashable(value), value)
    return force_str(label, strings_only=True)


@register.simple_tag
def status_badge(case) -> str:
    colour = STATUS_COLOURS.get(case.status, "secondary")
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, display(case, "status"))


@register.simple_tag
def due_cell(due: date | None, today: date, near_days: int = 3, label: str = "") -> str:
    """A due date coloured by urgency, with the days left in words."""
    if not due:
        return "—"
    left = (due - today).days
    if left < 0:
        css, words = "deadline-overdue", f"已超期{-left}日"
    elif left == 0:
        css, words = "deadline-overdue", "今日到期"
    elif left <= near_days:
        css, words = "deadline-near", f"剩{left}日"
    else:
        css, words = "deadline-ok", f"剩{left}日"
    prefix = f"{label} " if label else ""
    return format_html('<span class="{}">{}{}（{}）</span>', css, prefix, f"{due:%Y-%m-%d}", words)


# A row of the register (cases/case_list.html), the list every search shows.
_REGISTER_ROW = """<tr>
      <td class="text-nowrap"><a href="{}">{}</a>
        {}
        {}</td>
      <td>{}</td>
      <td>{}</td>
      <td>{}</td>
      <td class="font-monospace small">{}</td>
      <td>{}</td>
      <td>{}</td>
      <td class="text-nowrap">{}</td>
      <td class="text-nowrap small">{}</td>
    </tr>"""


@register.simple_tag
def register_row(case, today: date) -> SafeString:
    """One case's row of the register. Written here rather than in the template: the
    template spent some twenty variable lookups, three tags and a loop on each of the 25
    rows, about a tenth of a millisecond a row."""
    agency, category, court = case.agency, case.category, case.court
    return format_html(
        _REGISTER_ROW,
        case.get_absolute_url(),
        case.display_number,
        format_html('<div class="small text-muted">{}</div>', case.registration_no)
        if case.case_no and case.registration_no
        else "",
        format_html('<div class="small text-muted">{}委派</div>', court.name) if court else "",
        status_badge(case),
        display(case, "source"),
        applicant_names(case),
        mark_safe(
            "".join(
                format_html("{}<br>", p.masked_id_number)
                for p in case.applicant_list
                if p.id_number
            )
        ),
        (agency.short_name or agency.name) if agency else "",
        category.label if category else "",
        case.received_date.isoformat() if case.received_date else "",
        due_cell(case.next_deadline, today, 3, case.next_deadline_label),
    )


# A session in the agenda (cases/agenda.html).
_AGENDA_ENTRY = """<li class="list-group-item">
          <div><strong>{}</strong> <a href="{}">{} 第{}次</a></div>
          <div class="text-muted">{} · {} · {}</div>
          <div class="text-muted">调解员：{}</div>
        </li>"""


@register.simple_tag
def agenda_entry(session) -> SafeString:
    """One session of the agenda: its time, case, place, mode, state and mediators.
    Written here, as the register's rows are: a week shows up to 42 sessions, and the
    template spent a dozen lookups, two filters, a tag and a loop on each."""
    case = session.case
    return format_html(
        _AGENDA_ENTRY,
        f"{timezone.localtime(session.scheduled_at):%H:%M}",
        record_url("cases:session", session.case_id, session.pk),
        case.display_number,
        session.number,
        session.place,
        display(session, "mode"),
        display(session, "status"),
        "、".join(str(a.mediator) for a in case.effective_assignments) or "—",
    )


@register.filter
def deadline_css(state: str) -> str:
    return {
        "overdue": "deadline-overdue",
        "near": "deadline-near",
        "ok": "deadline-ok",
        "info": "text-muted",
    }.get(state, "")


@register.filter
def applicant_names(case) -> str:
    names = [p.name for p in getattr(case, "applicant_list", [])]
    if len(names) > 3:
        return "、".join(names[:3]) + f" 等{len(names)}人"
    return "、".join(names)


@register.filter
def absolute(value: int) -> int:
    return abs(value)


@register.filter
def visible_to(case, user) -> bool:
    """Whether the user may open the case page (a court sees its referrals only)."""
    from cases.permissions import can_see_case

    return can_see_case(user, case)


@register.filter
def allows(record, action: str) -> bool:
    """Whether the record's state lets ``action`` start (its table in ``cases.states``)."""
    from cases.states import allows as state_allows

    return state_allows(record, action)


@register.simple_tag
def access_purposes() -> list[tuple[str, str]]:
    """The reasons one may give for seeing a full ID number (the access log)."""
    return list(AccessPurpose.choices)


@register.filter
def office_reads(case, user) -> bool:
    """Whether the user reads the office's own notes of the case (not the court)."""
    from cases.permissions import sees_internal_notes

    return sees_internal_notes(user, case)
