"""Personas and records of the 府院联动 registers."""

from datetime import date

import pytest

from liaison.models import Instance, Part, PlaintiffKind, Recipient, ResultType
from liaison.services import hearings, lawsuits, suggestions
from tests import factories
from tests.factories import VALID_ID, category


@pytest.fixture
def city_government(db):
    return factories.AgencyFactory(name="潜江市人民政府", short_name="市政府")


def result(code: str) -> ResultType:
    return ResultType.objects.get(code=code)


def lawsuit_data(court, **overrides) -> dict:
    data = {
        "court_case_no": "（2026）鄂9005行初12号",
        "instance": Instance.FIRST,
        "court": court,
        "category": category("WORK_INJURY_SOCIAL"),
        "act_in_dispute": "市人社局作出的不予认定工伤决定",
        "act_document_no": "",
        "filed_on": date(2026, 9, 1),
    }
    data.update(overrides)
    return data


PLAINTIFF = {
    "name": "王建国",
    "kind": PlaintiffKind.NATURAL_PERSON,
    "id_number": VALID_ID,
    "uscc": "",
}


def make_lawsuit(
    actor,
    court,
    agency,
    *,
    parties=None,
    co_defendant=None,
    plaintiffs=None,
    number_confirmed=False,
    **overrides,
):
    """A lawsuit registered through the service, as the court's page does: ``agency`` sued,
    with ``co_defendant`` (the reconsideration organ) if given, or the ``parties``."""
    sued = [lawsuits.PartyRow(agency, Part.DEFENDANT)]
    if co_defendant is not None:
        sued.append(lawsuits.PartyRow(co_defendant, Part.CO_DEFENDANT))
    return lawsuits.lawsuit_create(
        actor=actor,
        data=lawsuit_data(court, **overrides),
        defendants=parties or sued,
        plaintiffs=plaintiffs or [dict(PLAINTIFF)],
        number_confirmed=number_confirmed,
    )


def make_hearing(actor, lawsuit, held_on=date(2026, 10, 20), **data):
    hearing, _ = hearings.hearing_create(
        lawsuit=lawsuit, actor=actor, data={"held_on": held_on, "open_court": True, **data}
    )
    return hearing


def decide(
    actor, lawsuit, code="revoked", concluded_on=date(2026, 11, 2), served_on=date(2026, 11, 5)
):
    return lawsuits.record_outcome(
        lawsuit=lawsuit,
        actor=actor,
        result_type=result(code),
        concluded_on=concluded_on,
        served_on=served_on,
        outcome_note="",
        expected_version=None,
    )


def suggestion_data(court, **overrides) -> dict:
    data = {
        "number": "潜法建(2026)3号",
        "court": court,
        "kind": "case",
        "subject": "关于规范工伤认定程序的司法建议",
        "content": "建议规范调查程序。",
        "issued_on": date(2026, 7, 30),
        "reply_months": 2,
        "hearing": None,
    }
    data.update(overrides)
    return data


def make_suggestion(actor, court, agencies, *, received_on, lawsuits=(), **overrides):
    """A judicial suggestion issued through the service to ``agencies``, each received on
    ``received_on``."""
    return suggestions.suggestion_create(
        actor=actor,
        data=suggestion_data(court, **overrides),
        addressees=[suggestions.Addressee(a, received_on) for a in agencies],
        lawsuits=list(lawsuits),
    )


def reply(recipient, actor, text, *, replied_on=date(2026, 9, 1), **overrides):
    """An addressee's reply recorded through the service (adopted, unless overridden)."""
    data = {"adoption": Recipient.Adoption.ADOPTED, "measures": "措施", **overrides}
    return suggestions.record_reply(
        recipient=recipient,
        actor=actor,
        replied_on=replied_on,
        reply=text,
        expected_version=0,
        **data,
    )


@pytest.fixture
def lawsuit(gov_liaison, court, agency):
    return make_lawsuit(gov_liaison, court, agency)
