import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_administrator_maintains_reference_data_under_the_csp(
    page, live_server, login, console_errors, admin_user
):
    login("sysadmin")
    page.get_by_role("link", name="系统管理").first.click()
    expect(page.locator("#site-name")).to_contain_text("系统管理")
    page.goto(f"{live_server.url}/admin/cases/calendarday/?date__year=2026")
    expect(page.locator("#result_list")).to_contain_text("春节")
    page.goto(f"{live_server.url}/admin/cases/agency/add/")
    page.locator("#id_name").fill("潜江市测试局")
    page.locator("#id_level").select_option("city_department")
    page.locator("#id_uscc_0").fill("11429005012345671C")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("潜江市测试局")
    assert console_errors == []
