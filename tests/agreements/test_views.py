"""The agreement pages: drafting, checklist, signing, confirmation, performance, the case
panel, and the case actions and dashboard that now take the agreement into account."""

import itertools
import re
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from agreements.models import (
    Agreement,
    ChecklistAnswer,
    ChecklistItem,
    Confirmation,
    Obligation,
    Signature,
)
from agreements.selectors import performance_list
from agreements.services import agreement as agreement_services
from agreements.services import confirmation as confirmation_services
from agreements.services import performance as performance_services
from cases.models import Case, Status
from cases.services import mediation, records, referral
from tests.factories import (
    CaseFactory,
    MediatorFactory,
    accepted_case,
    agreement_for,
    obligation_data,
    passing_checklist,
    person,
    refer,
)
from tests.helpers import check, html_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = date(2026, 11, 27)
MATERIALS = ["agreement", "presiding_proof", "identity"]


# --- Personas -------------------------------------------------------------------------------


# --- Cases and agreements -------------------------------------------------------------------

_ids = itertools.count(1)


def distinct_applicant(name=None) -> dict:
    """An applicant with a passport number of its own, so registrations are not duplicates."""
    n = next(_ids)
    return person(name=name or f"申请人{n}", id_type="passport", id_number=f"E{n:07d}")


def another_agreed_case(office, clerk, head, mediator_user, **overrides):
    """An agreed case written straight in (pages read it; the steps are tested elsewhere)."""
    return CaseFactory(
        office=office,
        created_by=clerk,
        head=head,
        mediator=mediator_user,
        agreed=True,
        applicants=[distinct_applicant()],
        **overrides,
    )


def obligation_rows(case, count, *, first_due=TODAY + timedelta(days=3)):
    """``count`` obligations alternating between the two sides, due within the week."""
    applicant = case.parties.get(role="applicant")
    respondent = case.parties.get(role="respondent")
    return [
        {
            "obligor": respondent if index % 2 == 0 else applicant,
            "kind": "other",
            "description": f"第{index + 1}项约定事项",
            "amount": None,
            "due_date": first_due + timedelta(days=index % 5),
            "method": "书面告知",
        }
        for index in range(count)
    ]


def drafted(case, mediator_user, obligations=None):
    """A draft with its content and obligations filled in, not yet checked."""
    agreement = agreement_services.draft_agreement(case=case, actor=mediator_user)
    return agreement_services.update_agreement(
        agreement=agreement,
        actor=mediator_user,
        data={
            "result": "被申请人撤销处罚决定，申请人撤回复议申请。",
            "confirmation_intended": True,
        },
        obligations=obligations if obligations is not None else obligation_data(case),
        expected_version=agreement.edit_version,
    )


def sign_everything(agreement, clerk, mediator_user):
    """Checklist, every party's signature, the mediator's and the seal: effective today."""
    case = agreement.case
    agreement_services.answer_checklist(
        agreement=agreement, actor=mediator_user, answers=passing_checklist()
    )
    for party in case.parties.all():
        agency = party.kind == "agency"
        agreement_services.record_signature(
            agreement=agreement,
            actor=clerk,
            party=party,
            signer_name=party.name,
            capacity="agency_seal" if agency else "in_person",
            method="seal" if agency else "signature",
            signed_on=TODAY,
        )
    agreement_services.record_mediator_signature(
        agreement=agreement, actor=mediator_user, signed_on=TODAY
    )
    agreement_services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=TODAY)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.EFFECTIVE
    return agreement


def effective_with(case, clerk, mediator_user, obligations):
    """Signed by everyone today, written straight in (``sign_everything`` takes the steps)."""
    return agreement_for(case, mediator_user, clerk, obligations=obligations)


def apply(agreement, clerk, court, *, applied_on=TODAY):
    return confirmation_services.apply_for_confirmation(
        agreement=agreement,
        actor=clerk,
        court=court,
        applicants=list(agreement.case.parties.all()),
        applied_on=applied_on,
        materials=MATERIALS,
    )


def agreed_referral(office, clerk, head, court_liaison, mediator_user):
    """A court referral signed for, mediated and agreed."""
    case = refer(office, court_liaison)
    referral.referral_sign_for(case=case, actor=clerk, signed_on=TODAY)
    profile = MediatorFactory(user=mediator_user)
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[profile], presiding=profile
    )
    mediation.declare_conflict_check(assignment=assignment, actor=mediator_user, no_conflict=True)
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
        transcript="双方达成一致。",
        outcome="agreement",
        parties=list(case.parties.all()),
    )
    return mediation.reach_agreement(case=case, actor=mediator_user)


@pytest.fixture
def agreed(office, clerk, head, mediator):
    """A self-accepted case whose parties reached agreement; no draft yet."""
    return CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, agreed=True)


@pytest.fixture
def draft(agreed, mediator):
    """A filled-in draft of version 1 with the two obligations of ``obligation_data``."""
    return drafted(agreed, mediator)


@pytest.fixture
def effective(agreed, clerk, mediator):
    return agreement_for(agreed, mediator, clerk)


# --- Addresses and pages -------------------------------------------------------------------


def aurl(name, agreement, *extra):
    return reverse(f"agreements:{name}", args=[agreement.case_id, agreement.pk, *extra])


def action(case, name):
    return reverse("cases:action", args=[case.pk, name])


def error_beside(html, field_id) -> str:
    """The error text shown under the field whose widget has this id (includes/field.html)."""
    match = re.search(rf'id="{re.escape(field_id)}_error">(.*?)</div>', html, re.S)
    assert match, f"no error shown beside {field_id}"
    return match.group(1)


def value_of(html, name) -> str:
    match = re.search(rf'name="{re.escape(name)}"[^>]*?value="([^"]*)"', html)
    assert match, f"no input named {name}"
    return match.group(1)


def checked(html, name) -> list[str]:
    """The values of the ticked radio buttons or checkboxes of this name."""
    tags = re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in tags if " checked" in tag]


def status_of(case) -> str:
    return Case.objects.get(pk=case.pk).status


REFUSED_ROLES = {"gov_liaison": 403, "admin_user": 403}


