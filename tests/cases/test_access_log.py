"""The access log: every full ID number shown or searched for and every file taken out
of the system, with who, when, from where, which case and why; pruning never younger
than six months."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import AccessKind, AccessPurpose, AccessRecord, CaseEvent, Party
from cases.services import records
from tests.documents.helpers import download_url, make
from tests.factories import effective_agreement, register
from tests.helpers import credit_code, html_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PDF = b"%PDF-1.4\n%%EOF\n"
FULL_ID = "429005198001011233"


@pytest.fixture
def case(office, clerk):
    return register(office, clerk)


def reveal_url(case):
    party = case.parties.get(role=Party.Role.APPLICANT)
    return reverse("cases:party_reveal_id", args=[case.pk, party.pk])


def attach(case, clerk, kind):
    upload = SimpleUploadedFile("a.pdf", PDF)
    return records.attachment_add(case=case, actor=clerk, kind=kind, title="材料", upload=upload)


# --- Revealing a full ID number -------------------------------------------------------------


def test_the_case_page_asks_for_a_reason_before_revealing(client_as, clerk, case):
    html = html_of(client_as(clerk).get(case.get_absolute_url()))
    assert 'data-testid="reveal-form"' in html
    assert "查阅事由…" in html and "核对当事人身份" in html
    assert FULL_ID not in html


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "请选择查阅事由，查阅记录将留存备查。"),
        ({"purpose": "curiosity"}, "请从列表中选择查阅事由。"),
        ({"purpose": "other", "purpose_note": "  "}, "选择“其他”时请说明查阅事由。"),
        ({"purpose": "other", "purpose_note": "说" * 201}, "事由说明不能超过200字（现有201字）。"),
    ],
)
def test_no_reason_no_number(client_as, clerk, case, data, message):
    client = client_as(clerk)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        html = html_of(client.post(reveal_url(case), data, **headers))
        assert message in html and FULL_ID not in html
    assert not AccessRecord.objects.exists()
    assert not case.events.filter(kind=CaseEvent.Kind.ID_REVEALED).exists()


def test_a_reveal_records_who_when_where_which_case_and_why(client_as, clerk, case):
    html = html_of(
        client_as(clerk).post(
            reveal_url(case),
            {"purpose": "other", "purpose_note": "当事人来电核对"},
            HTTP_HX_REQUEST="true",
        )
    )
    assert FULL_ID in html
    record = AccessRecord.objects.get()
    assert record.kind == AccessKind.ID_REVEALED
    assert (record.actor, record.case, record.address) == (clerk, case, "127.0.0.1")
    assert record.subject.startswith("申请人 ")
    assert (record.purpose, record.purpose_note) == (AccessPurpose.OTHER, "当事人来电核对")
    assert case.events.filter(kind=CaseEvent.Kind.ID_REVEALED).count() == 1


# --- Downloads --------------------------------------------------------------------------------


def test_an_ordinary_attachment_downloads_at_once_and_is_logged(client_as, clerk, case):
    attachment = attach(case, clerk, "evidence")
    url = reverse("cases:attachment_download", args=[case.pk, attachment.pk])
    response = client_as(clerk).get(url)
    assert b"".join(response.streaming_content) == PDF
    record = AccessRecord.objects.get()
    assert record.kind == AccessKind.ATTACHMENT_DOWNLOADED
    assert (record.case, record.purpose) == (case, AccessPurpose.CASE_WORK)
    assert record.subject == "证据材料“材料”"


def test_an_identity_document_copy_needs_a_reason_first(client_as, clerk, case):
    attachment = attach(case, clerk, "id_copy")
    url = reverse("cases:attachment_download", args=[case.pk, attachment.pk])
    client = client_as(clerk)
    page = client.get(url)
    assert page["Content-Type"].startswith("text/html")
    assert "此文件载有完整的身份证件号码" in html_of(page)
    assert not AccessRecord.objects.exists()
    refused = client.post(url, {})
    assert "请选择查阅事由，查阅记录将留存备查。" in html_of(refused)
    assert not AccessRecord.objects.exists()
    response = client.post(url, {"purpose": "archive"})
    assert b"".join(response.streaming_content) == PDF
    record = AccessRecord.objects.get()
    assert (record.kind, record.purpose) == (AccessKind.ATTACHMENT_DOWNLOADED, "archive")


def test_a_document_without_full_ids_downloads_and_is_logged(client_as, office, clerk, head):
    from tests.factories import accepted_case

    case = accepted_case(office, clerk, head)
    notice = make(case, clerk, "acceptance_notice")
    response = client_as(clerk).get(download_url(notice, "docx"))
    assert response.status_code == 200 and response["Content-Type"] != "text/html"
    record = AccessRecord.objects.get()
    assert record.kind == AccessKind.DOCUMENT_DOWNLOADED
    assert record.subject == "受理通知书 第1版（DOCX）"


def test_an_agreement_prints_full_ids_so_it_needs_a_reason(
    client_as, office, clerk, head, mediator
):
    agreement = effective_agreement(office, clerk, head, mediator)
    document = make(agreement.case, clerk, "agreement", f"agreement:{agreement.pk}")
    url = download_url(document, "docx")
    client = client_as(clerk)
    assert "下载前请说明事由" in html_of(client.get(url))
    response = client.post(url, {"purpose": "service"})
    assert response["Content-Disposition"].startswith("attachment;")
    record = AccessRecord.objects.get()
    assert (record.case, record.purpose) == (agreement.case, AccessPurpose.SERVICE)


def test_someone_out_of_scope_gets_no_file_and_leaves_no_record(
    client_as, clerk, other_office_clerk, case
):
    attachment = attach(case, clerk, "id_copy")
    url = reverse("cases:attachment_download", args=[case.pk, attachment.pk])
    assert client_as(other_office_clerk).post(url, {"purpose": "archive"}).status_code == 404
    assert not AccessRecord.objects.exists()


# --- Searching by a full number -------------------------------------------------------------


def test_a_search_by_a_full_id_number_is_logged_masked(client_as, clerk, case):
    client_as(clerk).get(reverse("cases:list"), {"q": FULL_ID})
    record = AccessRecord.objects.get()
    assert record.kind == AccessKind.ID_SEARCHED
    assert record.subject == "案件登记簿查询 429005********1233，结果 1 件"
    assert FULL_ID not in record.subject


def test_a_search_by_a_name_or_case_number_is_not_a_read_of_personal_data(client_as, clerk, case):
    client = client_as(clerk)
    client.get(reverse("cases:list"), {"q": "张"})
    client.get(reverse("cases:list"), {"q": "（2026）潜行调字第1号"})
    assert not AccessRecord.objects.exists()


def test_a_search_by_a_credit_code_is_logged(client_as, clerk, case):
    valid = credit_code("91429005MA49K3R7X")
    # A code whose check character is off is still a full code typed in: logged too.
    mistyped = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    client_as(clerk).get(reverse("cases:list"), {"q": valid})
    client_as(clerk).get(reverse("cases:list"), {"q": mistyped})
    subjects = list(AccessRecord.objects.values_list("subject", flat=True))
    assert sorted(subjects) == sorted(
        [
            f"案件登记簿查询 信用代码 {valid}，结果 0 件",
            f"案件登记簿查询 信用代码 {mistyped}，结果 0 件",
        ]
    )


# --- Pruning ---------------------------------------------------------------------------------


def old_and_new_records(clerk, case, time_machine):
    time_machine.move_to(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC), tick=False)
    old = AccessRecord.objects.create(
        kind=AccessKind.ID_REVEALED, actor=clerk, case=case, subject="x", purpose="identity"
    )
    time_machine.move_to(datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC), tick=False)
    new = AccessRecord.objects.create(
        kind=AccessKind.ID_REVEALED, actor=clerk, case=case, subject="y", purpose="identity"
    )
    time_machine.move_to(datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC), tick=False)
    return old, new


def test_nothing_is_pruned_unless_a_retention_period_is_set(
    settings, clerk, case, time_machine, capsys
):
    settings.LOG_RETENTION_DAYS = 0
    old_and_new_records(clerk, case, time_machine)
    call_command("prune_logs")
    assert AccessRecord.objects.count() == 2
    assert "不删除任何记录" in capsys.readouterr().out


@pytest.mark.parametrize("days", [1, 30, 182])
def test_logs_younger_than_six_months_are_never_pruned(settings, clerk, case, time_machine, days):
    settings.LOG_RETENTION_DAYS = days
    old_and_new_records(clerk, case, time_machine)
    with pytest.raises(CommandError, match="少于法定的六个月（183天），未删除任何记录"):
        call_command("prune_logs")
    assert AccessRecord.objects.count() == 2


def test_older_entries_are_pruned_when_allowed(settings, clerk, case, time_machine, capsys):
    settings.LOG_RETENTION_DAYS = 365
    _old, new = old_and_new_records(clerk, case, time_machine)
    call_command("prune_logs", "--dry-run")
    assert AccessRecord.objects.count() == 2
    call_command("prune_logs")
    assert list(AccessRecord.objects.all()) == [new]
    assert "查阅记录：1 条" in capsys.readouterr().out
