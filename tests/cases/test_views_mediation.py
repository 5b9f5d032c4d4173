"""The mediation pages: assignment, sessions, extensions, termination, reports to the court."""

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    Assignment,
    Attachment,
    Case,
    CourtReport,
    Decision,
    Extension,
    Session,
    Status,
    Termination,
)
from cases.services import mediation, referral
from tests.factories import (
    CaseFactory,
    MediatorFactory,
    accepted_case,
    assigned_case,
    person,
    refer,
)
from tests.helpers import check, html_of, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


# --- Personas and cases ------------------------------------------------------------------


def assigned(office, clerk, head, mediator_user):
    """An assigned case written straight in, for tests of a page rather than of the steps."""
    return CaseFactory(
        office=office, created_by=clerk, head=head, mediator=mediator_user, assigned=True
    )


@pytest.fixture
def in_mediation(office, clerk, head, mediator):
    """A self-accepted case in mediation; its first session is tomorrow 10:00 (written straight
    in: these tests are about the pages, the steps up to here are tested with the services)."""
    return CaseFactory(
        office=office, created_by=clerk, head=head, mediator=mediator, mediating=True
    )


def referral_case(office, clerk, head, court_liaison, mediator_user, *, session=True):
    """A court referral signed for, assigned and (with ``session``) in mediation."""
    case = refer(office, court_liaison)
    referral.referral_sign_for(case=case, actor=clerk, signed_on=date(2026, 11, 27))
    profile = MediatorFactory(user=mediator_user)
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[profile], presiding=profile
    )
    mediation.declare_conflict_check(assignment=assignment, actor=mediator_user, no_conflict=True)
    if session:
        mediation.schedule_session(
            case=case,
            actor=mediator_user,
            scheduled_at=timezone.now() + timedelta(days=1),
            place="工作室调解室",
            mode="in_person",
        )
    case.refresh_from_db()
    return case


@pytest.fixture
def referred(office, clerk, head, court_liaison, mediator):
    return referral_case(office, clerk, head, court_liaison, mediator)


def propose_extension(case, actor, days=15):
    return mediation.propose_extension(
        case=case,
        actor=actor,
        days=days,
        reason="等待鉴定意见",
        consenting_parties=list(case.parties.all()),
        consent_form=pdf(),
    )


def propose_termination(case, actor):
    return mediation.propose_termination(
        case=case, actor=actor, reason="gap_too_wide", note="双方分歧较大，难以达成协议。"
    )


def terminated_referral(referred, head, mediator):
    """The referral terminated by the head (its session cancelled first): a report is sent."""
    session = referred.sessions.get()
    mediation.cancel_session(session=session, actor=mediator, reason="当事人拒绝继续调解")
    termination = propose_termination(referred, mediator)
    mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    referred.refresh_from_db()
    return referred


def url(name, *args):
    return reverse(f"cases:{name}", args=args)


def action(case, name):
    return url("action", case.pk, name)


def status(case):
    return Case.objects.get(pk=case.pk).status


# --- 1. Who may open each page ------------------------------------------------------------


REFUSED_ROLES = {"gov_liaison": 403, "admin_user": 403}


def test_assign_page_permissions(request, client, client_as, office, clerk, head):
    case = accepted_case(office, clerk, head)
    expected = {
        "other_head": 404,
        "clerk": 403,
        "mediator": 403,
        "court_liaison": 403,
        **REFUSED_ROLES,
        "head": 200,
    }
    check(request, client, client_as, url("assign", case.pk), expected)


def test_assign_page_of_a_referral_is_hidden_from_another_court(
    client_as, office, clerk, head, court_liaison, other_court_liaison
):
    case = refer(office, court_liaison)
    assert client_as(other_court_liaison).get(url("assign", case.pk)).status_code == 403
    assert client_as(head).get(url("assign", 999999)).status_code == 404


@pytest.fixture
def pending_assignment(office, clerk, head, mediator):
    case = accepted_case(office, clerk, head)
    profile = MediatorFactory(user=mediator)
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[profile], presiding=profile
    )
    return assignment


def test_declare_page_permissions(
    request, client, client_as, pending_assignment, mediator2, office, clerk, head, mediator
):
    target = url("declare", pending_assignment.case_id, pending_assignment.pk)
    expected = {
        "other_mediator": 404,
        "court_liaison": 403,  # no mediation role at all: refused before the case is looked up
        "clerk": 403,
        "head": 403,
        "mediator2": 403,
        "mediator": 200,
    }
    check(request, client, client_as, target, expected)
    # The assignment must belong to the case in the address.
    other = accepted_case(office, clerk, head, confirm=True)
    wrong_case = url("declare", other.pk, pending_assignment.pk)
    assert client_as(mediator).get(wrong_case).status_code == 404


@pytest.mark.parametrize("persona", ["gov_liaison", "admin_user"])
@pytest.mark.parametrize("page_name", ["declare", "action"])
def test_declare_and_actions_refuse_roles_without_case_access_with_403(
    request, client_as, pending_assignment, persona, page_name
):
    case = pending_assignment.case
    target = (
        url("declare", case.pk, pending_assignment.pk)
        if page_name == "declare"
        else action(case, "withdraw")
    )
    assert client_as(request.getfixturevalue(persona)).get(target).status_code == 403


def test_waiver_page_permissions(request, client, client_as, pending_assignment, mediator):
    mediation.declare_conflict_check(
        assignment=pending_assignment, actor=mediator, no_conflict=False, note="系申请人表兄"
    )
    target = url("waiver", pending_assignment.case_id, pending_assignment.pk)
    expected = {
        "other_head": 404,
        "clerk": 403,
        "mediator": 403,
        **REFUSED_ROLES,
        "head": 200,
    }
    check(request, client, client_as, target, expected)