def edit_data(agreement, rows, *, version=None, **fields) -> dict:
    """The edit page's POST: the agreement's fields, the version and the "ob" formset."""
    data = {
        "version": str(agreement.edit_version if version is None else version),
        "parties_info": agreement.parties_info,
        "facts": agreement.facts,
        "result": "被申请人撤销处罚决定，申请人撤回复议申请。",
        "other_terms": "",
        "confirmation_intended": "on",
        "ob-TOTAL_FORMS": str(len(rows)),
        "ob-INITIAL_FORMS": "0",
        "ob-MIN_NUM_FORMS": "1",
        "ob-MAX_NUM_FORMS": "50",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if key == "obligor":
                value = value.pk
            elif value is None:
                value = ""
            elif isinstance(value, date):
                value = value.isoformat()
            data[f"ob-{index}-{key}"] = str(value)
    data.update(fields)
    return {k: v for k, v in data.items() if v is not False}


def checklist_data(**answers) -> dict:
    """Every item answered "pass" unless given as ``item=(answer, note, override)``."""
    data = {}
    for item in ChecklistItem.values:
        answer, note, override = answers.get(item, ("pass", "", ""))
        data.update({f"answer_{item}": answer, f"note_{item}": note, f"override_{item}": override})
    return data


def signature_data(party, **overrides) -> dict:
    agency = party.kind == "agency"
    data = {
        "signer_name": party.name,
        "capacity": "agency_seal" if agency else "in_person",
        "agent": "",
        "signing_method": "seal" if agency else "signature",
        "signed_on": TODAY.isoformat(),
    }
    data.update(overrides)
    return data


def confirmation_data(case, court, **overrides) -> dict:
    data = {
        "court": court.pk,
        "applicants": [p.pk for p in case.parties.all()],
        "applied_on": TODAY.isoformat(),
        "materials": MATERIALS,
    }
    data.update(overrides)
    return data


def outcome_data(**overrides) -> dict:
    data = {
        "outcome": "valid_ruling",
        "court_case_no": "（2026）鄂9005民特3号",
        "filed_on": TODAY.isoformat(),
        "decided_on": TODAY.isoformat(),
        "served_on": TODAY.isoformat(),
        "note": "",
    }
    data.update(overrides)
    return data


# --- 1. Who may open each page ---------------------------------------------------------------


def test_agreement_page_permissions(request, client, client_as, draft):
    expected = {
        "other_office_clerk": 404,
        "other_head": 404,
        "court_liaison": 404,  # a self-accepted case with no application to the court
        "other_court_liaison": 404,
        **REFUSED_ROLES,
        "clerk": 200,
        "mediator": 200,
        "head": 200,
    }
    check(request, client, client_as, aurl("detail", draft), expected)


def test_agreement_page_must_belong_to_the_case_in_the_address(
    client_as, office, clerk, head, mediator, draft
):
    other = another_agreed_case(office, clerk, head, mediator)
    wrong = reverse("agreements:detail", args=[other.pk, draft.pk])
    assert client_as(clerk).get(wrong).status_code == 404
    assert (
        client_as(clerk).get(reverse("agreements:detail", args=[draft.case_id, 999999])).status_code
        == 404
    )


def test_new_agreement_permissions(request, client, client_as, agreed, mediator):
    target = reverse("agreements:new", args=[agreed.pk])
    expected = {
        "other_head": 404,
        "other_office_clerk": 403,
        "clerk": 403,
        "court_liaison": 403,
        **REFUSED_ROLES,
    }
    check(request, client, client_as, target, expected, method="post")
    assert not Agreement.objects.filter(case=agreed).exists()
    assert client_as(mediator).get(target).status_code == 405
    response = client_as(mediator).post(target)
    assert response.status_code == 302
    agreement = Agreement.objects.get(case=agreed)
    assert response["Location"] == aurl("edit", agreement)


def test_unassigned_mediator_cannot_draft(client_as, agreed, mediator2):
    page = client_as(mediator2).get(agreed.get_absolute_url())
    assert "起草调解协议" not in html_of(page).split('id="agreement-title"')[1]
    response = client_as(mediator2).post(reverse("agreements:new", args=[agreed.pk]))
    assert response.status_code == 403
    assert not Agreement.objects.filter(case=agreed).exists()


@pytest.mark.parametrize("page_name", ["edit", "checklist", "revise"])
def test_drafting_pages_permissions(request, client, client_as, draft, page_name):
    expected = {
        "other_head": 404,
        "other_office_clerk": 403,
        "clerk": 403,
        "court_liaison": 403,
        **REFUSED_ROLES,
        "mediator": 200,
        "head": 200,
    }
    check(request, client, client_as, aurl(page_name, draft), expected)


@pytest.mark.parametrize("page_name", ["sign", "mediator_sign", "seal"])
def test_signing_pages_permissions(request, client, client_as, draft, page_name):
    agreement_services.answer_checklist(
        agreement=draft, actor=request.getfixturevalue("mediator"), answers=passing_checklist()
    )
    extra = [draft.case.parties.get(role="applicant").pk] if page_name == "sign" else []
    expected = {
        "other_office_clerk": 404,
        "other_head": 404,
        "court_liaison": 403,
        **REFUSED_ROLES,
        "head": 200,
        "mediator": 200,
    }
    if page_name != "mediator_sign":
        expected["clerk"] = 200
    check(request, client, client_as, aurl(page_name, draft, *extra), expected)


def test_sign_page_party_must_belong_to_the_case(client_as, office, clerk, head, mediator, draft):
    other = another_agreed_case(office, clerk, head, mediator)
    stranger = other.parties.get(role="applicant")
    assert client_as(clerk).get(aurl("sign", draft, stranger.pk)).status_code == 404


def test_court_filing_permissions(
    request, client, client_as, office, clerk, head, mediator, court_liaison
):
    case = agreed_referral(office, clerk, head, court_liaison, mediator)
    agreement = effective_with(case, clerk, mediator, obligation_data(case))
    expected = {
        "other_office_clerk": 404,
        "other_head": 404,
        "court_liaison": 403,
        "other_court_liaison": 403,
        **REFUSED_ROLES,
        "clerk": 200,
        "mediator": 200,
        "head": 200,
    }
    check(request, client, client_as, aurl("court_filing", agreement), expected)


def test_confirmation_new_permissions(request, client, client_as, effective):
    expected = {
        "other_office_clerk": 404,
        "other_head": 404,
        "court_liaison": 403,
        **REFUSED_ROLES,
        "clerk": 200,
        "mediator": 200,
        "head": 200,
    }
    check(request, client, client_as, aurl("confirmation_new", effective), expected)


def test_nonperformance_permissions(request, client, client_as, effective):
    expected = {
        "other_head": 404,
        "other_office_clerk": 403,
        "clerk": 403,
        "mediator": 403,
        "court_liaison": 403,
        **REFUSED_ROLES,
        "head": 200,
    }
    check(request, client, client_as, aurl("nonperformance", effective), expected)


def test_perform_permissions(request, client, client_as, effective):
    obligation = effective.obligations.get(number=1)
    target = reverse("agreements:perform", args=[effective.case_id, obligation.pk])
    expected = {
        "other_office_clerk": 404,
        "other_head": 404,
        "mediator": 403,
        "court_liaison": 403,
        **REFUSED_ROLES,
        "clerk": 200,
        "head": 200,
    }
    check(request, client, client_as, target, expected)


def test_perform_obligation_must_belong_to_the_case(
    client_as, office, clerk, head, mediator, effective
):
    other = another_agreed_case(office, clerk, head, mediator)
    obligation = effective.obligations.get(number=1)
    wrong = reverse("agreements:perform", args=[other.pk, obligation.pk])
    assert client_as(clerk).get(wrong).status_code == 404


def test_confirmation_queue_permissions(
    request, client, client_as, effective, clerk, court, court_liaison, other_court_liaison
):
    apply(effective, clerk, court)
    target = reverse("agreements:confirmations")
    expected = {
        "clerk": 403,
        "mediator": 403,
        "head": 403,
        **REFUSED_ROLES,
        "other_court_liaison": 200,
        "court_liaison": 200,
    }
    check(request, client, client_as, target, expected)
    number = effective.case.number
    assert number in html_of(client_as(court_liaison).get(target))
    assert number not in html_of(client_as(other_court_liaison).get(target))


def test_outcome_page_permissions(request, client, client_as, effective, clerk, court):
    applied = apply(effective, clerk, court)
    target = reverse("agreements:outcome", args=[applied.pk])
    expected = {
        "other_court_liaison": 404,
        "clerk": 403,
        "mediator": 403,
        "head": 403,
        **REFUSED_ROLES,
        "court_liaison": 200,
    }
    check(request, client, client_as, target, expected)


def test_performance_list_permissions(request, client, client_as, effective):
    expected = {
        "court_liaison": 403,
        **REFUSED_ROLES,
        "other_office_clerk": 200,
        "clerk": 200,
        "mediator": 200,
        "head": 200,
    }
    check(request, client, client_as, reverse("agreements:performance"), expected)
    assert effective.case.number not in html_of(
        client_as(request.getfixturevalue("other_office_clerk")).get(
            reverse("agreements:performance")
        )
    )


def test_court_liaison_sees_a_self_accepted_agreement_only_once_applied_to_their_court(
    client_as, effective, clerk, court, court_liaison, other_court_liaison
):
    target = aurl("detail", effective)
    assert client_as(court_liaison).get(target).status_code == 404
    applied = apply(effective, clerk, court)
    response = client_as(court_liaison).get(target)
    assert response.status_code == 200
    html = html_of(response)
    assert "调解协议 第1版" in html
    # Nothing to do there for the court: no signing, applying or performance buttons.
    for button in ("申请司法确认</a>", "记录履行", "修订为新版本", "处理不履行"):
        assert button not in html
    assert client_as(other_court_liaison).get(target).status_code == 404
    # The case itself stays out of the court's view; the outcome page links to the agreement.
    assert client_as(court_liaison).get(effective.case.get_absolute_url()).status_code == 404
    outcome_page = html_of(
        client_as(court_liaison).get(reverse("agreements:outcome", args=[applied.pk]))
    )
    assert f'href="{target}"' in outcome_page


def test_court_liaison_of_the_referring_court_sees_the_referrals_agreement(
    client_as, office, clerk, head, mediator, court_liaison, other_court_liaison
):
    case = agreed_referral(office, clerk, head, court_liaison, mediator)
    agreement = drafted(case, mediator)
    assert client_as(court_liaison).get(aurl("detail", agreement)).status_code == 200
    assert client_as(other_court_liaison).get(aurl("detail", agreement)).status_code == 404


CONDUCTING_ONLY = [
    ("clerk", "mediator_sign"),
    ("mediator2", "mediator_sign"),
    ("mediator2", "edit"),
    ("mediator2", "checklist"),
    ("mediator2", "revise"),
]


def valid_post(page_name, agreement) -> dict:
    return {
        "mediator_sign": {"on": TODAY.isoformat()},
        "edit": edit_data(agreement, obligation_data(agreement.case)),
        "checklist": checklist_data(),
        "revise": {"reason": "当事人要求调整履行期限"},
    }[page_name]


@pytest.mark.parametrize(("persona", "page_name"), CONDUCTING_ONLY)
def test_only_those_conducting_the_case_may_submit_its_drafting_pages(
    request, client_as, draft, mediator, persona, page_name
):
    agreement_services.answer_checklist(
        agreement=draft, actor=mediator, answers=passing_checklist()
    )
    user = request.getfixturevalue(persona)
    response = client_as(user).post(aurl(page_name, draft), valid_post(page_name, draft))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.mediator_signed_on is None
    assert Agreement.objects.filter(case=draft.case).count() == 1
    assert draft.checklist.count() == len(ChecklistItem.values)


@pytest.mark.parametrize(("persona", "page_name"), CONDUCTING_ONLY)
def test_pages_of_those_conducting_the_case_refuse_others_before_the_form(
    request, client_as, draft, persona, page_name
):
    # As the mediation pages do (tests/cases/test_views_mediation.py, "mediator2": 403).
    user = request.getfixturevalue(persona)
    assert client_as(user).get(aurl(page_name, draft)).status_code == 403


# --- 2. The whole way through the pages ------------------------------------------------------


def test_from_agreement_to_archive_through_the_pages(
    client_as, agreed, clerk, mediator, head, court, court_liaison
):
    case = agreed
    mediator_client, clerk_client = client_as(mediator), client_as(clerk)
    head_client, court_client = client_as(head), client_as(court_liaison)

    # The case page offers the draft; the mediator starts it and lands on the edit page.
    panel = html_of(mediator_client.get(case.get_absolute_url()))
    assert "当事人已达成一致，请起草调解协议。" in panel
    response = mediator_client.post(reverse("agreements:new", args=[case.pk]), follow=True)
    assert "已起草调解协议第1版，请填写内容和义务。" in html_of(response)
    agreement = Agreement.objects.get(case=case)
    assert response.redirect_chain[-1][0] == aurl("edit", agreement)
    html = html_of(response)
    assert 'name="version"' in html and value_of(html, "version") == "1"
    assert value_of(html, "ob-TOTAL_FORMS") == "1"  # one empty obligation to fill in

    # Content and two obligations.
    rows = obligation_data(case)
    response = mediator_client.post(
        aurl("edit", agreement), edit_data(agreement, rows), follow=True
    )
    assert "调解协议已保存。修改后须重新进行合法性审查。" in html_of(response)
    agreement.refresh_from_db()
    assert agreement.edit_version == 2 and agreement.confirmation_intended
    assert [(o.number, o.obligor_id, o.due_date) for o in agreement.obligations.all()] == [
        (1, rows[0]["obligor"].pk, date(2026, 12, 10)),
        (2, rows[1]["obligor"].pk, date(2026, 12, 15)),
    ]
    html = html_of(response)
    assert "撤销潜市监罚〔2026〕12号行政处罚决定" in html
    assert "签署前须完成：合法性审查尚未完成" in html
    # The edit page shows what was saved.
    html = html_of(mediator_client.get(aurl("edit", agreement)))
    assert value_of(html, "ob-TOTAL_FORMS") == "2" and value_of(html, "version") == "2"
    assert value_of(html, "ob-1-description") == "撤回对该处罚决定的行政复议申请"

    # The legality checklist.
    response = mediator_client.post(aurl("checklist", agreement), checklist_data(), follow=True)
    assert "合法性审查已记录。" in html_of(response)
    assert ChecklistAnswer.objects.filter(agreement=agreement, answer="pass").count() == len(
        ChecklistItem.values
    )
    assert "签署前须完成" not in html_of(response)

    # The clerk records each party's signature.
    for party in case.parties.order_by("order"):
        page = html_of(clerk_client.get(aurl("detail", agreement)))
        assert f'href="{aurl("sign", agreement, party.pk)}"' in page
        response = clerk_client.post(
            aurl("sign", agreement, party.pk), signature_data(party), follow=True
        )
        assert f"已记录{party.name}签署。" in html_of(response)
        assert "协议已生效" not in html_of(response)
    assert agreement.signatures.count() == 2

    response = mediator_client.post(
        aurl("mediator_sign", agreement), {"on": TODAY.isoformat()}, follow=True
    )
    assert "已记录调解员签字。" in html_of(response)
    response = clerk_client.post(aurl("seal", agreement), {"on": TODAY.isoformat()}, follow=True)
    assert "已记录加盖工作室印章。协议已生效。" in html_of(response)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.effective_on) == (Agreement.Status.EFFECTIVE, TODAY)

    # The clerk applies for confirmation with both sides.
    response = clerk_client.post(
        aurl("confirmation_new", agreement), confirmation_data(case, court), follow=True
    )
    assert f"已记录向{court}申请司法确认。" in html_of(response)
    applied = Confirmation.objects.get(agreement=agreement)
    assert set(applied.applicants.all()) == set(case.parties.all())
    assert applied.materials == MATERIALS and not applied.late

    # The court liaison records the ruling from the queue.
    queue = html_of(court_client.get(reverse("agreements:confirmations")))
    assert case.number in queue
    assert f'href="{reverse("agreements:outcome", args=[applied.pk])}"' in queue
    response = court_client.post(
        reverse("agreements:outcome", args=[applied.pk]), outcome_data(), follow=True
    )
    assert "已记录司法确认结果。" in html_of(response)
    assert response.redirect_chain[-1][0] == reverse("agreements:confirmations")
    applied.refresh_from_db()
    assert applied.status == Confirmation.Status.CONFIRMED
    assert case.number not in html_of(court_client.get(reverse("agreements:confirmations")))
    assert "裁定调解协议有效 （2026）鄂9005民特3号" in html_of(
        court_client.get(reverse("agreements:confirmations"), {"show": "all"})
    )

    # The head cannot close while obligations are open.
    response = head_client.post(action(case, "close"), {"note": "协议已履行完毕。"}, follow=True)
    assert "协议义务尚未全部履行" in html_of(response)
    assert status_of(case) == Status.AGREED

    # The clerk records both obligations performed.
    for obligation in agreement.obligations.all():
        response = clerk_client.post(
            reverse("agreements:perform", args=[case.pk, obligation.pk]),
            {"performed_on": TODAY.isoformat(), "proof_note": f"凭证{obligation.number}"},
            follow=True,
        )
        assert f"已记录第{obligation.number}项义务履行。" in html_of(response)
    assert set(agreement.obligations.values_list("status", flat=True)) == {"performed"}
    assert "履行完毕" in html_of(clerk_client.get(case.get_absolute_url()))

    # The head closes the case; the clerk archives it.
    response = head_client.post(action(case, "close"), {"note": "协议已履行完毕。"}, follow=True)
    assert "已结案。" in html_of(response)
    assert status_of(case) == Status.CLOSED
    response = clerk_client.post(
        action(case, "archive"), {"archive_no": "2026-行调-001"}, follow=True
    )
    assert "已归档，档案号2026-行调-001。" in html_of(response)
    case.refresh_from_db()
    assert (case.status, case.archive_no) == (Status.ARCHIVED, "2026-行调-001")


