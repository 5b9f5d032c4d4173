"""The idle session in a browser: the warning two minutes before the end, staying signed
in, and a form sent after the end filled back in once the clerk has signed in again."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("frozen_today"),
]


def test_warned_stayed_then_signed_in_again_with_the_form_kept(
    page_as, live_server, clerk, time_machine
):
    page = page_as("clerk")  # signed in at 10:00 by the server's clock
    page.clock.install()
    page.goto(live_server.url + "/cases/new/")
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_hidden()

    # 28 minutes without a request: the page warns.
    time_machine.move_to("2026-11-27 10:28+08:00", tick=False)
    page.clock.fast_forward("28:00")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("将在 2:00 后自动退出")
    warning.get_by_role("button", name="继续使用").click()
    expect(warning).to_be_hidden()

    # The clerk starts a form and leaves it for 31 minutes.
    page.get_by_label("事实和理由").fill("申请人认为罚款数额明显过重，请求撤销。")
    time_machine.move_to("2026-11-27 10:59+08:00", tick=False)
    page.clock.fast_forward("31:00")
    expect(page.get_by_role("status").filter(has_text="已自动退出")).to_be_visible()
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("main")).to_contain_text("您填写的内容已保留")
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("restored-form")).to_contain_text(
        "已恢复您在自动退出前填写的内容，请核对后再提交。"
    )
    expect(page.get_by_label("事实和理由")).to_have_value("申请人认为罚款数额明显过重，请求撤销。")
    assert page.url.endswith("/cases/new/")
    assert page.console_errors == []
