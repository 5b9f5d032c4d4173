import re

import pytest
from playwright.sync_api import expect

# Transactional so the live server sees the data; serialized rollback restores
# the groups, categories and holidays that the data migrations created.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_clerk_signs_in_and_sees_the_chinese_home_page(
    page, live_server, login, console_errors, clerk
):
    login("clerk")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{clerk.name}，您好")
    expect(page.locator("main")).to_contain_text("登记员")
    expect(page.locator("main")).to_contain_text("潜江市行政争议化解工作室")
    expect(page.get_by_role("link", name="期限计算").first).to_be_visible()
    # The user menu (Bootstrap's script) works under the CSP.
    page.get_by_role("button", name=re.compile("登记员")).or_(
        page.get_by_role("link", name=re.compile("登记员"))
    ).first.click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    assert console_errors == []


def test_wrong_password_shows_a_chinese_message(page, live_server, login, clerk):
    login("clerk", "wrong-password")
    expect(page.get_by_role("alert")).to_contain_text("请输入一个正确的用户名和密码")


def test_deadline_calculator_from_the_menu(page, live_server, login, console_errors, clerk):
    login("clerk")
    page.get_by_role("link", name="期限计算").first.click()
    page.get_by_label("期限种类").select_option("D-MED")
    page.get_by_label("起算日").fill("2025-03-03")
    page.get_by_role("button", name="计算").click()
    expect(page.get_by_test_id("deadline-due")).to_contain_text("2025年4月2日")
    assert console_errors == []
