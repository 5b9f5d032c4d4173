"""Browser journey of an agreement: drafting to the court's ruling, performance and closing."""

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("frozen_today"),
]


def test_from_drafting_to_a_closed_case(
    page_as, live_server, office, court, clerk, head, mediator, court_liaison
):
    factories.MediatorFactory(user=mediator)
    case = factories.agreed_case(office, clerk, head, mediator)
    applicant = case.parties.get(role="applicant")
    respondent = case.parties.get(role="respondent")
    url = f"{live_server.url}/cases/{case.pk}/"

    # The mediator drafts the agreement with two obligations.
    desk = page_as("mediator")
    desk.goto(url)
    desk.get_by_role("button", name="起草调解协议").click()
    expect(desk.get_by_role("status").first).to_contain_text("已起草调解协议第1版")
    desk.get_by_label("调解结果").fill("被申请人撤销处罚决定，申请人撤回复议申请。")
    rows = desk.locator("[data-formset=ob] > li")
    if rows.count() == 0:
        desk.get_by_role("button", name="增加一项义务").click()
    desk.get_by_role("button", name="增加一项义务").click()
    first, second = rows.nth(0), rows.nth(1)
    first.get_by_label("义务人").select_option(label=str(respondent))
    first.get_by_label("义务类型").select_option("revoke_or_change")
    first.get_by_label("内容").fill("撤销潜市监罚〔2026〕12号行政处罚决定")
    first.get_by_label("履行期限").fill("2026-12-01")
    first.get_by_label("履行方式").fill("书面送达撤销决定")
    second.get_by_label("义务人").select_option(label=str(applicant))
    second.get_by_label("义务类型").select_option("withdraw_complaint")
    second.get_by_label("内容").fill("撤回对该处罚决定的行政复议申请")
    second.get_by_label("履行期限").fill("2026-12-15")
    second.get_by_label("履行方式").fill("向复议机关提交撤回申请书")
    desk.get_by_role("button", name="保存").click()
    expect(desk.get_by_role("status").first).to_contain_text("调解协议已保存")
    expect(desk.locator("main")).to_contain_text("撤回对该处罚决定的行政复议申请")

    # The legality checklist passes on every item.
    desk.get_by_role("link", name="合法性审查").click()
    for radio in desk.locator("input[type=radio][value=pass]").all():
        radio.check()
    desk.get_by_role("button", name="保存审查结论").click()
    expect(desk.get_by_role("status").first).to_contain_text("合法性审查已记录")

    # Both parties sign, the mediator signs and the office seals: the agreement takes effect.
    for _ in range(2):
        desk.get_by_role("link", name="记录签署").first.click()
        desk.get_by_role("button", name="提交").click()
        expect(desk.get_by_role("status").first).to_contain_text("签署")
    desk.get_by_role("link", name="调解员签字").click()
    desk.get_by_role("button", name="提交").click()
    expect(desk.get_by_role("status").first).to_contain_text("已记录调解员签字")
    desk.get_by_role("link", name="加盖印章").click()
    desk.get_by_role("button", name="提交").click()
    expect(desk.get_by_role("status").first).to_contain_text("协议已生效")
    expect(desk.locator("h1 .badge")).to_have_text("已生效")
    # Effective on 11-27: 30 days end on Sunday 12-27, so the window runs to Monday 12-28.
    expect(desk.locator("main")).to_contain_text("2026年12月28日")

    # Both parties apply to the court for judicial confirmation.
    desk.get_by_role("link", name="申请司法确认").click()
    desk.get_by_label("受理法院").select_option(label=court.name)
    for box in desk.locator("input[name=applicants]").all():
        box.check()
    for box in desk.locator("input[name=materials]").all():
        box.check()
    desk.get_by_role("button", name="提交").click()
    expect(desk.get_by_role("status").first).to_contain_text(f"已记录向{court.name}申请司法确认")

    # The court liaison records the ruling that the agreement is valid.
    bench = page_as("court")
    bench.get_by_role("link", name="司法确认申请").first.click()
    expect(bench.locator("main")).to_contain_text(applicant.name)
    bench.get_by_role("link", name="记录结果").click()
    bench.get_by_label("结果").select_option("valid_ruling")
    bench.get_by_label("法院案号").fill("(2026)鄂9005民特3号")
    bench.get_by_label("立案日期").fill("2026-11-27")
    bench.get_by_label("裁定或文书日期").fill("2026-11-27")
    bench.get_by_role("button", name="保存结果").click()
    expect(bench.get_by_role("status").first).to_contain_text("已记录司法确认结果")
    bench.get_by_role("link", name="全部").click()
    expect(bench.locator("main")).to_contain_text("（2026）鄂9005民特3号")

    # The clerk records the obligation due this week from the performance list, the other
    # from the case page.
    office_desk = page_as("clerk")
    office_desk.get_by_role("link", name="协议履行").first.click()
    expect(office_desk.get_by_test_id("due-obligations")).to_have_text("1")
    office_desk.get_by_role("link", name="记录履行").click()
    office_desk.get_by_label("履行凭证").fill("潜市监撤〔2026〕3号撤销决定")
    office_desk.get_by_role("button", name="提交").click()
    expect(office_desk.get_by_role("status").first).to_contain_text("已记录第1项义务履行")
    office_desk.goto(url)
    office_desk.get_by_role("link", name="记录履行").click()
    office_desk.get_by_role("button", name="提交").click()
    expect(office_desk.get_by_label("履行凭证")).to_have_attribute("aria-invalid", "true")
    office_desk.get_by_label("履行凭证").fill("复议机关出具的准予撤回决定书")
    office_desk.get_by_role("button", name="提交").click()
    expect(office_desk.get_by_role("status").first).to_contain_text("已记录第2项义务履行")
    office_desk.goto(url)
    expect(office_desk.locator("main")).to_contain_text("履行完毕")

    # The head closes the case.
    boss = page_as("head")
    boss.goto(url)
    boss.get_by_role("link", name="结案").click()
    boss.get_by_role("button", name="结案").click()
    expect(boss.locator("h1 .badge")).to_have_text("已结案")

    for window in (desk, bench, office_desk, boss):
        assert window.console_errors == []
