"""The joint meeting, its tasks and minutes; the annual report frozen at issue; the exports."""

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Notification
from cases.services.common import ServiceError
from cases.workflow import NotPermitted
from liaison.models import AnnualReport, FollowUpTask, ResultType
from liaison.reminders import send_register_reminders
from liaison.services import lawsuits, meetings
from tests.helpers import html_of
from tests.liaison.conftest import decide, make_lawsuit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def year_2023(gov_liaison, court, agency):
    made = []
    for n in range(1, 7):
        lawsuit = make_lawsuit(
            gov_liaison,
            court,
            agency,
            court_case_no=f"（2023）鄂9005行初{n}号",
            filed_on=date(2023, 2, 1),
        )
        made.append(
            decide(
                gov_liaison,
                lawsuit,
                "revoked" if n == 1 else "dismissed_claims",
                concluded_on=date(2023, 9, n),
                served_on=None,
            )
        )
    return made


def test_an_issued_report_keeps_its_figures_and_a_new_version_says_what_changed(
    gov_liaison, year_2023, time_machine
):
    first = meetings.report_issue(actor=gov_liaison, year=2023)
    assert (first.version, first.title) == (1, "2023年度全市行政诉讼和行政争议化解工作情况通报")
    loss = first.snapshot["figures"]["loss_rate"]
    assert (loss["display"], loss["numerator"], loss["denominator"]) == ("16.66%", 1, 6)
    assert list(loss["numerator_ids"].values()) == ["（2023）鄂9005行初1号"]
    assert first.snapshot["definitions"]["loss"][:2] == ["撤销", "确认违法"]
    # A correction in the register an hour after the issue: the second case was lost too.
    time_machine.move_to("2026-11-27 11:00+08:00", tick=False)
    lawsuits.record_outcome(
        lawsuit=year_2023[1],
        actor=gov_liaison,
        result_type=ResultType.objects.get(code="revoked"),
        concluded_on=date(2023, 9, 2),
        served_on=None,
        outcome_note="",
        expected_version=None,
    )
    first.refresh_from_db()
    assert first.snapshot["figures"]["loss_rate"]["display"] == "16.66%"
    with pytest.raises(ServiceError) as exc:
        meetings.report_issue(actor=gov_liaison, year=2023)
    assert exc.value.message == "再次制发的，请说明原因（如 更正某案的裁判结果）。"
    second = meetings.report_issue(actor=gov_liaison, year=2023, note="更正行初2号的裁判结果")
    assert second.version == 2
    assert second.snapshot["figures"]["loss_rate"]["display"] == "33.33%"
    change = second.changes["loss_rate"]
    assert (change["before"], change["after"]) == ("16.66%", "33.33%")
    assert change["reasons"]["分子新增"] == {"count": 1, "records": ["（2023）鄂9005行初2号"]}
    assert change["reasons"]["分母中有变动"]["records"] == ["（2023）鄂9005行初2号"]
    assert "filed" not in second.changes


