"""Deadline reminders: who is told, when, and under which key so nobody is told twice.

Each case's nearest deadline (``Case.next_deadline``) is checked against the
thresholds of its kind. A reminder's key names the case, the kind, the due
date and the threshold reached, so a later run sends nothing new until the
next threshold, and a new due date (after an extension) starts afresh. Cases
that moved on no longer have that deadline and get no reminders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from accounts.models import Role, User
from cases import extensions
from cases.deadlines import MEDIATION_CODE, REFERRAL_ANSWER_CODE, REVIEW_CODE, SUPPLEMENT_CODE
from cases.models import Assignment, Case, Status
from cases.services.notify import notify


@dataclass(frozen=True)
class Kind:
    code: str
    thresholds: tuple[int, ...]  # days before the due date, largest first
    to_mediators: bool
    roles: tuple[str, ...]


MEDIATION = Kind("mediation", (7, 3, 1, 0), True, (Role.HEAD,))
REFERRAL_ANSWER = Kind("referral_answer", (1, 0), False, (Role.HEAD, Role.CLERK))
REVIEW = Kind("review", (1, 0), False, (Role.HEAD,))
SUPPLEMENT = Kind("supplement", (1, 0), False, (Role.CLERK,))

# The office's own deadlines by their code; other apps declare theirs in their
# extension (the agreements app: performance and the confirmation window).
KIND_BY_CODE = {
    MEDIATION_CODE: MEDIATION,
    REFERRAL_ANSWER_CODE: REFERRAL_ANSWER,
    REVIEW_CODE: REVIEW,
    SUPPLEMENT_CODE: SUPPLEMENT,
}
# The states in which a case has a deadline someone is reminded of.
REMINDED_STATUSES = (
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.IN_MEDIATION,
    Status.REFERRAL_PENDING,
    Status.REGISTERED,
    Status.AWAITING_SUPPLEMENT,
    Status.AGREED,
)


def kind_of(case: Case) -> Kind | None:
    code = case.next_deadline_code
    return KIND_BY_CODE.get(code) or extensions.reminder_kind(code)


@dataclass(frozen=True)
class Reminder:
    case: Case
    recipients: list[User]
    key: str
    title: str
    body: str


def threshold_reached(days_left: int, thresholds: tuple[int, ...]) -> str | None:
    """The smallest threshold the deadline has reached ("overdue" once it passed)."""
    if days_left < 0:
        return "overdue"
    reached = [t for t in thresholds if days_left <= t]
    return f"d{min(reached)}" if reached else None


def _wording(label: str, due: date, days_left: int) -> str:
    if days_left < 0:
        return f"{label}已于{due:%Y-%m-%d}届满，已超期{-days_left}日"
    if days_left == 0:
        return f"{label}今日（{due:%Y-%m-%d}）届满"
    return f"{label}将于{due:%Y-%m-%d}届满，还剩{days_left}日"


def case_reminders(today: date) -> Iterator[Reminder]:
    cases = (
        Case.objects.filter(status__in=REMINDED_STATUSES, next_deadline__isnull=False)
        .select_related("office", "referral")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(
                    status=Assignment.Status.EFFECTIVE
                ).select_related("mediator__user"),
                to_attr="effective_assignments",
            )
        )
        .order_by("next_deadline", "id")
    )
    staff: dict[int, dict[str, list[User]]] = defaultdict(lambda: defaultdict(list))
    for user in User.objects.filter(is_active=True, office__isnull=False):
        staff[user.office_id][user.role].append(user)
    for case in cases:
        kind = kind_of(case)
        if kind is None:
            continue
        days_left = (case.next_deadline - today).days
        reached = threshold_reached(days_left, kind.thresholds)
        if reached is None:
            continue
        recipients: list[User] = []
        if kind.to_mediators:
            recipients += [
                a.mediator.user for a in case.effective_assignments if a.mediator.user.is_active
            ]
        for role in kind.roles:
            recipients += staff[case.office_id][role]
        if not recipients:
            continue
        text = _wording(case.next_deadline_label, case.next_deadline, days_left)
        yield Reminder(
            case=case,
            recipients=recipients,
            key=f"deadline:{case.pk}:{kind.code}:{case.next_deadline:%Y%m%d}:{reached}",
            title=f"{case.display_number}：{text}",
            body="请及时处理。期限计算依据见案件页面。",
        )


def send_case_reminders(today: date) -> tuple[int, int]:
    """Send what is due; returns (notifications created, cases concerned)."""
    created = cases = 0
    for reminder in case_reminders(today):
        made = notify(
            reminder.recipients,
            case=reminder.case,
            key=reminder.key,
            title=reminder.title,
            body=reminder.body,
        )
        if made:
            created += len(made)
            cases += 1
    return created, cases