# --- 3. Bad input is kept, with the reason beside the field ------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"due_date": None}, "due_date", "这个字段是必填项。"),
        ({"due_date": TODAY - timedelta(days=1)}, "due_date", "履行期限不能早于今天。"),
        ({"kind": "payment", "amount": None}, "amount", "支付款项的，请填写大于0的金额。"),
        ({"kind": "payment", "amount": "-5"}, "amount", "金额不能为负数。"),
        ({"kind": "payment", "amount": "12.345"}, "amount", "金额最多保留2位小数（到分）。"),
    ],
    ids=["no-due-date", "past-due-date", "payment-without-amount", "negative", "fractions"],
)
def test_edit_refuses_an_incomplete_obligation(client_as, draft, mediator, change, field, message):
    rows = obligation_data(draft.case)
    rows[1].update(change)
    rows[1]["description"] = "支付补偿款并出具收据（我刚填的）"
    before = draft.edit_version
    response = client_as(mediator).post(
        aurl("edit", draft), edit_data(draft, rows, result="我刚改的调解结果")
    )
    assert response.status_code == 200
    html = html_of(response)
    assert message in error_beside(html, f"id_ob-1-{field}")
    assert value_of(html, "ob-1-description") == "支付补偿款并出具收据（我刚填的）"
    assert "我刚改的调解结果" in html
    draft.refresh_from_db()
    assert draft.edit_version == before
    assert draft.result == "被申请人撤销处罚决定，申请人撤回复议申请。"
    assert "我刚填的" not in "".join(draft.obligations.values_list("description", flat=True))


