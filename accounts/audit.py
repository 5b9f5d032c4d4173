"""The audit trail of reference data and users: every change made in the admin or the
app, with who, when, from which address, and the old and new values.

Case work is recorded by the case timeline (``CaseEvent``) and the 府院联动 registers by
``LiaisonEvent``; this trail covers what neither does: users (role, organisation,
active), offices, courts, agencies, dispute categories, the holiday calendar, the
mediator roster, document templates and the litigation reference tables.

Each audited model declares ``history = audited()``. django-simple-history writes a
historical row on every save and delete; ``HistoryRequestMiddleware`` gives it the
signed-in user, and the receiver below adds the client's address (the same address the
sign-in lockout counts). The 审计日志 page reads every historical table through the
apps registry, so this module needs to import no other app.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

CHANGE_TYPES = {"+": "新增", "~": "修改", "-": "删除"}


class AuditedChange(models.Model):
    """What every historical row records beyond simple-history's own columns."""

    history_address = models.GenericIPAddressField(
        "来源地址", null=True, blank=True, help_text="修改请求来自的网络地址。"
    )

    class Meta:
        abstract = True


class AuditedRecords(HistoricalRecords):
    """simple-history's manager, with Chinese names for the historical tables."""

    def get_meta_options(self, model: type[models.Model]) -> dict[str, Any]:
        options = super().get_meta_options(model)
        options["verbose_name"] = options["verbose_name_plural"] = (
            f"{model._meta.verbose_name}修改记录"
        )
        return options


def audited(**options: Any) -> HistoricalRecords:
    """The history manager of an audited model (its rows outlive the record)."""
    return AuditedRecords(bases=[AuditedChange], cascade_delete_history=False, **options)


