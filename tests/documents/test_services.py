"""Making documents: refusals in Chinese, versions, reproducible bytes and the case record."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements.services import agreement as agreement_services
from cases.models import Attachment, Case, CaseEvent, Status
from cases.services import mediation, records
from cases.services.common import ServiceError
from cases.workflow import NotPermitted
from documents import services
from documents.models import Document
from tests.documents.helpers import (
    draft_with,
    held_session,
    make,
    output,
    sha256,
    stored_bytes,
)
from tests.factories import (
    CaseFactory,
    obligation_data,
    register,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def refusal(case, actor, kind, subject="") -> str:
    with pytest.raises(ServiceError) as exc:
        services.generate(case=case, actor=actor, kind=kind, subject=subject)
    assert not Document.objects.filter(case=case, kind=kind).exists()
    return exc.value.message


# --- Refusals -------------------------------------------------------------------------------


def test_acceptance_notice_of_a_case_not_yet_accepted_is_refused(office, clerk):
    case = register(office, clerk)
    assert refusal(case, clerk, "acceptance_notice") == (
        "本案目前不能制作受理通知书：案件受理后才能制作。"
    )
    assert refusal(case, clerk, "rights_notice") == (
        "本案目前不能制作权利义务告知书：案件受理后才能制作。"
    )
    assert refusal(case, clerk, "decline_notice") == (
        "本案目前不能制作不予受理告知书：只有决定不予受理的案件才有。"
    )


def test_unknown_kind_is_refused(office, clerk, head):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    assert refusal(case, clerk, "nope") == "没有这种文书。"


def test_agreement_without_result_or_obligations_is_refused_naming_them(
    office, clerk, head, mediator
):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, agreed=True)
    agreement = agreement_services.draft_agreement(case=case, actor=mediator)
    message = refusal(case, clerk, "agreement", f"agreement:{agreement.pk}")
    assert message == "不能制作调解协议书：尚未写明调解结果；尚未列明任何义务。"


def test_agreement_before_the_review_prints_as_a_draft_not_to_be_signed(
    office, clerk, head, mediator
):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, agreed=True)
    agreement = draft_with(case, mediator, obligation_data(case))
    document, created = services.generate(
        case=case, actor=clerk, kind="agreement", subject=f"agreement:{agreement.pk}"
    )
    assert created
    assert document.data["draft_note"].startswith("草稿：合法性审查尚未完成")
    assert document.data["draft_note"].endswith("，不得据此签署。")


def test_confirmation_application_of_an_agreement_not_yet_effective_lists_who_has_not_signed(
    office, clerk, head, mediator
):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, agreed=True)
    agreement = draft_with(case, mediator, obligation_data(case))
    message = refusal(case, clerk, "confirmation_application", f"agreement:{agreement.pk}")
    assert "调解协议尚未生效（没有生效日期）" in message
    assert f"尚未签署：王建国、{case.agency.name}、调解员、工作室印章" in message


def test_transcript_of_a_session_held_without_transcript_is_refused(office, clerk, head, mediator):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, assigned=True)
    session = held_session(case, mediator, transcript="   ")
    assert refusal(case, clerk, "transcript", f"session:{session.pk}") == (
        "不能制作调解笔录：第1次调解会尚未记录笔录内容。"
    )


def test_transcript_of_a_session_not_yet_held_or_of_another_case_is_refused(
    office, clerk, head, mediator
):
    from tests.documents.helpers import distinct_person

    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, assigned=True)
    other = CaseFactory(
        office=office,
        created_by=clerk,
        head=head,
        mediator=mediator,
        assigned=True,
        applicants=[distinct_person()],
    )
    other_session = held_session(other, mediator)
    expected = "本案目前不能制作调解笔录：调解会召开并记录后才能制作。"
    assert refusal(case, clerk, "transcript", f"session:{other_session.pk}") == expected
    assert refusal(case, clerk, "transcript", "") == expected
    scheduled = mediation.schedule_session(
        case=case,
        actor=mediator,
        scheduled_at=timezone.now() + timedelta(days=3),
        place="工作室调解室",
        mode="in_person",
    )
    assert refusal(case, clerk, "transcript", f"session:{scheduled.pk}") == expected


def test_archived_case_is_refused(office, clerk, head):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    Case.objects.filter(pk=case.pk).update(status=Status.ARCHIVED)
    assert refusal(case, clerk, "acceptance_notice") == "案件已归档，不能再制作文书。"


def test_users_outside_the_case_are_not_permitted(
    office, clerk, head, other_office_clerk, court_liaison, gov_liaison
):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    for user in (other_office_clerk, court_liaison, gov_liaison):
        with pytest.raises(NotPermitted) as exc:
            services.generate(case=case, actor=user, kind="acceptance_notice")
        assert exc.value.message == "您没有权限为本案制作文书。"
    assert not Document.objects.exists()


# --- Versions, reproduction, the record ----------------------------------------------------


def test_same_data_gives_the_same_version_and_changed_data_a_new_one(
    office, clerk, head, mediator, time_machine
):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, assigned=True)
    session = held_session(case, mediator, transcript="第一稿笔录。")
    subject = f"session:{session.pk}"

    first, created = services.generate(case=case, actor=clerk, kind="transcript", subject=subject)
    assert created and first.version == 1
    again, created = services.generate(
        case=case, actor=mediator, kind="transcript", subject=subject
    )
    assert not created and again.pk == first.pk
    assert Document.objects.filter(case=case).count() == 1

    mediation.record_session(
        session=session,
        actor=mediator,
        expected_version=1,
        transcript="第二稿笔录，补充了被申请人的意见。",
        outcome="progress",
        parties=list(case.parties.all()),
    )
    second, created = services.generate(case=case, actor=clerk, kind="transcript", subject=subject)
    assert created and second.version == 2
    assert second.subject == first.subject == subject
    assert second.subject_label == "第1次调解会（2026年11月27日）"
    first.refresh_from_db()
    old, new = output(first), output(second)
    assert "第一稿笔录。" in old.pdf_flat and "第二稿" not in old.pdf_flat
    assert "第二稿笔录，补充了被申请人的意见。" in new.pdf_flat
    assert "笔录第2稿。" in new.pdf_flat
    assert first.data_sha256 != second.data_sha256
    assert first.template_sha256 == second.template_sha256

    # Each version was recorded on the case with the hashes of its files.
    events = list(
        CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.DOCUMENT_GENERATED).order_by("id")
    )
    assert [e.note for e in events] == [
        "调解笔录（第1次调解会（2026年11月27日））第1版",
        "调解笔录（第1次调解会（2026年11月27日））第2版",
    ]
    for event, document in zip(events, (first, second), strict=True):
        assert event.actor == clerk
        assert event.data == {
            "document": document.pk,
            "pdf_sha256": document.pdf.sha256,
            "docx_sha256": document.docx.sha256,
        }


def test_a_changed_office_phone_makes_a_new_version_of_the_acceptance_notice(office, clerk, head):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    first = make(case, clerk, "acceptance_notice")
    office.phone = "0728-6209999"
    office.save()
    second = make(case, clerk, "acceptance_notice")
    assert (first.version, second.version) == (1, 2)
    assert second.data["office"]["phone"] == "0728-6209999"
    assert Document.objects.filter(case=case, kind="acceptance_notice").count() == 2


def test_a_change_the_document_does_not_print_makes_no_new_version(office, clerk, head):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    first = make(case, clerk, "acceptance_notice")
    applicant = case.parties.get(role="applicant")
    case.refresh_from_db()
    records.party_update(
        party=applicant, actor=clerk, data={"phone": "13900000000"}, expected_version=case.version
    )
    again, created = services.generate(case=case, actor=clerk, kind="acceptance_notice")
    assert (again.pk, created) == (first.pk, False)


def test_reproduce_gives_the_same_bytes_as_the_stored_files(
    office, clerk, head, mediator, time_machine
):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, assigned=True)
    made = make(case, clerk, "rights_notice")
    pdf, docx = stored_bytes(made.pdf), stored_bytes(made.docx)
    assert sha256(pdf) == made.pdf.sha256
    assert sha256(docx) == made.docx.sha256
    assert (made.pdf.size, made.docx.size) == (len(pdf), len(docx))
    assert pdf.startswith(b"%PDF-")
    assert docx.startswith(b"PK")

    # Later, from what the database kept: the same bytes.
    time_machine.move_to("2027-06-01 16:30+08:00", tick=False)
    document = Document.objects.get(pk=made.pk)
    assert services.data_digest(document.data) == document.data_sha256
    again = services.reproduce(document)
    assert sha256(again.pdf) == document.pdf.sha256
    assert sha256(again.docx) == document.docx.sha256
    assert again.pdf == pdf
    assert again.docx == docx


def test_generated_files_are_kept_as_document_attachments(office, clerk, head):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    document = make(case, clerk, "acceptance_notice")
    pdf, docx = document.pdf, document.docx
    assert pdf.kind == docx.kind == Attachment.Kind.DOCUMENT
    assert pdf.case_id == docx.case_id == case.pk
    assert pdf.title == docx.title == "受理通知书第1版"
    assert pdf.original_name == "受理通知书第1版.pdf"
    assert docx.original_name == "受理通知书第1版.docx"
    assert pdf.content_type == "application/pdf"
    assert docx.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert pdf.uploaded_by == docx.uploaded_by == document.created_by == clerk
    assert document.template_name == "documents/acceptance_notice.html"
    assert document.title == "受理通知书"

    # The service refuses to delete them.
    with pytest.raises(ServiceError) as exc:
        records.attachment_remove(attachment=pdf, actor=clerk)
    assert "本工作室制作的文书不能删除" in exc.value.message
    assert Attachment.objects.filter(pk=pdf.pk).exists()


def test_a_changed_template_with_the_same_output_keeps_the_version(
    office, clerk, head, monkeypatch
):
    case = CaseFactory(office=office, created_by=clerk, head=head, accepted=True)
    first = make(case, clerk, "acceptance_notice")
    monkeypatch.setattr(services, "template_digest", lambda name: "0" * 64)
    again, created = services.generate(case=case, actor=clerk, kind="acceptance_notice")
    assert (again.pk, created) == (first.pk, False)