def test_session_new_permissions(
    request, client, client_as, office, clerk, head, mediator, mediator2
):
    case = assigned(office, clerk, head, mediator)
    expected = {
        "other_mediator": 404,
        "clerk": 403,
        "court_liaison": 403,
        "mediator2": 403,
        **REFUSED_ROLES,
        "mediator": 200,
        "head": 200,
    }
    check(request, client, client_as, url("session_new", case.pk), expected)


def test_session_page_permissions(request, client, client_as, in_mediation, mediator2):
    session = in_mediation.sessions.get()
    target = url("session", in_mediation.pk, session.pk)
    expected = {
        "other_mediator": 404,
        "other_office_clerk": 404,
        "court_liaison": 404,
        **REFUSED_ROLES,
        "clerk": 200,
        "mediator2": 200,
        "mediator": 200,
        "head": 200,
    }
    check(request, client, client_as, target, expected)


def test_only_the_cases_mediators_may_record_a_session(
    client_as, in_mediation, clerk, mediator, mediator2, head
):
    session = in_mediation.sessions.get()
    target = url("session", in_mediation.pk, session.pk)
    assert "保存记录" not in html_of(client_as(mediator2).get(target))
    assert "保存记录" not in html_of(client_as(clerk).get(target))
    assert "保存记录" in html_of(client_as(mediator).get(target))
    assert "保存记录" in html_of(client_as(head).get(target))
    data = {"version": "0", "transcript": "不该保存", "outcome": "progress"}
    assert client_as(mediator2).post(target, data).status_code == 403
    assert client_as(clerk).post(target, data).status_code == 403
    assert Session.objects.get(pk=session.pk).transcript == ""


def test_referral_session_page_is_closed_to_the_court_by_default(
    client_as, referred, court_liaison, other_court_liaison
):
    # The mediation process is not public (特邀调解规定第二条): the referring court reads
    # a transcript only on a recorded ground (tests/cases/test_court_access.py).
    session = referred.sessions.get()
    target = url("session", referred.pk, session.pk)
    assert client_as(court_liaison).get(target).status_code == 404
    assert client_as(other_court_liaison).get(target).status_code == 404


def test_session_scan_permissions(request, client, client_as, in_mediation, mediator2):
    session = in_mediation.sessions.get()
    target = url("session_scan", in_mediation.pk, session.pk)
    expected = {
        "other_mediator": 404,
        "clerk": 403,
        "court_liaison": 403,
        **REFUSED_ROLES,
    }
    check(request, client, client_as, target, expected, method="post")
    assert client_as(request.getfixturevalue("mediator")).get(target).status_code == 405
    # A mediator of the office not on the case is refused in Chinese and nothing is stored.
    response = client_as(mediator2).post(target, {"file": pdf()}, follow=True)
    assert "只有本案的调解员或工作室负责人可以记录调解会。" in html_of(response)
    assert not Attachment.objects.filter(case=in_mediation).exists()


def test_session_cancel_permissions(request, client, client_as, in_mediation, mediator2):
    session = in_mediation.sessions.get()
    target = url("session_cancel", in_mediation.pk, session.pk)
    expected = {
        "other_mediator": 404,
        "clerk": 403,
        "court_liaison": 403,
        **REFUSED_ROLES,
    }
    check(request, client, client_as, target, expected, method="post")
    response = client_as(mediator2).post(target, {"reason": "我想取消"}, follow=True)
    assert "只有本案的调解员或工作室负责人可以记录调解会。" in html_of(response)
    assert Session.objects.get(pk=session.pk).status == Session.Status.SCHEDULED


@pytest.mark.parametrize(
    ("page_name", "head_status"),
    # The head terminates directly (the "terminate" action) rather than proposing it.
    [("undisputed_facts", 200), ("extension_new", 200), ("termination_new", 403)],
)
def test_mediator_work_pages_permissions(
    request, client, client_as, in_mediation, mediator2, page_name, head_status
):
    expected = {
        "other_mediator": 404,
        "clerk": 403,
        "court_liaison": 403,
        "mediator2": 403,
        **REFUSED_ROLES,
        "head": head_status,
        "mediator": 200,
    }
    check(request, client, client_as, url(page_name, in_mediation.pk), expected)


@pytest.mark.parametrize("kind", ["extension", "termination"])
def test_decision_endpoints_permissions(request, client, client_as, in_mediation, mediator, kind):
    if kind == "extension":
        item = propose_extension(in_mediation, mediator)
    else:
        item = propose_termination(in_mediation, mediator)
    target = url(f"{kind}_decide", in_mediation.pk, item.pk)
    expected = {
        "other_head": 404,
        "mediator": 403,
        "clerk": 403,
        **REFUSED_ROLES,
        # An empty decision is refused with a message, back on the case page.
        "head": 302,
    }
    check(request, client, client_as, target, expected, method="post")
    assert client_as(request.getfixturevalue("head")).get(target).status_code == 405
    item.refresh_from_db()
    assert item.status == Decision.PROPOSED


def test_extension_court_told_permissions(
    request, client, client_as, referred, mediator, head, mediator2
):
    extension = propose_extension(referred, mediator)
    mediation.decide_extension(extension=extension, actor=head, approve=True, note="")
    target = url("extension_court_told", referred.pk, extension.pk)
    expected = {
        "other_mediator": 404,
        "clerk": 403,
        "court_liaison": 403,
        "mediator2": 403,
        **REFUSED_ROLES,
        "mediator": 200,
        "head": 200,
    }
    check(request, client, client_as, target, expected)