def test_edit_refuses_no_obligation_at_all(client_as, draft, mediator):
    data = edit_data(draft, [])
    response = client_as(mediator).post(aurl("edit", draft), data)
    assert "至少需要列明一项义务。" in html_of(response)
    assert draft.obligations.count() == 2


def test_checklist_fail_needs_a_reason(client_as, draft, mediator):
    data = checklist_data(powers=("fail", "放弃了部分追缴权", ""))
    response = client_as(mediator).post(aurl("checklist", draft), data)
    assert response.status_code == 200
    html = html_of(response)
    assert "审查不符合而仍予签署的，必须记录理由。" in error_beside(html, "id_override_powers")
    assert value_of(html, "note_powers") == "放弃了部分追缴权"
    assert checked(html, "answer_powers") == ["fail"]
    assert not draft.checklist.exists()
    # With the reason it is recorded, and shown on the agreement page.
    data["override_powers"] = "经法制审核，属于可以协调的裁量范围"
    response = client_as(mediator).post(aurl("checklist", draft), data, follow=True)
    assert "合法性审查已记录。" in html_of(response)
    assert "仍予签署的理由：经法制审核，属于可以协调的裁量范围" in html_of(response)
    assert draft.checklist.get(item="powers").answer == ChecklistAnswer.Answer.FAIL


def test_a_general_authority_agent_cannot_sign(client_as, draft, clerk, mediator):
    case = draft.case
    applicant = case.parties.get(role="applicant")
    agent_data = {
        "name": "钱律师",
        "kind": "lawyer",
        "authority": "general",
        "id_number": "",
        "organisation": "湖北某某律师事务所",
        "licence_no": "14290200000000001",
        "phone": "",
    }
    agent = records.agent_add(
        party=applicant, actor=clerk, data=agent_data, expected_version=case.version
    )
    agreement_services.answer_checklist(
        agreement=draft, actor=mediator, answers=passing_checklist()
    )
    data = signature_data(applicant, capacity="special_agent", agent=agent.pk, signer_name="")
    response = client_as(clerk).post(aurl("sign", draft, applicant.pk), data)
    assert response.status_code == 200
    error = error_beside(html_of(response), "id_agent")
    assert "钱律师为一般授权代理人，不能代为签署调解协议" in error
    assert not Signature.objects.filter(agreement=draft).exists()
    # A special-authority agent may sign; the signer is the agent.
    case.refresh_from_db()
    records.agent_update(
        agent=agent, actor=clerk, data={"authority": "special"}, expected_version=case.version
    )
    response = client_as(clerk).post(aurl("sign", draft, applicant.pk), data, follow=True)
    assert f"已记录{applicant.name}签署。" in html_of(response)
    assert Signature.objects.get(agreement=draft).signer_name == "钱律师"


def test_signing_waits_for_the_checklist(client_as, draft, clerk):
    applicant = draft.case.parties.get(role="applicant")
    page = html_of(client_as(clerk).get(aurl("detail", draft)))
    assert aurl("sign", draft, applicant.pk) not in page
    response = client_as(clerk).post(aurl("sign", draft, applicant.pk), signature_data(applicant))
    assert "签署前须完成：合法性审查尚未完成" in html_of(response)
    assert not draft.signatures.exists()


def test_confirmation_needs_both_sides(client_as, effective, clerk, court):
    case = effective.case
    applicant = case.parties.get(role="applicant")
    data = confirmation_data(case, court, applicants=[applicant.pk])
    response = client_as(clerk).post(aurl("confirmation_new", effective), data)
    assert response.status_code == 200
    html = html_of(response)
    assert "司法确认须由双方当事人共同申请" in error_beside(html, "id_applicants")
    assert checked(html, "applicants") == [str(applicant.pk)]
    assert checked(html, "materials") == MATERIALS
    assert not Confirmation.objects.exists()


def test_late_application_explains_the_window_and_needs_a_tick(
    client_as, effective, clerk, court, time_machine
):
    time_machine.move_to("2027-01-05 10:00+08:00", tick=False)
    client = client_as(clerk)  # the earlier sign-in would have expired
    window = confirmation_services.application_window(effective)
    assert window.due == date(2026, 12, 28)
    target = aurl("confirmation_new", effective)
    page = html_of(client.get(target))
    assert escape(f"本协议的申请期限：{window.explanation}") in page
    data = confirmation_data(effective.case, court, applied_on="2027-01-05")
    response = client.post(target, data)
    assert response.status_code == 200
    error = error_beside(html_of(response), "id_accept_late")
    assert "申请司法确认的期限已于2026年12月28日届满" in error
    assert escape(window.explanation) in error
    assert "确需记录的，请勾选确认。" in error
    assert not Confirmation.objects.exists()
    response = client.post(target, {**data, "accept_late": "on"}, follow=True)
    assert f"已记录向{court}申请司法确认。" in html_of(response)
    applied = Confirmation.objects.get()
    assert applied.late and applied.applied_on == date(2027, 1, 5)
    assert "超过申请期限" in html_of(response)


