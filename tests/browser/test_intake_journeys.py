"""Browser journeys of intake: registration and acceptance; a referral and its sign-for."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("frozen_today"),
]


def test_clerk_registers_and_the_head_accepts(page_as, live_server, clerk, head):
    factories.AgencyFactory(name="潜江市市场监督管理局", short_name="市市场监管局")
    page = page_as("clerk")
    page.get_by_role("link", name="登记新案件").first.click()
    page.get_by_label("收到申请日期").fill("2026-11-26")
    page.get_by_label("争议类别").select_option(label="行政许可")
    # Outside Art. 60: the page asks for the basis the office relies on.
    expect(page.locator("#hint-art60")).to_have_text(
        "该类别一般不属第六十条可调解范围，通常以行政机关自行纠正、申请人撤回的方式协调化解，"
        "须记录所依据的基础。请在下方选择工作室据以调解的依据。"
    )
    page.get_by_label("可调解依据", exact=True).select_option("discretion")
    page.get_by_label("行政行为种类").select_option("licensing")
    page.get_by_label("作出行政行为的机关").select_option(label="潜江市市场监督管理局")
    page.get_by_label("行政行为文号").fill("潜市监许〔2026〕8号")
    page.get_by_label("行政行为作出日期").fill("2026-10-10")
    page.get_by_label("申请人知道或应当知道日期").fill("2026-10-12")
    page.get_by_label("事实和理由").fill("申请人申请食品经营许可被拒，认为材料齐全。")
    applicant = page.locator("[data-party-form]").first
    applicant.get_by_label("名称或姓名").fill("王建国")
    applicant.get_by_label("证件号码").fill("429005198001011233")
    applicant.get_by_label("联系电话").fill("13800000000")
    applicant.get_by_label("同意调解").select_option("true")
    # Organisation fields are hidden for a natural person.
    expect(applicant.get_by_label("法定代表人或负责人")).to_be_hidden()
    page.locator("#id_claim-0-text").fill("撤销不予许可决定，准予许可")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("已登记，登记号潜行调登〔2026〕0001号")
    expect(page.locator("h1")).to_contain_text("潜行调登〔2026〕0001号")
    expect(page.locator("main")).to_contain_text("提起行政诉讼期限")
    case_url = page.url
    assert page.console_errors == []

    head_page = page_as("head")
    head_page.goto(case_url)
    head_page.get_by_role("link", name="受理", exact=True).click()
    head_page.get_by_role("button", name="受理", exact=True).click()
    expect(head_page.get_by_role("status").first).to_contain_text(
        "已受理，案号（2026）潜行调字第1号"
    )
    expect(head_page.locator("h1")).to_contain_text("（2026）潜行调字第1号")
    expect(head_page.locator("h1 .badge")).to_have_text("已受理")
    assert head_page.console_errors == []


def test_court_refers_and_the_clerk_signs_for(page_as, live_server, office, clerk, court_liaison):
    factories.AgencyFactory(name="潜江市人力资源和社会保障局", short_name="市人社局")
    court = page_as("court")
    court.get_by_role("link", name="新建委派").first.click()
    court.get_by_label("委派函编号").fill("（2026）鄂9005委调18号")
    court.get_by_label("委派日期").fill("2026-11-26")
    court.get_by_label("法院收到起诉状日期").fill("2026-11-20")
    court.get_by_label("当事人同意委派调解").check()
    court.get_by_label("收到申请日期").fill("2026-11-26")
    court.get_by_label("争议类别").select_option(label="工伤认定/社会保障")
    court.get_by_label("可调解依据", exact=True).select_option("discretion")
    court.get_by_label("行政行为种类").select_option("confirmation")
    court.get_by_label("作出行政行为的机关").select_option(label="潜江市人力资源和社会保障局")
    court.get_by_label("申请人知道或应当知道日期").fill("2026-10-12")
    court.get_by_label("事实和理由").fill("原告上班途中受伤，被告不予认定工伤。")
    applicant = court.locator("[data-party-form]").first
    applicant.get_by_label("名称或姓名").fill("李秀英")
    applicant.get_by_label("证件号码").fill("429005199507152468")
    applicant.get_by_label("同意调解").select_option("true")
    court.locator("#id_claim-0-text").fill("撤销不予认定工伤决定")
    court.get_by_role("button", name="委派", exact=True).click()
    expect(court.get_by_role("status").first).to_contain_text("工作室应于2026年12月2日前签收或退回")
    assert court.console_errors == []

    page = page_as("clerk")
    expect(page.get_by_test_id("queue-referrals-count")).to_have_text("1")
    page.locator("#queue-referrals").locator("..").locator("..").get_by_role(
        "link", name=re.compile("委派函")
    ).click()
    expect(page.locator("main")).to_contain_text("答复法院委派期限")
    page.get_by_role("link", name="签收委派").click()
    page.get_by_role("button", name="签收委派").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "已签收委派，案号（2026）潜行调字第1号"
    )
    assert page.console_errors == []

    court.goto(f"{live_server.url}/referrals/?status=signed")
    expect(court.locator("main")).to_contain_text("2026-11-27 签收")
