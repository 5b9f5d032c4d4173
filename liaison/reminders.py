"""Reminders of the agencies' deadlines in the registers.

Each open deadline is checked against the thresholds of its kind; the agency's
litigation contacts are reminded as it approaches and when it has passed, the bureau
when it has passed. A reminder's key names the record, the kind, the due date and the
threshold reached, so running the command again sends nothing new, a changed due date
starts afresh, and a deadline that was met gets no more reminders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse

from accounts.models import Role, User
from cases.reminders import threshold_reached
from cases.services.notify import notify
from liaison.models import (
    SUED_PARTS,
    Defendant,
    FollowUpTask,
    Performance,
    Recipient,
    SupervisionItem,
)
from liaison.models.supervision import AWAITING_RESPONSE


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    thresholds: tuple[int, ...]  # days before the due date, largest first


DEFENCE = Kind("defence", "提交答辩状和证据期限", (3, 1, 0))
PERFORMANCE = Kind("performance", "履行生效裁判期限", (7, 3, 1, 0))
REPLY = Kind("reply", "答复司法建议期限", (14, 7, 3, 0))
SUPERVISION = Kind("supervision", "督办事项办理期限", (3, 1, 0))
TASK = Kind("task", "联席会议任务办理期限", (7, 3, 0))
KINDS = (DEFENCE, PERFORMANCE, REPLY, SUPERVISION, TASK)


@dataclass(frozen=True)
class Due:
    kind: Kind
    pk: int
    agency_id: int | None
    due: date
    what: str
    link: str


def _window(kind: Kind, today: date) -> date:
    return today + timedelta(days=max(kind.thresholds))


def open_deadlines(today: date) -> Iterator[Due]:
    """Every deadline not yet met that is due within its largest threshold, or overdue."""
    defences = Defendant.objects.filter(
        part__in=SUED_PARTS,
        defence_due__isnull=False,
        defence_due__lte=_window(DEFENCE, today),
        defence_submitted_on__isnull=True,
    ).select_related("lawsuit")
    for d in defences:
        yield Due(
            DEFENCE,
            d.pk,
            d.agency_id,
            d.defence_due or today,
            d.lawsuit.court_case_no,
            reverse("liaison:lawsuit", args=[d.lawsuit_id]),
        )
    performances = Performance.objects.filter(
        status__in=(Performance.Status.IN_PROGRESS, Performance.Status.OVERDUE),
        due_on__lte=_window(PERFORMANCE, today),
    ).select_related("lawsuit")
    for p in performances:
        yield Due(
            PERFORMANCE,
            p.pk,
            p.agency_id,
            p.due_on,
            f"{p.lawsuit.court_case_no}（{p.duty}）",
            reverse("liaison:lawsuit", args=[p.lawsuit_id]),
        )
    replies = Recipient.objects.filter(
        status=Recipient.Status.AWAITING, reply_due__lte=_window(REPLY, today)
    ).select_related("suggestion")
    for r in replies:
        yield Due(
            REPLY,
            r.pk,
            r.agency_id,
            r.reply_due,
            f"司法建议{r.suggestion.number}",
            reverse("liaison:suggestion", args=[r.suggestion_id]),
        )
    items = SupervisionItem.objects.filter(
        status__in=AWAITING_RESPONSE,
        due_on__lte=_window(SUPERVISION, today),
    )
    for i in items:
        yield Due(
            SUPERVISION,
            i.pk,
            i.agency_id,
            i.due_on,
            i.number,
            reverse("liaison:supervision", args=[i.pk]),
        )
    tasks = FollowUpTask.objects.filter(
        status=FollowUpTask.Status.OPEN, due_on__lte=_window(TASK, today)
    ).select_related("meeting")
    for t in tasks:
        yield Due(
            TASK,
            t.pk,
            t.agency_id,
            t.due_on,
            f"{t.meeting.title}任务“{t.description}”",
            reverse("liaison:meeting", args=[t.meeting_id]),
        )


def _wording(label: str, due: date, days_left: int) -> str:
    if days_left < 0:
        return f"{label}已于{due:%Y-%m-%d}届满，已超期{-days_left}日"
    if days_left == 0:
        return f"{label}今日（{due:%Y-%m-%d}）届满"
    return f"{label}将于{due:%Y-%m-%d}届满，还剩{days_left}日"


def send_register_reminders(today: date) -> int:
    """Send what is due; returns the number of notifications created."""
    contacts: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(is_active=True, role=Role.AGENCY_CONTACT, agency__isnull=False):
        if user.agency_id is not None:
            contacts[user.agency_id].append(user)
    bureau = list(User.objects.filter(is_active=True, role=Role.GOV_LIAISON))
    created = 0
    for item in open_deadlines(today):
        days_left = (item.due - today).days
        reached = threshold_reached(days_left, item.kind.thresholds)
        if reached is None:
            continue
        recipients = list(contacts[item.agency_id]) if item.agency_id else []
        # The bureau hears of what has passed, and of every task of a unit with no contact.
        if reached == "overdue" or (item.kind is TASK and not recipients):
            recipients += bureau
        text = _wording(item.kind.label, item.due, days_left)
        made = notify(
            recipients,
            case=None,
            key=f"liaison:{item.kind.code}:{item.pk}:{item.due:%Y%m%d}:{reached}",
            title=f"{item.what}：{text}",
            body="请及时办理。期限的计算依据见台账记录页面。",
            link=item.link,
        )
        created += len(made)
    return created
