"""Administrators run the system, not the cases: no page of the admin shows a session
transcript, an agreement's text or a full ID number (DESIGN.md, the admin's scope)."""

import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from cases.services import records
from tests.documents.helpers import distinct_person, held_session
from tests.factories import effective_agreement, mediating_case
from tests.helpers import html_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TRANSCRIPT = "申请人当庭承认曾收取补偿款三万元整"
RESULT = "被申请人撤销处罚决定，申请人撤回复议申请。"


def admin_pages(client):
    """Every list, add and change page of every model in the admin, with a few objects
    each, and each object's history."""
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        for view in ("changelist", "add"):
            try:
                yield reverse("admin:{}_{}_{}".format(*info, view))
            except NoReverseMatch:
                continue
        for obj in model_admin.get_queryset(_request(client))[:3]:
            for view in ("change", "history"):
                try:
                    yield reverse("admin:{}_{}_{}".format(*info, view), args=[obj.pk])
                except NoReverseMatch:
                    continue


def _request(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = client.user
    return request


def test_the_admin_shows_no_case_content(client_as, admin_user, office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    mediating = mediating_case(office, clerk, head, mediator, applicants=[distinct_person()])
    held_session(mediating, mediator, transcript=TRANSCRIPT)
    party = agreement.case.parties.exclude(id_number="").first()
    full_id = party.id_number
    # Reading the number is logged; the log names the party, never the number.
    records.party_reveal_id(party=party, actor=clerk)
    client = client_as(admin_user)
    client.user = admin_user
    visited = 0
    for url in admin_pages(client):
        response = client.get(url)
        assert response.status_code in (200, 403), url
        page = html_of(response)
        visited += 1
        assert TRANSCRIPT not in page, url
        assert RESULT not in page, url
        assert full_id not in page, url
        # Nor a number that merely differs in case, spacing or the check character's place.
        assert not re.search(full_id[:17], page), url
    assert visited > 20
