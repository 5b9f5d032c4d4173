"""Browser journey of mediation: assignment to termination and hand-back to the court."""

from datetime import date

import pytest
from playwright.sync_api import expect

from cases.services import referral
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("frozen_today"),
]

PDF = {
    "name": "延长调解期限同意书.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n%%EOF\n",
}


def test_from_assignment_to_the_courts_filed_case_number(
    page_as, live_server, office, clerk, head, mediator, court_liaison
):
    factories.MediatorFactory(user=mediator)
    case = factories.refer(office, court_liaison)
    referral.referral_sign_for(case=case, actor=clerk, signed_on=date(2026, 11, 27))
    url = f"{live_server.url}/cases/{case.pk}/"

    # The head assigns the mediator.
    boss = page_as("head")
    boss.goto(url)
    boss.get_by_role("link", name="指派调解员").click()
    boss.get_by_label(mediator.name, exact=False).check()
    boss.get_by_role("button", name="提交").click()
    expect(boss.get_by_role("status").first).to_contain_text("已指派调解员")

    # The mediator declares no conflict; the assignment takes effect.
    desk = page_as("mediator")
    desk.goto(url)
    desk.get_by_role("link", name="声明回避情况").click()
    desk.get_by_label("本人与当事人及其代理人不存在近亲属或利害关系等需要回避的情形").check()
    desk.get_by_role("button", name="提交").click()
    expect(desk.locator("h1 .badge")).to_have_text("已指派调解员")

    # The mediator schedules a session (earlier today) and records it.
    desk.get_by_role("link", name="安排调解会").click()
    desk.locator("#id_scheduled_at").fill("2026-11-27T09:00")
    desk.get_by_label("方式").select_option("in_person")
    desk.get_by_role("button", name="提交").click()
    expect(desk.locator("h1 .badge")).to_have_text("调解中")
    desk.get_by_role("link", name="第1次").click()
    desk.get_by_label("调解笔录").fill("双方陈述意见，被申请人同意重新核查。")
    desk.get_by_label("结果", exact=True).select_option("progress")
    desk.get_by_role("button", name="保存记录").click()
    expect(desk.get_by_role("status").first).to_contain_text("已保存第1次调解会记录")

    # Every party consents to an extension; the head approves it.
    desk.goto(url)
    desk.get_by_role("link", name="延长调解期限").click()
    desk.get_by_label("延长天数").fill("15")
    desk.get_by_label("理由").fill("等待评估报告。")
    for box in desk.locator("input[name=consenting_parties]").all():
        box.check()
    desk.get_by_label("延长调解期限同意书（各方签字扫描件）").set_input_files(files=[PDF])
    desk.get_by_role("button", name="提交").click()
    expect(desk.get_by_role("status").first).to_contain_text("待工作室负责人审批")
    boss.goto(url)
    boss.get_by_role("button", name="批准延长").click()
    expect(boss.get_by_role("status").first).to_contain_text("已批准延长调解期限")
    # 30 days from 11-27 end on Sunday 12-27 → 12-28; plus 15 days → 2027-01-12.
    expect(boss.locator("main")).to_contain_text("2027年1月12日")
    expect(boss.locator("main")).to_contain_text("延长调解期限应告知委派法院")

    # The mediator proposes termination with a reason; the head approves.
    desk.goto(url)
    desk.get_by_role("link", name="提出终止调解").click()
    desk.get_by_label("终止原因").select_option("gap_too_wide")
    desk.get_by_label("具体情况").fill("经调解，双方对补偿标准分歧较大。")
    desk.get_by_role("button", name="提交").click()
    expect(desk.get_by_role("status").first).to_contain_text("待工作室负责人审批")
    boss.goto(url)
    boss.get_by_role("button", name="批准终止").click()
    expect(boss.locator("h1 .badge")).to_have_text("调解终止")
    expect(boss.locator("main")).to_contain_text("终止调解情况报告")

    # The court liaison sees the report and records the filed case number.
    court = page_as("court")
    court.get_by_role("link", name="终止调解报告").first.click()
    expect(court.locator("main")).to_contain_text("双方对补偿标准分歧较大")
    court.get_by_role("button", name="确认接收").click()
    court.get_by_role("link", name="登记转立案").click()
    court.get_by_label("立案案号").fill("(2026)鄂9005行初12号")
    court.get_by_label("立案日期").fill("2026-11-27")
    court.get_by_role("button", name="登记转立案").click()
    expect(court.locator("h1 .badge")).to_have_text("已转立案")
    expect(court.locator("main")).to_contain_text("（2026）鄂9005行初12号")

    for page in (boss, desk, court):
        assert page.console_errors == []
