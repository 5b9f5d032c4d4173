"""The minimum necessary for the court: transcripts closed by default, opened by the setting
or a recorded ground (each view logged), the office's notes never shown, and the transfer
package the office chooses (特邀调解规定第二条、第二十一条、第二十二条、第二十六条)."""

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import Attachment, CaseEvent, Notification, TranscriptAccess, TransferItem
from cases.services import court_access, mediation, records, referral
from cases.services.common import ServiceError
from cases.workflow import NotPermitted
from documents import services as documents
from tests.factories import MediatorFactory, refer
from tests.helpers import check, html_of, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TRANSCRIPT = "申请人表示罚款减半即可接受"
OUTCOME_NOTE = "申请人底线为减半"
DECLARATION = "与申请人系远房亲戚但不影响公正"
EVIDENCE = b"%PDF-1.4\n% evidence\n%%EOF\n"


def url(name, *args):
    return reverse(f"cases:{name}", args=args)


def referral_with_transcript(office, clerk, head, court_liaison, mediator_user):
    """A referral whose held session has a transcript and a signed scan, then terminated."""
    case = refer(office, court_liaison)
    referral.referral_sign_for(case=case, actor=clerk, signed_on=date(2026, 11, 27))
    profile = MediatorFactory(user=mediator_user)
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[profile], presiding=profile
    )
    mediation.declare_conflict_check(
        assignment=assignment, actor=mediator_user, no_conflict=True, note=DECLARATION
    )
    session = mediation.schedule_session(
        case=case,
        actor=mediator_user,
        scheduled_at=timezone.now() - timedelta(hours=2),
        place="工作室调解室",
        mode="in_person",
    )
    mediation.record_session(
        session=session,
        actor=mediator_user,
        expected_version=0,
        transcript=TRANSCRIPT,
        outcome="no_agreement",
        outcome_note=OUTCOME_NOTE,
    )
    mediation.attach_transcript_scan(session=session, actor=mediator_user, upload=pdf("笔录.pdf"))
    evidence = records.attachment_add(
        case=case,
        actor=clerk,
        kind=Attachment.Kind.EVIDENCE,
        title="行政处罚决定书",
        upload=SimpleUploadedFile("决定书.pdf", EVIDENCE, content_type="application/pdf"),
    )
    records.attachment_add(
        case=case, actor=clerk, kind=Attachment.Kind.ID_COPY, title="身份证复印件", upload=pdf()
    )
    termination = mediation.propose_termination(
        case=case, actor=mediator_user, reason="gap_too_wide", note="双方分歧较大，难以达成协议。"
    )
    mediation.decide_termination(termination=termination, actor=head, approve=True, note="同意")
    case.refresh_from_db()
    session.refresh_from_db()
    return case, session, evidence


@pytest.fixture
def terminated(office, clerk, head, court_liaison, mediator):
    return referral_with_transcript(office, clerk, head, court_liaison, mediator)


def make_documents(case, session, clerk):
    report = case.court_reports.get()
    termination_report, _ = documents.generate(
        case=case, actor=clerk, kind="termination_report", subject=f"report:{report.pk}"
    )
    transcript, _ = documents.generate(
        case=case, actor=clerk, kind="transcript", subject=f"session:{session.pk}"
    )
    return termination_report, transcript


def doc_url(document, fmt="pdf"):
    return reverse("documents:download", args=[document.case_id, document.pk, fmt])


def grant(case, actor, **overrides):
    data = {
        "basis": TranscriptAccess.Basis.COURT_REQUEST,
        "dated_on": date(2026, 11, 26),
        "reference": "（2026）鄂9005调取3号",
    }
    data.update(overrides)
    return court_access.grant_transcript_access(case=case, actor=actor, **data)


def views_logged(case):
    return CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSCRIPT_VIEWED).count()


# --- Closed by default --------------------------------------------------------------------


