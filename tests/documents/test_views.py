"""The document pages: making (POST), downloading, the case page's documents section."""

import re
from urllib.parse import quote

import pytest
from django.urls import resolve, reverse

from cases.models import Attachment, Case, Status
from cases.services import records
from documents import services
from documents.models import Document
from documents.rendering import Rendered
from tests.documents.helpers import (
    distinct_person,
    download_url,
    generate_url,
    held_session,
    html_of,
    make,
    sha256,
    signed_referral,
    stored_bytes,
)
from tests.factories import CaseFactory, register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHOOSE = "请从案件页面的“文书”栏选择要制作的文书。"


def alerts(response) -> list[tuple[str, str]]:
    """The messages shown on the page: (bootstrap level, text)."""
    return re.findall(r'<div class="alert alert-(\w+)" role="\w+">(.*?)</div>', html_of(response))


def check(request, client, client_as, target, expected, *, method="get", data=None):
    """Anonymous users go to the login page; each persona gets the expected status code."""
    anonymous = getattr(client, method)(target, data or {})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    got = {}
    for persona in expected:
        persona_client = client_as(request.getfixturevalue(persona))
        got[persona] = getattr(persona_client, method)(target, data or {}).status_code
    assert got == expected


@pytest.fixture
def referred(office, clerk, head, court_liaison, mediator):
    """A referral of the ``court`` fixture's court, signed for and assigned."""
    return signed_referral(office, clerk, head, court_liaison, mediator)


@pytest.fixture
def notice(referred, clerk):
    """The acceptance notice of the referral, version 1."""
    return make(referred, clerk, "acceptance_notice")


# --- 1. Who may make and download ----------------------------------------------------------


def test_the_make_address_reaches_the_documents_view(referred):
    """The case page's buttons post here; no case action may shadow the address."""
    from documents import views

    assert resolve(generate_url(referred)).func is views.generate


def test_generate_permissions(request, client, client_as, referred, notice):
    expected = {
        "gov_liaison": 403,
        "admin_user": 403,
        "other_office_clerk": 404,
        "court_liaison": 403,
        "other_court_liaison": 403,
        # Made already and unchanged: each is sent back to the case page, nothing new is made.
        "clerk": 302,
        "mediator": 302,
        "head": 302,
    }
    data = {"kind": "acceptance_notice", "subject": ""}
    check(request, client, client_as, generate_url(referred), expected, method="post", data=data)
    assert Document.objects.filter(case=referred).count() == 1
    assert (
        client_as(request.getfixturevalue("clerk")).get(generate_url(referred)).status_code == 405
    )


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_download_permissions(request, client, client_as, notice, fmt):
    expected = {
        "gov_liaison": 403,
        "admin_user": 403,
        "other_office_clerk": 404,
        "other_court_liaison": 404,
        "court_liaison": 200,
        "clerk": 200,
        "mediator": 200,
        "head": 200,
    }
    check(request, client, client_as, download_url(notice, fmt), expected)


@pytest.mark.parametrize(("fmt", "content_type"), [("pdf", PDF_TYPE), ("docx", DOCX_TYPE)])
def test_download_sends_the_stored_file_as_an_attachment(
    client_as, court_liaison, referred, notice, fmt, content_type
):
    response = client_as(court_liaison).get(download_url(notice, fmt))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    attachment = notice.pdf if fmt == "pdf" else notice.docx
    assert body == stored_bytes(attachment)
    assert sha256(body) == attachment.sha256
    assert response["Content-Type"] == content_type
    filename = f"{referred.display_number}-受理通知书第1版.{fmt}"
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(filename)}"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_download_of_an_unknown_format_or_through_another_case_is_not_found(
    client_as, office, clerk, head, notice
):
    client = client_as(clerk)
    assert client.get(download_url(notice, "xls")).status_code == 404
    assert client.get(download_url(notice, "PDF")).status_code == 404
    other = CaseFactory(
        office=office, created_by=clerk, head=head, accepted=True, applicants=[distinct_person()]
    )
    assert client.get(download_url(notice, "pdf", case_pk=other.pk)).status_code == 404
    url = reverse("documents:download", args=[notice.case_id, 999999, "pdf"])
    assert client.get(url).status_code == 404


# --- 2. Making through the page --------------------------------------------------------------


def test_making_twice_without_changes_says_it_was_not_made_again(client_as, office, clerk, head):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    client = client_as(clerk)
    data = {"kind": "acceptance_notice", "subject": ""}
    response = client.post(generate_url(case), data)
    assert response.status_code == 302
    assert response["Location"] == f"{case.get_absolute_url()}#documents"
    response = client.get(case.get_absolute_url())
    assert ("success", "已制作受理通知书第1版。") in alerts(response)

    response = client.post(generate_url(case), data, follow=True)
    assert alerts(response) == [
        ("info", "受理通知书的内容和模板都没有变化，仍为第1版，未重复制作。")
    ]
    assert Document.objects.filter(case=case).count() == 1