def test_outcome_cannot_be_decided_before_the_application(
    client_as, effective, clerk, court, court_liaison
):
    applied = apply(effective, clerk, court)
    target = reverse("agreements:outcome", args=[applied.pk])
    data = outcome_data(decided_on="2026-11-26", filed_on="", served_on="", note="当庭宣告")
    response = client_as(court_liaison).post(target, data)
    assert response.status_code == 200
    html = html_of(response)
    assert "裁定或文书日期不能早于申请日期。" in error_beside(html, "id_decided_on")
    assert value_of(html, "court_case_no") == "（2026）鄂9005民特3号"
    assert value_of(html, "note") == "当庭宣告"
    applied.refresh_from_db()
    assert applied.status == Confirmation.Status.APPLIED and applied.outcome == ""


def test_performance_needs_proof(client_as, effective, clerk):
    obligation = effective.obligations.get(number=1)
    target = reverse("agreements:perform", args=[effective.case_id, obligation.pk])
    response = client_as(clerk).post(target, {"performed_on": TODAY.isoformat(), "proof_note": ""})
    assert response.status_code == 200
    html = html_of(response)
    assert "请提供履行凭证" in error_beside(html, "id_proof_note")
    assert value_of(html, "performed_on") == TODAY.isoformat()
    obligation.refresh_from_db()
    assert obligation.status == Obligation.Status.DUE
    # A proof document alone is enough.
    upload = SimpleUploadedFile("proof.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client_as(clerk).post(
        target, {"performed_on": TODAY.isoformat(), "proof_note": "", "file": upload}, follow=True
    )
    assert "已记录第1项义务履行。" in html_of(response)
    obligation.refresh_from_db()
    assert obligation.status == Obligation.Status.PERFORMED and obligation.proof is not None


# --- 4. Two mediators editing the same draft ---------------------------------------------------


@pytest.fixture
def two_mediator_draft(office, clerk, head, mediator, mediator2):
    """A draft of a case conducted by two mediators (``mediator`` presiding)."""
    case = accepted_case(office, clerk, head)
    first, second = MediatorFactory(user=mediator), MediatorFactory(user=mediator2)
    assignments = mediation.assign_mediators(
        case=case, actor=head, mediators=[first, second], presiding=first
    )
    for assignment in assignments:
        mediation.declare_conflict_check(
            assignment=assignment, actor=assignment.mediator.user, no_conflict=True
        )
    session = mediation.schedule_session(
        case=case,
        actor=mediator,
        scheduled_at=timezone.now() - timedelta(hours=2),
        place="工作室调解室",
        mode="in_person",
    )
    mediation.record_session(
        session=session,
        actor=mediator,
        expected_version=0,
        transcript="双方达成一致。",
        outcome="agreement",
        parties=list(case.parties.all()),
    )
    case = mediation.reach_agreement(case=case, actor=mediator)
    return drafted(case, mediator)


def test_second_editor_is_told_and_keeps_their_text(
    client_as, two_mediator_draft, mediator, mediator2
):
    agreement = two_mediator_draft
    first, second = client_as(mediator), client_as(mediator2)
    target = aurl("edit", agreement)
    opened = value_of(html_of(first.get(target)), "version")
    assert value_of(html_of(second.get(target)), "version") == opened == "2"

    rows = obligation_data(agreement.case)
    first_rows = [dict(rows[0], description="甲：撤销处罚决定并退还罚款"), rows[1]]
    response = first.post(
        target,
        edit_data(agreement, first_rows, version=opened, result="甲填写的调解结果"),
        follow=True,
    )
    assert "调解协议已保存。" in html_of(response)

    second_rows = [rows[0], dict(rows[1], description="乙：撤回复议申请并书面告知")]
    second_data = edit_data(
        agreement,
        second_rows,
        version=opened,
        result="乙填写的调解结果",
        other_terms="乙的其他约定",
    )
    response = second.post(target, second_data)
    assert response.status_code == 200
    html = html_of(response)
    assert "在您编辑期间，其他人已修改了这份协议。您填写的内容仍保留在下方" in html
    assert "乙填写的调解结果" in html and "乙的其他约定" in html
    assert value_of(html, "ob-1-description") == "乙：撤回复议申请并书面告知"
    assert value_of(html, "version") == "3"  # saving again now means "mine wins", knowingly

    # Nothing of the first editor's work was overwritten.
    agreement.refresh_from_db()
    assert agreement.result == "甲填写的调解结果" and agreement.other_terms == ""
    assert agreement.edit_version == 3
    assert list(agreement.obligations.values_list("description", flat=True)) == [
        "甲：撤销处罚决定并退还罚款",
        "撤回对该处罚决定的行政复议申请",
    ]

    # Submitting the page as shown saves the second editor's version.
    response = second.post(target, {**second_data, "version": "3"}, follow=True)
    assert "调解协议已保存。" in html_of(response)
    agreement.refresh_from_db()
    assert (agreement.result, agreement.edit_version) == ("乙填写的调解结果", 4)


# --- 5. Query counts that do not grow with the rows ---------------------------------------------

AGREEMENT_PAGE_QUERIES = 16
# The case page reads each kind of record the case has once (cases.selectors.prefetch_present):
# an agreed case with an effective agreement has no extensions, suspensions, terminations,
# court reports, transcript grounds or transfer package yet, so those are not read.
CASE_PAGE_QUERIES = 21
CONFIRMATION_QUEUE_QUERIES = 8
# session, user, permissions, unread notices, the page's count and ids, its obligations, the
# two sections' totals
PERFORMANCE_LIST_QUERIES = 7


@pytest.fixture
def effective_applied(office, clerk, head, mediator, court):
    """``make(n)``: an effective agreement with ``n`` obligations, applied for confirmation."""

    def make(count):
        case = another_agreed_case(office, clerk, head, mediator)
        agreement = effective_with(case, clerk, mediator, obligation_rows(case, count))
        apply(agreement, clerk, court)
        return agreement

    return make


@pytest.mark.parametrize("obligations", [2, 10])
def test_agreement_page_query_count_stays_flat(
    client_as, clerk, effective_applied, django_assert_num_queries, obligations
):
    agreement = effective_applied(obligations)
    client = client_as(clerk)
    with django_assert_num_queries(AGREEMENT_PAGE_QUERIES):
        html = html_of(client.get(aurl("detail", agreement)))
    assert html.count("记录履行</a>") == obligations


@pytest.mark.parametrize("obligations", [2, 10])
def test_case_page_with_an_effective_agreement_query_count_stays_flat(
    client_as, clerk, effective_applied, django_assert_num_queries, obligations
):
    agreement = effective_applied(obligations)
    client = client_as(clerk)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        html = html_of(client.get(agreement.case.get_absolute_url()))
    panel = html.split('id="agreement-title"')[1]
    assert panel.count("记录履行</a>") == obligations


@pytest.mark.parametrize("applications", [2, 10])
def test_confirmation_queue_query_count_stays_flat(
    client_as, court_liaison, effective_applied, django_assert_num_queries, applications
):
    agreements = [effective_applied(1) for _ in range(applications)]
    client = client_as(court_liaison)
    with django_assert_num_queries(CONFIRMATION_QUEUE_QUERIES):
        html = html_of(client.get(reverse("agreements:confirmations")))
    assert html.count("记录结果</a>") == applications
    assert all(a.case.number in html for a in agreements)
    # The applicants' names and the office, each read with the page, not row by row.
    applicant = agreements[0].confirmations.get().applicants.first()
    assert applicant.name in html and agreements[0].case.office.short_name in html