def test_court_cannot_open_a_transcript_by_default(
    client_as, terminated, clerk, court_liaison, mediator
):
    case, session, _ = terminated
    termination_report, transcript = make_documents(case, session, clerk)
    court = client_as(court_liaison)
    assert court.get(url("session", case.pk, session.pk)).status_code == 404
    assert (
        court.get(url("attachment_download", case.pk, session.transcript_scan_id)).status_code
        == 404
    )
    for fmt in ("pdf", "docx"):
        assert court.get(doc_url(transcript, fmt)).status_code == 404
    assert court.get(url("attachment_download", case.pk, transcript.pdf_id)).status_code == 404
    # What it always reads: the termination report.
    assert court.get(doc_url(termination_report)).status_code == 200
    assert views_logged(case) == 0
    # The office reads it all, unlogged.
    office = client_as(mediator)
    assert TRANSCRIPT in html_of(office.get(url("session", case.pk, session.pk)))
    assert office.get(doc_url(transcript)).status_code == 200
    assert views_logged(case) == 0


def test_court_sees_no_transcript_nor_note_on_any_page_it_reaches(
    client_as, terminated, clerk, court_liaison
):
    case, session, _ = terminated
    termination_report, transcript = make_documents(case, session, clerk)
    court = client_as(court_liaison)
    pages = {
        "case": html_of(court.get(case.get_absolute_url())),
        "referrals": html_of(court.get(url("referrals"))),
        "reports": html_of(court.get(url("court_reports") + "?show=all")),
        "confirmations": html_of(court.get(reverse("agreements:confirmations"))),
    }
    for name, html in pages.items():
        for secret in (TRANSCRIPT, OUTCOME_NOTE, DECLARATION, "审批意见", "笔录.pdf"):
            assert secret not in html, (name, secret)
    page = pages["case"]
    # What it reads: the state, the report, the termination; not the session page nor scans.
    assert "双方分歧较大，难以达成协议。" in page
    assert url("session", case.pk, session.pk) not in page
    assert "第1次调解笔录（签字件）" not in page
    assert "身份证复印件" not in page
    assert "行政处罚决定书" not in page
    assert "不能查阅调解笔录" in page
    assert "终止调解情况报告" in page
    # Its documents section offers only what it may download.
    assert doc_url(termination_report) in page
    assert doc_url(transcript) not in page
    assert doc_url(transcript, "docx") not in page


def test_office_sees_what_the_court_can_see(client_as, terminated, mediator):
    case, _, _ = terminated
    html = html_of(client_as(mediator).get(case.get_absolute_url()))
    assert "法院可查阅：委派信息、当事人姓名、案件状态和期限、终止调解情况报告" in html
    assert "笔录：不公开（未经当事人同意或法院书面调取）" in html
    assert TRANSCRIPT not in html  # the case page never prints a transcript
    # The notes the court does not read are the office's: on its page, in the section
    # and in the timeline.
    assert html.count(DECLARATION) == 2
    assert "审批意见：同意" in html
    assert "请选择移送法院的材料" in html


# --- Opened by the setting ------------------------------------------------------------------


@override_settings(COURT_SEES_TRANSCRIPTS=True)
def test_setting_opens_transcripts_to_the_court_and_each_view_is_logged(
    client_as, terminated, clerk, court_liaison, mediator
):
    case, session, _ = terminated
    _, transcript = make_documents(case, session, clerk)
    court = client_as(court_liaison)
    assert TRANSCRIPT in html_of(court.get(url("session", case.pk, session.pk)))
    assert (
        court.get(url("attachment_download", case.pk, session.transcript_scan_id)).status_code
        == 200
    )
    assert court.get(doc_url(transcript)).status_code == 200
    assert views_logged(case) == 3
    event = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSCRIPT_VIEWED).first()
    assert event.actor == court_liaison
    assert event.data == {"session": session.pk, "attachment": None}
    assert "第1次调解会的笔录页面" in event.note
    scan, document = CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.TRANSCRIPT_VIEWED
    ).order_by("id")[1:]
    assert scan.data == {"session": session.pk, "attachment": session.transcript_scan_id}
    assert "第1次调解会的“第1次调解笔录（签字件）”" in scan.note
    assert document.data == {"session": session.pk, "attachment": transcript.pdf_id}
    office_page = html_of(client_as(mediator).get(case.get_absolute_url()))
    assert "法院查阅调解笔录" in office_page
    assert "笔录：可查阅（系统设置向法院公开全部调解笔录" in office_page
    assert "法院查阅调解笔录" not in html_of(court.get(case.get_absolute_url()))


