"""The one extension point: what plugs into cases, keyed on codes, visible in one place."""

import pytest

from cases import extensions
from cases.deadlines import MEDIATION_CODE
from cases.reminders import KIND_BY_CODE
from cases.workflow import TRANSITIONS


def test_every_app_that_changes_cases_is_declared():
    declared = {e.app: e for e in extensions.registered()}
    assert set(declared) == {"agreements", "documents", "liaison"}
    assert set(declared["agreements"].preconditions) == {"remediate", "terminate", "close"}
    assert set(declared["agreements"].transition_hooks) == {"remediate", "terminate"}
    assert set(declared["documents"].panels) == {"side"}
    # The lawsuit that followed a mediation, on the case page; liaison vetoes nothing.
    assert set(declared["liaison"].panels) == {"side"}
    assert not declared["liaison"].preconditions and not declared["liaison"].transition_hooks


def test_every_rule_that_can_veto_closing_a_case_is_found_from_the_transition():
    close = TRANSITIONS["close"]
    vetoes = [close.precondition, *extensions.preconditions("close")]
    assert [check.__name__ for check in vetoes if check] == ["_no_open_sessions", "may_close"]


def test_reminder_kinds_are_keyed_on_codes_not_labels():
    codes = set(KIND_BY_CODE)
    for extension in extensions.registered():
        codes |= set(extension.reminder_kinds)
    assert codes == {
        MEDIATION_CODE,
        "referral_answer",
        "review",
        "supplement",
        "obligation",
        "confirmation_apply",
    }
    assert all(code.isascii() for code in codes)


def test_an_extension_naming_an_unknown_action_or_area_is_refused():
    with pytest.raises(ValueError, match="unknown case actions"):
        extensions.register(extensions.CaseExtension(app="x", preconditions={"fly": ()}))
    with pytest.raises(ValueError, match="unknown case page areas"):
        extensions.CaseExtension(app="x", panels={"top": ()})
    assert "x" not in {e.app for e in extensions.registered()}
