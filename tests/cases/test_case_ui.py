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


@pytest.mark.parametrize("pk", [1, 9, 918273645, 10**12])
def test_case_address_is_the_reversed_one(pk):
    from django.urls import reverse

    assert Case(pk=pk).get_absolute_url() == reverse("cases:detail", args=[pk])


def test_case_address_follows_the_script_prefix():
    from django.urls import get_script_prefix, reverse, set_script_prefix

    before = get_script_prefix()
    set_script_prefix("/qj918273645/")
    try:
        assert Case(pk=5).get_absolute_url() == reverse("cases:detail", args=[5])
        assert Case(pk=5).get_absolute_url() == "/qj918273645/cases/5/"
    finally:
        set_script_prefix(before)
    assert Case(pk=5).get_absolute_url() == "/cases/5/"