def test_refusals_are_shown_on_the_case_page(client_as, office, clerk, head, mediator):
    client = client_as(clerk)
    registered = register(office, clerk)
    response = client.post(generate_url(registered), {"kind": "acceptance_notice"}, follow=True)
    assert response.status_code == 200
    assert alerts(response) == [("danger", "本案目前不能制作受理通知书：案件受理后才能制作。")]

    case = CaseFactory(
        office=office,
        created_by=clerk,
        head=head,
        mediator=mediator,
        agreed=True,
        applicants=[distinct_person()],
    )
    from agreements.services import agreement as agreement_services

    agreement = agreement_services.draft_agreement(case=case, actor=mediator)
    data = {"kind": "agreement", "subject": f"agreement:{agreement.pk}"}
    [(level, text)] = alerts(client.post(generate_url(case), data, follow=True))
    assert level == "danger"
    assert text.startswith("不能制作调解协议书：")
    assert "尚未写明调解结果" in text
    assert "尚未列明任何义务" in text

    data = {"kind": "confirmation_application", "subject": f"agreement:{agreement.pk}"}
    [(level, text)] = alerts(client.post(generate_url(case), data, follow=True))
    assert level == "danger"
    assert "调解协议尚未生效（没有生效日期）" in text
    assert "尚未签署：" in text
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "nope", "subject": ""},
        {"subject": ""},
        {"kind": "transcript", "subject": "session:abc"},
        {"kind": "transcript", "subject": "x" * 100},
        {"kind": "transcript", "subject": "session:12345678901"},
        {"kind": "transcript", "subject": "session:1 OR 1=1"},
        {"kind": "transcript", "subject": "<script>"},
    ],
    ids=["kind", "no-kind", "letters", "long", "huge-id", "sql", "html"],
)
def test_malformed_requests_are_refused_with_a_message(client_as, office, clerk, head, data):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    client = client_as(clerk)
    response = client.post(generate_url(case), data)
    assert response.status_code == 302
    assert response["Location"].startswith(case.get_absolute_url())
    response = client.get(response["Location"])
    assert alerts(response) == [("danger", CHOOSE)]
    assert not Document.objects.exists()


def test_session_of_another_case_is_refused(client_as, office, clerk, head, mediator):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, assigned=True)
    other = CaseFactory(
        office=office,
        created_by=clerk,
        head=head,
        mediator=mediator,
        assigned=True,
        applicants=[distinct_person()],
    )
    session = held_session(other, mediator)
    data = {"kind": "transcript", "subject": f"session:{session.pk}"}
    response = client_as(clerk).post(generate_url(case), data, follow=True)
    assert alerts(response) == [
        ("danger", "本案目前不能制作调解笔录：调解会召开并记录后才能制作。")
    ]
    assert not Document.objects.exists()


def test_archived_case_offers_no_button_but_keeps_the_downloads(client_as, office, clerk, head):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    document = make(case, clerk, "acceptance_notice")
    Case.objects.filter(pk=case.pk).update(status=Status.ARCHIVED)
    client = client_as(clerk)
    panel = documents_panel(html_of(client.get(case.get_absolute_url())))
    assert make_buttons(panel) == []
    assert download_url(document, "pdf") in panel
    assert client.get(download_url(document, "docx")).status_code == 200


def test_archived_case_is_refused_on_the_page(client_as, office, clerk, head):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    Case.objects.filter(pk=case.pk).update(status=Status.ARCHIVED)
    response = client_as(clerk).post(generate_url(case), {"kind": "rights_notice"}, follow=True)
    assert alerts(response) == [("danger", "案件已归档，不能再制作文书。")]
    assert not Document.objects.exists()


# --- 3. The case page --------------------------------------------------------------------------


def documents_panel(html: str) -> str:
    match = re.search(r'<section class="card mb-3" id="documents".*?</section>', html, re.S)
    return match.group(0) if match else ""


def make_buttons(panel: str) -> list[str]:
    return re.findall(r'aria-label="((?:重新)?制作[^"]*)"', panel)


def test_accepted_case_offers_the_acceptance_and_rights_notices(client_as, office, clerk, head):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    panel = documents_panel(html_of(client_as(clerk).get(case.get_absolute_url())))
    assert 'id="documents-title">文书</h2>' in panel
    assert make_buttons(panel) == ["制作受理通知书", "制作权利义务告知书"]
    assert "PDF</a>" not in panel


def test_registered_case_shows_no_documents_section(client_as, office, clerk):
    case = register(office, clerk)
    html = html_of(client_as(clerk).get(case.get_absolute_url()))
    assert 'id="documents"' not in html


def test_made_document_is_listed_with_its_versions(client_as, office, clerk, head):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    first = make(case, clerk, "acceptance_notice")
    office.phone = "0728-6209999"
    office.save()
    second = make(case, clerk, "acceptance_notice")
    panel = documents_panel(html_of(client_as(clerk).get(case.get_absolute_url())))
    assert make_buttons(panel) == ["重新制作受理通知书", "制作权利义务告知书"]
    assert f"第2版 · {clerk.get_full_name()}" in panel
    assert f"第1版 · {clerk.get_full_name()}" in panel
    assert second.pdf.sha256[:8] in panel
    assert "历史版本（1）" in panel
    for document in (first, second):
        for fmt in ("pdf", "docx"):
            url = download_url(document, fmt)
            assert url in panel
            assert client_as(clerk).get(url).status_code == 200


