"""The registers in a browser: the court records a lawsuit and its hearing, the agency
records who appeared, the court records a loss, the agency analyses it, and the bureau
supervises the absent head from the register's suggestions and closes the item."""

import pytest
from playwright.sync_api import expect

from cases.models import DisputeCategory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("frozen_today"),
]


def test_from_filing_to_a_closed_supervision_item(
    page_as, live_server, court, court_liaison, agency, agency_contact, gov_liaison
):
    court_page = page_as("court")
    court_page.get_by_role("link", name="行政诉讼台账").first.click()
    court_page.get_by_role("link", name="登记诉讼案件").click()
    court_page.locator("#id_court_case_no").fill("(2026)鄂9005行初88号")
    court_page.get_by_label("审级").select_option("first")
    court_page.get_by_label("审理法院").select_option(label=court.name)
    court_page.get_by_label("立案日期").fill("2026-09-01")
    court_page.get_by_label("争议类别").select_option(
        str(DisputeCategory.objects.get(code="WORK_INJURY_SOCIAL").pk)
    )
    court_page.get_by_label("被诉行政行为").fill("不予认定工伤决定")
    court_page.locator("#id_defendants").select_option(label=agency.name)
    court_page.locator("#id_pl-0-name").fill("王建国")
    court_page.locator("#id_pl-0-id_number").fill("429005198001011233")
    court_page.get_by_role("button", name="保存").click()
    expect(court_page.get_by_role("status").first).to_contain_text("已登记（2026）鄂9005行初88号。")
    lawsuit_url = court_page.url
    court_page.get_by_role("link", name="登记开庭").click()
    court_page.get_by_label("开庭日期").fill("2026-10-20")
    court_page.get_by_role("button", name="提交").click()
    expect(court_page.get_by_role("status").first).to_contain_text("已登记2026年10月20日的开庭。")
    assert court_page.console_errors == []

    agency_page = page_as("agency")
    agency_page.goto(live_server.url + "/")
    expect(agency_page.locator("main")).to_contain_text("待登记出庭应诉情况")
    agency_page.get_by_role("link", name="（2026）鄂9005行初88号").first.click()
    agency_page.get_by_role("link", name="登记出庭情况").click()
    agency_page.locator("#id_head_appeared_1").check()
    # The head's details are hidden once "no" is chosen.
    expect(agency_page.get_by_label("出庭负责人姓名")).to_be_hidden()
    agency_page.get_by_label("未出庭原因").select_option("none")
    agency_page.get_by_label("其他出庭人员").fill("法制科 张三、湖北某律师事务所 李四")
    agency_page.get_by_role("button", name="提交").click()
    expect(agency_page.get_by_role("status").first).to_contain_text(
        "已登记潜江市人力资源和社会保障局的出庭应诉情况。"
    )
    expect(agency_page.locator("main")).to_contain_text("无正当理由")
    assert agency_page.console_errors == []

    court_page.goto(lawsuit_url)
    court_page.get_by_role("link", name="登记裁判结果").click()
    court_page.get_by_label("裁判结果").select_option(label="撤销")
    court_page.get_by_label("审结日期").fill("2026-11-02")
    court_page.get_by_label("送达日期").fill("2026-11-05")
    court_page.get_by_role("button", name="提交").click()
    expect(court_page.get_by_role("status").first).to_contain_text("计为行政机关败诉")
    expect(court_page.locator("h1")).to_contain_text("败诉")

    agency_page.goto(lawsuit_url)
    agency_page.get_by_role("link", name="填报败诉分析").click()
    agency_page.get_by_label("程序违法").check()
    agency_page.get_by_label("原因分析").fill("调查时未听取申请人陈述。")
    agency_page.get_by_label("整改措施").fill("修订工伤认定调查程序，组织培训。")
    agency_page.get_by_role("button", name="提交").click()
    expect(agency_page.get_by_role("status").first).to_contain_text(
        "已保存潜江市人力资源和社会保障局的败诉分析。"
    )
    expect(agency_page.locator("main")).to_contain_text("修订工伤认定调查程序")

    bureau = page_as("gov")
    bureau.get_by_role("link", name="督察督办").first.click()
    bureau.get_by_role("link", name="建议督办事项").click()
    row = bureau.locator("tr", has_text="负责人未出庭应诉")
    row.get_by_role("button", name="一键督办").click()
    expect(bureau.get_by_role("status").first).to_contain_text("已发起督办督办〔2026〕1号")
    bureau.get_by_role("link", name="办结").click()
    bureau.get_by_label("办结结果").select_option("not_rectified")
    bureau.get_by_label("办结意见").fill("机关未按期反馈，纳入年度考核扣分。")
    bureau.get_by_role("button", name="提交").click()
    expect(bureau.get_by_role("status").first).to_contain_text("已办结督办〔2026〕1号：未整改。")
    expect(bureau.locator("h1 .badge").first).to_have_text("已办结")
    assert bureau.console_errors == []