def test_court_reports_permissions(request, client, client_as, referred, head, mediator):
    terminated_referral(referred, head, mediator)
    expected = {
        "clerk": 403,
        "mediator": 403,
        "head": 403,
        **REFUSED_ROLES,
        "other_court_liaison": 200,
        "court_liaison": 200,
    }
    check(request, client, client_as, url("court_reports"), expected)
    assert referred.case_no not in html_of(
        client_as(request.getfixturevalue("other_court_liaison")).get(url("court_reports"))
    )
    assert referred.case_no in html_of(
        client_as(request.getfixturevalue("court_liaison")).get(url("court_reports"))
    )


def test_court_report_receive_permissions(request, client, client_as, referred, head, mediator):
    terminated_referral(referred, head, mediator)
    report = referred.court_reports.get()
    target = url("court_report_receive", report.pk)
    expected = {
        "other_court_liaison": 404,
        "head": 403,
        "clerk": 403,
        **REFUSED_ROLES,
        "court_liaison": 302,
    }
    check(request, client, client_as, target, expected, method="post")
    report.refresh_from_db()
    assert report.received_at is not None
    assert client_as(request.getfixturevalue("court_liaison")).get(target).status_code == 405


@pytest.mark.parametrize(
    ("name", "allowed", "refused"),
    [
        ("begin_mediation", ["mediator", "head"], ["clerk", "mediator2"]),
        ("terminate", ["head"], ["clerk", "mediator", "mediator2"]),
        ("withdraw", ["clerk", "head"], ["mediator", "mediator2"]),
    ],
)
def test_actions_on_an_assigned_case_permissions(
    request, client, client_as, office, clerk, head, mediator, mediator2, name, allowed, refused
):
    case = assigned(office, clerk, head, mediator)
    expected = {
        "other_mediator": 404,
        "other_head": 404,
        "court_liaison": 404,
        **dict.fromkeys(refused, 403),
        **dict.fromkeys(allowed, 200),
    }
    check(request, client, client_as, action(case, name), expected)


@pytest.mark.parametrize("name", ["suspend", "reach_agreement"])
def test_mediating_actions_permissions(request, client, client_as, in_mediation, mediator2, name):
    expected = {
        "other_mediator": 404,
        "clerk": 403,
        "mediator2": 403,
        "mediator": 200,
        "head": 200,
    }
    check(request, client, client_as, action(in_mediation, name), expected)


def test_resume_permissions(request, client, client_as, in_mediation, mediator, mediator2):
    mediation.suspend(
        case=in_mediation,
        actor=mediator,
        reason="appraisal",
        note="",
        started_on=date(2026, 11, 27),
    )
    expected = {"other_mediator": 404, "clerk": 403, "mediator2": 403, "mediator": 200}
    check(request, client, client_as, action(in_mediation, "resume"), expected)


def test_transfer_and_close_permissions(request, client, client_as, referred, head, mediator):
    terminated_referral(referred, head, mediator)
    expected = {
        "other_court_liaison": 404,
        "head": 403,
        "clerk": 403,
        "court_liaison": 200,
    }
    check(request, client, client_as, action(referred, "transfer_to_filing"), expected)
    expected = {
        "other_head": 404,
        "court_liaison": 403,
        "clerk": 403,
        "mediator": 403,
        "head": 200,
    }
    check(request, client, client_as, action(referred, "close"), expected)


# --- 2. The work through the pages -----------------------------------------------------------


