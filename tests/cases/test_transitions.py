"""The transitions table, checked exhaustively: every action against every state."""

import pytest

from cases.models import Case, Status
from cases.workflow import (
    TRANSITIONS,
    InvalidTransition,
    available_actions,
    ensure_allowed,
    transition_pairs,
)

S = Status

EXPECTED_PAIRS = {
    (S.REGISTERED, S.AWAITING_SUPPLEMENT),
    (S.AWAITING_SUPPLEMENT, S.REGISTERED),
    (S.REGISTERED, S.ACCEPTED),
    (S.REGISTERED, S.DECLINED),
    (S.AWAITING_SUPPLEMENT, S.DECLINED),
    (S.REFERRAL_UNCONFIRMED, S.REFERRAL_PENDING),
    (S.REFERRAL_UNCONFIRMED, S.REFERRAL_REJECTED),
    (S.REFERRAL_PENDING, S.ACCEPTED),
    (S.REFERRAL_PENDING, S.REFERRAL_RETURNED),
}


def test_the_table_allows_exactly_the_intake_and_referral_steps():
    assert transition_pairs() >= EXPECTED_PAIRS
    intake_pairs = {
        (s, t)
        for s, t in transition_pairs()
        if s
        in {
            S.REGISTERED,
            S.AWAITING_SUPPLEMENT,
            S.REFERRAL_UNCONFIRMED,
            S.REFERRAL_PENDING,
        }
    }
    assert intake_pairs == EXPECTED_PAIRS


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", list(Status))
def test_ensure_allowed_accepts_exactly_the_listed_sources(action, status):
    case = Case(status=status)
    transition = TRANSITIONS[action]
    if status in transition.sources:
        assert ensure_allowed(case, action) is transition
    else:
        with pytest.raises(InvalidTransition) as exc:
            ensure_allowed(case, action)
        assert f"案件当前状态为“{status.label}”" in exc.value.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status", "expected"),
    [
        ("clerk", S.REGISTERED, ["request_supplement"]),
        ("head", S.REGISTERED, ["request_supplement", "accept", "decline"]),
        ("mediator", S.REGISTERED, []),
        ("clerk", S.AWAITING_SUPPLEMENT, ["supplement_received"]),
        ("head", S.AWAITING_SUPPLEMENT, ["supplement_received", "decline"]),
        ("clerk", S.REFERRAL_UNCONFIRMED, []),
        ("court_liaison", S.REFERRAL_UNCONFIRMED, ["approve_referral", "reject_referral"]),
        ("other_court_liaison", S.REFERRAL_UNCONFIRMED, []),
        ("clerk", S.REFERRAL_PENDING, ["sign_for"]),
        ("head", S.REFERRAL_PENDING, ["sign_for", "return_referral"]),
        ("court_liaison", S.REFERRAL_PENDING, []),
        ("other_office_clerk", S.REFERRAL_PENDING, []),
        ("head", S.DECLINED, []),
    ],
)
def test_buttons_come_from_the_same_table(request, persona, status, expected, office, court):
    user = request.getfixturevalue(persona)
    case = Case(status=status, office=office, court=court)
    assert [t.action for t in available_actions(user, case)] == expected
