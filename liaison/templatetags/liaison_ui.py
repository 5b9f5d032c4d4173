"""Presentation of the registers' states."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from liaison import workflow
from liaison.models import FollowUpTask, Lawsuit, Performance, Recipient, SupervisionItem

register = template.Library()

COLOURS = {
    Lawsuit.Status.PENDING: "primary",
    Lawsuit.Status.DECIDED: "warning",
    Lawsuit.Status.APPEALED: "info",
    Lawsuit.Status.EFFECTIVE: "success",
    Performance.Status.IN_PROGRESS: "primary",
    Performance.Status.PERFORMED: "success",
    Performance.Status.OVERDUE: "danger",
    Performance.Status.ENFORCEMENT: "dark",
    Recipient.Status.AWAITING: "warning",
    Recipient.Status.REPLIED: "primary",
    Recipient.Status.CHECKED: "success",
    SupervisionItem.Status.OPEN: "warning",
    SupervisionItem.Status.RESPONDED: "primary",
    SupervisionItem.Status.ESCALATED: "danger",
    SupervisionItem.Status.CLOSED: "success",
    FollowUpTask.Status.DONE: "success",
}


@register.simple_tag
def state_badge(record) -> str:
    colour = COLOURS.get(record.status, "secondary")
    return format_html(
        '<span class="badge text-bg-{}">{}</span>', colour, record.get_status_display()
    )


@register.filter
def allows(record, action: str) -> bool:
    """The record's transitions table lets this action start now (liaison.workflow)."""
    return workflow.allows(record, action)


@register.filter
def overdue_on(record, today) -> bool:
    return record.is_overdue(today)


@register.filter
def agency_label(agency) -> str:
    return agency.short_name or agency.name


# A row of the litigation register (liaison/lawsuit_list.html).
_LAWSUIT_ROW = """<tr>
      <td class="text-nowrap"><a href="{}">{}</a>
        <div class="small text-muted">{}</div></td>
      <td>{}</td>
      <td class="small">{}</td>
      <td class="small">{}</td>
      <td class="small">{}</td>
      <td class="small">{}</td>
      <td class="text-nowrap">{}</td>
      <td class="small">{}</td>
    </tr>"""


@register.simple_tag
def lawsuit_row(lawsuit: Lawsuit) -> SafeString:
    """One lawsuit's row of the register: its number, instance, state, court, defendants
    (a co-defendant or third party says so), plaintiffs, category, filing date and
    result. Written here, as the case register's rows are: the template spent some
    twenty lookups, two loops and a tag on each of the 25 rows."""
    court, category, result = lawsuit.court, lawsuit.category, lawsuit.result_type
    defendants = "、".join(
        agency_label(d.agency) + ("" if d.is_defendant else f"（{d.get_part_display()}）")
        for d in lawsuit.defendant_list
    )
    if result is None:
        outcome = "—"
    elif result.counts_as_loss:
        outcome = format_html('{} <span class="badge text-bg-danger">败诉</span>', result.label)
    else:
        outcome = result.label
    return format_html(
        _LAWSUIT_ROW,
        lawsuit.get_absolute_url(),
        lawsuit.court_case_no,
        lawsuit.get_instance_display(),
        state_badge(lawsuit),
        court.name if court else "",
        defendants,
        "、".join(p.name for p in lawsuit.plaintiff_list),
        category.label if category else "",
        f"{lawsuit.filed_on:%Y-%m-%d}" if lawsuit.filed_on else "",
        outcome,
    )
