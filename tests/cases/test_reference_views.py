"""Deadline calculator, agency directory and holiday calendar pages."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

CALCULATOR = reverse("cases:deadline_calculator")
AGENCIES = reverse("cases:agency_list")
CALENDAR = reverse("cases:calendar")


@pytest.mark.parametrize(
    ("url", "allowed", "forbidden"),
    [
        (
            CALCULATOR,
            ["clerk", "mediator", "head", "court_liaison", "gov_liaison", "admin_user"],
            [],
        ),
        (AGENCIES, ["clerk", "mediator", "head", "gov_liaison", "admin_user"], ["court_liaison"]),
        (CALENDAR, ["clerk", "court_liaison", "gov_liaison", "admin_user"], []),
    ],
)
def test_permission_matrix(request, client, client_as, url, allowed, forbidden):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    for persona in allowed:
        assert client_as(request.getfixturevalue(persona)).get(url).status_code == 200, persona
    for persona in forbidden:
        response = client_as(request.getfixturevalue(persona)).get(url)
        assert response.status_code == 403, persona
        assert "无权访问" in response.content.decode()


def test_calculator_explains_the_due_date(client_as, clerk):
    response = client_as(clerk).get(CALCULATOR, {"rule": "D-MED", "start": "2025-03-03"})
    html = response.content.decode()
    assert "2025年4月2日" in html
    assert "《最高人民法院关于人民法院特邀调解的规定》第二十七条" in html


def test_calculator_custom_period_over_spring_festival(client_as, clerk):
    html = (
        client_as(clerk)
        .get(
            CALCULATOR,
            {"rule": "custom", "start": "2025-01-24", "amount": "3", "unit": "working_days"},
        )
        .content.decode()
    )
    assert "2025年2月5日" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"rule": "custom", "start": "2025-01-24"}, "自定义期间请填写期间长度。"),
        ({"rule": "D-MED", "start": "2025-02-30"}, "输入一个有效的日期。"),
        ({"rule": "D-MED", "start": "1800-01-01"}, "起算日应在1950年至2100年之间。"),
        ({"rule": "nonsense", "start": "2025-01-24"}, "选择一个有效的选项"),
        (
            {"rule": "custom", "start": "2025-01-24", "amount": "-3", "unit": "days"},
            "不能小于1",
        ),
    ],
)
def test_calculator_bad_input_keeps_the_form_and_explains(client_as, clerk, params, message):
    response = client_as(clerk).get(CALCULATOR, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "期限届满日" not in html


def test_agency_search_by_name_and_code(client_as, clerk):
    factories.AgencyFactory(name="潜江市人力资源和社会保障局", uscc="11429005012345671C")
    factories.AgencyFactory(name="潜江市公安局")
    client = client_as(clerk)
    html = client.get(AGENCIES, {"q": "人力资源"}).content.decode()
    assert "潜江市人力资源和社会保障局" in html and "潜江市公安局" not in html
    html = client.get(AGENCIES, {"q": "11429005012345671c"}).content.decode()
    assert "潜江市人力资源和社会保障局" in html
    html = client.get(AGENCIES, {"q": "不存在的机关"}).content.decode()
    assert "没有找到与“不存在的机关”相符的行政机关。" in html


def test_inactive_agencies_are_not_listed(client_as, clerk):
    factories.AgencyFactory(name="潜江市已撤销局", is_active=False)
    assert "潜江市已撤销局" not in client_as(clerk).get(AGENCIES).content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_agency_list_query_count_does_not_grow(client_as, clerk, django_assert_num_queries, rows):
    factories.AgencyFactory.create_batch(rows)
    client = client_as(clerk)
    # session, user with office, permissions (user and group), unread notices, count, page
    with django_assert_num_queries(7):
        client.get(AGENCIES)


def test_calendar_shows_the_year_with_make_up_days(client_as, clerk):
    html = client_as(clerk).get(CALENDAR, {"year": "2026"}).content.decode()
    assert "2026年节假日安排" in html
    assert "2026年2月14日" in html and "调休上班" in html


def test_calendar_for_a_year_not_yet_entered_says_so(client_as, clerk):
    html = client_as(clerk).get(CALENDAR, {"year": "2031"}).content.decode()
    assert "尚未录入2031年的节假日安排" in html


def test_calendar_ignores_a_malformed_year(client_as, clerk, time_machine):
    time_machine.move_to("2026-11-27 10:00+08:00")
    assert "2026年节假日安排" in client_as(clerk).get(CALENDAR, {"year": "abc"}).content.decode()


def test_calculator_refuses_periods_beyond_the_calendar(client_as, clerk):
    response = client_as(clerk).get(
        CALCULATOR, {"rule": "custom", "start": "2026-01-01", "amount": "9999", "unit": "years"}
    )
    assert response.status_code == 200
    assert "按“年”计算的期间最长为50。" in response.content.decode()


# --- The agency directory in the admin --------------------------------------------------


def _agency_form(agency, **changes) -> dict:
    data = {
        "name": agency.name,
        "short_name": agency.short_name,
        "uscc_0": agency.uscc,
        "level": agency.level,
        "principal_name": agency.principal_name,
        "principal_title": agency.principal_title,
        "address": agency.address,
        "phone": agency.phone,
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_administrator_changes_an_agency(client_as, admin_user):
    agency = factories.AgencyFactory(name="潜江市人力资源和社会保障局", short_name="人社局")
    url = reverse("admin:cases_agency_change", args=[agency.pk])
    response = client_as(admin_user).post(
        url,
        _agency_form(
            agency,
            short_name="市人社局",
            uscc_0="11429005012345671c",
            principal_name="张三",
            phone="0728-6201235",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    agency.refresh_from_db()
    assert (agency.short_name, agency.uscc, agency.principal_name, agency.phone) == (
        "市人社局",
        "11429005012345671C",
        "张三",
        "0728-6201235",
    )
    assert not agency.uscc_checksum_confirmed


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"uscc_0": "11429005012345I71C"}, "不含字母 I、O、Z、S、V"),
        ({"uscc_0": "11429005012345671"}, "18位"),
        ({"uscc_0": "114290050123456710"}, "校验位与前17位不符"),
        ({"phone": "6201235-"}, "请输入有效的电话号码"),
        ({"name": ""}, "这个字段是必填项。"),
    ],
)
def test_the_admin_refuses_a_bad_agency_change_in_chinese(client_as, admin_user, changes, message):
    agency = factories.AgencyFactory(name="潜江市人力资源和社会保障局", short_name="人社局")
    url = reverse("admin:cases_agency_change", args=[agency.pk])
    response = client_as(admin_user).post(
        url, _agency_form(agency, short_name="市人社局", **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    agency.refresh_from_db()
    assert (agency.name, agency.short_name, agency.uscc) == (
        "潜江市人力资源和社会保障局",
        "人社局",
        "",
    )


def test_a_checked_credit_code_mismatch_is_saved_and_recorded(client_as, admin_user):
    agency = factories.AgencyFactory(name="潜江市人力资源和社会保障局")
    url = reverse("admin:cases_agency_change", args=[agency.pk])
    response = client_as(admin_user).post(
        url, _agency_form(agency, uscc_0="114290050123456710", uscc_1="on")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    agency.refresh_from_db()
    assert agency.uscc == "114290050123456710"
    assert agency.uscc_checksum_confirmed
