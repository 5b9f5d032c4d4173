"""Editing pages: case fields, parties, agents, claims, attachments, ID reveals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Attachment, CaseEvent, Party
from cases.services import records
from tests.factories import category, person, register
from tests.helpers import check

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def case(office, clerk):
    return register(office, clerk)


def edit_post(case, **overrides):
    data = {
        "v-version": str(case.version),
        "source": "self",
        "received_date": "2026-11-02",
        "category": str(case.category_id),
        "act_type": "penalty",
        "agency": str(case.agency_id),
        "act_document_no": case.act_document_no,
        "act_date": "2026-09-01",
        "act_known_date": "2026-09-03",
        "remedy_notified": "on",
        "facts_and_reasons": case.facts_and_reasons,
        "persons_affected": "1",
    }
    data.update(overrides)
    return data


def test_edit_case(client_as, clerk, case):
    url = reverse("cases:edit", args=[case.pk])
    response = client_as(clerk).post(url, edit_post(case, persons_affected="4"), follow=True)
    assert "案件信息已保存。" in response.content.decode()
    case.refresh_from_db()
    assert case.persons_affected == 4


def opened_form(case, **changes):
    """What a browser posts: the starting values in hidden inputs, the edits in the fields."""
    base = edit_post(case)
    initials = {f"initial-{k}": v for k, v in base.items() if k != "v-version"}
    return {**base, **initials, **changes}


def test_concurrent_edits_of_different_fields_are_merged(client_as, clerk, head, case):
    url = reverse("cases:edit", args=[case.pk])
    clerk_form = opened_form(case, facts_and_reasons="我写的新事实")
    head_form = opened_form(case, persons_affected="9")
    client_as(head).post(url, head_form)
    response = client_as(clerk).post(url, clerk_form, follow=True)
    assert "对方修改的其他项目已一并保留" in response.content.decode()
    case.refresh_from_db()
    assert (case.persons_affected, case.facts_and_reasons) == (9, "我写的新事实")


def test_concurrent_edits_of_the_same_field_are_shown_and_nothing_is_lost(
    client_as, clerk, head, case
):
    url = reverse("cases:edit", args=[case.pk])
    clerk_form = opened_form(case, persons_affected="7", facts_and_reasons="我写的新事实")
    client_as(head).post(url, opened_form(case, persons_affected="9"))
    html = client_as(clerk).post(url, clerk_form).content.decode()
    assert "其他人已将此项改为“9”" in html
    assert "我写的新事实" in html and 'value="7"' in html
    case.refresh_from_db()
    assert (case.persons_affected, case.facts_and_reasons) == (9, "申请人认为处罚过重。")
    # Having seen the conflict, the clerk saves again and their value stands.
    clerk_form["v-version"] = str(case.version)
    client_as(clerk).post(url, clerk_form)
    case.refresh_from_db()
    assert (case.persons_affected, case.facts_and_reasons) == (7, "我写的新事实")


def test_a_form_without_starting_values_never_overwrites_silently(client_as, clerk, head, case):
    url = reverse("cases:edit", args=[case.pk])
    stale = edit_post(case, facts_and_reasons="旧页面提交")
    client_as(head).post(url, opened_form(case, persons_affected="9"))
    html = client_as(clerk).post(url, stale).content.decode()
    assert "其他人已将此项改为“9”" in html
    case.refresh_from_db()
    assert case.persons_affected == 9


def test_edit_permission_matrix(request, client, client_as, case):
    url = reverse("cases:edit", args=[case.pk])
    assert client.get(url).status_code == 302
    assert client_as(request.getfixturevalue("clerk")).get(url).status_code == 200
    assert client_as(request.getfixturevalue("mediator")).get(url).status_code == 403
    assert client_as(request.getfixturevalue("other_office_clerk")).get(url).status_code == 404


def test_add_a_third_party_organisation(client_as, clerk, case):
    url = reverse("cases:party_add", args=[case.pk, "third_party"])
    data = {
        "v-version": str(case.version),
        "kind": "legal_person",
        "name": "潜江市楚韵建材有限公司",
        "uscc_0": "91429005MA4ABC129K",
        "legal_representative": "李四",
        "willing_to_mediate": "unknown",
    }
    response = client_as(clerk).post(url, data, follow=True)
    assert "已增加第三人 潜江市楚韵建材有限公司。" in response.content.decode()
    party = case.parties.get(role=Party.Role.THIRD_PARTY)
    assert party.willing_to_mediate is None


def test_add_party_with_an_unknown_role_is_404(client_as, clerk, case):
    assert (
        client_as(clerk).get(reverse("cases:party_add", args=[case.pk, "judge"])).status_code == 404
    )


def test_electronic_service_needs_channel_and_address(client_as, clerk, case):
    party = case.parties.get(role=Party.Role.APPLICANT)
    url = reverse("cases:party_edit", args=[case.pk, party.pk])
    data = {
        "v-version": str(case.version),
        "kind": "natural_person",
        "name": party.name,
        "id_type": "resident_id",
        "id_number": party.id_number,
        "e_service_consent": "on",
        "e_service_channel": "email",
        "e_service_address": "not-an-email",
        "willing_to_mediate": "true",
    }
    html = client_as(clerk).post(url, data).content.decode()
    assert "请输入有效的电子邮箱地址。" in html


def test_a_too_long_name_is_refused_once_and_kept(client_as, clerk, case):
    party = case.parties.get(role=Party.Role.APPLICANT)
    url = reverse("cases:party_edit", args=[case.pk, party.pk])
    name = "长" * 101
    data = {
        "v-version": str(case.version),
        "kind": "natural_person",
        "name": name,
        "id_type": "resident_id",
        "id_number": party.id_number,
        "willing_to_mediate": "true",
    }
    html = client_as(clerk).post(url, data).content.decode()
    assert "最多100个字（现为101个字），请删减后再提交。" in html
    assert "请填写姓名或名称。" not in html
    assert f'value="{name}"' in html


def test_third_agent_is_refused_with_a_message(client_as, clerk, case):
    party = case.parties.get(role=Party.Role.APPLICANT)
    url = reverse("cases:agent_add", args=[case.pk, party.pk])
    client = client_as(clerk)
    for name in ("赵一", "钱二", "孙三"):
        case.refresh_from_db()
        response = client.post(
            url,
            {
                "v-version": str(case.version),
                "name": name,
                "kind": "close_relative",
                "authority": "general",
            },
            follow=True,
        )
    assert "每名当事人最多委托2名代理人" in response.content.decode()
    assert party.agents.count() == 2


def test_lawyer_needs_licence_and_firm(client_as, clerk, case):
    party = case.parties.get(role=Party.Role.APPLICANT)
    url = reverse("cases:agent_add", args=[case.pk, party.pk])
    html = (
        client_as(clerk)
        .post(
            url,
            {
                "v-version": str(case.version),
                "name": "赵律师",
                "kind": "lawyer",
                "authority": "special",
            },
        )
        .content.decode()
    )
    assert "律师请填写执业证号。" in html and "律师请填写执业律师事务所。" in html


def test_claims_page(client_as, clerk, case):
    url = reverse("cases:claims_edit", args=[case.pk])
    data = {
        "v-version": str(case.version),
        "claim-TOTAL_FORMS": "2",
        "claim-INITIAL_FORMS": "1",
        "claim-0-text": "撤销处罚决定",
        "claim-1-text": "退还罚款",
        "claim-1-amount": "2000.50",
    }
    response = client_as(clerk).post(url, data, follow=True)
    assert "请求事项已保存。" in response.content.decode()
    assert [str(c.amount) for c in case.claims.all()] == ["None", "2000.50"]


def test_upload_and_download_an_attachment(client_as, clerk, case):
    client = client_as(clerk)
    url = reverse("cases:attachment_upload", args=[case.pk])
    response = client.post(
        url,
        {"kind": "evidence", "title": "罚款收据", "file": SimpleUploadedFile("收据.pdf", PDF)},
        follow=True,
    )
    assert "已上传“罚款收据”。" in response.content.decode()
    attachment = Attachment.objects.get()
    download = client.get(reverse("cases:attachment_download", args=[case.pk, attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_upload_of_a_disguised_file_is_refused_in_chinese(client_as, clerk, case):
    response = client_as(clerk).post(
        reverse("cases:attachment_upload", args=[case.pk]),
        {
            "kind": "evidence",
            "title": "x",
            "file": SimpleUploadedFile("page.pdf", b"<html></html>"),
        },
    )
    assert "文件内容与扩展名不符" in response.content.decode()
    assert not Attachment.objects.exists()


def test_outsiders_cannot_download(client, client_as, request, clerk, case):
    attachment = records.attachment_add(
        case=case, actor=clerk, kind="evidence", title="x", upload=SimpleUploadedFile("a.pdf", PDF)
    )
    url = reverse("cases:attachment_download", args=[case.pk, attachment.pk])
    assert client.get(url).status_code == 302
    assert client_as(request.getfixturevalue("other_office_clerk")).get(url).status_code == 404
    assert client_as(request.getfixturevalue("court_liaison")).get(url).status_code == 404
    assert client_as(request.getfixturevalue("gov_liaison")).get(url).status_code == 403
    # The attachment id under another case's URL is not found either.
    other = register(case.office, clerk, applicants=[person(id_number="11010519491231002X")])
    assert (
        client_as(clerk)
        .get(reverse("cases:attachment_download", args=[other.pk, attachment.pk]))
        .status_code
        == 404
    )


def test_delete_attachment(client_as, clerk, mediator, case):
    attachment = records.attachment_add(
        case=case, actor=clerk, kind="evidence", title="x", upload=SimpleUploadedFile("a.pdf", PDF)
    )
    url = reverse("cases:attachment_delete", args=[case.pk, attachment.pk])
    assert client_as(mediator).post(url).status_code == 403
    assert client_as(clerk).get(url).status_code == 405
    client_as(clerk).post(url)
    assert not Attachment.objects.exists()
    assert case.events.filter(kind=CaseEvent.Kind.ATTACHMENT_REMOVED).exists()


def test_reveal_id_is_post_only_recorded_and_htmx_friendly(client_as, clerk, court_liaison, case):
    party = case.parties.get(role=Party.Role.APPLICANT)
    url = reverse("cases:party_reveal_id", args=[case.pk, party.pk])
    client = client_as(clerk)
    assert client.get(url).status_code == 405
    reason = {"purpose": "identity"}
    html = client.post(url, reason).content.decode()
    assert "429005198001011233" in html and "本次查看及事由已记入查阅记录" in html
    fragment = client.post(url, reason, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<span class="font-monospace"')
    assert case.events.filter(kind=CaseEvent.Kind.ID_REVEALED).count() == 2
    assert client_as(court_liaison).post(url, reason).status_code == 403


def test_edit_applies_the_scope_rules_of_registration(client_as, clerk, case):
    url = reverse("cases:edit", args=[case.pk])
    info = category("INFO_DISCLOSURE")
    html = (
        client_as(clerk)
        .post(url, opened_form(case, category=str(info.pk), art60_basis="discretion"))
        .content.decode()
    )
    assert "属于《行政复议法》第二十三条规定的复议前置事项" in html
    case.refresh_from_db()
    assert case.category.code == "PENALTY"


def test_source_can_move_between_self_and_transferred_only(client_as, clerk, case):
    url = reverse("cases:edit", args=[case.pk])
    response = client_as(clerk).post(
        url, opened_form(case, source="transferred", transferred_from="市信访局"), follow=True
    )
    assert "案件信息已保存" in response.content.decode()
    case.refresh_from_db()
    assert (case.source, case.transferred_from) == ("transferred", "市信访局")
    html = client_as(clerk).post(url, opened_form(case, source="court_referral")).content.decode()
    assert "选择一个有效的选项" in html


def test_party_edit_shows_the_masked_number_and_keeps_it(client_as, clerk, case):
    party = case.parties.get(role=Party.Role.APPLICANT)
    url = reverse("cases:party_edit", args=[case.pk, party.pk])
    client = client_as(clerk)
    page = client.get(url).content.decode()
    assert "429005198001011233" not in page and "429005********1233" in page
    data = {
        "v-version": str(case.version),
        "kind": "natural_person",
        "initial-kind": "natural_person",
        "name": party.name,
        "initial-name": party.name,
        "id_type": "resident_id",
        "initial-id_type": "resident_id",
        "id_number": "429005********1233",
        "initial-id_number": "429005********1233",
        "phone": "13900000001",
        "initial-phone": party.phone,
        "willing_to_mediate": "true",
        "initial-willing_to_mediate": "True",
    }
    response = client.post(url, data, follow=True)
    assert "的信息" in response.content.decode()
    party.refresh_from_db()
    assert (party.id_number, party.phone) == ("429005198001011233", "13900000001")
    assert not case.events.filter(kind=CaseEvent.Kind.ID_REVEALED).exists()


def test_attachments_are_frozen_once_the_case_is_closed_for_edits(client_as, clerk, head, case):
    from cases.services.intake import case_decline

    case_decline(case=case, actor=head, reason="out_of_scope", guidance="可以起诉。")
    response = client_as(clerk).post(
        reverse("cases:attachment_upload", args=[case.pk]),
        {"kind": "evidence", "title": "x", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert "案件已不予受理，不能再上传材料。" in response.content.decode()


def test_nobody_uploads_as_the_offices_own_documents(client_as, clerk, case):
    url = reverse("cases:attachment_upload", args=[case.pk])
    client = client_as(clerk)
    assert 'value="document"' not in client.get(url).content.decode()
    response = client.post(
        url, {"kind": "document", "title": "", "file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert response.status_code == 200
    assert not Attachment.objects.exists()


def test_a_court_uploads_only_referral_materials(client_as, office, clerk, court_liaison):
    from tests.factories import refer

    case = refer(office, court_liaison)
    url = reverse("cases:attachment_upload", args=[case.pk])
    html = client_as(court_liaison).get(url).content.decode()
    assert 'value="evidence"' in html
    for kind in ("document", "transcript", "extension_consent", "waiver"):
        assert f'value="{kind}"' not in html
    with pytest.raises(records.ServiceError) as exc:
        records.attachment_add(
            case=case,
            actor=court_liaison,
            kind="transcript",
            title="",
            upload=SimpleUploadedFile("a.pdf", PDF),
        )
    assert exc.value.field == "kind"


# --- Who may open the editing pages ----------------------------------------------------------

EDITING_MATRIX = {
    "clerk": 200,
    "head": 200,
    "other_office_clerk": 404,
    "court_liaison": 403,
    "gov_liaison": 403,
    "agency_contact": 403,
    "admin_user": 403,
}


@pytest.mark.parametrize("form_page", ["party_edit", "agent_add", "agent_edit", "claims", "upload"])
def test_editing_pages_open_to_the_office_only(request, client, client_as, clerk, case, form_page):
    party = case.parties.get(role=Party.Role.APPLICANT)
    if form_page == "agent_edit":
        agent = records.agent_add(
            party=party,
            actor=clerk,
            data={"name": "赵一", "kind": "close_relative", "authority": "general"},
            expected_version=case.version,
        )
        url = reverse("cases:agent_edit", args=[case.pk, agent.pk])
    else:
        url = {
            "party_edit": reverse("cases:party_edit", args=[case.pk, party.pk]),
            "agent_add": reverse("cases:agent_add", args=[case.pk, party.pk]),
            "claims": reverse("cases:claims_edit", args=[case.pk]),
            "upload": reverse("cases:attachment_upload", args=[case.pk]),
        }[form_page]
    expected = dict(EDITING_MATRIX)
    if form_page == "upload":
        # A court uploads to its own referrals; this case is not one: not found.
        expected["court_liaison"] = 404
    check(request, client, client_as, url, expected)