@receiver(pre_create_historical_record)
def _stamp_address(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None:
        history_instance.history_address = client_address(request)


def audited_models() -> list[type[models.Model]]:
    """The historical models of every audited model, in app and name order."""
    found = [
        model
        for model in apps.get_models()
        if hasattr(model, "instance_type") and hasattr(model, "history_address")
    ]
    return sorted(found, key=lambda m: (m._meta.app_label, m._meta.model_name or ""))


def subject_key(historical: type[models.Model]) -> str:
    """The stable key of an audited model for filters: ``app_label.model``."""
    original = historical.instance_type  # type: ignore[attr-defined]
    return original._meta.label_lower


def subject_label(historical: type[models.Model]) -> str:
    return str(historical.instance_type._meta.verbose_name)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    """One row of the audit trail."""

    at: datetime.datetime
    user: Any
    address: str | None
    subject: str
    object_repr: str
    change_type: str
    changes: list[Change] = field(default_factory=list)

    @property
    def change_type_label(self) -> str:
        return CHANGE_TYPES.get(self.change_type, self.change_type)


@dataclass(frozen=True)
class Filters:
    user_id: int | None = None
    subject: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _filtered(historical: type[models.Model], filters: Filters) -> models.QuerySet:
    rows = historical._default_manager.all()
    condition = Q()
    if filters.user_id is not None:
        condition &= Q(history_user_id=filters.user_id)
    if filters.date_from is not None:
        condition &= Q(history_date__date__gte=filters.date_from)
    if filters.date_to is not None:
        condition &= Q(history_date__date__lte=filters.date_to)
    return rows.filter(condition)


def _selected(filters: Filters) -> list[type[models.Model]]:
    return [
        model
        for model in audited_models()
        if not filters.subject or subject_key(model) == filters.subject
    ]


def count(filters: Filters) -> int:
    return sum(_filtered(model, filters).count() for model in _selected(filters))


def _tracked_fields(historical: type[models.Model]) -> list[models.Field]:
    original = historical.instance_type  # type: ignore[attr-defined]
    tracked = {f.attname for f in historical._meta.concrete_fields}
    return [
        f
        for f in original._meta.concrete_fields
        if f.attname in tracked
        and not f.primary_key
        # Stamps the save itself sets say nothing the row's own time does not.
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def _raw_changes(
    historical: type[models.Model], row: Any, previous: Any | None
) -> list[tuple[models.Field, Any, Any]]:
    """(field, old, new) for each field the row changed; a new record lists what it was
    created with, a deletion nothing."""
    if row.history_type == "-":
        return []
    changes = []
    for model_field in _tracked_fields(historical):
        new = getattr(row, model_field.attname)
        if previous is None:
            if new in (None, "", False):
                continue
            changes.append((model_field, None, new))
        elif getattr(previous, model_field.attname) != new:
            changes.append((model_field, getattr(previous, model_field.attname), new))
    return changes


def _display(model_field: models.Field, value: Any, related: dict[tuple[Any, Any], Any]) -> str:
    if value is None or value == "":
        return "（空）"
    if model_field.is_relation:
        return str(related.get((model_field.related_model, value), f"#{value}"))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def describe(pairs: Sequence[tuple[type[models.Model], Any, Any | None]]) -> list[list[Change]]:
    """The changes of each (historical model, row, previous row), with related records
    named: one query per related model, whatever the number of rows."""
    raw = [_raw_changes(historical, row, previous) for historical, row, previous in pairs]
    wanted: dict[Any, set[Any]] = {}
    for changes in raw:
        for model_field, old, new in changes:
            if model_field.is_relation:
                wanted.setdefault(model_field.related_model, set()).update(
                    v for v in (old, new) if v is not None
                )
    related = {
        (model, pk): record
        for model, pks in wanted.items()
        for pk, record in model._default_manager.in_bulk(pks).items()
    }
    return [
        [
            Change(
                str(model_field.verbose_name),
                "" if old is None else _display(model_field, old, related),
                _display(model_field, new, related),
            )
            for model_field, old, new in changes
        ]
        for changes in raw
    ]


def _entries_of(historical: type[models.Model], rows: Sequence[Any]) -> list[Entry]:
    """Rows of one historical table with their differences from the row before and the
    records' names: a query for the predecessors, one for the live records (with what
    their names read), and one per related model, whatever the number of rows."""
    previous_ids = [row.previous_history_id for row in rows if row.previous_history_id]
    previous = historical._default_manager.in_bulk(previous_ids)
    described = describe([(historical, row, previous.get(row.previous_history_id)) for row in rows])
    original = historical.instance_type  # type: ignore[attr-defined]
    related = [f.name for f in original._meta.concrete_fields if f.is_relation]
    live = original._default_manager.select_related(*related).in_bulk({row.id for row in rows})
    return [
        Entry(
            at=row.history_date,
            user=row.history_user,
            address=row.history_address,
            subject=subject_label(historical),
            object_repr=str(live[row.id]) if row.id in live else _repr(row),
            change_type=row.history_type,
            changes=changes,
        )
        for row, changes in zip(rows, described, strict=True)
    ]


def _repr(row: Any) -> str:
    """A deleted record's name as its last row had it (#id if the name needs a relation
    that is gone)."""
    try:
        return str(row.history_object)
    except ObjectDoesNotExist:
        return f"#{row.id}"


def _with_previous(rows: models.QuerySet) -> models.QuerySet:
    earlier = rows.model._default_manager.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date", "-history_id")
    return rows.annotate(previous_history_id=Subquery(earlier.values("history_id")[:1]))


def entries(filters: Filters, *, offset: int = 0, limit: int = 50) -> list[Entry]:
    """The newest entries first, across every audited table: per table at most
    ``offset + limit`` rows are read, merged by time, then the window is cut."""
    window = offset + limit
    merged: list[tuple[Any, type[models.Model], Any]] = []
    for historical in _selected(filters):
        rows = list(
            _with_previous(_filtered(historical, filters))
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:window]
        )
        merged.extend((row.history_date, historical, row) for row in rows)
    merged.sort(key=lambda item: item[0], reverse=True)
    chosen = merged[offset:window]
    by_model: dict[type[models.Model], list[Any]] = {}
    for _at, historical, row in chosen:
        by_model.setdefault(historical, []).append(row)
    built = {
        (historical, entry_row.history_id): entry
        for historical, rows in by_model.items()
        for entry_row, entry in zip(rows, _entries_of(historical, rows), strict=True)
    }
    return [built[(historical, row.history_id)] for _at, historical, row in chosen]


def subjects() -> list[tuple[str, str]]:
    """(key, label) of every audited model, for the filter."""
    return [(subject_key(model), subject_label(model)) for model in audited_models()]


def rows_for_export(items: Iterable[Entry]) -> list[list[Any]]:
    return [
        [
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            str(entry.user) if entry.user else "（系统）",
            entry.address or "",
            entry.subject,
            entry.object_repr,
            entry.change_type_label,
            "；".join(
                f"{c.field}：{c.old} → {c.new}" if c.old else f"{c.field}：{c.new}"
                for c in entry.changes
            ),
        ]
        for entry in items
    ]


class Trail:
    """The filtered trail as a sequence the paginator can count and slice."""

    def __init__(self, filters: Filters) -> None:
        self.filters = filters

    def count(self) -> int:
        return count(self.filters)

    def __getitem__(self, window: slice) -> list[Entry]:
        start = window.start or 0
        return entries(self.filters, offset=start, limit=(window.stop or start) - start)


def client_address(request: Any) -> str | None:
    """The client's address as the sign-in lockout sees it (the socket's, or the one the
    TLS proxy appended when ``DJANGO_BEHIND_TLS_PROXY`` is set)."""
    from axes.helpers import get_client_ip_address  # axes needs the app registry

    return get_client_ip_address(request)
