"""统计分析 in a browser: the bureau checks the 2023 loss rate, opens the lost case from its
figure, exports the per-agency table, issues the 2023 report and downloads its PDF."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.liaison.test_indicators import suit

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("frozen_today"),
]


@pytest.fixture
def published_2023(gov_liaison, court, agency):
    """The figures published for 2023: 51 filed, 36 concluded, one of them lost."""
    for n in range(1, 52):
        if n == 1:
            suit(gov_liaison, court, agency, n, result="revoked", concluded=date(2023, 9, 1))
        elif n <= 36:
            suit(
                gov_liaison,
                court,
                agency,
                n,
                result="dismissed_claims",
                concluded=date(2023, 10, 1),
            )
        else:
            suit(gov_liaison, court, agency, n)


def test_from_the_2023_loss_rate_to_the_report_pdf(page_as, tmp_path, agency, published_2023):
    bureau = page_as("gov")
    bureau.get_by_role("link", name="统计分析").first.click()
    bureau.get_by_label("统计期间", exact=True).select_option("year")
    bureau.get_by_label("年度").select_option("2023")
    bureau.get_by_role("button", name="统计").click()
    loss = bureau.locator('[data-indicator="loss_rate"]')
    expect(loss).to_contain_text("2.77%")
    expect(loss).to_contain_text("1 / 36")
    # The charts are drawn (as SVG, by the vendored ECharts) beside their data tables.
    expect(bureau.locator('[data-chart="trend"] svg')).to_have_count(1)
    expect(bureau.locator('[data-chart="losses"] svg')).to_have_count(1)
    expect(bureau.locator('[data-chart-table="trend"]')).to_contain_text("2023年")

    loss.get_by_role("link", name="1", exact=True).click()
    expect(bureau.get_by_test_id("record-count")).to_have_text("1")
    bureau.get_by_role("link", name="（2023）鄂9005行初1号").click()
    expect(bureau.locator("h1")).to_contain_text("（2023）鄂9005行初1号")
    bureau.go_back()
    bureau.go_back()

    agencies = bureau.locator("section", has=bureau.locator("#agencies-title"))
    with bureau.expect_download() as download:
        agencies.get_by_role("link", name="导出").click()
    saved = tmp_path / "agencies.xlsx"
    download.value.save_as(saved)
    assert download.value.suggested_filename.startswith("分机关统计_2023年_全市")
    sheet = load_workbook(saved).worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert agency.short_name in values and "2023年" in values

    bureau.get_by_role("link", name="年度通报").first.click()
    bureau.get_by_label("年度").select_option("2023")
    bureau.get_by_role("button", name="查看").click()
    bureau.get_by_role("button", name="制发第1版").click()
    expect(bureau.get_by_role("status").first).to_contain_text(
        "已制发2023年度全市行政诉讼和行政争议化解工作情况通报（第1版）。"
    )
    expect(bureau.locator("main")).to_contain_text("2.77%")
    with bureau.expect_download() as download:
        bureau.get_by_role("link", name="下载 PDF").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "2.77%" in text and "1/36" in text
    assert bureau.console_errors == []
