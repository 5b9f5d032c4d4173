"""The home page fills with each role's queues."""

import pytest
from django.urls import reverse

from cases.services import referral
from tests.factories import record_paper_referral, refer, register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_office_queues_link_to_the_filtered_register(client_as, clerk, office, court_liaison):
    register(office, clerk)
    refer(office, court_liaison)
    html = client_as(clerk).get(reverse("home")).content.decode()
    assert "待签收的法院委派" in html and "待受理审查" in html
    assert 'data-testid="queue-referrals-count">1<' in html
    assert 'data-testid="queue-registered-count">1<' in html
    assert "答复法院委派期限 2026-12-02（剩5日）" in html


def test_court_queues(client_as, clerk, court, court_liaison, office, head):
    record_paper_referral(court, clerk)
    returned = refer(office, court_liaison)
    referral.referral_return(case=returned, actor=head, reason="conflict", note="利害关系")
    html = client_as(court_liaison).get(reverse("home")).content.decode()
    assert 'data-testid="queue-to_confirm-count">1<' in html
    assert 'data-testid="queue-returned-count">1<' in html


def test_signed_tab_keeps_referrals_after_they_move_on(client_as, clerk, office, court_liaison):
    from datetime import date

    case = refer(office, court_liaison)
    referral.referral_sign_for(case=case, actor=clerk, signed_on=date(2026, 11, 27))
    html = (
        client_as(court_liaison)
        .get(reverse("cases:referrals"), {"status": "signed"})
        .content.decode()
    )
    assert "2026-11-27 签收" in html


@pytest.mark.parametrize("rows", [2, 12])
def test_home_query_count_does_not_grow(
    client_as, clerk, office, django_assert_max_num_queries, rows
):
    from datetime import date, timedelta

    from tests.factories import CaseFactory, person
    from tests.helpers import citizen_id

    for index in range(rows):
        body = f"429005{date(1980, 1, 1) + timedelta(days=index):%Y%m%d}123"
        CaseFactory(
            office=office, created_by=clerk, applicants=[person(id_number=citizen_id(body))]
        )
    client = client_as(clerk)
    # Each queue's first cases, their applicants at once, the totals of the full queues.
    with django_assert_max_num_queries(CLERK_HOME_QUERIES + (rows > 10)):
        html = client.get(reverse("home")).content.decode()
    assert f'data-testid="queue-registered-count">{rows}<' in html
    assert 'data-testid="queue-supplement-count">0<' in html
    assert (f"查看全部 {rows} 件" in html) == (rows > 10)


CLERK_HOME_QUERIES = 13


@pytest.mark.parametrize("rows", [2, 12])
def test_court_home_and_referral_list_query_counts_do_not_grow(
    client_as, court_liaison, office, head, django_assert_max_num_queries, rows
):
    from datetime import date

    for index in range(rows):
        case = refer(office, court_liaison)
        if index % 2:
            referral.referral_return(case=case, actor=head, reason="conflict", note="利害关系")
        elif index == 2:
            referral.referral_sign_for(case=case, actor=head, signed_on=date(2026, 11, 27))
    client = client_as(court_liaison)
    with django_assert_max_num_queries(COURT_HOME_QUERIES):
        client.get(reverse("home"))
    with django_assert_max_num_queries(REFERRAL_LIST_QUERIES):
        html = client.get(reverse("cases:referrals")).content.decode()
    assert f"共 {rows} 条" in html
    # Every kind of row: the answer due, the reason it was returned, the day it was signed for.
    assert "答复期限" in html and "利害关系" in html
    assert ("2026-11-27 签收" in html) == (rows > 2)


COURT_HOME_QUERIES = 11
REFERRAL_LIST_QUERIES = 8
