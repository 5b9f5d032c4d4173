"""Presentation of the registers' states."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

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