# --- Opened per case by a recorded ground, closed by its withdrawal ------------------------


def test_a_ground_opens_that_case_only_and_withdrawal_closes_it(
    client_as, office, clerk, head, court_liaison, mediator, mediator2, terminated
):
    case, session, _ = terminated
    other, other_session, _ = referral_with_transcript(
        office, clerk, head, court_liaison, mediator2
    )
    court = client_as(court_liaison)
    target = url("session", case.pk, session.pk)

    response = client_as(mediator).post(
        url("transcript_access_new", case.pk),
        {
            "basis": "consent",
            "dated_on": "2026-11-26",
            "reference": "双方当事人书面同意",
            "file": pdf("同意书.pdf"),
        },
        follow=True,
    )
    assert "可以查阅本案调解笔录；每次查阅都会记录。" in html_of(response)
    access = TranscriptAccess.objects.get(case=case)
    assert (access.basis, access.recorded_by, access.document.title) == (
        "consent",
        mediator,
        "当事人同意（查阅调解笔录）",
    )

    notice = Notification.objects.get(recipient=court_liaison, key__startswith="transcripts:")
    assert notice.title == f"{case.display_number}：委派法院可以查阅调解笔录"
    assert notice.body == "当事人同意（双方当事人书面同意）"
    assert TRANSCRIPT in html_of(court.get(target))
    assert court.get(target).status_code == 200
    assert views_logged(case) == 2
    assert court.get(url("session", other.pk, other_session.pk)).status_code == 404
    assert views_logged(other) == 0
    court_page = html_of(court.get(case.get_absolute_url()))
    assert target in court_page  # the sessions table links the page now
    assert "登记法院查阅笔录依据" in court_page

    response = client_as(head).post(
        url("transcript_access_withdraw", case.pk, access.pk),
        {"note": "当事人撤回同意"},
        follow=True,
    )
    assert "已撤销当事人同意的登记。" in html_of(response)
    assert Notification.objects.filter(
        recipient=court_liaison, title=f"{case.display_number}：查阅调解笔录的依据已撤销"
    ).exists()
    assert court.get(target).status_code == 404
    assert views_logged(case) == 2
    office_page = html_of(client_as(head).get(case.get_absolute_url()))
    assert "撤销法院查阅笔录依据" in office_page
    assert "已于2026-11-27撤销：当事人撤回同意" in office_page


