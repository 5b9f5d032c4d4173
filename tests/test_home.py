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


@pytest.mark.parametrize(("counted", "badge"), [(12, "12"), (11, "11+")])
def test_a_queue_is_counted_no_further_than_its_badge_shows(
    client_as, clerk, office, court_liaison, monkeypatch, counted, badge
):
    for _ in range(12):
        register(office, clerk)
        refer(office, court_liaison)
    monkeypatch.setattr("cases.selectors.QUEUE_COUNTED", counted)
    html = client_as(clerk).get(reverse("home")).content.decode()
    # Both full queues, counted in one query.
    assert f'data-testid="queue-registered-count">{badge}<' in html
    assert f'data-testid="queue-referrals-count">{badge}<' in html
    assert f"查看全部 {badge} 件" in html
    assert 'text-bg-light" data-testid="queue-supplement-count">0<' in html


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


def test_each_queue_holds_its_first_cases_in_its_order(
    clerk, office, court, court_liaison, head, django_assert_num_queries
):
    """PostgreSQL reads the queues in one query and sorts them here; the queues must be
    the database's own first cases in its own order, empty deadlines and ties included."""
    from datetime import date, timedelta

    from django.db import connection
    from django.utils import timezone

    from cases.models import Case, Status
    from cases.selectors import QUEUE_LIMIT, court_queues, office_queues
    from tests.factories import CaseFactory, person
    from tests.helpers import citizen_id

    for index in range(QUEUE_LIMIT + 3):
        body = f"429005{date(1980, 1, 1) + timedelta(days=index):%Y%m%d}123"
        case = CaseFactory(
            office=office, created_by=clerk, applicants=[person(id_number=citizen_id(body))]
        )
        due = None if index % 4 == 0 else date(2026, 12, 1) + timedelta(days=index % 3)
        Case.objects.filter(pk=case.pk).update(next_deadline=due)
    record_paper_referral(court, clerk)
    for index in range(4):
        case = refer(office, court_liaison)
        referral.referral_return(case=case, actor=head, reason="conflict", note="利害关系")
        # Two returned at the same moment: the id decides.
        moment = timezone.now() - timedelta(hours=index // 2)
        Case.objects.filter(pk=case.pk).update(updated_at=moment)
    for _ in range(2):
        refer(office, court_liaison)

    def expected(cases, status, order):
        first = cases.filter(status=status).order_by(*order, "id")[:QUEUE_LIMIT]
        return list(first.values_list("pk", flat=True))

    # Each queue's first cases (in one query on PostgreSQL), their applicants, the totals.
    windows = 1 if connection.features.supports_slicing_ordering_in_compound else 4
    with django_assert_num_queries(windows + 2):
        queues = {key: first for key, _, first, *_ in office_queues(clerk)}
    office_cases = Case.objects.filter(office=office)
    assert [c.pk for c in queues["registered"]] == expected(
        office_cases, Status.REGISTERED, ("next_deadline",)
    )
    assert len(queues["registered"]) == QUEUE_LIMIT
    assert [c.pk for c in queues["referrals"]] == expected(
        office_cases, Status.REFERRAL_PENDING, ("next_deadline",)
    )
    assert [c.pk for c in queues["unconfirmed"]] == expected(
        office_cases, Status.REFERRAL_UNCONFIRMED, ("received_date",)
    )
    assert queues["supplement"] == []
    court_cases = Case.objects.filter(court=court)
    queues = {key: first for key, _, first, *_ in court_queues(court_liaison)}
    assert [c.pk for c in queues["returned"]] == expected(
        court_cases, Status.REFERRAL_RETURNED, ("-updated_at",)
    )
    assert len(queues["returned"]) == 4
    assert [c.pk for c in queues["pending"]] == expected(
        court_cases, Status.REFERRAL_PENDING, ("next_deadline",)
    )