def test_self_accepted_case_from_assignment_to_closing(
    client_as, office, clerk, head, mediator, time_machine
):
    case = accepted_case(office, clerk, head)
    profile = MediatorFactory(user=mediator)
    head_client, mediator_client = client_as(head), client_as(mediator)

    # The head picks the mediator on the assignment page.
    page = html_of(head_client.get(url("assign", case.pk)))
    assert f'value="{profile.pk}"' in page and str(profile) in page
    response = head_client.post(url("assign", case.pk), {"mediators": [profile.pk]}, follow=True)
    assert "已指派调解员；各调解员声明不存在需要回避的情形后，指派生效。" in html_of(response)
    assert status(case) == Status.ACCEPTED

    # The mediator declares no conflict from the link on the case page.
    assignment = Assignment.objects.get(case=case)
    declare = url("declare", case.pk, assignment.pk)
    assert declare in html_of(mediator_client.get(case.get_absolute_url()))
    response = mediator_client.post(declare, {"no_conflict": "true", "note": ""}, follow=True)
    assert "已记录回避声明。" in html_of(response)
    assert status(case) == Status.ASSIGNED

    # The mediator schedules the first session: the mediation begins.
    response = mediator_client.post(
        url("session_new", case.pk),
        {"scheduled_at": "2026-11-30T09:30", "place": "工作室调解室", "mode": "in_person"},
        follow=True,
    )
    assert "已安排第1次调解会：2026-11-30 09:30，工作室调解室。" in html_of(response)
    assert status(case) == Status.IN_MEDIATION
    session = Session.objects.get(case=case)
    assert timezone.localtime(session.scheduled_at).strftime("%Y-%m-%d %H:%M") == "2026-11-30 09:30"

    # After the session, the mediator records who came, the transcript and the outcome.
    time_machine.move_to("2026-11-30 11:30+08:00", tick=False)
    # (Three days on, the sign-in has timed out: sign in again.)
    head_client, mediator_client = client_as(head), client_as(mediator)
    session_url = url("session", case.pk, session.pk)
    parties = list(case.parties.all())
    response = mediator_client.post(
        session_url,
        {
            "version": "0",
            "parties": [p.pk for p in parties],
            "mediators": [profile.pk],
            "agency_attendee": "潜江市市场监管局 张科长",
            "agency_principal_attended": "false",
            "transcript": "调解员：请申请人陈述。\n申请人：认为处罚过重。",
            "outcome": "progress",
            "outcome_note": "约定下周再谈",
        },
        follow=True,
    )
    assert "已保存第1次调解会记录。" in html_of(response)
    session.refresh_from_db()
    assert session.status == Session.Status.HELD
    assert session.transcript_version == 1
    assert session.outcome == "progress"
    assert set(session.attending_parties.all()) == set(parties)
    assert list(session.attending_mediators.all()) == [profile]

    # ...and uploads the signed transcript.
    response = mediator_client.post(
        url("session_scan", case.pk, session.pk), {"file": pdf("笔录.pdf")}, follow=True
    )
    assert "已上传签字笔录。" in html_of(response)
    session.refresh_from_db()
    assert session.transcript_scan.title == "第1次调解笔录（签字件）"
    assert "第1次调解笔录（签字件）" in html_of(response)

    # An extension every party agreed to, approved by the head on the case page.
    due_before = Case.objects.get(pk=case.pk).mediation_due
    response = mediator_client.post(
        url("extension_new", case.pk),
        {
            "days": "15",
            "reason": "等待鉴定意见",
            "consenting_parties": [p.pk for p in parties],
            "consent_form": pdf("同意书.pdf"),
        },
        follow=True,
    )
    assert "已提交延长申请，待工作室负责人审批。" in html_of(response)
    extension = Extension.objects.get(case=case)
    assert extension.status == Decision.PROPOSED
    case_page = html_of(head_client.get(case.get_absolute_url()))
    assert url("extension_decide", case.pk, extension.pk) in case_page and "批准延长" in case_page
    response = head_client.post(
        url("extension_decide", case.pk, extension.pk), {"approve": "yes", "note": ""}, follow=True
    )
    assert "已批准延长调解期限。" in html_of(response)
    extension.refresh_from_db()
    assert extension.status == Decision.APPROVED
    assert Case.objects.get(pk=case.pk).mediation_due == due_before + timedelta(days=15)

    # The mediator proposes termination; the head approves it.
    response = mediator_client.post(
        url("termination_new", case.pk),
        {"reason": "gap_too_wide", "note": "双方分歧较大，难以达成协议。"},
        follow=True,
    )
    assert "已提出终止调解，待工作室负责人审批。" in html_of(response)
    assert status(case) == Status.IN_MEDIATION
    termination = Termination.objects.get(case=case)
    response = head_client.post(
        url("termination_decide", case.pk, termination.pk),
        {"approve": "yes", "note": ""},
        follow=True,
    )
    assert "已批准终止调解。" in html_of(response)
    assert status(case) == Status.TERMINATED
    assert not CourtReport.objects.filter(case=case).exists()

    # The head closes the case.
    response = head_client.post(action(case, "close"), {"note": "调解不成，结案"}, follow=True)
    assert "已结案。" in html_of(response)
    assert status(case) == Status.CLOSED


def test_referral_from_termination_to_transfer_and_closing(
    client_as, referred, head, mediator, court_liaison
):
    mediator_client, court_client = client_as(mediator), client_as(court_liaison)
    session = referred.sessions.get()
    response = mediator_client.post(
        url("session_cancel", referred.pk, session.pk), {"reason": "申请人拒绝到场"}, follow=True
    )
    assert "已取消第1次调解会。" in html_of(response)
    assert Session.objects.get(pk=session.pk).status == Session.Status.CANCELLED

    # The mediator proposes termination; once the head approves, the report goes to the court.
    mediator_client.post(
        url("termination_new", referred.pk),
        {"reason": "party_refused", "note": "申请人明确表示不再调解。"},
    )
    termination = Termination.objects.get(case=referred)
    response = client_as(head).post(
        url("termination_decide", referred.pk, termination.pk), {"approve": "yes"}, follow=True
    )
    assert "已批准终止调解。" in html_of(response)
    assert status(referred) == Status.TERMINATED
    report = CourtReport.objects.get(case=referred)

    page = html_of(court_client.get(url("court_reports")))
    assert referred.case_no in page and "终止调解情况报告" in page
    assert "申请人明确表示不再调解。" in page and "确认接收" in page
    response = court_client.post(url("court_report_receive", report.pk), follow=True)
    assert f"已接收{referred.case_no}的终止调解情况报告。" in html_of(response)
    report.refresh_from_db()
    assert report.received_by == court_liaison

    response = court_client.post(
        action(referred, "transfer_to_filing"),
        {"filed_case_no": "（2026）鄂9005行初12号", "filed_on": "2026-11-27"},
        follow=True,
    )
    assert "已登记转立案。" in html_of(response)
    assert status(referred) == Status.TRANSFERRED_TO_FILING
    report.refresh_from_db()
    assert (report.filed_case_no, report.filed_on) == ("（2026）鄂9005行初12号", date(2026, 11, 27))
    # The filed report leaves the open queue and stays under "all".
    assert referred.case_no not in html_of(court_client.get(url("court_reports")))
    assert "已转立案 （2026）鄂9005行初12号" in html_of(
        court_client.get(url("court_reports"), {"show": "all"})
    )

    response = client_as(head).post(action(referred, "close"), {"note": ""}, follow=True)
    assert "已结案。" in html_of(response)
    assert status(referred) == Status.CLOSED


def test_approved_extension_of_a_referral_is_told_to_the_court(client_as, referred, mediator, head):
    extension = propose_extension(referred, mediator)
    client_as(head).post(
        url("extension_decide", referred.pk, extension.pk), {"approve": "yes", "note": ""}
    )
    page = html_of(client_as(mediator).get(referred.get_absolute_url()))
    assert "本案为法院委派案件，延长调解期限应告知委派法院。" in page
    response = client_as(mediator).post(
        url("extension_court_told", referred.pk, extension.pk),
        {"told_on": "2026-11-27", "how": "电话告知承办法官"},
        follow=True,
    )
    assert "已记录告知法院的情况。" in html_of(response)
    assert "已于2026年11月27日告知潜江市人民法院（电话告知承办法官）" in html_of(response)