@pytest.mark.parametrize(("cases", "per_case"), [(3, 1), (4, 5)], ids=["3", "20"])
def test_performance_list_query_count_stays_flat(
    client_as, office, clerk, head, mediator, django_assert_num_queries, cases, per_case
):
    for _ in range(cases):
        case = another_agreed_case(office, clerk, head, mediator)
        effective_with(case, clerk, mediator, obligation_rows(case, per_case))
    client = client_as(clerk)
    with django_assert_num_queries(PERFORMANCE_LIST_QUERIES):
        html = html_of(client.get(reverse("agreements:performance")))
    assert f'data-testid="due-obligations">{cases * per_case}<' in html
    assert html.count("记录履行</a>") == cases * per_case


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans of PostgreSQL")
@pytest.mark.parametrize("horizon_days", [7, None], ids=["the week", "all"])
def test_the_performance_list_reads_its_obligations_through_its_indexes(
    effective, clerk, horizon_days
):
    # The day the effective agreement's first obligation falls due.
    obligations = performance_list(clerk, today=date(2026, 12, 10), horizon_days=horizon_days)
    assert obligations.exists()
    # The planner may prefer a scan of the few test rows: forbid it where an index serves.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = obligations.values_list("pk", "due_date").explain()
    # By name, not by scan: on a few unvacuumed test rows the planner may visit the heap.
    assert "agreement_in_force_idx" in plan, plan
    assert "obligation_followed_idx" in plan, plan


# --- 6. The performance list and the dashboard -------------------------------------------------


def section(html, start, end=None) -> str:
    part = html.split(start, 1)[1]
    return part.split(end, 1)[0] if end else part


def test_performance_list_shows_overdue_and_this_weeks_obligations_of_the_office(
    client_as,
    time_machine,
    effective,
    office,
    clerk,
    head,
    mediator,
    other_office,
    other_office_clerk,
    other_head,
    other_mediator,
):
    elsewhere_case = CaseFactory(
        office=other_office,
        created_by=other_office_clerk,
        head=other_head,
        mediator=other_mediator,
        agreed=True,
        applicants=[distinct_applicant("李外所")],
    )
    elsewhere = agreement_for(elsewhere_case, other_mediator, other_office_clerk)
    later = another_agreed_case(office, clerk, head, mediator)
    effective_with(later, clerk, mediator, obligation_rows(later, 1, first_due=date(2027, 1, 20)))

    time_machine.move_to("2026-12-11 10:00+08:00", tick=False)
    assert performance_services.mark_overdue(date(2026, 12, 11)) == 2  # one per office
    html = html_of(client_as(clerk).get(reverse("agreements:performance")))
    overdue = section(html, "逾期未履行", "7日内到期")
    this_week = section(html, "7日内到期")
    assert 'data-testid="overdue-obligations">1<' in html
    assert 'data-testid="due-obligations">1<' in html
    assert "1. 撤销潜市监罚〔2026〕12号行政处罚决定" in overdue
    assert "已超期1日" in overdue and effective.get_absolute_url() in overdue
    assert "2. 撤回对该处罚决定的行政复议申请" in this_week and "剩4日" in this_week
    # Neither another office's obligations nor those due later than the week.
    assert elsewhere.get_absolute_url() not in html and "李外所" not in html
    assert later.get_absolute_url() not in html

    other_html = html_of(client_as(other_office_clerk).get(reverse("agreements:performance")))
    assert elsewhere.get_absolute_url() in section(other_html, "逾期未履行", "7日内到期")
    assert effective.get_absolute_url() not in other_html


def test_dashboard_lists_the_case_of_an_obligation_coming_due_then_overdue(
    client_as, time_machine, effective, clerk, other_office_clerk
):
    case = effective.case
    label = f"履行期限：第1项（{case.agency.name}）"
    assert case.get_absolute_url() not in html_of(client_as(clerk).get(reverse("deadlines")))

    time_machine.move_to("2026-12-08 10:00+08:00", tick=False)
    html = html_of(client_as(clerk).get(reverse("deadlines")))
    upcoming = section(html, "7日内到期")
    assert case.get_absolute_url() in upcoming and label in upcoming

    time_machine.move_to("2026-12-11 10:00+08:00", tick=False)
    performance_services.mark_overdue(date(2026, 12, 11))
    html = html_of(client_as(clerk).get(reverse("deadlines")))
    overdue = section(html, "已超期", "7日内到期")
    assert case.get_absolute_url() in overdue and label in overdue
    assert 'data-testid="overdue-count">1<' in html
    assert case.get_absolute_url() not in html_of(
        client_as(other_office_clerk).get(reverse("deadlines"))
    )


def test_head_records_nonperformance_and_may_then_close(client_as, time_machine, effective, head):
    case = effective.case
    time_machine.move_to("2026-12-16 10:00+08:00", tick=False)
    performance_services.mark_overdue(date(2026, 12, 16))
    head_client = client_as(head)
    html = html_of(head_client.get(aurl("detail", effective)))
    assert (
        "本协议未经司法确认，义务人不履行的，对方当事人可以就协议的履行向人民法院提起诉讼" in html
    )
    assert f'href="{aurl("nonperformance", effective)}"' in html
    response = head_client.post(action(case, "close"), {"note": ""}, follow=True)
    assert "协议义务尚未全部履行；逾期未履行的，工作室负责人记录处理情况后可以结案。" in html_of(
        response
    )

    target = aurl("nonperformance", effective)
    response = head_client.post(target, {"handled_on": "2026-12-16", "note": ""})
    assert "这个字段是必填项。" in error_beside(html_of(response), "id_note")
    response = head_client.post(
        target,
        {"handled_on": "2026-12-16", "note": "已告知申请人可以就协议履行提起诉讼。"},
        follow=True,
    )
    assert "已记录不履行的处理情况。" in html_of(response)
    assert "2026年12月16日处理不履行：已告知申请人可以就协议履行提起诉讼。" in html_of(response)
    response = head_client.post(
        action(case, "close"), {"note": "义务人未履行，已告知救济途径。"}, follow=True
    )
    assert "已结案。" in html_of(response)
    assert status_of(case) == Status.CLOSED


def test_nonperformance_is_refused_while_nothing_is_overdue(client_as, effective, head):
    response = client_as(head).post(
        aurl("nonperformance", effective), {"handled_on": TODAY.isoformat(), "note": "提前处理"}
    )
    assert "本协议没有逾期未履行的义务。" in html_of(response)
    effective.refresh_from_db()
    assert effective.nonperformance_handled_on is None


# --- The case actions around the agreement -------------------------------------------------------


def test_remediate_permissions(request, client, client_as, draft):
    expected = {
        "other_head": 404,
        "other_office_clerk": 404,
        "clerk": 403,
        "mediator": 403,
        **REFUSED_ROLES,
        "head": 200,
    }
    check(request, client, client_as, action(draft.case, "remediate"), expected)


def test_close_permissions(request, client, client_as, effective, clerk):
    for obligation in effective.obligations.all():
        performance_services.record_performance(
            obligation=obligation, actor=clerk, performed_on=TODAY, proof_note="已送达"
        )
    expected = {
        "other_head": 404,
        "clerk": 403,
        "mediator": 403,
        **REFUSED_ROLES,
        "head": 200,
    }
    check(request, client, client_as, action(effective.case, "close"), expected)


def test_archive_permissions(request, client, client_as, effective, clerk, head):
    for obligation in effective.obligations.all():
        performance_services.record_performance(
            obligation=obligation, actor=clerk, performed_on=TODAY, proof_note="已送达"
        )
    mediation.close_case(case=effective.case, actor=head, note="")
    expected = {
        "other_office_clerk": 404,
        "other_head": 404,
        "mediator": 403,
        **REFUSED_ROLES,
        "clerk": 200,
        "head": 200,
    }
    check(request, client, client_as, action(effective.case, "archive"), expected)
    response = client_as(clerk).post(action(effective.case, "archive"), {"archive_no": " "})
    assert "这个字段是必填项。" in error_beside(html_of(response), "id_archive_no")
    assert status_of(effective.case) == Status.CLOSED


