"""The case factory writes what the services write: the same case, rows, events and notices."""

import re

import pytest
from django.db import transaction

from cases.models import Case
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

IGNORED = {"id", "created_at", "updated_at", "submission_token"}


def _plain(value):
    """Primary keys differ between two builds; everything else must not."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return "<pk>" if isinstance(value, int) and not isinstance(value, bool) else value


def _fields(obj, *skip):
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.name not in IGNORED | {"case", *skip}
    }


def snapshot(case: Case) -> dict:
    case = Case.objects.get(pk=case.pk)
    return {
        "case": _fields(case),
        "parties": [_fields(p) for p in case.parties.order_by("order")],
        "claims": [_fields(c) for c in case.claims.order_by("number")],
        "events": [
            (e.kind, e.from_status, e.to_status, e.actor.username, e.note, _plain(e.data))
            for e in case.events.select_related("actor").order_by("pk")
        ],
        "assignments": [
            {**_fields(a, "mediator"), "mediator": a.mediator.user.username}
            for a in case.assignments.select_related("mediator__user")
        ],
        "sessions": [
            {**_fields(s), "parties": sorted(p.name for p in s.attending_parties.all())}
            for s in case.sessions.all()
        ],
        "notifications": sorted(
            # A key names its record ("assigned:<pk>:…"): PostgreSQL does not roll back ids.
            (n.recipient.username, re.sub(r":\d+:", ":<pk>:", n.key), n.title, n.body, n.read_at)
            for n in case.notifications.select_related("recipient")
        ),
    }


class _Rollback(Exception):
    pass


def _through_the_services(build) -> dict:
    """Build with the services and take the snapshot, then undo it all (numbers included)."""
    taken = {}
    try:
        with transaction.atomic():
            taken.update(snapshot(build()))
            raise _Rollback
    except _Rollback:
        pass
    return taken


def test_a_registered_case(office, clerk, agency):
    expected = _through_the_services(lambda: factories.register(office, clerk, agency=agency))
    assert expected["case"]["status"] == "registered" and expected["events"]
    built = factories.CaseFactory(office=office, created_by=clerk, agency=agency)
    assert snapshot(built) == expected


@pytest.mark.parametrize(
    ("stage", "helper"),
    [
        ("accepted", "accepted_case"),
        ("assigned", "assigned_case"),
        ("mediating", "mediating_case"),
        ("agreed", "agreed_case"),
    ],
)
def test_a_case_further_on(office, clerk, head, mediator, agency, stage, helper):
    def through_services():
        helper_function = getattr(factories, helper)
        people = (office, clerk, head) if stage == "accepted" else (office, clerk, head, mediator)
        return helper_function(*people, agency=agency)

    expected = _through_the_services(through_services)
    status = {"accepted": "accepted", "assigned": "assigned", "mediating": "in_mediation"}
    assert expected["case"]["status"] == status.get(stage, stage)
    built = factories.CaseFactory(
        office=office,
        created_by=clerk,
        agency=agency,
        head=head,
        mediator=mediator,
        **{stage: True},
    )
    assert snapshot(built) == expected
    assert built.status == Case.objects.get(pk=built.pk).status


def test_a_later_stage_needs_the_people_who_took_the_steps(office, clerk):
    with pytest.raises(TypeError, match="head"):
        factories.CaseFactory(office=office, created_by=clerk, accepted=True)


def agreement_snapshot(agreement) -> dict:
    from agreements.models import Agreement

    agreement = Agreement.objects.get(pk=agreement.pk)
    return {
        **snapshot(agreement.case),
        "agreement": _fields(agreement),
        "obligations": [_fields(o, "agreement") for o in agreement.obligations.order_by("number")],
        "checklist": sorted(
            (a.item, a.answer, a.note, a.override_reason, a.answered_by_id)
            for a in agreement.checklist.all()
        ),
        "signatures": [
            _fields(s, "agreement", "party") | {"party": s.party.name}
            for s in agreement.signatures.order_by("party__order")
        ],
    }


@pytest.mark.parametrize("intended", [True, False])
def test_an_effective_agreement(office, clerk, head, mediator, agency, intended):
    expected = {}

    def through_services():
        made = factories.effective_agreement(
            office, clerk, head, mediator, intended=intended, agency=agency
        )
        expected.update(agreement_snapshot(made))
        return made.case

    _through_the_services(through_services)
    assert expected["agreement"]["status"] == "effective" and len(expected["signatures"]) == 2
    case = factories.CaseFactory(
        office=office, created_by=clerk, agency=agency, head=head, mediator=mediator, agreed=True
    )
    built = agreement_snapshot(factories.agreement_for(case, mediator, clerk, intended=intended))
    for rows in (expected, built):  # the obligors are each build's own parties
        for row in rows["obligations"]:
            row["obligor_id"] = "<party>"
        rows["agreement"]["case_id"] = "<case>"
    assert built == expected
