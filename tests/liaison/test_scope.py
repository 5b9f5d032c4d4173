"""One rule decides what each user sees of the registers: the list query and the check on
one loaded record can never disagree, and the office sees a linked lawsuit on its case page."""

from datetime import date

import pytest

from accounts.models import Role
from liaison.models import Part
from liaison.permissions import (
    can_see_lawsuit,
    can_see_suggestion,
    can_see_supervision,
    lawsuits_visible_to,
    recipients_visible_to,
    suggestions_visible_to,
    supervision_visible_to,
)
from liaison.services import lawsuits, suggestions, supervision
from tests import factories
from tests.helpers import html_of
from tests.liaison.conftest import make_lawsuit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def registers(gov_liaison, court, other_court, agency, other_agency, city_government):
    mine = make_lawsuit(gov_liaison, court, agency, court_case_no="（2026）鄂9005行初1号")
    shared = make_lawsuit(
        gov_liaison,
        other_court,
        other_agency,
        court_case_no="（2026）鄂9004行初2号",
        parties=[
            lawsuits.PartyRow(other_agency, Part.DEFENDANT),
            lawsuits.PartyRow(agency, Part.THIRD_PARTY),
        ],
    )
    theirs = make_lawsuit(
        gov_liaison, other_court, city_government, court_case_no="（2026）鄂9004行初3号"
    )
    suggestion = suggestions.suggestion_create(
        actor=gov_liaison,
        data={
            "number": "潜法建〔2026〕1号",
            "court": court,
            "kind": "governance",
            "subject": "s",
            "content": "c",
            "issued_on": date(2026, 8, 1),
            "reply_months": 2,
            "hearing": None,
        },
        addressees=[
            suggestions.Addressee(agency, date(2026, 8, 3)),
            suggestions.Addressee(other_agency, date(2026, 8, 3)),
        ],
        lawsuits=[],
    )
    other = suggestions.suggestion_create(
        actor=gov_liaison,
        data={
            "number": "仙法建〔2026〕2号",
            "court": other_court,
            "kind": "governance",
            "subject": "s",
            "content": "c",
            "issued_on": date(2026, 8, 1),
            "reply_months": 2,
            "hearing": None,
        },
        addressees=[suggestions.Addressee(city_government, date(2026, 8, 3))],
        lawsuits=[],
    )
    item = supervision.supervision_open(
        actor=gov_liaison,
        agency=agency,
        reason="other",
        facts="f",
        required_action="a",
        opened_on=date(2026, 11, 2),
        period_amount=5,
        period_unit="working_days",
    )
    return {"lawsuits": [mine, shared, theirs], "suggestions": [suggestion, other], "items": [item]}


PERSONAS = [
    "gov_liaison",
    "court_liaison",
    "other_court_liaison",
    "agency_contact",
    "other_agency_contact",
    "clerk",
    "head",
    "admin_user",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("active", [True, False])
def test_the_list_and_the_record_check_agree(request, registers, persona, active):
    user = request.getfixturevalue(persona)
    user.is_active = active
    for record in registers["lawsuits"]:
        assert (
            can_see_lawsuit(user, record) == lawsuits_visible_to(user).filter(pk=record.pk).exists()
        )
    for record in registers["suggestions"]:
        assert (
            can_see_suggestion(user, record)
            == suggestions_visible_to(user).filter(pk=record.pk).exists()
        )
    for record in registers["items"]:
        assert (
            can_see_supervision(user, record)
            == supervision_visible_to(user).filter(pk=record.pk).exists()
        )


def test_what_each_persona_sees(
    registers, gov_liaison, court_liaison, agency_contact, other_agency_contact, clerk
):
    def numbers(user):
        return sorted(lawsuits_visible_to(user).values_list("court_case_no", flat=True))

    assert len(numbers(gov_liaison)) == 3
    assert numbers(court_liaison) == ["（2026）鄂9005行初1号"]
    # A third party is a party too.
    assert numbers(agency_contact) == ["（2026）鄂9004行初2号", "（2026）鄂9005行初1号"]
    assert numbers(other_agency_contact) == ["（2026）鄂9004行初2号"]
    assert numbers(clerk) == []
    assert [r.agency.short_name for r in recipients_visible_to(agency_contact)] == ["市人社局"]
    assert supervision_visible_to(court_liaison).count() == 0
    assert supervision_visible_to(other_agency_contact).count() == 0


def test_an_agency_contact_moved_to_another_agency_sees_only_the_new_one(
    registers, agency_contact, other_agency
):
    agency_contact.agency = other_agency
    assert sorted(lawsuits_visible_to(agency_contact).values_list("court_case_no", flat=True)) == [
        "（2026）鄂9004行初2号"
    ]
    agency_contact.role = Role.CLERK
    assert not lawsuits_visible_to(agency_contact).exists()


def test_the_office_sees_the_lawsuit_that_followed_its_mediation(
    client_as, gov_liaison, office, clerk, head, court, agency
):
    case = factories.accepted_case(office, clerk, head, agency=agency)
    case.case_no = "（2026）潜行调字第1号"
    case.save(update_fields=["case_no"])
    lawsuit = make_lawsuit(gov_liaison, court, agency, mediation_case=case)
    page = html_of(client_as(clerk).get(case.get_absolute_url()))
    assert "调解后的行政诉讼" in page
    assert lawsuit.court_case_no in page
    # The office sees the lawsuit but not the register.
    assert lawsuit.get_absolute_url() not in page
    assert client_as(clerk).get(lawsuit.get_absolute_url()).status_code == 403
