"""The case pages' template helpers give what the models' own methods give."""

from __future__ import annotations

import pytest

from cases.models import Attachment, Case, CaseEvent, Session, Status
from cases.templatetags.case_ui import display, status_badge


@pytest.mark.parametrize("kind", [*CaseEvent.Kind.values, "retired_kind", ""])
def test_display_is_the_models_get_display(kind):
    event = CaseEvent(kind=kind, to_status=Status.CLOSED)
    assert display(event, "kind") == event.get_kind_display()
    assert display(event, "to_status") == event.get_to_status_display()


@pytest.mark.parametrize(
    ("record", "name"),
    [
        (Attachment(kind=Attachment.Kind.DOCUMENT), "kind"),
        (Session(mode=Session.Mode.VIDEO), "mode"),
        (Session(status=Session.Status.HELD), "status"),
        (Session(outcome=""), "outcome"),
    ],
)
def test_display_of_other_fields(record, name):
    assert display(record, name) == getattr(record, f"get_{name}_display")()


@pytest.mark.parametrize("status", [*Status.values, "unknown"])
def test_status_badge_names_the_status(status):
    case = Case(status=status)
    assert f">{case.get_status_display()}</span>" in status_badge(case)