def test_recording_a_ground_refuses_bad_input_in_chinese(client_as, terminated, head):
    case, _, _ = terminated
    response = client_as(head).post(
        url("transcript_access_new", case.pk),
        {"basis": "court_request", "dated_on": "2026-11-26", "reference": ""},
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "这个字段是必填项。" in html
    assert 'value="2026-11-26"' in html  # what was typed is kept
    assert not TranscriptAccess.objects.exists()
    with pytest.raises(ServiceError) as exc:
        grant(case, head, reference=" ")
    assert exc.value.message == "请写明法院调取函的文号，或当事人同意的方式（如书面同意书）。"
    with pytest.raises(ServiceError) as exc:
        grant(case, head, dated_on=date(2026, 12, 1))
    assert exc.value.message == "日期不能晚于今天。"


def test_only_the_cases_mediator_or_head_records_a_ground(terminated, clerk, mediator2, head):
    case, _, _ = terminated
    for user in (clerk, mediator2):
        with pytest.raises(NotPermitted) as exc:
            grant(case, user)
        assert exc.value.message == "只有本案的调解员或工作室负责人可以登记法院查阅笔录的依据。"
    access = grant(case, head)
    with pytest.raises(NotPermitted):
        court_access.withdraw_transcript_access(access=access, actor=clerk, note="误登")
    court_access.withdraw_transcript_access(access=access, actor=head, note="误登")
    with pytest.raises(ServiceError) as exc:
        court_access.withdraw_transcript_access(access=access, actor=head, note="误登")
    assert exc.value.message == "该查阅依据已经撤销。"


def test_ground_pages_permissions(
    request, client, client_as, office, clerk, head, court_liaison, mediator, other_head, terminated
):
    case, _, _ = terminated
    expected = {
        "head": 200,
        "mediator": 200,
        "mediator2": 403,
        "clerk": 403,
        "court_liaison": 403,
        "other_court_liaison": 403,
        "other_head": 404,
    }
    check(request, client, client_as, url("transcript_access_new", case.pk), expected)
    access = grant(case, head)
    check(
        request,
        client,
        client_as,
        url("transcript_access_withdraw", case.pk, access.pk),
        expected,
    )


def test_court_of_another_court_never_reads_the_transcripts(
    client_as, terminated, head, other_court_liaison
):
    case, session, _ = terminated
    grant(case, head)
    other = client_as(other_court_liaison)
    assert other.get(url("session", case.pk, session.pk)).status_code == 404
    assert (
        other.get(url("attachment_download", case.pk, session.transcript_scan_id)).status_code
        == 404
    )
    assert other.get(case.get_absolute_url()).status_code == 404


# --- The transfer package ------------------------------------------------------------------


def test_office_chooses_the_package_and_the_court_downloads_exactly_it(
    client, client_as, terminated, clerk, head, court_liaison, other_court_liaison, other_head
):
    case, session, evidence = terminated
    termination_report, transcript = make_documents(case, session, clerk)
    id_copy = case.attachments.get(kind=Attachment.Kind.ID_COPY)
    office = client_as(head)
    form = html_of(office.get(url("transfer_package", case.pk)))
    # The termination report is ticked first; transcripts are not offered.
    assert re.search(rf'value="{termination_report.pdf_id}"[^>]*checked', form)
    assert not re.search(rf'value="{evidence.pk}"[^>]*checked', form)
    assert "第1次调解笔录（签字件）" not in form
    assert f'value="{transcript.pdf_id}"' not in form
    response = office.post(
        url("transfer_package", case.pk),
        {"attachments": [termination_report.pdf_id, evidence.pk]},
        follow=True,
    )
    assert f"已确定移送{case.court}的材料2项。" in html_of(response)
    items = TransferItem.objects.filter(case=case)
    assert {i.attachment_id for i in items} == {termination_report.pdf_id, evidence.pk}
    assert {i.chosen_by for i in items} == {head}
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.TRANSFER_PACKAGE_CHOSEN)
    assert "行政处罚决定书" in event.note

    court = client_as(court_liaison)
    page = html_of(court.get(case.get_absolute_url()))
    listing = page.split('aria-label="移送材料清单"', 1)[1].split("</ol>", 1)[0]
    assert "终止调解情况报告（终止调解情况报告（2026年11月27日））第1版.pdf" in listing
    assert "行政处罚决定书" in listing
    assert listing.count("<li>") == 2
    assert "身份证复印件" not in page
    for attachment_pk in (termination_report.pdf_id, evidence.pk):
        response = court.get(url("attachment_download", case.pk, attachment_pk))
        assert response.status_code == 200
    assert (
        b"".join(court.get(url("attachment_download", case.pk, evidence.pk)).streaming_content)
        == EVIDENCE
    )
    # Besides the package only what it always reads (the report in either format).
    assert (
        court.get(url("attachment_download", case.pk, termination_report.docx_id)).status_code
        == 200
    )
    for attachment_pk in (id_copy.pk, transcript.pdf_id, session.transcript_scan_id):
        assert court.get(url("attachment_download", case.pk, attachment_pk)).status_code == 404
    reports = html_of(court.get(url("court_reports") + "?show=all"))
    assert "移送材料清单（2项）" in reports
    assert "身份证复印件" not in reports
    other = client_as(other_court_liaison)
    assert other.get(url("attachment_download", case.pk, evidence.pk)).status_code == 404
    assert client.get(url("attachment_download", case.pk, evidence.pk)).status_code == 302
    assert "移送材料清单" in html_of(client_as(head).get(case.get_absolute_url()))
    assert (
        client_as(other_head).get(url("attachment_download", case.pk, evidence.pk)).status_code
        == 404
    )

    # Choosing again replaces the list.
    office.post(url("transfer_package", case.pk), {"attachments": [evidence.pk]})
    assert court.get(url("attachment_download", case.pk, evidence.pk)).status_code == 200
    assert court.get(doc_url(termination_report)).status_code == 200  # always readable
    assert list(TransferItem.objects.filter(case=case).values_list("attachment_id", flat=True)) == [
        evidence.pk
    ]