def test_head_rejects_an_extension_with_a_reason(client_as, in_mediation, mediator, head):
    extension = propose_extension(in_mediation, mediator)
    target = url("extension_decide", in_mediation.pk, extension.pk)
    response = client_as(head).post(target, {"approve": "no", "note": ""}, follow=True)
    assert "不批准的，请说明理由。" in html_of(response)
    response = client_as(head).post(target, {"approve": "no", "note": "理由不充分"}, follow=True)
    assert "已不批准延长调解期限。" in html_of(response)
    extension.refresh_from_db()
    assert extension.status == Decision.REJECTED


def test_conflict_declared_then_waiver_recorded(client_as, pending_assignment, mediator, head):
    case = pending_assignment.case
    response = client_as(mediator).post(
        url("declare", case.pk, pending_assignment.pk),
        {"no_conflict": "false", "note": "系申请人表兄"},
        follow=True,
    )
    assert "已记录回避声明。" in html_of(response)
    assert status(case) == Status.ACCEPTED
    assert "调解员" in html_of(client_as(head).get(reverse("home")))
    response = client_as(head).post(
        url("waiver", case.pk, pending_assignment.pk),
        {"note": "双方书面同意由其继续调解", "file": pdf()},
        follow=True,
    )
    assert "的指派生效。" in html_of(response)
    assert status(case) == Status.ASSIGNED


def test_begin_resume_and_agreement_through_the_action_pages(
    client_as, office, clerk, head, mediator
):
    case = assigned_case(office, clerk, head, mediator)
    client = client_as(mediator)
    response = client.post(action(case, "begin_mediation"), follow=True)
    assert "已开始调解。" in html_of(response)
    assert status(case) == Status.IN_MEDIATION
    mediation.suspend(
        case=case,
        actor=mediator,
        reason="appraisal",
        note="委托鉴定",
        started_on=date(2026, 11, 27),
    )
    response = client.post(action(case, "resume"), {"resumed_on": "2026-11-27"}, follow=True)
    # 30 days from 2026-11-27 end on Sunday 12-27 and move to Monday (no days were paused).
    assert "已恢复调解，调解期限至2026年12月28日。" in html_of(response)
    assert status(case) == Status.IN_MEDIATION
    response = client.post(action(case, "reach_agreement"), {"note": "同意减轻处罚"}, follow=True)
    assert "已记录达成一致，请起草调解协议。" in html_of(response)
    assert status(case) == Status.AGREED


def test_suspend_through_the_action_page(client_as, in_mediation, mediator):
    response = client_as(mediator).post(
        action(in_mediation, "suspend"),
        {"reason": "appraisal", "note": "委托鉴定", "started_on": "2026-11-27"},
        follow=True,
    )
    assert "已中止调解，调解期限暂停计算。" in html_of(response)
    assert status(in_mediation) == Status.SUSPENDED


def test_head_terminates_a_referral_directly(client_as, referred, head):
    response = client_as(head).post(
        action(referred, "terminate"),
        {"reason": "party_refused", "note": "申请人明确表示不再调解。"},
        follow=True,
    )
    assert "已终止调解。已向委派法院报送终止调解情况报告。" in html_of(response)
    assert status(referred) == Status.TERMINATED
    assert referred.court_reports.get().kind == CourtReport.Kind.TERMINATION


def test_clerk_records_a_withdrawal(client_as, in_mediation, clerk):
    response = client_as(clerk).post(
        action(in_mediation, "withdraw"),
        {"withdrawn_on": "2026-11-27", "note": "申请人递交书面撤回申请"},
        follow=True,
    )
    assert "已记录申请人撤回。" in html_of(response)
    assert status(in_mediation) == Status.WITHDRAWN


def test_withdrawal_of_a_referral_is_reported_to_the_court(client_as, referred, clerk):
    response = client_as(clerk).post(
        action(referred, "withdraw"),
        {"withdrawn_on": "2026-11-27", "note": "申请人书面撤回", "file": pdf()},
        follow=True,
    )
    assert "已记录申请人撤回。已向委派法院报送撤回调解情况报告。" in html_of(response)
    assert referred.court_reports.get().kind == CourtReport.Kind.WITHDRAWAL


def test_undisputed_facts_through_the_page(client_as, in_mediation, mediator):
    response = client_as(mediator).post(
        url("undisputed_facts", in_mediation.pk),
        {"text": "处罚决定于2026年9月3日送达。", "signed_on": "2026-11-27", "file": pdf()},
        follow=True,
    )
    assert "已记录无争议事实。" in html_of(response)
    assert "处罚决定于2026年9月3日送达。" in html_of(response)


# --- 3. Bad input keeps what was typed ------------------------------------------------------


