"""Edits of the case record: versions, agents, claims, attachments, ID reveals."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Attachment, CaseEvent, Party
from cases.services import records
from cases.services.common import ServiceError, StaleEdit
from cases.workflow import NotPermitted
from tests.factories import VALID_ID_2, person, register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def agent_data(**overrides):
    data = {
        "name": "赵律师",
        "kind": "lawyer",
        "authority": "special",
        "id_number": "",
        "organisation": "湖北某某律师事务所",
        "licence_no": "14290200000000001",
        "phone": "",
    }
    data.update(overrides)
    return data


def test_case_update_records_which_fields_changed(office, clerk):
    case = register(office, clerk)
    case = records.case_update(
        case=case,
        actor=clerk,
        data={"facts_and_reasons": "补充事实。", "persons_affected": 3},
        expected_version=case.version,
    )
    assert case.version == 2
    event = case.events.get(kind=CaseEvent.Kind.CASE_UPDATED)
    assert event.note == "修改了：事实和理由、涉及人数"
    assert event.data["fields"] == ["facts_and_reasons", "persons_affected"]


def test_two_people_editing_the_same_case_cannot_overwrite_each_other(office, clerk, head):
    case = register(office, clerk)
    opened_at = case.version
    records.case_update(
        case=case, actor=head, data={"persons_affected": 5}, expected_version=opened_at
    )
    with pytest.raises(StaleEdit) as exc:
        records.case_update(
            case=case, actor=clerk, data={"persons_affected": 7}, expected_version=opened_at
        )
    assert "其他人已修改了本案信息" in exc.value.message
    case.refresh_from_db()
    assert case.persons_affected == 5


def test_edits_are_limited_to_the_users_office(office, clerk, other_office_clerk, mediator):
    case = register(office, clerk)
    with pytest.raises(NotPermitted):
        records.case_update(
            case=case, actor=other_office_clerk, data={}, expected_version=case.version
        )
    with pytest.raises(NotPermitted):
        records.case_update(case=case, actor=mediator, data={}, expected_version=case.version)


def test_party_add_update_and_remove(office, clerk):
    case = register(office, clerk)
    third = records.party_add(
        case=case,
        actor=clerk,
        role=Party.Role.THIRD_PARTY,
        data=person(name="李四", id_number=VALID_ID_2, gender="female"),
        expected_version=case.version,
    )
    case.refresh_from_db()
    records.party_update(
        party=third, actor=clerk, data={"phone": "13900000000"}, expected_version=case.version
    )
    third.refresh_from_db()
    assert third.phone == "13900000000"
    case.refresh_from_db()
    records.party_remove(party=third, actor=clerk, expected_version=case.version)
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["party_added", "party_updated", "party_removed"]


def test_the_last_applicant_cannot_be_removed(office, clerk):
    case = register(office, clerk)
    applicant = case.parties.get(role=Party.Role.APPLICANT)
    with pytest.raises(ServiceError) as exc:
        records.party_remove(party=applicant, actor=clerk, expected_version=case.version)
    assert exc.value.message == "案件至少需要一名申请人，不能删除最后一名。"


def test_at_most_two_agents_per_party(office, clerk):
    case = register(office, clerk)
    applicant = case.parties.get(role=Party.Role.APPLICANT)
    for name in ("赵律师", "钱律师"):
        case.refresh_from_db()
        records.agent_add(
            party=applicant, actor=clerk, data=agent_data(name=name), expected_version=case.version
        )
    case.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        records.agent_add(
            party=applicant,
            actor=clerk,
            data=agent_data(name="孙律师"),
            expected_version=case.version,
        )
    assert "最多委托2名代理人" in exc.value.message
    assert applicant.agents.count() == 2


def test_claims_are_replaced_and_renumbered(office, clerk):
    case = register(office, clerk)
    records.claims_replace(
        case=case,
        actor=clerk,
        claims=[{"text": "撤销处罚", "amount": None}, {"text": "退还罚款", "amount": 2000}],
        expected_version=case.version,
    )
    assert [(c.number, c.text) for c in case.claims.all()] == [(1, "撤销处罚"), (2, "退还罚款")]
    case.refresh_from_db()
    with pytest.raises(ServiceError):
        records.claims_replace(case=case, actor=clerk, claims=[], expected_version=case.version)


def test_attachment_is_stored_privately_with_its_hash(office, clerk, settings):
    case = register(office, clerk)
    upload = SimpleUploadedFile("身份证 王建国.pdf", PDF, content_type="text/html")
    attachment = records.attachment_add(
        case=case, actor=clerk, kind="id_copy", title="", upload=upload
    )
    assert attachment.title == "身份证明"
    assert attachment.content_type == "application/pdf"  # from the content, not the browser
    assert attachment.size == len(PDF)
    import hashlib

    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert "王建国" not in attachment.file.name
    assert attachment.file.name.startswith(f"cases/{case.pk}/")
    assert str(settings.MEDIA_ROOT) not in attachment.file.path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("note.txt", b"hello", "不支持这种文件类型"),
        ("fake.pdf", b"<html><script>alert(1)</script>", "文件内容与扩展名不符"),
        ("empty.pdf", b"", "文件是空的"),
        ("page.svg", b"<svg/>", "不支持这种文件类型"),
    ],
)
def test_attachment_type_and_content_are_checked(office, clerk, name, content, message):
    case = register(office, clerk)
    with pytest.raises(ServiceError) as exc:
        records.attachment_add(
            case=case,
            actor=clerk,
            kind="evidence",
            title="x",
            upload=SimpleUploadedFile(name, content),
        )
    assert message in exc.value.message
    assert not Attachment.objects.exists()


def test_attachment_size_limit(office, clerk, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    case = register(office, clerk)
    with pytest.raises(ServiceError) as exc:
        records.attachment_add(
            case=case,
            actor=clerk,
            kind="evidence",
            title="x",
            upload=SimpleUploadedFile("a.pdf", PDF * 10),
        )
    assert "超过了100\xa0字节的上限" in exc.value.message


def test_revealing_an_id_number_is_recorded(office, clerk, court_liaison):
    case = register(office, clerk)
    applicant = case.parties.get(role=Party.Role.APPLICANT)
    assert records.party_reveal_id(party=applicant, actor=clerk) == "429005198001011233"
    event = case.events.get(kind=CaseEvent.Kind.ID_REVEALED)
    assert event.actor == clerk and event.data == {"party": applicant.pk}
    with pytest.raises(NotPermitted):
        records.party_reveal_id(party=applicant, actor=court_liaison)


def test_closed_states_cannot_be_edited(office, clerk, head):
    from cases.services.intake import case_decline

    case = register(office, clerk)
    case = case_decline(case=case, actor=head, reason="out_of_scope", guidance="可以起诉。")
    # Declined cases are closed for edits until they are reopened by a later workflow.
    with pytest.raises(ServiceError) as exc:
        records.case_update(
            case=case, actor=clerk, data={"persons_affected": 2}, expected_version=case.version
        )
    assert "不能再修改" in exc.value.message
    assert case.received_date == date(2026, 11, 2)


def test_a_zip_renamed_to_docx_is_refused(office, clerk):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    case = register(office, clerk)
    with pytest.raises(ServiceError) as exc:
        records.attachment_add(
            case=case,
            actor=clerk,
            kind="evidence",
            title="x",
            upload=SimpleUploadedFile("a.docx", buffer.getvalue()),
        )
    assert "文件内容与扩展名不符" in exc.value.message
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    attachment = records.attachment_add(
        case=case,
        actor=clerk,
        kind="evidence",
        title="x",
        upload=SimpleUploadedFile("a.docx", buffer.getvalue()),
    )
    assert attachment.content_type.endswith("wordprocessingml.document")