def test_package_refuses_a_transcript_and_an_empty_choice(client_as, terminated, head):
    case, session, _ = terminated
    with pytest.raises(ServiceError) as exc:
        court_access.choose_transfer_package(
            case=case, actor=head, attachments=[session.transcript_scan]
        )
    assert exc.value.message == "只能选择本案的材料和文书（调解笔录不随材料移送）。"
    response = client_as(head).post(url("transfer_package", case.pk), {"attachments": []})
    assert "请至少选择一项移送法院的材料。" in html_of(response)
    assert not TransferItem.objects.exists()


def test_package_is_chosen_only_after_the_report(client_as, office, court_liaison, head):
    case = refer(office, court_liaison)
    assert client_as(head).get(url("transfer_package", case.pk)).status_code == 403
    with pytest.raises(NotPermitted) as exc:
        court_access.choose_transfer_package(case=case, actor=head, attachments=[])
    assert exc.value.message == "调解终止或申请人撤回、向法院报送报告后，才能确定移送的材料。"


def test_package_page_permissions(request, client, client_as, terminated):
    case, _, _ = terminated
    check(
        request,
        client,
        client_as,
        url("transfer_package", case.pk),
        {
            "head": 200,
            "mediator": 200,
            "mediator2": 403,
            "clerk": 403,
            "court_liaison": 403,
            "other_court_liaison": 403,
            "other_head": 404,
        },
    )


def test_courts_case_page_query_count_stays_flat(client_as, terminated, clerk, head, court_liaison):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case, _, evidence = terminated
    court = client_as(court_liaison)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert court.get(case.get_absolute_url()).status_code == 200
        return len(queries)

    # One row of each kind first: a kind without rows is not read at all (prefetch_present).
    court_access.choose_transfer_package(case=case, actor=head, attachments=[evidence])
    grant(case, head)
    before = count()
    more = [
        records.attachment_add(
            case=case, actor=clerk, kind=Attachment.Kind.EVIDENCE, title=f"证据{i}", upload=pdf()
        )
        for i in range(4)
    ]
    court_access.choose_transfer_package(case=case, actor=head, attachments=[evidence, *more])
    grant(case, head, reference="（2026）鄂9005调取4号")
    assert count() == before


def test_the_service_refuses_to_log_a_reading_the_court_may_not_make(
    terminated, court_liaison, other_court_liaison, mediator, head
):
    case, session, _ = terminated
    with pytest.raises(NotPermitted) as exc:
        court_access.record_transcript_view(case=case, actor=court_liaison, session=session)
    assert exc.value.message == "本案调解笔录不公开。"
    # The office reads its own transcripts without a trace on the timeline.
    assert court_access.record_transcript_view(case=case, actor=mediator, session=session) is None
    grant(case, head)
    with pytest.raises(NotPermitted):
        court_access.record_transcript_view(case=case, actor=other_court_liaison, session=session)
    event = court_access.record_transcript_view(case=case, actor=court_liaison, session=session)
    assert (event.kind, event.actor, event.data["session"]) == (
        CaseEvent.Kind.TRANSCRIPT_VIEWED,
        court_liaison,
        session.pk,
    )
