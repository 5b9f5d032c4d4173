"""The one place where other apps change how cases behave.

``cases`` never imports the apps built on it (agreements, documents, liaison).
An app that adds to cases declares one ``CaseExtension`` (in its own
``extension.py``) and registers it from its ``AppConfig.ready``; every plug-in
an app has is in that one declaration, keyed on stable codes (action codes of
``cases.workflow``, deadline codes of ``cases.deadlines``), never on labels.

Where cases asks:

* ``preconditions(action)`` — ``Transition.refusal`` (``cases.workflow``): each
  check returns "" or the Chinese reason the action is refused now. So every
  rule that can veto ``close_case`` is its own precondition or one listed here.
* ``transition_hooks(action)`` — ``apply_transition`` (``cases.services.common``),
  inside the same transaction, after the case took the step.
* ``deadline_providers()`` — ``office_deadlines`` (``cases.deadlines``).
* ``reminder_kind(code)`` — ``cases.reminders``, for deadlines of other apps.
* ``case_page_prefetches()`` — ``case_detail`` (``cases.selectors``).
* ``panels(area)`` — the case page (``cases.views.case``): "main" or "side".
* ``attachment_classes(case)`` — ``cases.permissions``: which of the case's
  attachments (by id) this app made and what they are to the referring court:
  ``COURT_READS`` (always readable by it, e.g. the agreement), ``COURT_REPORT``
  (readable, and offered first for the transfer package: the termination report)
  or ``TRANSCRIPT`` (a session transcript, readable only when transcripts are open).

``registered()`` lists every extension, so a reader (or a test) sees at a
glance what plugs into cases.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Prefetch
    from django.http import HttpRequest

    from accounts.models import User
    from cases.deadline_engine import WorkCalendar
    from cases.deadlines import CaseDeadline
    from cases.models import Case
    from cases.reminders import Kind

Precondition = Callable[["Case"], str]
TransitionHook = Callable[["Case", "User"], None]
DeadlineProvider = Callable[["Case", "WorkCalendar", date], list["CaseDeadline"]]
Panel = Callable[["HttpRequest", "Case"], str]
AttachmentClassifier = Callable[["Case"], Mapping[int, str]]

# What an attachment another app made is to the referring court (``attachment_classes``).
COURT_READS = "court_reads"
COURT_REPORT = "court_report"
TRANSCRIPT = "transcript"

PANEL_AREAS = ("main", "side")


@dataclass(frozen=True)
class CaseExtension:
    """Everything one app adds to cases."""

    app: str
    # Action code → checks that may refuse it ("" when the action may go ahead).
    preconditions: Mapping[str, tuple[Precondition, ...]] = field(default_factory=dict)
    # Action code → what else happens in the same transaction when the case takes it.
    transition_hooks: Mapping[str, tuple[TransitionHook, ...]] = field(default_factory=dict)
    # (case, calendar, today) → the deadlines of this app's stage of the case.
    deadline_providers: tuple[DeadlineProvider, ...] = ()
    # Deadline code (CaseDeadline.code) → who is reminded, when.
    reminder_kinds: Mapping[str, Kind] = field(default_factory=dict)
    # Built on first use: the prefetches the case page adds, shared with the above.
    case_page_prefetches: tuple[Callable[[], Prefetch], ...] = ()
    # Area ("main", "side") → sections of the case page, (request, case) → HTML or "".
    panels: Mapping[str, tuple[Panel, ...]] = field(default_factory=dict)
    # case → {attachment id: COURT_READS | COURT_REPORT | TRANSCRIPT} for files this app made.
    attachment_classes: tuple[AttachmentClassifier, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.panels) - set(PANEL_AREAS)
        if unknown:
            raise ValueError(f"{self.app}: unknown case page areas {sorted(unknown)}")


_EXTENSIONS: dict[str, CaseExtension] = {}


def register(extension: CaseExtension) -> None:
    """Register (or replace, on a second ``ready``) an app's extension."""
    from cases.workflow import TRANSITIONS

    unknown = (set(extension.preconditions) | set(extension.transition_hooks)) - set(TRANSITIONS)
    if unknown:
        raise ValueError(f"{extension.app}: unknown case actions {sorted(unknown)}")
    _EXTENSIONS[extension.app] = extension


def registered() -> tuple[CaseExtension, ...]:
    return tuple(_EXTENSIONS.values())


def preconditions(action: str) -> list[Precondition]:
    return [check for e in _EXTENSIONS.values() for check in e.preconditions.get(action, ())]


def transition_hooks(action: str) -> list[TransitionHook]:
    return [hook for e in _EXTENSIONS.values() for hook in e.transition_hooks.get(action, ())]


def deadline_providers() -> list[DeadlineProvider]:
    return [provider for e in _EXTENSIONS.values() for provider in e.deadline_providers]


def reminder_kind(code: str) -> Kind | None:
    for extension in _EXTENSIONS.values():
        if code in extension.reminder_kinds:
            return extension.reminder_kinds[code]
    return None


def case_page_prefetches() -> list[Any]:
    return [build() for e in _EXTENSIONS.values() for build in e.case_page_prefetches]


def panels(area: str) -> list[Panel]:
    return [panel for e in _EXTENSIONS.values() for panel in e.panels.get(area, ())]


def attachment_classes(case: Case) -> dict[int, str]:
    classes: dict[int, str] = {}
    for e in _EXTENSIONS.values():
        for classify in e.attachment_classes:
            classes.update(classify(case))
    return classes