def test_remediating_sets_an_unsigned_draft_aside(client_as, draft, head, mediator):
    case = draft.case
    response = client_as(head).post(
        action(case, "remediate"), {"note": "申请人反悔，要求继续协商。"}, follow=True
    )
    assert "案件已回到调解中；原协议保留备查。" in html_of(response)
    assert status_of(case) == Status.IN_MEDIATION
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.ABANDONED
    panel = section(
        html_of(client_as(mediator).get(case.get_absolute_url())), 'id="agreement-title"'
    )
    assert "尚无起草中或已生效的协议。" in panel
    assert "第1版（未生效作废）" in panel
    page = html_of(client_as(mediator).get(aurl("detail", draft)))
    assert "本版未生效即作废（重新调解或终止调解），保留备查。" in page
    assert "修改协议内容和义务" not in page


def test_an_effective_agreement_keeps_the_case_from_remediation_until_confirmation_fails(
    client_as, effective, clerk, head, court, court_liaison
):
    case = effective.case
    target = action(case, "remediate")
    response = client_as(head).get(target, follow=True)
    assert "调解协议已经生效；只有司法确认未获支持的，才能重新调解或终止调解。" in html_of(response)
    applied = apply(effective, clerk, court)
    response = client_as(head).post(action(case, "close"), {"note": ""}, follow=True)
    assert "司法确认申请尚待法院作出结果，不能结案。" in html_of(response)
    client_as(court_liaison).post(
        reverse("agreements:outcome", args=[applied.pk]),
        outcome_data(outcome="dismissed", served_on=""),
    )
    applied.refresh_from_db()
    assert applied.status == Confirmation.Status.FAILED
    response = client_as(head).post(target, {"note": "司法确认申请被驳回，重新调解。"}, follow=True)
    assert "案件已回到调解中；原协议保留备查。" in html_of(response)
    assert status_of(case) == Status.IN_MEDIATION


# --- More of the pages ---------------------------------------------------------------------------


def test_case_panel_of_an_effective_agreement(client_as, effective, clerk, mediator, head):
    case = effective.case
    panel = section(html_of(client_as(clerk).get(case.get_absolute_url())), 'id="agreement-title"')
    panel = panel.split("</section>")[0]
    for text in (
        f'href="{aurl("detail", effective)}">第1版</a>',
        "已生效",
        "自2026年11月27日生效",
        "履行中",
        "申请司法确认期限",
        "2026年12月28日",
        "（当事人拟申请）",
        "撤销潜市监罚〔2026〕12号行政处罚决定",
        "打开调解协议",
    ):
        assert text in panel, text
    assert f'href="{aurl("confirmation_new", effective)}"' in panel
    assert panel.count("记录履行</a>") == 2
    # The mediator may apply but does not record performance.
    mediator_panel = section(
        html_of(client_as(mediator).get(case.get_absolute_url())), 'id="agreement-title"'
    )
    assert "记录履行</a>" not in mediator_panel.split("</section>")[0]


def test_court_filing_of_a_referrals_agreement(
    client_as, office, clerk, head, mediator, court, court_liaison
):
    case = agreed_referral(office, clerk, head, court_liaison, mediator)
    agreement = effective_with(case, clerk, mediator, obligation_data(case))
    page = html_of(client_as(clerk).get(aurl("detail", agreement)))
    assert "尚未向委派法院备案。" in page
    response = client_as(clerk).post(
        aurl("court_filing", agreement), {"filed_on": "2026-11-26", "note": ""}
    )
    assert "备案日期应在协议生效之后、今天或之前。" in error_beside(
        html_of(response), "id_filed_on"
    )
    response = client_as(clerk).post(
        aurl("court_filing", agreement),
        {"filed_on": TODAY.isoformat(), "note": "已送达立案庭"},
        follow=True,
    )
    assert "已记录向委派法院备案。" in html_of(response)
    assert f"已于2026年11月27日向{court}备案。已送达立案庭" in html_of(response)


def test_court_filing_is_only_for_referrals(client_as, effective, clerk):
    response = client_as(clerk).post(
        aurl("court_filing", effective), {"filed_on": TODAY.isoformat(), "note": ""}
    )
    assert "只有委派调解的协议需要向法院备案。" in html_of(response)
    effective.refresh_from_db()
    assert effective.court_filed_on is None


def test_revising_a_partly_signed_draft(client_as, draft, clerk, mediator):
    agreement_services.answer_checklist(
        agreement=draft, actor=mediator, answers=passing_checklist()
    )
    applicant = draft.case.parties.get(role="applicant")
    client_as(clerk).post(aurl("sign", draft, applicant.pk), signature_data(applicant))
    page = html_of(client_as(mediator).get(aurl("detail", draft)))
    assert "修改协议内容和义务" not in page
    assert f'href="{aurl("revise", draft)}"' in page
    # Editing is closed once someone signed.
    response = client_as(mediator).post(
        aurl("edit", draft), edit_data(draft, obligation_data(draft.case), result="偷偷改")
    )
    assert "已有人签署本版协议，不能直接修改" in html_of(response)
    response = client_as(mediator).post(aurl("revise", draft), {"reason": ""})
    assert "这个字段是必填项。" in error_beside(html_of(response), "id_reason")
    response = client_as(mediator).post(
        aurl("revise", draft), {"reason": "被申请人要求延长履行期限"}, follow=True
    )
    assert "已修订为第2版；原版本保留备查。" in html_of(response)
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.SUPERSEDED
    revised = Agreement.objects.get(case=draft.case, version=2)
    assert revised.status == Agreement.Status.DRAFT and revised.obligations.count() == 2
    assert not revised.signatures.exists() and not revised.checklist.exists()
    assert "本版已被新版本取代，保留备查。" in html_of(
        client_as(mediator).get(aurl("detail", draft))
    )


def test_revising_leads_to_the_new_version(client_as, effective, mediator):
    response = client_as(mediator).post(
        aurl("revise", effective), {"reason": "当事人要求调整履行方式"}, follow=True
    )
    assert "已修订为第2版；原版本保留备查。" in html_of(response)
    revised = Agreement.objects.get(case=effective.case, version=2)
    assert response.redirect_chain[-1][0] in (aurl("detail", revised), aurl("edit", revised))


def test_an_unsigned_draft_is_edited_not_revised(client_as, draft, mediator):
    assert f'href="{aurl("revise", draft)}"' not in html_of(
        client_as(mediator).get(aurl("detail", draft))
    )
    client_as(mediator).post(aurl("revise", draft), {"reason": "想另起一版"})
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.DRAFT
    assert not Agreement.objects.filter(case=draft.case, version=2).exists()