def field_error(html, name):
    """The error text shown beside one field."""
    match = re.search(rf'id="id_{name}_error">(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


def test_malformed_session_time_is_explained_and_the_form_kept(
    client_as, office, clerk, head, mediator
):
    case = assigned(office, clerk, head, mediator)
    response = client_as(mediator).post(
        url("session_new", case.pk),
        {"scheduled_at": "2026-11-31T25:99", "place": "三楼第二调解室", "mode": "video"},
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "输入一个有效的日期/时间。" in field_error(html, "scheduled_at")
    assert 'value="2026-11-31T25:99"' in html
    assert 'value="三楼第二调解室"' in html
    assert re.search(r'<option value="video"\s+selected>', html)
    assert not Session.objects.filter(case=case).exists()
    assert status(case) == Status.ASSIGNED


def test_session_before_acceptance_is_refused_beside_the_field(
    client_as, office, clerk, head, mediator
):
    case = assigned(office, clerk, head, mediator)
    response = client_as(mediator).post(
        url("session_new", case.pk),
        {"scheduled_at": "2026-11-20T09:30", "place": "工作室调解室", "mode": "in_person"},
    )
    assert "调解会时间不能早于受理日期。" in field_error(html_of(response), "scheduled_at")
    assert not Session.objects.filter(case=case).exists()


def test_extension_without_every_partys_consent_keeps_the_form(client_as, in_mediation, mediator):
    applicant = in_mediation.parties.get(role="applicant")
    response = client_as(mediator).post(
        url("extension_new", in_mediation.pk),
        {
            "days": "20",
            "reason": "申请人需要时间筹措材料",
            "consenting_parties": [applicant.pk],
            "consent_form": pdf(),
        },
    )
    html = html_of(response)
    error = field_error(html, "consenting_parties")
    assert "延长调解期限须经全体当事人同意（《特邀调解规定》第二十七条）" in error
    assert "尚未同意" in error
    assert "申请人需要时间筹措材料" in html and 'value="20"' in html
    assert re.search(rf'value="{applicant.pk}"[^>]*checked', html)
    # The chosen file cannot be kept by the browser: the page says which to choose again.
    assert "出于安全原因，浏览器不会保留已选择的文件（a.pdf），请重新选择。" in html
    assert not Extension.objects.filter(case=in_mediation).exists()
    assert not Attachment.objects.filter(case=in_mediation).exists()


def test_extension_without_a_consent_file_is_refused(client_as, in_mediation, mediator):
    response = client_as(mediator).post(
        url("extension_new", in_mediation.pk),
        {
            "days": "20",
            "reason": "申请人需要时间",
            "consenting_parties": [p.pk for p in in_mediation.parties.all()],
        },
    )
    assert "这个字段是必填项。" in field_error(html_of(response), "consent_form")
    assert "浏览器不会保留" not in html_of(response)
    assert not Extension.objects.filter(case=in_mediation).exists()


def test_termination_without_a_reason_keeps_the_note(client_as, in_mediation, mediator):
    response = client_as(mediator).post(
        url("termination_new", in_mediation.pk),
        {"reason": "", "note": "我写下的调解经过"},
    )
    html = html_of(response)
    assert "这个字段是必填项。" in field_error(html, "reason")
    assert "我写下的调解经过" in html
    assert not Termination.objects.filter(case=in_mediation).exists()


def test_transfer_with_an_empty_case_number_keeps_the_date(
    client_as, referred, head, mediator, court_liaison
):
    terminated_referral(referred, head, mediator)
    response = client_as(court_liaison).post(
        action(referred, "transfer_to_filing"), {"filed_case_no": "  ", "filed_on": "2026-11-26"}
    )
    html = html_of(response)
    assert "这个字段是必填项。" in field_error(html, "filed_case_no")
    assert 'value="2026-11-26"' in html
    assert status(referred) == Status.TERMINATED
    assert referred.court_reports.get().filed_case_no == ""


def test_too_long_transcript_is_refused_and_kept(client_as, in_mediation, mediator, time_machine):
    session = in_mediation.sessions.get()
    time_machine.move_to("2026-11-28 12:00+08:00", tick=False)
    text = "笔" * 50001
    response = client_as(mediator).post(
        url("session", in_mediation.pk, session.pk),
        {
            "version": "0",
            "agency_attendee": "李科长",
            "transcript": text,
            "outcome": "progress",
        },
    )
    html = html_of(response)
    assert "最多50000个字（现为" in field_error(html, "transcript")
    assert text in html and 'value="李科长"' in html
    session.refresh_from_db()
    assert (session.transcript, session.transcript_version) == ("", 0)


def test_transcript_before_the_session_is_held_is_refused(client_as, in_mediation, mediator):
    session = in_mediation.sessions.get()
    response = client_as(mediator).post(
        url("session", in_mediation.pk, session.pk),
        {"version": "0", "transcript": "提前写好的笔录", "outcome": "progress"},
    )
    html = html_of(response)
    assert "调解会尚未召开，不能记录笔录。" in html
    assert "提前写好的笔录" in html
    assert Session.objects.get(pk=session.pk).status == Session.Status.SCHEDULED


def test_transcript_needs_an_outcome(client_as, in_mediation, mediator, time_machine):
    session = in_mediation.sessions.get()
    time_machine.move_to("2026-11-28 12:00+08:00", tick=False)
    response = client_as(mediator).post(
        url("session", in_mediation.pk, session.pk),
        {"version": "0", "transcript": "双方各自陈述", "outcome": ""},
    )
    assert "记录笔录的，请选择本次调解的结果。" in field_error(html_of(response), "outcome")


def test_malformed_and_unknown_session_ids(client_as, in_mediation, mediator, office, clerk, head):
    client = client_as(mediator)
    session = in_mediation.sessions.get()
    assert client.get(f"/cases/{in_mediation.pk}/sessions/abc/").status_code == 404
    assert client.get(f"/cases/{in_mediation.pk}/sessions/999999/").status_code == 404
    assert client.get(f"/cases/abc/sessions/{session.pk}/").status_code == 404
    # A session reached through another case's address is not found either.
    other = accepted_case(office, clerk, head, confirm=True)
    assert client.get(url("session", other.pk, session.pk)).status_code == 404
    assert (
        client.post(url("session_scan", other.pk, session.pk), {"file": pdf()}).status_code == 404
    )
    assert client.get(f"/cases/{in_mediation.pk}/extensions/abc/court-told/").status_code == 404
    assert client_as(head).post(url("extension_decide", in_mediation.pk, 999999)).status_code == 404
    assert (
        client_as(head).post(url("termination_decide", in_mediation.pk, 999999)).status_code == 404
    )


def test_assigning_two_mediators_needs_a_presiding_one(
    client_as, office, clerk, head, mediator, mediator2
):
    case = accepted_case(office, clerk, head)
    first, second = MediatorFactory(user=mediator), mediator2.mediator_profile
    response = client_as(head).post(
        url("assign", case.pk), {"mediators": [first.pk, second.pk], "presiding": ""}
    )
    html = html_of(response)
    assert "指派两名以上调解员的，请确定一名主持调解员。" in field_error(html, "presiding")
    assert re.search(rf'value="{first.pk}"[^>]*checked', html)
    assert re.search(rf'value="{second.pk}"[^>]*checked', html)
    assert not Assignment.objects.filter(case=case).exists()


def test_a_mediator_of_another_office_cannot_be_assigned(
    client_as, office, clerk, head, other_mediator
):
    case = accepted_case(office, clerk, head)
    response = client_as(head).post(
        url("assign", case.pk), {"mediators": [other_mediator.mediator_profile.pk]}
    )
    assert "选择一个有效的选项" in field_error(html_of(response), "mediators")
    assert not Assignment.objects.filter(case=case).exists()


def test_transfer_with_an_unusual_case_number_waits_for_confirmation(
    client_as, referred, head, mediator, court_liaison
):
    terminated_referral(referred, head, mediator)
    client = client_as(court_liaison)
    target = action(referred, "transfer_to_filing")
    typed = {"filed_case_no": "行初12号", "filed_on": "2026-11-27"}
    html = html_of(client.post(target, typed))
    assert (
        "案号“行初12号”与人民法院案号的通常格式不符（应如（2026）鄂9005行初12号）。"
        "核对无误的，请勾选“案号格式已核对”后再保存。" in field_error(html, "filed_case_no")
    )
    assert 'value="行初12号"' in html  # what was typed is kept
    referred.refresh_from_db()
    assert referred.status == Status.TERMINATED
    response = client.post(target, {**typed, "number_confirmed": "on"}, follow=True)
    assert "已登记转立案。" in html_of(response)
    assert referred.court_reports.get().filed_case_no == "行初12号"


def test_transfer_before_the_referral_was_received_is_refused(
    client_as, referred, head, mediator, court_liaison
):
    terminated_referral(referred, head, mediator)
    response = client_as(court_liaison).post(
        action(referred, "transfer_to_filing"),
        {"filed_case_no": "（2026）鄂9005行初12号", "filed_on": "2020-01-02"},
    )
    received = f"{referred.received_date.year}年{referred.received_date.month}月"
    assert f"立案日期不能早于工作室收到委派的日期（{received}" in field_error(
        html_of(response), "filed_on"
    )
    referred.refresh_from_db()
    assert referred.status == Status.TERMINATED


def test_head_proposing_an_extension_approves_it_at_once(client_as, in_mediation, head):
    response = client_as(head).post(
        url("extension_new", in_mediation.pk),
        {
            "days": "10",
            "reason": "当事人申请",
            "consenting_parties": [p.pk for p in in_mediation.parties.all()],
            "consent_form": pdf(),
        },
        follow=True,
    )
    assert "已批准延长调解期限。" in html_of(response)
    assert Extension.objects.get(case=in_mediation).status == Decision.APPROVED


def test_a_fake_consent_file_is_refused_beside_its_field(client_as, in_mediation, mediator):
    response = client_as(mediator).post(
        url("extension_new", in_mediation.pk),
        {
            "days": "10",
            "reason": "当事人申请",
            "consenting_parties": [p.pk for p in in_mediation.parties.all()],
            "consent_form": SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>"),
        },
    )
    html = html_of(response)
    assert not Extension.objects.filter(case=in_mediation).exists()
    assert "文件内容与扩展名不符" in html
    assert "文件内容与扩展名不符" in field_error(html, "consent_form")


def test_transcript_of_a_closed_case_cannot_be_rewritten(
    client_as, in_mediation, mediator, head, time_machine
):
    session = in_mediation.sessions.get()
    time_machine.move_to("2026-11-28 12:00+08:00", tick=False)
    mediation.record_session(
        session=session, actor=mediator, expected_version=0, transcript="原笔录", outcome="progress"
    )
    termination = propose_termination(in_mediation, mediator)
    mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    mediation.close_case(case=in_mediation, actor=head)
    target = url("session", in_mediation.pk, session.pk)
    client = client_as(mediator)
    client.post(target, {"version": "1", "transcript": "结案后改写的笔录", "outcome": "progress"})
    assert Session.objects.get(pk=session.pk).transcript == "原笔录"
    assert "保存记录" not in html_of(client.get(target))


# --- 4. Two people editing one transcript ---------------------------------------------------


def test_second_save_of_a_transcript_does_not_overwrite_the_first(
    client_as, in_mediation, mediator, head, time_machine
):
    session = in_mediation.sessions.get()
    time_machine.move_to("2026-11-28 12:00+08:00", tick=False)
    target = url("session", in_mediation.pk, session.pk)
    mediator_client, head_client = client_as(mediator), client_as(head)
    # Both open the page at the same version.
    for client in (mediator_client, head_client):
        assert 'name="version" value="0"' in html_of(client.get(target))
    first = {"version": "0", "transcript": "调解员记录的笔录", "outcome": "progress"}
    response = mediator_client.post(target, first, follow=True)
    assert "已保存第1次调解会记录。" in html_of(response)

    second = {"version": "0", "transcript": "负责人记录的不同笔录", "outcome": "no_agreement"}
    html = html_of(head_client.post(target, second))
    assert "其他人已保存了这份笔录" in html
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1)
    assert "负责人记录的不同笔录" in textarea
    assert re.search(r"<pre[^>]*>调解员记录的笔录</pre>", html)
    assert 'name="version" value="1"' in html
    session.refresh_from_db()
    assert (session.transcript, session.outcome, session.transcript_version) == (
        "调解员记录的笔录",
        "progress",
        1,
    )

    # Having compared them, the head saves the merged text on the new version.
    merged = {"version": "1", "transcript": "合并后的笔录", "outcome": "no_agreement"}
    response = head_client.post(target, merged, follow=True)
    assert "已保存第1次调解会记录。" in html_of(response)
    session.refresh_from_db()
    assert (session.transcript, session.transcript_version) == ("合并后的笔录", 2)


def test_a_plain_validation_error_does_not_claim_someone_else_saved(
    client_as, in_mediation, mediator, time_machine
):
    session = in_mediation.sessions.get()
    time_machine.move_to("2026-11-28 12:00+08:00", tick=False)
    target = url("session", in_mediation.pk, session.pk)
    client = client_as(mediator)
    client.post(target, {"version": "0", "transcript": "第一稿", "outcome": "progress"})
    html = html_of(client.post(target, {"version": "1", "transcript": "第二稿", "outcome": ""}))
    assert "记录笔录的，请选择本次调解的结果。" in html
    assert "其他人已保存的最新笔录" not in html


# --- 5. An extension and a termination at once ------------------------------------------------


def test_extension_pending_when_termination_is_approved_cannot_then_be_approved(
    client_as, in_mediation, mediator, head
):
    extension = propose_extension(in_mediation, mediator)
    termination = propose_termination(in_mediation, mediator)
    head_client = client_as(head)
    response = head_client.post(
        url("termination_decide", in_mediation.pk, termination.pk),
        {"approve": "yes", "note": ""},
        follow=True,
    )
    assert "已批准终止调解。" in html_of(response)
    # The head's page still showed the extension's form: approving it is refused in Chinese.
    response = head_client.post(
        url("extension_decide", in_mediation.pk, extension.pk),
        {"approve": "yes", "note": ""},
        follow=True,
    )
    html = html_of(response)
    assert "该延长申请已经审批（未批准）" in html
    assert "已批准延长调解期限。" not in html
    extension.refresh_from_db()
    # The extension lapsed with the termination; it was never approved.
    assert (extension.status, extension.decision_note) == (
        Decision.REJECTED,
        "调解已终止，不再审批。",
    )
    case = Case.objects.get(pk=in_mediation.pk)
    assert (case.status, case.mediation_due) == (Status.TERMINATED, None)


def test_termination_while_another_is_pending_is_refused(client_as, in_mediation, mediator):
    propose_termination(in_mediation, mediator)
    response = client_as(mediator).post(
        url("termination_new", in_mediation.pk), {"reason": "other", "note": "再次提出"}
    )
    assert "已有一项终止调解申请等待审批。" in html_of(response)
    assert Termination.objects.filter(case=in_mediation).count() == 1


def test_extension_left_pending_by_a_termination_leaves_the_approvals(
    client_as, in_mediation, mediator, head
):
    extension = propose_extension(in_mediation, mediator)
    termination = propose_termination(in_mediation, mediator)
    mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    assert "延长调解期限15日" not in html_of(client_as(head).get(reverse("home")))
    extension.refresh_from_db()
    assert extension.status == Decision.REJECTED


# --- 6. Queries that do not grow with the rows -----------------------------------------------


@pytest.mark.parametrize("parties", [1, 8])
def test_session_page_query_count_stays_flat(
    client_as, office, clerk, head, mediator, django_assert_num_queries, parties
):
    from cases.services import records

    case = CaseFactory(
        office=office, created_by=clerk, head=head, mediator=mediator, mediating=True
    )
    for index in range(parties - 1):
        case.refresh_from_db()
        records.party_add(
            case=case,
            actor=clerk,
            role="third_party",
            data=person(name=f"第三人{index}", id_type="passport", id_number=f"E{index:07d}"),
            expected_version=case.version,
        )
    session = case.sessions.get()
    session.attending_parties.set(case.parties.all())
    target = url("session", case.pk, session.pk)
    client = client_as(mediator)
    with django_assert_num_queries(SESSION_PAGE_QUERIES):
        html = html_of(client.get(target))
    assert html.count('name="parties"') == case.parties.count()


SESSION_PAGE_QUERIES = 13
COURT_REPORTS_QUERIES = 8  # the transfer packages are one query more


@pytest.mark.parametrize("reports", [2, 10])
def test_court_reports_query_count_stays_flat(
    client_as, office, clerk, head, mediator, court_liaison, django_assert_num_queries, reports
):
    from cases.models import Attachment
    from cases.services import court_access, records

    for _ in range(reports):
        case = referral_case(office, clerk, head, court_liaison, mediator, session=False)
        termination = propose_termination(case, mediator)
        mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    evidence = records.attachment_add(
        case=case, actor=clerk, kind=Attachment.Kind.EVIDENCE, title="现场照片", upload=pdf()
    )
    court_access.choose_transfer_package(case=case, actor=head, attachments=[evidence])
    client = client_as(court_liaison)
    with django_assert_num_queries(COURT_REPORTS_QUERIES):
        html = html_of(client.get(url("court_reports")))
    assert html.count("确认接收") == reports
    # Each card's case, letter, agency and sender, and the package, read with the page.
    case.refresh_from_db()
    assert f"委派函 {case.referral.letter_no}" in html and f"由{head.name}报送" in html
    assert "现场照片" in html and "移送材料清单（1项）" in html
