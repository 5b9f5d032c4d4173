"""The statistics, meeting and report pages for every persona, and their query counts as
the records they count grow."""

from datetime import date

import pytest
from django.urls import reverse

from liaison.services import meetings
from tests.helpers import check
from tests.liaison.conftest import decide, make_hearing, make_lawsuit, make_suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def build(actor, court, agency, other_agency, rows):
    """``rows`` lawsuits of 2026 with a hearing, a result and a judicial suggestion each,
    and a meeting with ``rows`` tasks, half of them the agency's and half the court's."""
    for n in range(1, rows + 1):
        owner = agency if n % 2 else other_agency
        lawsuit = make_lawsuit(
            actor, court, owner, court_case_no=f"（2026）鄂9005行初{n}号", filed_on=date(2026, 3, 1)
        )
        make_hearing(actor, lawsuit)
        decide(actor, lawsuit, "revoked" if n % 3 else "dismissed_claims")
        make_suggestion(
            actor,
            court,
            [owner],
            received_on=date(2026, 9, 3),
            lawsuits=[lawsuit],
            number=f"潜法建〔2026〕{n}号",
            subject=f"关于第{n}号案件的司法建议",
            issued_on=date(2026, 9, 1),
        )
    meeting = meetings.meeting_save(
        actor=actor,
        data={
            "title": "2026年度潜江市府院联席会议",
            "held_on": date(2026, 3, 28),
            "place": "市政府第一会议室",
            "convenors": "分管副市长、市法院院长",
            "attendees": "市司法局、市法院、各行政机关",
            "agenda": "通报2025年度情况",
        },
    )
    for n in range(rows):
        meetings.task_add(
            actor=actor,
            meeting=meeting,
            description=f"任务{n}",
            agency=agency if n % 2 else None,
            unit="" if n % 2 else "市人民法院",
            amount=30,
        )
    return meeting


@pytest.fixture
def meeting(gov_liaison, court, agency, other_agency):
    return build(gov_liaison, court, agency, other_agency, 2)


def test_every_statistics_and_meeting_page_for_each_persona(
    request, client, client_as, gov_liaison, office, meeting
):
    report = meetings.report_issue(actor=gov_liaison, year=2026)
    task = meeting.tasks.filter(agency__short_name="市人社局").get()
    pages = {
        reverse("liaison:statistics"): {
            "gov_liaison": 200,
            "agency_contact": 200,
            "head": 200,
            "court_liaison": 403,
            "clerk": 403,
            "admin_user": 403,
        },
        reverse("liaison:statistics_records") + "?indicator=lost": {
            "gov_liaison": 200,
            "agency_contact": 200,
            "head": 403,
            "court_liaison": 403,
        },
        reverse("liaison:statistics_export") + "?table=agencies": {
            "gov_liaison": 200,
            "agency_contact": 200,
            "head": 403,
            "clerk": 403,
        },
        reverse("liaison:statistics_export") + f"?table=indicators&scope=office&id={office.pk}": {
            "head": 200,
            "gov_liaison": 200,
            "court_liaison": 403,
        },
        reverse("liaison:meetings"): {
            "gov_liaison": 200,
            "agency_contact": 200,
            "court_liaison": 403,
            "clerk": 403,
        },
        # Only the bureau edits a meeting: any agency contact is refused before the lookup.
        reverse("liaison:meeting_edit", args=[meeting.pk]): {
            "gov_liaison": 200,
            "agency_contact": 403,
            "other_agency_contact": 403,
            "clerk": 403,
        },
        reverse("liaison:task_new", args=[meeting.pk]): {
            "gov_liaison": 200,
            "agency_contact": 403,
            "clerk": 403,
        },
        reverse("liaison:minutes", args=[meeting.pk, "pdf"]): {
            "gov_liaison": 200,
            "agency_contact": 403,
            "other_agency_contact": 404,
        },
        reverse("liaison:reports"): {"gov_liaison": 200, "agency_contact": 403, "head": 403},
        report.get_absolute_url(): {"gov_liaison": 200, "agency_contact": 403},
        reverse("liaison:report_file", args=[report.pk, "xlsx"]): {
            "gov_liaison": 200,
            "court_liaison": 403,
        },
    }
    for url, expected in pages.items():
        check(request, client, client_as, url, expected)
    court_task = meeting.tasks.filter(agency=None).get()
    check(
        request,
        client,
        client_as,
        reverse("liaison:task_done", args=[court_task.pk]),
        {"clerk": 403, "court_liaison": 403, "agency_contact": 404, "gov_liaison": 200},
    )
    check(
        request,
        client,
        client_as,
        reverse("liaison:task_done", args=[task.pk]),
        {"clerk": 403, "court_liaison": 403, "other_agency_contact": 404, "agency_contact": 302},
        method="post",
        data={"done_on": "2026-11-20", "done_note": "已按要求修订工作规程。"},
    )
    task.refresh_from_db()
    assert (task.status, task.done_note) == (task.Status.DONE, "已按要求修订工作规程。")
    check(
        request,
        client,
        client_as,
        reverse("liaison:task_reopen", args=[task.pk]),
        {"agency_contact": 403, "gov_liaison": 302},
        method="post",
        data={"note": "尚未落实到位"},
    )
    task.refresh_from_db()
    assert task.status == task.Status.OPEN


def test_a_malformed_or_missing_meeting_or_report_is_not_found(client_as, gov_liaison):
    client = client_as(gov_liaison)
    assert client.get("/liaison/meetings/99999/").status_code == 404
    assert client.get("/liaison/meetings/abc/").status_code == 404
    assert client.get("/liaison/reports/99999/").status_code == 404
    assert client.get("/liaison/reports/99999/pdf/").status_code == 404


QUERIES = {
    "statistics_records_lawsuit": 10,
    "statistics_records_appearance": 7,
    "statistics_records_recipient": 9,
    "scorecard": 14,
    "meetings": 7,
    "meeting": 8,
    "reports": 6,
    "report": 6,
    "agency_statistics": 42,
    "agency_records": 11,
}


@pytest.mark.parametrize("rows", [2, 8])
def test_the_pages_query_count_stays_flat(
    client_as,
    gov_liaison,
    agency_contact,
    court,
    agency,
    other_agency,
    rows,
    django_assert_num_queries,
):
    meeting = build(gov_liaison, court, agency, other_agency, rows)
    report = meetings.report_issue(actor=gov_liaison, year=2026)
    records = reverse("liaison:statistics_records") + "?period=year&year=2026&part=denominator"
    pages = {
        "statistics_records_lawsuit": records + "&indicator=loss_rate",
        "statistics_records_appearance": records + "&indicator=head_rate",
        "statistics_records_recipient": records + "&indicator=late_replies",
        "scorecard": reverse("liaison:scorecard") + "?year=2026",
        "meetings": reverse("liaison:meetings"),
        "meeting": meeting.get_absolute_url(),
        "reports": reverse("liaison:reports"),
        "report": report.get_absolute_url(),
    }
    client = client_as(gov_liaison)
    for name, url in pages.items():
        with django_assert_num_queries(QUERIES[name]):
            assert client.get(url).status_code == 200, name
    # The agency contact's own figures and lists (each row checked against their scope).
    client = client_as(agency_contact)
    for name, url in {
        "agency_statistics": reverse("liaison:statistics") + "?period=year&year=2026",
        "agency_records": records + "&indicator=loss_rate",
    }.items():
        with django_assert_num_queries(QUERIES[name]):
            assert client.get(url).status_code == 200, name
