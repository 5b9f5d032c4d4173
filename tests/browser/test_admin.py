import pytest
from playwright.sync_api import expect

from cases.models import Agency

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
    agency = Agency.objects.get(name="潜江市测试局")
    assert agency.uscc == "11429005012345671C"

    change = f"{live_server.url}/admin/cases/agency/{agency.pk}/change/"
    page.goto(change)
    page.locator("#id_short_name").fill("测试局")
    page.locator("#id_principal_name").fill("张三")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("潜江市测试局")
    agency.refresh_from_db()
    assert (agency.short_name, agency.principal_name) == ("测试局", "张三")

    page.goto(change)
    page.locator("#id_uscc_0").fill("11429005012345I71C")
    page.locator("input[name=_save]").click()
    expect(page.locator(".errorlist")).to_contain_text("不含字母 I、O、Z、S、V")
    agency.refresh_from_db()
    assert agency.uscc == "11429005012345671C"
    assert console_errors == []
