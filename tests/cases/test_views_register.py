"""The case register: scope, filters, search, masking, query counts."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases.services import intake
from tests import factories
from tests.factories import VALID_ID, VALID_ID_2, person, refer, register
from tests.helpers import citizen_id

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

URL = reverse("cases:list")


@pytest.fixture
def cases(office, other_office, clerk, other_office_clerk, court_liaison, head):
    own = register(office, clerk)
    accepted = register(
        office, clerk, applicants=[person(name="李秀英", id_number=VALID_ID_2, gender="female")]
    )
    accepted = intake.case_accept(case=accepted, actor=head, accepted_on=date(2026, 11, 27))
    referred = refer(
        office, court_liaison, applicants=[person(name="张三丰", id_number="11010519491231002X")]
    )
    foreign = register(other_office, other_office_clerk, applicants=[person(name="外所当事人")])
    return {"own": own, "accepted": accepted, "referred": referred, "foreign": foreign}


def listed(response) -> str:
    return response.content.decode()


def test_permission_matrix(
    client, client_as, clerk, mediator, head, court_liaison, gov_liaison, admin_user
):
    assert client.get(URL).status_code == 302
    for user in (clerk, mediator, head, court_liaison):
        assert client_as(user).get(URL).status_code == 200
    for user in (gov_liaison, admin_user):
        assert client_as(user).get(URL).status_code == 403


def test_office_sees_its_own_cases_only(client_as, clerk, cases):
    html = listed(client_as(clerk).get(URL))
    assert cases["own"].registration_no in html
    assert cases["accepted"].case_no in html
    assert f"委派函{cases['referred'].referral.letter_no}" in html
    assert "外所当事人" not in html


def test_court_liaison_sees_only_their_courts_cases(
    client_as, court_liaison, other_court_liaison, cases
):
    html = listed(client_as(court_liaison).get(URL))
    assert "张三丰" in html
    assert "王建国" not in html  # self-accepted cases are not the court's
    assert "张三丰" not in listed(client_as(other_court_liaison).get(URL))


def test_id_numbers_are_masked(client_as, clerk, cases):
    html = listed(client_as(clerk).get(URL))
    assert VALID_ID not in html
    assert "429005********1233" in html


@pytest.mark.parametrize(
    ("query", "found", "absent"),
    [
        ("李秀英", "李秀英", "王建国"),
        ("秀英", "李秀英", "王建国"),
        (VALID_ID_2, "李秀英", "王建国"),
        (VALID_ID_2.lower().replace("8", "8"), "李秀英", "王建国"),
        ("（2026）潜行调字第1号", "李秀英", "王建国"),
        ("0001", "王建国", "李秀英"),
        ("市监罚〔2026〕12", "王建国", "外所当事人"),
    ],
)
def test_search(client_as, clerk, cases, query, found, absent):
    html = listed(client_as(clerk).get(URL, {"q": query}))
    assert found in html
    assert absent not in html


def test_id_search_is_exact_not_partial(client_as, clerk, cases):
    html = listed(client_as(clerk).get(URL, {"q": VALID_ID[:10]}))
    assert "没有符合条件的案件" in html


def test_filters(client_as, clerk, cases):
    client = client_as(clerk)
    html = listed(client.get(URL, {"status": "accepted"}))
    assert "李秀英" in html and "王建国" not in html
    html = listed(client.get(URL, {"source": "court_referral"}))
    assert "张三丰" in html and "李秀英" not in html
    html = listed(client.get(URL, {"court": cases["referred"].court_id}))
    assert "张三丰" in html and "王建国" not in html
    html = listed(client.get(URL, {"received_from": "2026-11-03"}))
    assert "没有符合条件的案件" in html
    html = listed(client.get(URL, {"deadline": "near"}))
    assert "没有符合条件的案件" in html
    html = listed(client.get(URL, {"deadline": "running"}))
    assert "张三丰" in html and "李秀英" in html


def test_deadline_filter_finds_overdue_cases(client_as, clerk, cases, time_machine):
    time_machine.move_to("2026-12-03 10:00+08:00", tick=False)
    html = listed(client_as(clerk).get(URL, {"deadline": "overdue"}))
    assert "张三丰" in html  # the referral answer was due on 12-02
    assert "已超期1日" in html


def test_bad_filter_values_do_not_break_the_page(client_as, clerk, cases):
    response = client_as(clerk).get(
        URL,
        {
            "status": "nonsense",
            "received_from": "2026-13-45",
            "category": "abc",
            "page": "x",
            "q": "a" * 500,
        },
    )
    html = listed(response)
    assert response.status_code == 200
    assert "选择一个有效的选项" in html
    assert "输入一个有效的日期" in html
    assert "搜索内容最多60个字（现为500个字），请缩短后再查找。" in html
    assert 'id="id_q_error"' in html


@pytest.mark.parametrize("rows", [3, 30])
def test_query_count_stays_flat(
    client_as, clerk, office, court_liaison, django_assert_max_num_queries, rows
):
    agency = factories.AgencyFactory()
    for index in range(rows):
        number = citizen_id(f"429005{date(1980, 1, 1) + timedelta(days=index):%Y%m%d}123")
        factories.CaseFactory(
            office=office, created_by=clerk, agency=agency, applicants=[person(id_number=number)]
        )
    # A court's referral, shown by its letter number and court: every column a row reads
    # is selected with the page (REGISTER_ROW_COLUMNS), none loaded row by row.
    referral = factories.refer(office, court_liaison, received_date=date(2026, 11, 20))
    client = client_as(clerk)
    # session, user, 2 permissions, unread notices, 3 filter drop-downs, count, page, applicants
    with django_assert_max_num_queries(11):
        page = listed(client.get(URL))
    assert referral.display_number in page and f"{referral.court.name}委派" in page


@pytest.mark.parametrize(
    "query", ["鄂9005委调", "(2026)潜行调字第1号", "潜行调登(2026)0001号", "潜市监罚[2026]12号"]
)
def test_search_accepts_the_brackets_people_type(client_as, clerk, cases, query):
    html = listed(client_as(clerk).get(URL, {"q": query}))
    assert "没有符合条件的案件" not in html


def test_deadline_sort_puts_the_most_urgent_first_and_empty_last(client_as, clerk, cases):
    html = listed(client_as(clerk).get(URL, {"sort": "deadline"}))
    # The referral (answer due 12-02) and the registration (review due 12-04) lead.
    assert html.index("张三丰") < html.index("王建国") < html.index("李秀英")


def test_a_register_longer_than_the_counted_pages_says_so_and_stops_there(
    client_as, clerk, office, monkeypatch
):
    monkeypatch.setattr("cases.views.common.COUNTED_PAGES", 1)
    agency = factories.AgencyFactory()
    for index in range(26):
        number = citizen_id(f"429005{date(1980, 1, 1) + timedelta(days=index):%Y%m%d}123")
        factories.CaseFactory(
            office=office, created_by=clerk, agency=agency, applicants=[person(id_number=number)]
        )
    client = client_as(clerk)
    response = client.get(URL)
    html = listed(response)
    assert response.context["page_obj"].paginator.count == 25
    assert "超过 25 条" in html
    assert "只列出前 1 页，请用筛选条件缩小范围。" in html
    # A page past the counted ones shows the last counted page.
    assert client.get(URL, {"page": 2}).context["page_obj"].number == 1
    # Narrowed to fewer rows than counted, the total is exact again.
    first = citizen_id(f"429005{date(1980, 1, 1):%Y%m%d}123")
    narrowed = listed(client.get(URL, {"q": first}))
    assert "共 1 条" in narrowed and "只列出前" not in narrowed


def test_a_register_within_the_counted_pages_gives_the_exact_total(client_as, clerk, cases):
    html = listed(client_as(clerk).get(URL))
    assert "超过" not in html and "只列出前" not in html


def _cells(html: str, marker: str) -> list[str]:
    """The text of each cell of the register's row that holds ``marker``, its tags turned
    into single spaces."""
    import re

    [row] = [r for r in re.findall(r"<tr>\s*<td.*?</tr>", html, re.S) if marker in r]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def test_each_row_shows_the_case_at_a_glance(client_as, clerk, cases):
    """Every cell of a row (case_ui.register_row): an accepted case with both its numbers,
    and a court referral with its letter and court."""
    html = listed(client_as(clerk).get(URL))
    accepted, referred = cases["accepted"], cases["referred"]
    assert f'<a href="{accepted.get_absolute_url()}">{accepted.case_no}</a>' in html
    assert _cells(html, accepted.case_no) == [
        f"{accepted.case_no} {accepted.registration_no}",
        "已受理",
        "自行受理",
        "李秀英",
        "429005********2468",
        accepted.agency.short_name,
        "行政处罚",
        "2026-11-02",
        "调解期限 2026-12-28（剩31日）",
    ]
    assert _cells(html, referred.referral.letter_no) == [
        f"委派函{referred.referral.letter_no} 潜江市人民法院委派",
        "委派待签收",
        "法院委派",
        "张三丰",
        "110105********002X",
        referred.agency.short_name,
        "行政处罚",
        "2026-11-02",
        "答复法院委派期限 2026-12-02（剩5日）",
    ]
