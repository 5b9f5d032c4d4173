"""Browser journey: making a document from the case page and downloading both formats."""

import pytest
from docx import Document as Docx
from playwright.sync_api import expect
from pypdf import PdfReader

from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("frozen_today"),
]


def test_the_clerk_makes_and_downloads_the_acceptance_notice(
    page_as, live_server, office, clerk, head
):
    case = factories.accepted_case(office, clerk, head)
    applicant = case.parties.get(role="applicant")
    desk = page_as("clerk")
    desk.goto(f"{live_server.url}/cases/{case.pk}/")

    panel = desk.locator("#documents")
    expect(panel).to_contain_text("受理通知书")
    panel.get_by_role("button", name="制作受理通知书").click()
    expect(desk.get_by_role("status").first).to_contain_text("已制作受理通知书第1版")

    with desk.expect_download() as pdf_download:
        desk.locator("#documents").get_by_role("link", name="下载受理通知书第1版 PDF").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.endswith("受理通知书第1版.pdf")
    text = "".join(p.extract_text() for p in PdfReader(pdf.path()).pages)
    assert "受理通知书" in text.replace(" ", "")
    assert applicant.name in text
    assert case.number in text

    with desk.expect_download() as docx_download:
        desk.locator("#documents").get_by_role("link", name="下载受理通知书第1版 DOCX").click()
    docx = Docx(docx_download.value.path())
    assert any(applicant.name in p.text for p in docx.paragraphs)

    # Nothing changed: making it again keeps version 1.
    desk.locator("#documents").get_by_role("button", name="重新制作受理通知书").click()
    expect(desk.get_by_role("status").first).to_contain_text("未重复制作")
    assert desk.console_errors == []
