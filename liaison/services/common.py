"""What the register services share: locking, version checks, the history and the files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils import timezone

from accounts.models import User
from cases.files import save_file
from cases.plausibility import EARLIEST_RECORD_DATE
from cases.services.common import ServiceError, StaleEdit, save_unique
from cases.uploads import UploadRejected, inspect_upload
from cases.workflow import NotPermitted
from liaison.models import EvidenceFile, LiaisonEvent

__all__ = [
    "NotPermitted",
    "ServiceError",
    "StaleEdit",
    "add_files",
    "changes_of",
    "check_version",
    "ensure",
    "lock",
    "past_date",
    "record_event",
    "save_unique",
]

M = TypeVar("M", bound=models.Model)


def ensure(refusal: str) -> None:
    """Raise NotPermitted with the refusal of a permissions predicate, if there is one."""
    if refusal:
        raise NotPermitted(refusal)


def lock(obj: M) -> M:
    """Re-read the row under a row lock (a no-op on SQLite, which locks the database)."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def check_version(locked: Any, expected: int | None) -> None:
    """Refuse if someone saved the record after this user opened it."""
    if expected is not None and locked.version != expected:
        raise StaleEdit(
            "在您编辑期间，其他人已修改了这条记录。您填写的内容仍保留在下方，"
            "请核对页面上方的最新信息后再提交。"
        )


def _shown(instance: models.Model, name: str) -> str:
    value = getattr(instance, name)
    if value in (None, ""):
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    getter = getattr(instance, f"get_{name}_display", None)
    if getter is not None:
        return str(getter())
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def changes_of(instance: models.Model, values: dict[str, Any]) -> dict[str, list[str]]:
    """Set ``values`` on the instance; return field label → [old, new] of what changed."""
    changes: dict[str, list[str]] = {}
    for name, value in values.items():
        before = _shown(instance, name)
        setattr(instance, name, value)
        after = _shown(instance, name)
        if before != after:
            label = str(getattr(instance._meta.get_field(name), "verbose_name", name))
            changes[label] = [before, after]
    return changes


def record_event(
    *,
    kind: str,
    actor: User | None,
    lawsuit: Any = None,
    suggestion: Any = None,
    supervision: Any = None,
    meeting: Any = None,
    agency: Any = None,
    note: str = "",
    changes: dict[str, list[str]] | None = None,
) -> LiaisonEvent:
    return LiaisonEvent.objects.create(
        kind=kind,
        agency=agency,
        actor=actor,
        lawsuit=lawsuit,
        suggestion=suggestion,
        supervision=supervision,
        meeting=meeting,
        note=note[:300],
        changes=changes or {},
    )


def past_date(value: date | None, label: str, field: str, *, earliest: date | None = None) -> None:
    """A date of something that happened: not in the future, not before ``earliest``."""
    if value is None:
        return
    if value > timezone.localdate():
        raise ServiceError(f"{label}不能晚于今天。", field)
    if value < (earliest or EARLIEST_RECORD_DATE):
        if earliest is None:
            raise ServiceError(f"{label}早于1950年，请核对。", field)
        raise ServiceError(f"{label}不能早于{earliest:%Y-%m-%d}。", field)


def add_files(
    *, actor: User, uploads: Sequence[UploadedFile], title: str, field: str = "files", **target: Any
) -> list[EvidenceFile]:
    """Store proofs for a record (``performance=…``, ``recipient=…``, ``supervision=…``,
    ``loss_analysis=…``) in the caller's transaction; a rollback leaves no file."""
    stored = []
    for upload in uploads:
        try:
            inspected = inspect_upload(upload)
        except UploadRejected as exc:
            raise ServiceError(f"“{upload.name}”：{exc.message}", field) from None
        evidence = EvidenceFile(
            title=title,
            original_name=(upload.name or "")[:200],
            content_type=inspected.content_type,
            size=inspected.size,
            sha256=inspected.sha256,
            uploaded_by=actor,
            **target,
        )
        save_file(evidence.file, upload.name or "file", upload)
        evidence.save()
        stored.append(evidence)
    return stored