def test_court_liaison_sees_the_documents_but_no_buttons(
    client_as, court_liaison, referred, notice
):
    panel = documents_panel(html_of(client_as(court_liaison).get(referred.get_absolute_url())))
    assert "受理通知书" in panel
    assert download_url(notice, "pdf") in panel
    assert download_url(notice, "docx") in panel
    assert make_buttons(panel) == []
    assert "<form" not in panel


def test_court_liaison_sees_no_section_before_anything_is_made(client_as, court_liaison, referred):
    html = html_of(client_as(court_liaison).get(referred.get_absolute_url()))
    assert 'id="documents"' not in html


def materials_section(html: str) -> str:
    return html.split("材料</h2>", 1)[1].split("办理记录</h2>", 1)[0]


def test_made_files_are_not_listed_among_the_materials_and_cannot_be_deleted(
    client_as, office, clerk, head
):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    document = make(case, clerk, "acceptance_notice")
    client = client_as(clerk)
    materials = materials_section(html_of(client.get(case.get_absolute_url())))
    for attachment in (document.pdf, document.docx):
        assert reverse("cases:attachment_download", args=[case.pk, attachment.pk]) not in materials
    assert "受理通知书第1版" not in materials

    for attachment in (document.pdf, document.docx):
        url = reverse("cases:attachment_delete", args=[case.pk, attachment.pk])
        response = client.post(url, follow=True)
        assert alerts(response) == [
            ("danger", "本工作室制作的文书不能删除；内容有误的，修改案件记录后重新制作。")
        ]
        assert Attachment.objects.filter(pk=attachment.pk).exists()
        assert sha256(stored_bytes(attachment)) == attachment.sha256


def test_materials_list_says_there_are_none_when_only_documents_were_made(
    client_as, office, clerk, head
):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    make(case, clerk, "acceptance_notice")
    materials = materials_section(html_of(client_as(clerk).get(case.get_absolute_url())))
    assert "尚无材料。" in materials


@pytest.mark.parametrize(
    "persona",
    [
        "clerk",
        "head",
        "mediator",
        "court_liaison",
        "other_court_liaison",
        "other_office_clerk",
        "gov_liaison",
        "agency_contact",
        "admin_user",
    ],
)
def test_the_case_pages_documents_are_those_the_scope_shows(request, referred, notice, persona):
    from documents.permissions import case_documents_visible_to, documents_visible_to

    make(referred, request.getfixturevalue("clerk"), "rights_notice")
    user = request.getfixturevalue(persona)
    expected = set(documents_visible_to(user).filter(case=referred).values_list("pk", flat=True))
    assert set(case_documents_visible_to(user, referred).values_list("pk", flat=True)) == expected
    if persona in ("clerk", "court_liaison"):
        assert expected  # the comparison is not between two empty sets


# --- 4. Queries --------------------------------------------------------------------------------

# The case page reads each kind of record the case has once (cases.selectors.prefetch_present).
CASE_PAGE_QUERIES = 16


def fake_render(template_name, title, data):
    """Rendering is not what these tests measure: small stand-in files, different per data."""
    digest = services.data_digest(data).encode()
    return Rendered(html="", pdf=b"%PDF-1.7 " + digest, docx=b"PK " + digest)


@pytest.mark.parametrize("many", [False, True], ids=["1", "many"])
def test_case_page_query_count_stays_flat(
    client_as, office, clerk, head, mediator, monkeypatch, django_assert_num_queries, many
):
    monkeypatch.setattr(services, "render", fake_render)
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, agreed=True)
    session = case.sessions.get()
    make(case, clerk, "acceptance_notice")
    if many:
        make(case, clerk, "rights_notice")
        make(case, clerk, "transcript", f"session:{session.pk}")
        for phone in ("13900000001", "13900000002"):
            case.refresh_from_db()
            records.party_update(
                party=case.parties.get(role="applicant"),
                actor=clerk,
                data={"phone": phone},
                expected_version=case.version,
            )
            make(case, mediator, "acceptance_notice")
            make(case, head, "rights_notice")
    else:
        # The same number of changes to the record, so only the documents differ.
        for phone in ("13900000001", "13900000002"):
            case.refresh_from_db()
            records.party_update(
                party=case.parties.get(role="applicant"),
                actor=clerk,
                data={"phone": phone},
                expected_version=case.version,
            )
    expected_documents = 7 if many else 1
    assert Document.objects.filter(case=case).count() == expected_documents
    client = client_as(clerk)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        html = html_of(client.get(case.get_absolute_url()))
    panel = documents_panel(html)
    assert panel.count("PDF</a>") == expected_documents


def test_download_of_a_file_missing_from_storage_is_not_found(client_as, clerk, notice):
    notice.pdf.file.storage.delete(notice.pdf.file.name)
    assert client_as(clerk).get(download_url(notice, "pdf")).status_code == 404
    assert client_as(clerk).get(download_url(notice, "docx")).status_code == 200
