"""Building blocks the case services share: locking, events, numbers, deadlines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Office, User
from cases import extensions
from cases.models import Case, CaseEvent, NumberSequence
from cases.validators import court_case_number_looks_standard
from cases.workflow import Transition, ensure_allowed, ensure_permitted


class StaleEdit(Exception):
    """Someone else saved the record after this user opened it."""

    def __init__(self, message: str = "") -> None:
        message = message or (
            "在您编辑期间，其他人已修改了本案信息。您填写的内容仍保留在下方，"
            "请核对页面上方的最新信息后再提交。"
        )
        super().__init__(message)
        self.message = message


class ServiceError(Exception):
    """A business rule refused the action; ``message`` is shown to the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# What every court case number field asks when a number is unlike the courts' (the
# liaison registers, the transfer to filing, the judicial confirmation's outcome).
NUMBER_CONFIRM = "核对无误的，请勾选“案号格式已核对”后再保存。"


def check_court_number_shape(
    number: str, *, confirmed: bool, field: str, example: str = "（2026）鄂9005行初12号"
) -> bool:
    """Whether ``number`` (normalised) is unlike a court case number and that was
    confirmed; raises ServiceError at ``field`` when it is unlike and unconfirmed."""
    if court_case_number_looks_standard(number):
        return False
    if not confirmed:
        raise ServiceError(
            f"案号“{number}”与人民法院案号的通常格式不符（应如{example}）。" + NUMBER_CONFIRM,
            field,
        )
    return True


class AlreadySubmitted(Exception):
    """This registration form was submitted before (a second tab, a double click)."""

    def __init__(self, case: Case) -> None:
        super().__init__("该登记表已经提交过")
        self.case = case


def ensure_not_submitted(token: UUID | None) -> None:
    """Raise AlreadySubmitted if a case was registered from the form with this token."""
    if token is not None:
        case = Case.objects.filter(submission_token=token).first()
        if case is not None:
            raise AlreadySubmitted(case)


def save_unique(instance: models.Model, recheck: Callable[[], None]) -> None:
    """Save ``instance``, whose unique values ``recheck`` found free. When another request
    saved the same value since (two submissions at the same instant), the database
    refuses it; ``recheck`` then finds that record and raises what the user should read,
    instead of an error page. The refusal itself is raised if ``recheck`` finds nothing."""
    try:
        with transaction.atomic():
            instance.save()
        return
    except IntegrityError as error:
        refused = error
    recheck()  # outside the handler: what it raises is not chained to the refusal
    raise refused


def save_new_case(case: Case) -> None:
    """Insert a new case; when another request with the same form token committed first,
    raise AlreadySubmitted with that case. The caller's transaction then rolls back
    whatever it did, the numbers it took included."""
    save_unique(case, lambda: ensure_not_submitted(case.submission_token))


def lock_case(case: Case) -> Case:
    """Re-read the case row under a row lock (a no-op on SQLite, which locks the database)."""
    return Case.objects.select_for_update().select_related("office").get(pk=case.pk)


def start_transition(*, case: Case, actor: User, action: str) -> tuple[Case, Transition]:
    """Lock the case, then check state and permission: the first lines of every transition."""
    locked = lock_case(case)
    ensure_permitted(actor, locked, action)
    return locked, ensure_allowed(locked, action)


def record_event(
    *,
    case: Case,
    kind: str,
    actor: User | None,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        note=note,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )


def apply_transition(
    *,
    case: Case,
    transition: Transition,
    actor: User,
    event_kind: str,
    fields: dict[str, Any] | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Case:
    """Set the new status and the given fields, save them, and write the timeline event.

    The event of the step that ends mediation keeps the mediation period's due date as it
    stood, so the statistics can tell whether mediation ended in time.
    """
    from cases.deadlines import MEDIATING_STATUSES

    from_status = case.status
    data = dict(data or {})
    ends_mediation = (
        from_status in MEDIATING_STATUSES and transition.target not in MEDIATING_STATUSES
    )
    if ends_mediation and case.mediation_due is not None:
        data.setdefault("mediation_due", case.mediation_due.isoformat())
    fields = dict(fields or {})
    fields["status"] = transition.target
    for name, value in fields.items():
        setattr(case, name, value)
    case.version = F("version") + 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    case.refresh_from_db(fields=["version"])
    record_event(
        case=case,
        kind=event_kind,
        actor=actor,
        note=note,
        from_status=from_status,
        to_status=transition.target,
        data=data,
    )
    for hook in extensions.transition_hooks(transition.action):
        hook(case, actor)
    return case


def bump_version(case: Case, *, expected: int | None = None) -> None:
    """Mark the case as changed; with ``expected``, refuse if someone changed it meanwhile."""
    queryset = Case.objects.filter(pk=case.pk)
    if expected is not None:
        queryset = queryset.filter(version=expected)
    if not queryset.update(version=F("version") + 1, updated_at=timezone.now()):
        raise StaleEdit()
    case.refresh_from_db(fields=["version", "updated_at"])


def allocate_number(*, office: Office, kind: str, year: int) -> int:
    """The next number of the office's sequence for the year: no gaps, never reused.

    Must run inside the transaction that uses the number: if that transaction
    rolls back, so does the increment. The UPDATE takes the row lock first
    (and on SQLite the write lock), so concurrent registrations queue here.
    """
    assert transaction.get_connection().in_atomic_block, "allocate_number needs a transaction"
    NumberSequence.objects.get_or_create(office=office, kind=kind, year=year)
    NumberSequence.objects.filter(office=office, kind=kind, year=year).update(
        last_value=F("last_value") + 1
    )
    return NumberSequence.objects.values_list("last_value", flat=True).get(
        office=office, kind=kind, year=year
    )


def registration_number(office: Office, on: date) -> str:
    seq = allocate_number(office=office, kind=NumberSequence.Kind.REGISTRATION, year=on.year)
    return office.registration_number_pattern.format(year=on.year, seq=seq)


def case_number(office: Office, on: date) -> str:
    seq = allocate_number(office=office, kind=NumberSequence.Kind.CASE, year=on.year)
    return office.case_number_pattern.format(year=on.year, seq=seq)