def test_recording_performance_from_the_list_returns_to_the_list(client_as, effective, clerk):
    obligation = effective.obligations.get(number=1)
    target = reverse("agreements:perform", args=[effective.case_id, obligation.pk])
    target += "?next=performance"
    response = client_as(clerk).post(
        target, {"performed_on": TODAY.isoformat(), "proof_note": "撤销决定已送达"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:performance")


def test_dashboard_shows_the_application_window_again_after_the_court_refuses(
    client_as, time_machine, office, clerk, head, mediator, court, court_liaison
):
    case = another_agreed_case(office, clerk, head, mediator)
    agreement = effective_with(
        case, clerk, mediator, obligation_rows(case, 1, first_due=date(2027, 3, 1))
    )
    applied = apply(agreement, clerk, court)
    response = client_as(court_liaison).post(
        reverse("agreements:outcome", args=[applied.pk]),
        outcome_data(outcome="dismissed", served_on=""),
        follow=True,
    )
    assert "已记录司法确认结果。" in html_of(response)
    time_machine.move_to("2026-12-22 10:00+08:00", tick=False)
    client = client_as(clerk)
    # The case page (computed live) shows the window again ...
    assert "申请司法确认期限" in html_of(client.get(case.get_absolute_url()))
    # ... and so should the dashboard, which reads the stored nearest deadline.
    upcoming = section(html_of(client.get(reverse("deadlines"))), "7日内到期")
    assert case.get_absolute_url() in upcoming and "申请司法确认期限" in upcoming


def test_dashboard_drops_the_obligations_of_a_superseded_version(
    client_as, time_machine, effective, clerk, mediator
):
    case = effective.case
    client_as(mediator).post(aurl("revise", effective), {"reason": "当事人要求调整履行方式"})
    assert Agreement.objects.get(case=case, version=2).status == Agreement.Status.DRAFT
    time_machine.move_to("2026-12-08 10:00+08:00", tick=False)
    client = client_as(clerk)
    assert "履行期限：第1项" not in html_of(client.get(case.get_absolute_url()))
    assert case.get_absolute_url() not in html_of(client.get(reverse("deadlines")))


# --- What users found walking through the pages -------------------------------------------------


def test_the_court_on_a_self_accepted_agreement_gets_no_dead_links_and_its_documents(
    client_as, effective, clerk, court, court_liaison
):
    from documents import services as document_services

    apply(effective, clerk, court)
    document, _ = document_services.generate(
        case=effective.case, actor=clerk, kind="agreement", subject=f"agreement:{effective.pk}"
    )
    html = html_of(client_as(court_liaison).get(aurl("detail", effective)))
    # The case page is not the court's: its number is shown, not linked.
    assert f'href="{effective.case.get_absolute_url()}"' not in html
    download = reverse("documents:download", args=[effective.case.pk, document.pk, "pdf"])
    assert download in html
    # The agreement prints full ID numbers: the court gives its reason, then gets the file.
    court = client_as(court_liaison)
    assert "下载前请说明事由" in html_of(court.get(download))
    pdf = court.post(download, {"purpose": "court"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "制作</button>" not in html


def test_an_unusual_court_number_needs_the_liaisons_confirmation(
    client_as, effective, clerk, court, court_liaison
):
    applied = apply(effective, clerk, court)
    target = reverse("agreements:outcome", args=[applied.pk])
    court_client = client_as(court_liaison)
    html = html_of(court_client.post(target, outcome_data(court_case_no="abc")))
    assert "与人民法院案号的通常格式不符" in error_beside(html, "id_court_case_no")
    applied.refresh_from_db()
    assert applied.status == "applied"
    court_client.post(target, outcome_data(court_case_no="abc", accept_unusual_number="on"))
    applied.refresh_from_db()
    assert (applied.status, applied.court_case_no) == ("confirmed", "abc")
    # The outcome is recorded: the page no longer offers an empty form.
    response = court_client.get(target)
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    # (The messages of the save before it are still waiting to be shown.)
    assert messages[-1:] == [
        "该申请的结果已经记录：裁定调解协议有效，案号abc。记录有误的，请联系工作室更正。"
    ]


def test_the_seal_link_waits_for_every_signature(client_as, draft, clerk, mediator):
    agreement_services.answer_checklist(
        agreement=draft, actor=mediator, answers=passing_checklist()
    )
    html = html_of(client_as(clerk).get(aurl("detail", draft)))
    assert "加盖印章</a>" not in html
    assert "各方签署后盖章" in html


def test_a_mediator_of_another_case_cannot_record_signatures_or_the_seal(
    client_as, draft, mediator2
):
    applicant = draft.case.parties.get(role="applicant")
    for target in (aurl("sign", draft, applicant.pk), aurl("seal", draft)):
        assert client_as(mediator2).get(target).status_code == 403


def test_recording_performance_from_the_case_page_returns_to_the_case(client_as, effective, clerk):
    obligation = effective.obligations.order_by("number").first()
    case_html = html_of(client_as(clerk).get(effective.case.get_absolute_url()))
    target = reverse("agreements:perform", args=[effective.case.pk, obligation.pk])
    assert f"{target}?next=case" in case_html
    response = client_as(clerk).post(
        f"{target}?next=case", {"performed_on": TODAY.isoformat(), "proof_note": "转账凭证"}
    )
    assert response.status_code == 302
    assert response["Location"] == effective.case.get_absolute_url()


def test_the_performance_list_can_show_every_open_obligation(
    client_as, office, clerk, head, mediator
):
    case = another_agreed_case(office, clerk, head, mediator)
    effective_with(
        case, clerk, mediator, obligation_rows(case, 2, first_due=TODAY + timedelta(days=20))
    )
    client = client_as(clerk)
    assert case.number not in html_of(client.get(reverse("agreements:performance")))
    html = html_of(client.get(reverse("agreements:performance") + "?show=all"))
    assert case.number in html
    assert html.count("记录履行</a>") == 2


def test_the_performance_list_pages_through_the_obligations_with_the_totals_on_each_page(
    client_as, office, clerk, head, mediator, monkeypatch
):
    monkeypatch.setattr("agreements.views.PERFORMANCE_PAGE_SIZE", 2)
    case = another_agreed_case(office, clerk, head, mediator)
    effective_with(
        case, clerk, mediator, obligation_rows(case, 3, first_due=TODAY + timedelta(days=20))
    )
    client = client_as(clerk)
    url = reverse("agreements:performance")
    first = html_of(client.get(url, {"show": "all"}))
    assert 'data-testid="due-obligations">3<' in first
    assert first.count("记录履行</a>") == 2
    assert "第 1 / 2 页，共 3 条" in first
    # The next page keeps the tab: every open obligation, not only this week's.
    assert "show=all&amp;page=2" in first
    second = html_of(client.get(url, {"show": "all", "page": 2}))
    assert 'data-testid="due-obligations">3<' in second
    assert second.count("记录履行</a>") == 1


@pytest.mark.parametrize(("counted", "badge"), [(1, "1+"), (5, "3")])
def test_the_performance_badges_when_the_list_is_longer_than_its_pages(
    client_as, office, clerk, head, mediator, monkeypatch, counted, badge
):
    # Two rows to a page, one page counted: the list of three is read only in part.
    monkeypatch.setattr("agreements.views.PERFORMANCE_PAGE_SIZE", 2)
    monkeypatch.setattr("agreements.views.COUNTED_PAGES", 1)
    monkeypatch.setattr("agreements.views.PERFORMANCE_COUNTED", counted)
    case = another_agreed_case(office, clerk, head, mediator)
    effective_with(
        case, clerk, mediator, obligation_rows(case, 3, first_due=TODAY + timedelta(days=2))
    )
    html = html_of(client_as(clerk).get(reverse("agreements:performance")))
    assert f'data-testid="due-obligations">{badge}<' in html
    assert 'data-testid="overdue-obligations">0<' in html
    assert html.count("记录履行</a>") == 2
    assert "超过 2 条" in html and 'data-testid="bounded-count"' in html


def test_the_head_is_told_why_the_case_cannot_be_closed_yet(client_as, effective, head):
    html = html_of(client_as(head).get(effective.case.get_absolute_url()))
    assert "结案</a>" not in html
    assert "暂不能结案：" in html


def test_court_reads_the_agreement_but_not_the_offices_legality_review(
    client_as, office, clerk, head, mediator, court_liaison
):
    # The minimum necessary for the court: the agreement, not the office's own review.
    case = agreed_referral(office, clerk, head, court_liaison, mediator)
    agreement = effective_with(case, clerk, mediator, obligation_data(case))
    court_page = html_of(client_as(court_liaison).get(aurl("detail", agreement)))
    assert "被申请人撤销处罚决定，申请人撤回复议申请。" in court_page
    assert "合法性审查</h2>" not in court_page
    assert "合法性审查</h2>" in html_of(client_as(clerk).get(aurl("detail", agreement)))
