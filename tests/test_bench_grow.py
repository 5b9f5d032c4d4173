"""grow_cases copies the office's cases with their records, to the number asked, once."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import modify_settings

from cases.identifiers import parse_citizen_id
from cases.models import Case, CaseEvent, Party, Session
from cases.selectors import case_list
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture(autouse=True)
def _demo_app_installed(settings):
    if "demo" in settings.INSTALLED_APPS:
        yield
        return
    with modify_settings(INSTALLED_APPS={"append": "demo"}):
        yield


def test_grow_cases_copies_every_record_to_the_number_asked_and_only_once(
    office, clerk, head, mediator
):
    factories.MediatorFactory(user=mediator)
    factories.register(office, clerk)
    factories.agreed_case(office, clerk, head, mediator)
    call_command("grow_cases", cases=50, open_share=0.5, documents=0)
    assert Case.objects.filter(office=office).count() == 50
    parties, events = Party.objects.count(), CaseEvent.objects.count()
    assert Session.objects.count() > 1
    assert set(Case.objects.values_list("status", flat=True)) == {"registered", "agreed"}

    call_command("grow_cases", cases=50)
    assert Case.objects.count() == 50 and Party.objects.count() == parties
    assert CaseEvent.objects.count() == events

    call_command("grow_cases", cases=60)
    assert Case.objects.count() == 60
    numbers = [n for n in Case.objects.values_list("registration_no", flat=True) if n]
    assert len(numbers) == len(set(numbers)) == 60
    for party in Party.objects.exclude(id_number=""):
        party.full_clean()
        assert parse_citizen_id(party.id_number, today=party.created_at.date()).number
    grown = Case.objects.order_by("-pk").first()
    assert grown.events.exists() and grown.parties.count() >= 2

    # The copies are found by the register's search, by number and by name.
    applicant = grown.parties.filter(role=Party.Role.APPLICANT).first()
    for query in (grown.registration_no.replace("〔", "[").replace("〕", "]"), applicant.name):
        assert grown in case_list(clerk, {"q": query}, today=date(2026, 11, 27))
    assert grown in case_list(clerk, {"q": applicant.name[-1]}, today=date(2026, 11, 27))


def test_grow_cases_asks_for_the_demo_data_first(office):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("grow_cases", cases=10)