def test_the_report_downloads_as_pdf_docx_and_xlsx(client_as, gov_liaison, year_2023):
    report = meetings.report_issue(actor=gov_liaison, year=2023)
    client = client_as(gov_liaison)
    page = html_of(client.get(report.get_absolute_url()))
    assert "16.66%" in page and "下载 PDF" in page
    pdf = client.get(reverse("liaison:report_file", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "16.66%" in text and "1/6" in text and "潜江市司法局" in text
    docx = client.get(reverse("liaison:report_file", args=[report.pk, "docx"]))
    xml = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "行政机关败诉率" in xml and "16.66%" in xml
    xlsx = client.get(reverse("liaison:report_file", args=[report.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[0] == "指标" and "指标定义" in book.sheetnames
    assert book["指标"]["B2"].value == "2023年"
    assert client.get(reverse("liaison:report_file", args=[report.pk, "exe"])).status_code == 404


def test_only_the_bureau_issues_and_reads_reports(
    client_as, gov_liaison, agency_contact, court_liaison, head, year_2023
):
    report = meetings.report_issue(actor=gov_liaison, year=2023)
    with pytest.raises(NotPermitted):
        meetings.report_issue(actor=agency_contact, year=2023, note="x")
    for user in (agency_contact, court_liaison, head):
        assert client_as(user).get(report.get_absolute_url()).status_code == 403
        assert client_as(user).get(reverse("liaison:reports")).status_code == 403
    response = client_as(gov_liaison).post(
        reverse("liaison:reports") + "?year=2023", {"note": "更正"}, follow=True
    )
    assert "已制发2023年度全市行政诉讼和行政争议化解工作情况通报（第2版）。" in html_of(response)
    assert AnnualReport.objects.filter(year=2023).count() == 2


def test_a_meeting_with_tasks_minutes_and_reminders(client_as, gov_liaison, agency_contact, agency):
    meeting = meetings.meeting_save(
        actor=gov_liaison,
        data={
            "title": "2026年度潜江市府院联席会议",
            "held_on": date(2026, 3, 28),
            "place": "市政府第一会议室",
            "convenors": "分管副市长、市法院院长",
            "attendees": "市司法局：赵敏（副局长）\n市人社局：李红梅（局长）",
            "agenda": "通报2025年度情况\n部署2026年工作",
            "matters": "负责人出庭率偏低",
            "decisions": "主要负责人每年至少出庭一次",
            "minutes_number": "潜府院纪〔2026〕1号",
        },
    )
    task = meetings.task_add(
        actor=gov_liaison,
        meeting=meeting,
        description="规范工伤认定程序",
        agency=agency,
        unit="",
        amount=60,
        unit_of_time="working_days",
    )
    assert task.due_on == date(2026, 6, 25)
    assert "按工作日计算60个工作日" in task.due_explanation
    court_task = meetings.task_add(
        actor=gov_liaison,
        meeting=meeting,
        description="发布行政审判白皮书",
        agency=None,
        unit="市人民法院",
        due_on=date(2026, 12, 1),
    )
    with pytest.raises(ServiceError) as exc:
        meetings.task_add(
            actor=gov_liaison, meeting=meeting, description="x", agency=None, unit="", amount=5
        )
    assert exc.value.message == "请选择责任机关，或填写责任单位。"
    # Overdue: the agency's contact and the bureau are reminded; the court's task goes to the bureau.
    assert send_register_reminders(date(2026, 11, 27)) == 3
    client = client_as(agency_contact)
    page = html_of(client.get(meeting.get_absolute_url()))
    assert "规范工伤认定程序" in page and "发布行政审判白皮书" not in page
    assert reverse("liaison:task_done", args=[task.pk]) in page and "重新落实" not in page
    assert client.get(reverse("liaison:minutes", args=[meeting.pk, "pdf"])).status_code == 403
    done = meetings.task_complete(
        actor=gov_liaison, task=task, done_on=date(2026, 6, 20), done_note="已修订工作规程。"
    )
    assert done.status == FollowUpTask.Status.DONE
    # The next day: nothing more on the finished task; the court's reaches three days.
    before = set(Notification.objects.values_list("pk", flat=True))
    assert send_register_reminders(date(2026, 11, 28)) == 1
    latest = Notification.objects.exclude(pk__in=before).get()
    assert "发布行政审判白皮书" in latest.title + latest.body
    assert latest.recipient == gov_liaison
    docx = client_as(gov_liaison).get(reverse("liaison:minutes", args=[meeting.pk, "docx"]))
    xml = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "2026年度潜江市府院联席会议纪要" in xml and "发布行政审判白皮书" in xml
    assert court_task.owner == "市人民法院"


def test_meeting_pages_for_each_persona(
    request, client, client_as, gov_liaison, agency, other_agency_contact
):
    from tests.helpers import check

    meeting = meetings.meeting_save(
        actor=gov_liaison,
        data={
            "title": "会议",
            "held_on": date(2026, 3, 28),
            "place": "p",
            "convenors": "c",
            "attendees": "a",
            "agenda": "g",
        },
    )
    meetings.task_add(
        actor=gov_liaison, meeting=meeting, description="t", agency=agency, unit="", amount=30
    )
    expected = {
        "gov_liaison": 200,
        "agency_contact": 200,
        "other_agency_contact": 404,
        "court_liaison": 403,
        "clerk": 403,
        "admin_user": 403,
    }
    check(request, client, client_as, meeting.get_absolute_url(), expected)
    check(
        request,
        client,
        client_as,
        reverse("liaison:meeting_new"),
        {"gov_liaison": 200, "agency_contact": 403, "clerk": 403},
    )
    check(
        request,
        client,
        client_as,
        reverse("liaison:scorecard"),
        {"gov_liaison": 200, "agency_contact": 200, "head": 403, "clerk": 403},
    )


def test_table_exports_carry_period_scope_and_definitions(client_as, gov_liaison, year_2023):
    client = client_as(gov_liaison)
    for table in ("indicators", "agencies", "fields", "courts", "trend"):
        response = client.get(
            reverse("liaison:statistics_export") + f"?period=year&year=2023&table={table}"
        )
        assert response.status_code == 200, table
        book = load_workbook(io.BytesIO(response.content))
        first = book.worksheets[0]
        assert (first["A2"].value, first["B2"].value) == ("统计期间", "2023年")
        assert (first["A3"].value, first["B3"].value) == ("统计范围", "全市")
        assert "指标定义" in book.sheetnames
        if table == "indicators":
            # A figure is a number Excel can sum and sort, shown as the page shows it.
            rows = {row[0].value: row for row in first.iter_rows(min_row=7)}
            loss = rows["行政机关败诉率"][1]
            assert (round(loss.value, 4), loss.number_format) == (0.1666, "0.00%")
            assert rows["收案数"][1].value == 6
    records = client.get(
        reverse("liaison:statistics_export")
        + "?period=year&year=2023&table=records&indicator=lost&part=numerator"
    )
    sheet = load_workbook(io.BytesIO(records.content)).worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "（2023）鄂9005行初1号" in values
    assert "429005198001011233" not in values
    assert client.get(reverse("liaison:statistics_export") + "?table=secret").status_code == 404


def test_the_scorecard_per_agency(client_as, gov_liaison, year_2023):
    response = client_as(gov_liaison).get(reverse("liaison:scorecard") + "?year=2023")
    [row] = response.context["rows"]
    assert (row.agency.short_name, row.lost, row.loss_rate.display) == ("市人社局", 1, "16.66%")
    export = client_as(gov_liaison).get(reverse("liaison:scorecard") + "?year=2023&export=xlsx")
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["考评指标", "指标定义"]
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[5]][:2] == ["潜江市人力资源和社会保障局", "—"]
    assert (round(sheet["E5"].value, 4), sheet["E5"].number_format) == (0.1666, "0.00%")
