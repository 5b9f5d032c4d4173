"""The transitions table, checked exhaustively: every action against every state."""

import pytest

from cases.models import Case, Source, Status
from cases.workflow import (
    TRANSITIONS,
    InvalidTransition,
    available_actions,
    ensure_allowed,
    transition_pairs,
)

S = Status
MEDIATING = {S.ASSIGNED, S.IN_MEDIATION, S.SUSPENDED}

# action: (the states it may start from, the state it leads to)
EXPECTED = {
    "request_supplement": ({S.REGISTERED}, S.AWAITING_SUPPLEMENT),
    "supplement_received": ({S.AWAITING_SUPPLEMENT}, S.REGISTERED),
    "accept": ({S.REGISTERED}, S.ACCEPTED),
    "decline": ({S.REGISTERED, S.AWAITING_SUPPLEMENT}, S.DECLINED),
    "approve_referral": ({S.REFERRAL_UNCONFIRMED}, S.REFERRAL_PENDING),
    "reject_referral": ({S.REFERRAL_UNCONFIRMED}, S.REFERRAL_REJECTED),
    "sign_for": ({S.REFERRAL_PENDING}, S.ACCEPTED),
    "return_referral": ({S.REFERRAL_PENDING}, S.REFERRAL_RETURNED),
    "assignment_effective": ({S.ACCEPTED}, S.ASSIGNED),
    "begin_mediation": ({S.ASSIGNED}, S.IN_MEDIATION),
    "suspend": ({S.IN_MEDIATION}, S.SUSPENDED),
    "resume": ({S.SUSPENDED}, S.IN_MEDIATION),
    "reach_agreement": ({S.IN_MEDIATION}, S.AGREED),
    "remediate": ({S.AGREED}, S.IN_MEDIATION),
    "terminate": ({S.ACCEPTED, S.AGREED} | MEDIATING, S.TERMINATED),
    "withdraw": ({S.REGISTERED, S.AWAITING_SUPPLEMENT, S.ACCEPTED} | MEDIATING, S.WITHDRAWN),
    "transfer_to_filing": ({S.TERMINATED, S.WITHDRAWN}, S.TRANSFERRED_TO_FILING),
    "close": (
        {
            S.DECLINED,
            S.REFERRAL_RETURNED,
            S.REFERRAL_REJECTED,
            S.TERMINATED,
            S.WITHDRAWN,
            S.TRANSFERRED_TO_FILING,
            S.AGREED,
        },
        S.CLOSED,
    ),
    "archive": ({S.CLOSED}, S.ARCHIVED),
}


def test_the_table_is_exactly_the_expected_one():
    assert {a: (set(t.sources), t.target) for a, t in TRANSITIONS.items()} == {
        a: (set(sources), target) for a, (sources, target) in EXPECTED.items()
    }


def test_the_state_diagram():
    assert (S.REGISTERED, S.ACCEPTED) in transition_pairs()
    assert (S.CLOSED, S.ARCHIVED) in transition_pairs()
    assert (S.ARCHIVED, S.CLOSED) not in transition_pairs()


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", list(Status))
def test_ensure_allowed_accepts_exactly_the_listed_sources(action, status, monkeypatch):
    # A referral with no sessions meets every precondition of its own; the conditions the
    # agreements app adds for the agreement stage are tested with that app.
    monkeypatch.setattr("cases.extensions._EXTENSIONS", {})
    case = Case(status=status, source=Source.COURT_REFERRAL)
    transition = TRANSITIONS[action]
    if status in transition.sources:
        assert ensure_allowed(case, action) is transition
    else:
        with pytest.raises(InvalidTransition) as exc:
            ensure_allowed(case, action)
        assert f"案件当前状态为“{status.label}”" in exc.value.message


def test_only_referrals_are_transferred_to_filing():
    with pytest.raises(InvalidTransition) as exc:
        ensure_allowed(Case(status=S.TERMINATED, source=Source.SELF), "transfer_to_filing")
    assert exc.value.message == "只有法院委派的案件才能转立案。"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status", "expected"),
    [
        ("clerk", S.REGISTERED, ["request_supplement", "withdraw"]),
        ("head", S.REGISTERED, ["request_supplement", "accept", "decline", "withdraw"]),
        ("mediator", S.REGISTERED, []),
        ("clerk", S.AWAITING_SUPPLEMENT, ["supplement_received", "withdraw"]),
        ("head", S.AWAITING_SUPPLEMENT, ["supplement_received", "decline", "withdraw"]),
        ("clerk", S.REFERRAL_UNCONFIRMED, []),
        ("court_liaison", S.REFERRAL_UNCONFIRMED, ["approve_referral", "reject_referral"]),
        ("other_court_liaison", S.REFERRAL_UNCONFIRMED, []),
        ("clerk", S.REFERRAL_PENDING, ["sign_for"]),
        ("head", S.REFERRAL_PENDING, ["sign_for", "return_referral"]),
        ("court_liaison", S.REFERRAL_PENDING, []),
        ("other_office_clerk", S.REFERRAL_PENDING, []),
        ("head", S.ACCEPTED, ["terminate", "withdraw"]),
        ("head", S.IN_MEDIATION, ["suspend", "reach_agreement", "terminate", "withdraw"]),
        ("mediator", S.IN_MEDIATION, []),  # not assigned to this case
        ("head", S.DECLINED, ["close"]),
        ("court_liaison", S.TERMINATED, ["transfer_to_filing"]),
        ("head", S.TERMINATED, ["close"]),
    ],
)
def test_buttons_come_from_the_same_table(request, persona, status, expected, office, court):
    user = request.getfixturevalue(persona)
    case = Case(status=status, office=office, court=court, source=Source.COURT_REFERRAL)
    assert [t.action for t in available_actions(user, case)] == expected
