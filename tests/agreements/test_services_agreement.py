"""Drafting, checking, signing, filing and revising agreements (DOMAIN.md §2.3, §2.5, §3.5)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from agreements.models import Agreement, ChecklistAnswer, ChecklistItem, Signature
from agreements.services import agreement as services
from agreements.services import confirmation
from cases.models import Agent, CaseEvent, Party, Status
from cases.services import mediation, referral
from cases.services.common import ServiceError, StaleEdit
from cases.workflow import InvalidTransition, NotPermitted
from tests.factories import (
    AgencyFactory,
    MediatorFactory,
    UserFactory,
    agreed_case,
    effective_agreement,
    mediating_case,
    obligation_data,
    passing_checklist,
    refer,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = date(2026, 11, 27)
RESULT = "被申请人撤销处罚决定，申请人撤回复议申请。"
ALL_ITEMS = "；".join(ChecklistItem.labels)


def kinds(case):
    return list(case.events.values_list("kind", flat=True))


def other_mediator(office, username="mediator2"):
    user = UserFactory(role=Role.MEDIATOR, office=office, username=username)
    MediatorFactory(user=user)
    return user


def edit(agreement, actor, *, obligations=None, data=None, expected=None):
    return services.update_agreement(
        agreement=agreement,
        actor=actor,
        data={"result": RESULT} if data is None else data,
        obligations=obligation_data(agreement.case) if obligations is None else obligations,
        expected_version=agreement.edit_version if expected is None else expected,
    )


def ready(office, clerk, head, mediator):
    """A draft with a result, two obligations and a passed checklist: ready to sign."""
    case = agreed_case(office, clerk, head, mediator)
    agreement = edit(services.draft_agreement(case=case, actor=mediator), mediator)
    services.answer_checklist(agreement=agreement, actor=mediator, answers=passing_checklist())
    return agreement


def sign(agreement, clerk, party, on=TODAY, **kwargs):
    values = {
        "signer_name": party.name,
        "capacity": "agency_seal" if party.kind == "agency" else "in_person",
        "method": "seal" if party.kind == "agency" else "signature",
    }
    values.update(kwargs)
    return services.record_signature(
        agreement=agreement, actor=clerk, party=party, signed_on=on, **values
    )


def third_party(case, kind="legal_person", name="潜江市某某建材有限公司"):
    agency = AgencyFactory(name="潜江市自然资源和规划局") if kind == "agency" else None
    return Party.objects.create(
        case=case,
        role=Party.Role.THIRD_PARTY,
        kind=kind,
        name=name,
        agency=agency,
        legal_representative="李明" if kind in ("legal_person", "other_org") else "",
        order=10,
    )


# --- Drafting ------------------------------------------------------------------------------


def test_the_mediator_drafts_the_first_version(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    agreement = services.draft_agreement(case=case, actor=mediator)
    assert (agreement.version, agreement.status, agreement.edit_version) == (
        1,
        Agreement.Status.DRAFT,
        1,
    )
    assert agreement.created_by == mediator
    assert agreement.result == ""
    assert agreement.facts == "申请人认为处罚过重。\n申请人请求：1. 撤销行政处罚决定"
    applicant = case.parties.get(role="applicant")
    assert agreement.parties_info.splitlines() == [
        f"申请人：{applicant.name}，男，汉族，住湖北省潜江市园林街道。",
        f"被申请人：{case.agency.name}，负责人{case.agency.principal_name}，局长。",
    ]
    # No identity number in the generated text.
    assert applicant.id_number not in agreement.parties_info
    event = case.events.get(kind=CaseEvent.Kind.AGREEMENT_DRAFTED)
    assert (event.actor, event.note, event.data) == (mediator, "第1版", {"agreement": agreement.pk})


def test_the_head_may_draft(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    assert services.draft_agreement(case=case, actor=head).created_by == head


@pytest.mark.parametrize("who", ["other_mediator", "clerk", "other_office_head", "court_liaison"])
def test_only_the_cases_mediators_or_the_head_draft(
    office, clerk, head, mediator, court_liaison, other_office, who
):
    case = agreed_case(office, clerk, head, mediator)
    actor = {
        "other_mediator": lambda: other_mediator(office),
        "clerk": lambda: clerk,
        "other_office_head": lambda: UserFactory(
            role=Role.HEAD, office=other_office, username="other_head"
        ),
        "court_liaison": lambda: court_liaison,
    }[who]()
    with pytest.raises(NotPermitted) as exc:
        services.draft_agreement(case=case, actor=actor)
    assert exc.value.message == "只有本案的调解员或工作室负责人可以起草、修改调解协议。"
    assert not case.agreements.exists()


def test_a_mediator_whose_assignment_ended_cannot_draft(office, clerk, head, mediator):
    from cases.models import Assignment

    case = agreed_case(office, clerk, head, mediator)
    Assignment.objects.filter(case=case).update(status="ended")
    case.refresh_from_db()
    with pytest.raises(NotPermitted):
        services.draft_agreement(case=case, actor=mediator)


def test_drafting_needs_the_agreed_status(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    with pytest.raises(ServiceError) as exc:
        services.draft_agreement(case=case, actor=mediator)
    assert exc.value.message == "案件当前状态为“调解中”，达成一致后才能起草调解协议。"


def test_drafting_twice_is_refused(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    services.draft_agreement(case=case, actor=mediator)
    with pytest.raises(ServiceError) as exc:
        services.draft_agreement(case=case, actor=head)
    assert exc.value.message == "本案已有起草中或已生效的调解协议；需要修改的，请修订为新版本。"
    assert case.agreements.count() == 1


def test_drafting_after_an_effective_agreement_is_refused(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    with pytest.raises(ServiceError):
        services.draft_agreement(case=agreement.case, actor=mediator)


def test_a_new_consensus_after_remediation_gets_the_next_version(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    first = services.draft_agreement(case=case, actor=mediator)
    case = mediation.remediate(case=case, actor=head, note="重新协商")
    session = mediation.schedule_session(
        case=case,
        actor=mediator,
        scheduled_at=timezone.now() - timedelta(hours=1),
        place="工作室调解室",
        mode="in_person",
    )
    mediation.record_session(
        session=session,
        actor=mediator,
        expected_version=0,
        transcript="再次达成一致。",
        outcome="agreement",
        parties=list(case.parties.all()),
    )
    case = mediation.reach_agreement(case=case, actor=mediator)
    second = services.draft_agreement(case=case, actor=mediator)
    first.refresh_from_db()
    assert first.status == Agreement.Status.ABANDONED
    assert (second.version, second.status, second.previous) == (2, Agreement.Status.DRAFT, None)


# --- Editing ------------------------------------------------------------------------------


def test_editing_saves_text_and_obligations(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    agreement = services.draft_agreement(case=case, actor=mediator)
    rows = obligation_data(case, kind="payment", amount=Decimal("5000.00"))
    agreement = edit(
        agreement,
        mediator,
        obligations=rows,
        data={"result": RESULT, "other_terms": "其他无争议。", "confirmation_intended": True},
    )
    assert agreement.edit_version == 2
    agreement.refresh_from_db()
    assert (agreement.result, agreement.other_terms, agreement.confirmation_intended) == (
        RESULT,
        "其他无争议。",
        True,
    )
    saved = list(agreement.obligations.order_by("number"))
    assert [(o.number, o.obligor, o.kind, o.amount, o.due_date, o.status) for o in saved] == [
        (
            1,
            case.parties.get(role="respondent"),
            "payment",
            Decimal("5000.00"),
            date(2026, 12, 10),
            "due",
        ),
        (
            2,
            case.parties.get(role="applicant"),
            "withdraw_complaint",
            None,
            date(2026, 12, 15),
            "due",
        ),
    ]
    event = case.events.get(kind=CaseEvent.Kind.AGREEMENT_UPDATED)
    assert event.note == "第1版，义务2项"
    # A second edit replaces the obligations.
    agreement = edit(agreement, head, obligations=obligation_data(case)[:1])
    assert agreement.edit_version == 3
    assert agreement.obligations.count() == 1


def test_another_mediator_cannot_edit(office, clerk, head, mediator):
    agreement = services.draft_agreement(
        case=agreed_case(office, clerk, head, mediator), actor=mediator
    )
    with pytest.raises(NotPermitted):
        edit(agreement, other_mediator(office))


def test_stale_edit_is_refused(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    agreement = services.draft_agreement(case=case, actor=mediator)
    opened = agreement.edit_version
    edit(agreement, head, data={"result": "负责人的修改"})
    with pytest.raises(StaleEdit) as exc:
        edit(agreement, mediator, expected=opened, data={"result": "调解员的修改"})
    assert exc.value.message == (
        "在您编辑期间，其他人已修改了这份协议。您填写的内容仍保留在下方，请核对后再保存。"
    )
    agreement.refresh_from_db()
    assert (agreement.result, agreement.edit_version) == ("负责人的修改", 2)


@pytest.mark.parametrize("who_signed", ["party", "mediator"])
def test_editing_is_refused_once_anyone_signed(office, clerk, head, mediator, who_signed):
    agreement = ready(office, clerk, head, mediator)
    if who_signed == "party":
        sign(agreement, clerk, agreement.case.parties.get(role="applicant"))
    else:
        services.record_mediator_signature(agreement=agreement, actor=mediator, signed_on=TODAY)
    agreement.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        edit(agreement, mediator, data={"result": "改一个字"})
    assert exc.value.message == "已有人签署本版协议，不能直接修改；请修订为新版本，由各方重新签署。"


def test_editing_an_effective_agreement_is_refused(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    with pytest.raises(ServiceError) as exc:
        edit(agreement, mediator)
    assert exc.value.message == "只能修改起草中的协议；已生效的协议需要修改的，请修订为新版本。"


def _obligation_cases(case, other):
    rows = obligation_data(case)
    return {
        "obligor_of_another_case": (
            [{**rows[0], "obligor": other.parties.get(role="applicant")}],
            "第1项义务的义务人必须是本案当事人。",
        ),
        "no_obligor": ([{**rows[0], "obligor": None}], "第1项义务的义务人必须是本案当事人。"),
        "no_content": ([rows[0], {**rows[1], "description": "  "}], "第2项义务缺少内容。"),
        "no_due_date": ([{**rows[0], "due_date": None}], "第1项义务缺少履行期限。"),
        "past_due_date": (
            [{**rows[0], "due_date": date(2026, 11, 26)}],
            "第1项义务的履行期限早于今天。",
        ),
        "payment_without_amount": (
            [{**rows[0], "kind": "payment", "amount": None}],
            "第1项为支付款项，请填写金额。",
        ),
    }


@pytest.mark.parametrize(
    "problem",
    [
        "obligor_of_another_case",
        "no_obligor",
        "no_content",
        "no_due_date",
        "past_due_date",
        "payment_without_amount",
    ],
)
def test_obligations_are_validated(office, clerk, head, mediator, problem):
    case = agreed_case(office, clerk, head, mediator)
    other = agreed_case(
        office, clerk, head, mediator, act_document_no="潜市监罚〔2026〕99号", confirm=True
    )
    agreement = services.draft_agreement(case=case, actor=mediator)
    rows, message = _obligation_cases(case, other)[problem]
    with pytest.raises(ServiceError) as exc:
        edit(agreement, mediator, obligations=rows)
    assert (exc.value.message, exc.value.field) == (message, "obligations")
    agreement.refresh_from_db()
    assert (agreement.edit_version, agreement.result) == (1, "")
    assert not agreement.obligations.exists()


def test_an_obligation_due_today_and_a_payment_with_its_amount_are_accepted(
    office, clerk, head, mediator
):
    case = agreed_case(office, clerk, head, mediator)
    agreement = services.draft_agreement(case=case, actor=mediator)
    rows = obligation_data(case, kind="payment", amount=Decimal("1.00"), due_date=TODAY)
    edit(agreement, mediator, obligations=rows)
    assert agreement.obligations.get(number=1).due_date == TODAY


def test_an_obligation_needs_a_performance_method(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    agreement = services.draft_agreement(case=case, actor=mediator)
    with pytest.raises(ServiceError) as exc:
        edit(agreement, mediator, obligations=obligation_data(case, method=""))
    assert exc.value.field == "obligations"


def test_a_payment_amount_must_be_positive(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    agreement = services.draft_agreement(case=case, actor=mediator)
    rows = obligation_data(case, kind="payment", amount=Decimal("-5000.00"))
    with pytest.raises(ServiceError) as exc:
        edit(agreement, mediator, obligations=rows)
    assert exc.value.field == "obligations"


def test_an_edit_clears_the_checklist(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    assert agreement.checklist.count() == len(ChecklistItem.values)
    assert services.signing_blockers(agreement) == []
    agreement = edit(agreement, mediator, data={"result": RESULT + "（补充）"})
    assert not agreement.checklist.exists()
    assert services.signing_blockers(agreement) == [f"合法性审查尚未完成（{ALL_ITEMS}）"]


# --- The legality checklist ---------------------------------------------------------------


def test_every_item_must_be_answered(office, clerk, head, mediator):
    agreement = services.draft_agreement(
        case=agreed_case(office, clerk, head, mediator), actor=mediator
    )
    answers = passing_checklist()
    del answers["voluntary"], answers["no_real_rights"]
    with pytest.raises(ServiceError) as exc:
        services.answer_checklist(agreement=agreement, actor=mediator, answers=answers)
    assert exc.value.message == (
        "请逐项作出审查结论，尚未回答："
        "出于各方自愿，无强迫调解；拟申请司法确认的，不涉及确认物权或知识产权权属"
    )
    assert exc.value.field == "checklist"
    assert not agreement.checklist.exists()


def test_a_fail_needs_an_override_reason(office, clerk, head, mediator):
    agreement = edit(
        services.draft_agreement(case=agreed_case(office, clerk, head, mediator), actor=mediator),
        mediator,
    )
    answers = passing_checklist()
    answers["mediable"] = ("fail", "属于羁束行政行为", "  ")
    with pytest.raises(ServiceError) as exc:
        services.answer_checklist(agreement=agreement, actor=mediator, answers=answers)
    assert exc.value.message == (
        "“属于可以调解的事项（行政赔偿、补偿、自由裁量或协调撤改），依据已记录”"
        "审查不符合，仍予签署的，必须记录理由。"
    )
    assert exc.value.field == "override_mediable"
    assert not agreement.checklist.exists()  # nothing half-saved


def test_a_fail_with_a_reason_allows_signing(office, clerk, head, mediator):
    agreement = edit(
        services.draft_agreement(case=agreed_case(office, clerk, head, mediator), actor=mediator),
        mediator,
    )
    answers = passing_checklist()
    answers["mediable"] = ("fail", "羁束行为", "被申请人自行撤销，属协调撤改")
    answers["no_real_rights"] = ("na", "不申请司法确认", "不应保存的理由")
    rows = services.answer_checklist(agreement=agreement, actor=head, answers=answers)
    assert len(rows) == len(ChecklistItem.values)
    saved = {a.item: a for a in agreement.checklist.all()}
    assert (saved["mediable"].answer, saved["mediable"].override_reason) == (
        ChecklistAnswer.Answer.FAIL,
        "被申请人自行撤销，属协调撤改",
    )
    # A reason only goes with a "fail".
    assert saved["no_real_rights"].override_reason == ""
    assert saved["voluntary"].answered_by == head
    event = agreement.case.events.get(kind=CaseEvent.Kind.AGREEMENT_CHECKED)
    assert event.note == (
        "不符合但记录理由后签署：属于可以调解的事项（行政赔偿、补偿、自由裁量或协调撤改），依据已记录"
    )
    assert services.signing_blockers(agreement) == []
    sign(agreement, clerk, agreement.case.parties.get(role="applicant"))


def test_an_all_pass_checklist_and_answering_again(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    assert agreement.case.events.get(kind=CaseEvent.Kind.AGREEMENT_CHECKED).note == "全部符合"
    answers = passing_checklist()
    answers["third_parties"] = ("na", "无第三人", "")
    services.answer_checklist(agreement=agreement, actor=mediator, answers=answers)
    assert agreement.checklist.count() == len(ChecklistItem.values)
    assert agreement.checklist.get(item="third_parties").answer == "na"


def test_an_unknown_answer_is_refused(office, clerk, head, mediator):
    agreement = services.draft_agreement(
        case=agreed_case(office, clerk, head, mediator), actor=mediator
    )
    answers = passing_checklist()
    answers["lawful"] = ("maybe", "", "")
    with pytest.raises(ServiceError) as exc:
        services.answer_checklist(agreement=agreement, actor=mediator, answers=answers)
    assert exc.value.message == "审查结论只能是符合、不符合或不适用。"


def test_the_checklist_of_an_effective_agreement_is_final(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    with pytest.raises(ServiceError) as exc:
        services.answer_checklist(agreement=agreement, actor=mediator, answers=passing_checklist())
    assert exc.value.message == "协议已经生效或作废，不能再修改审查结论。"


def test_only_the_cases_mediators_or_the_head_answer_the_checklist(office, clerk, head, mediator):
    agreement = services.draft_agreement(
        case=agreed_case(office, clerk, head, mediator), actor=mediator
    )
    for actor in (clerk, other_mediator(office)):
        with pytest.raises(NotPermitted):
            services.answer_checklist(agreement=agreement, actor=actor, answers=passing_checklist())


# --- Before signing -----------------------------------------------------------------------


def test_signing_is_blocked_until_checklist_result_and_obligations(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    agreement = services.draft_agreement(case=case, actor=mediator)
    applicant = case.parties.get(role="applicant")
    expected = [f"合法性审查尚未完成（{ALL_ITEMS}）", "尚未写明调解结果", "尚未列明任何义务"]
    assert services.signing_blockers(agreement) == expected
    with pytest.raises(ServiceError) as exc:
        sign(agreement, clerk, applicant)
    assert exc.value.message == "签署前须完成：" + "；".join(expected) + "。"
    for record in (
        lambda: services.record_mediator_signature(
            agreement=agreement, actor=mediator, signed_on=TODAY
        ),
        lambda: services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=TODAY),
    ):
        with pytest.raises(ServiceError) as exc:
            record()
        assert exc.value.message.startswith("签署前须完成：合法性审查尚未完成")
    # Checklist passed, but still no result and no obligations.
    services.answer_checklist(agreement=agreement, actor=mediator, answers=passing_checklist())
    with pytest.raises(ServiceError) as exc:
        sign(agreement, clerk, applicant)
    assert exc.value.message == "签署前须完成：尚未写明调解结果；尚未列明任何义务。"
    assert not agreement.signatures.exists()


def test_a_result_without_obligations_still_blocks(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    agreement = edit(services.draft_agreement(case=case, actor=mediator), mediator, obligations=[])
    services.answer_checklist(agreement=agreement, actor=mediator, answers=passing_checklist())
    assert services.signing_blockers(agreement) == ["尚未列明任何义务"]


# --- Signatures ---------------------------------------------------------------------------


def test_a_signature_is_recorded_with_an_event(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    applicant = agreement.case.parties.get(role="applicant")
    signature = sign(agreement, clerk, applicant, method="fingerprint", signer_name=" 王建国 ")
    assert (
        signature.signer_name,
        signature.capacity,
        signature.method,
        signature.signed_on,
        signature.recorded_by,
        signature.agent,
    ) == ("王建国", "in_person", "fingerprint", TODAY, clerk, None)
    event = agreement.case.events.filter(kind=CaseEvent.Kind.AGREEMENT_SIGNED).get()
    assert event.note == "王建国：王建国（本人）捺印，2026年11月27日"
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
    assert services.missing_signatures(agreement) == [
        agreement.case.agency.name,
        "调解员",
        "工作室印章",
    ]


CAPACITY_MATRIX = {
    # kind: the capacities it may sign in (besides a special agent)
    "natural_person": {"in_person"},
    "legal_person": {"legal_representative"},
    "other_org": {"legal_representative"},
    "agency": {"agency_seal"},
}


@pytest.mark.parametrize("kind", list(CAPACITY_MATRIX))
@pytest.mark.parametrize("capacity", ["in_person", "legal_representative", "agency_seal"])
def test_capacities_per_party_kind(office, clerk, head, mediator, kind, capacity):
    agreement = ready(office, clerk, head, mediator)
    party = third_party(agreement.case, kind=kind, name=f"第三人{kind}")
    if capacity in CAPACITY_MATRIX[kind]:
        signer = party.name if capacity == "in_person" else "签字人"
        signature = sign(agreement, clerk, party, capacity=capacity, signer_name=signer)
        assert signature.capacity == capacity
    else:
        with pytest.raises(ServiceError) as exc:
            sign(agreement, clerk, party, capacity=capacity, signer_name="签字人")
        assert exc.value.message == (
            f"{Party.Kind(kind).label}不能以“{Signature.Capacity(capacity).label}”的身份签署。"
        )
        assert exc.value.field == "capacity"


def test_an_agent_with_general_authority_cannot_sign(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    applicant = agreement.case.parties.get(role="applicant")
    agent = Agent.objects.create(party=applicant, name="赵律师", kind="lawyer", authority="general")
    with pytest.raises(ServiceError) as exc:
        sign(agreement, clerk, applicant, capacity="special_agent", agent=agent)
    assert exc.value.message == (
        "赵律师为一般授权代理人，不能代为签署调解协议；须由特别授权代理人或当事人本人签署。"
    )
    assert exc.value.field == "agent"
    assert not agreement.signatures.exists()


@pytest.mark.parametrize("role", ["applicant", "respondent"])
def test_a_special_agent_signs_under_their_own_name(office, clerk, head, mediator, role):
    agreement = ready(office, clerk, head, mediator)
    party = agreement.case.parties.get(role=role)
    agent = Agent.objects.create(party=party, name="钱代理", kind="staff", authority="special")
    signature = sign(
        agreement, clerk, party, capacity="special_agent", agent=agent, signer_name="别的名字"
    )
    assert (signature.signer_name, signature.agent, signature.capacity) == (
        "钱代理",
        agent,
        "special_agent",
    )
    event = agreement.case.events.get(kind=CaseEvent.Kind.AGREEMENT_SIGNED)
    assert event.note.startswith(f"{party.name}：钱代理（特别授权代理人）")


def test_an_agent_of_another_party_is_refused(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    applicant = agreement.case.parties.get(role="applicant")
    respondent = agreement.case.parties.get(role="respondent")
    agent = Agent.objects.create(party=respondent, name="孙科长", kind="staff", authority="special")
    for given in (agent, None):
        with pytest.raises(ServiceError) as exc:
            sign(agreement, clerk, applicant, capacity="special_agent", agent=given)
        assert (exc.value.message, exc.value.field) == ("请选择该当事人的代理人。", "agent")


def test_an_agent_only_goes_with_the_special_agent_capacity(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    applicant = agreement.case.parties.get(role="applicant")
    agent = Agent.objects.create(party=applicant, name="赵律师", kind="lawyer", authority="special")
    with pytest.raises(ServiceError) as exc:
        sign(agreement, clerk, applicant, agent=agent)
    assert exc.value.message == "只有以特别授权代理人身份签署时才选择代理人。"


def test_signer_name_and_method_are_required(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    applicant = agreement.case.parties.get(role="applicant")
    with pytest.raises(ServiceError) as exc:
        sign(agreement, clerk, applicant, signer_name="  ")
    assert (exc.value.message, exc.value.field) == ("请填写签字人姓名。", "signer_name")
    with pytest.raises(ServiceError) as exc:
        sign(agreement, clerk, applicant, method="thumb")
    assert (exc.value.message, exc.value.field) == ("请选择签署方式。", "method")


def test_signature_dates_not_in_the_future_nor_before_drafting(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    applicant = agreement.case.parties.get(role="applicant")
    with pytest.raises(ServiceError) as exc:
        sign(agreement, clerk, applicant, on=date(2026, 11, 28))
    assert (exc.value.message, exc.value.field) == ("签字日期不能晚于今天。", "signed_on")
    with pytest.raises(ServiceError) as exc:
        sign(agreement, clerk, applicant, on=date(2026, 11, 26))
    assert (exc.value.message, exc.value.field) == ("签字日期不能早于协议起草日期。", "signed_on")
    with pytest.raises(ServiceError) as exc:
        services.record_mediator_signature(
            agreement=agreement, actor=mediator, signed_on=date(2026, 11, 28)
        )
    assert exc.value.message == "签字日期不能晚于今天。"
    with pytest.raises(ServiceError) as exc:
        services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=date(2026, 11, 26))
    assert exc.value.message == "签字日期不能早于协议起草日期。"


def test_each_party_signs_once(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    applicant = agreement.case.parties.get(role="applicant")
    sign(agreement, clerk, applicant)
    with pytest.raises(ServiceError) as exc:
        sign(agreement, clerk, applicant)
    assert (exc.value.message, exc.value.field) == (
        f"{applicant.name}已经签署了本版协议。",
        "party",
    )


def test_the_mediator_signs_once_and_the_seal_is_affixed_once(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    services.record_mediator_signature(agreement=agreement, actor=mediator, signed_on=TODAY)
    with pytest.raises(ServiceError) as exc:
        services.record_mediator_signature(agreement=agreement, actor=head, signed_on=TODAY)
    assert exc.value.message == "调解员已经签字。"
    for party in agreement.case.parties.all():
        sign(agreement, clerk, party)
    services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=TODAY)
    with pytest.raises(ServiceError) as exc:
        services.record_office_seal(agreement=agreement, actor=head, sealed_on=TODAY)
    # The seal completed it: the agreement is in force and takes no more signatures.
    assert exc.value.message == "本版协议已生效，不能再签署。"
    agreement.refresh_from_db()
    assert (agreement.mediator_signed_by, agreement.mediator_signed_on) == (mediator, TODAY)
    notes = list(
        agreement.case.events.filter(kind=CaseEvent.Kind.AGREEMENT_SIGNED).values_list(
            "note", flat=True
        )
    )
    assert notes[0] == f"调解员{mediator.get_full_name()}签字，2026年11月27日"
    assert notes[-1] == f"加盖{office}印章，2026年11月27日"


def test_the_seal_comes_after_every_signature(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    applicant = agreement.case.parties.get(role="applicant")
    with pytest.raises(ServiceError) as exc:
        services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=TODAY)
    assert exc.value.message == (
        f"各方当事人和调解员签署后才能加盖印章；尚未签署：{applicant.name}、"
        f"{agreement.case.agency.name}、调解员。"
    )


def test_in_person_means_the_party_and_an_agency_seals(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    applicant = agreement.case.parties.get(role="applicant")
    respondent = agreement.case.parties.get(role="respondent")
    with pytest.raises(ServiceError) as exc:
        sign(agreement, clerk, applicant, signer_name="张三")
    assert (exc.value.message, exc.value.field) == (
        f"本人签署的，签字人应为{applicant.name}本人；由他人代签的，请选择“特别授权代理人”。",
        "signer_name",
    )
    with pytest.raises(ServiceError) as exc:
        sign(agreement, clerk, respondent, method="fingerprint")
    assert (exc.value.message, exc.value.field) == (
        "行政机关应由负责人签字并加盖印章（或电子签章），不能捺印或仅签名。",
        "method",
    )


def test_only_the_cases_mediator_records_the_mediators_signature(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    for actor in (clerk, other_mediator(office)):
        with pytest.raises(NotPermitted) as exc:
            services.record_mediator_signature(agreement=agreement, actor=actor, signed_on=TODAY)
        assert exc.value.message == "调解员本人签字：只有本案的调解员或工作室负责人可以记录。"


def test_only_the_office_records_signatures(
    office, clerk, head, mediator, other_office_clerk, court_liaison
):
    agreement = ready(office, clerk, head, mediator)
    applicant = agreement.case.parties.get(role="applicant")
    for actor in (other_office_clerk, court_liaison):
        with pytest.raises(NotPermitted) as exc:
            services.record_signature(
                agreement=agreement,
                actor=actor,
                party=applicant,
                signer_name=applicant.name,
                capacity="in_person",
                method="signature",
                signed_on=TODAY,
            )
        assert exc.value.message == "您没有权限记录本案调解协议的签署情况。"
        with pytest.raises(NotPermitted):
            services.record_office_seal(agreement=agreement, actor=actor, sealed_on=TODAY)
    # A mediator of the office may record a party's signature.
    sign(agreement, mediator, applicant)


def test_only_the_cases_signing_parties_sign(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    other = agreed_case(
        office, clerk, head, mediator, act_document_no="潜市监罚〔2026〕98号", confirm=True
    )
    representative = Party.objects.create(
        case=agreement.case, role=Party.Role.REPRESENTATIVE, kind="natural_person", name="周代表"
    )
    for party in (other.parties.get(role="applicant"), representative):
        with pytest.raises(ServiceError) as exc:
            sign(agreement, clerk, party)
        assert (exc.value.message, exc.value.field) == (
            "只有本案的申请人、被申请人和第三人需要签署协议。",
            "party",
        )
    # The representative is not a required signer.
    assert "周代表" not in services.missing_signatures(agreement)


# --- Taking effect ------------------------------------------------------------------------


def test_the_agreement_takes_effect_on_the_last_signature_date(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    case = agreement.case
    applicant = case.parties.get(role="applicant")
    respondent = case.parties.get(role="respondent")
    sign(agreement, clerk, applicant)  # Friday 11-27
    with time_machine.travel("2026-11-30 10:00+08:00", tick=False):
        services.record_mediator_signature(
            agreement=agreement, actor=mediator, signed_on=date(2026, 11, 30)
        )
    with time_machine.travel("2026-12-01 10:00+08:00", tick=False):
        sign(agreement, clerk, respondent, on=date(2026, 12, 1))
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
    assert services.missing_signatures(agreement) == ["工作室印章"]
    assert not case.events.filter(kind=CaseEvent.Kind.AGREEMENT_EFFECTIVE).exists()
    with time_machine.travel("2026-12-03 10:00+08:00", tick=False):
        # The seal is recorded last but was affixed on 11-30: the respondent's
        # seal on 12-01 is the last one.
        services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=date(2026, 11, 30))
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.EFFECTIVE
    assert agreement.effective_on == date(2026, 12, 1)
    assert services.missing_signatures(agreement) == []
    event = case.events.get(kind=CaseEvent.Kind.AGREEMENT_EFFECTIVE)
    # 12-01 + 30 = 12-31, a Thursday.
    assert event.note == "第1版自2026年12月1日生效。申请司法确认的期限至2026年12月31日。"
    assert event.data == {"agreement": agreement.pk, "effective_on": "2026-12-01"}
    assert event.actor == clerk
    case.refresh_from_db()
    assert case.status == Status.AGREED
    assert (case.next_deadline, case.next_deadline_label) == (
        date(2026, 12, 10),
        f"履行期限：第1项（{case.agency.name}）",
    )


def test_the_office_seal_can_be_the_last(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    for party in agreement.case.parties.all():
        sign(agreement, clerk, party)
    services.record_mediator_signature(agreement=agreement, actor=mediator, signed_on=TODAY)
    with time_machine.travel("2026-12-02 10:00+08:00", tick=False):
        services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=date(2026, 12, 2))
    agreement.refresh_from_db()
    assert agreement.effective_on == date(2026, 12, 2)


def test_a_signed_agreement_cannot_be_signed_again(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    Signature.objects.filter(agreement=agreement).delete()
    with pytest.raises(ServiceError) as exc:
        sign(agreement, clerk, agreement.case.parties.get(role="applicant"))
    assert exc.value.message == "本版协议已生效，不能再签署。"


def test_third_parties_must_sign_too(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    company = third_party(agreement.case)
    for party in agreement.case.parties.exclude(pk=company.pk):
        sign(agreement, clerk, party)
    services.record_mediator_signature(agreement=agreement, actor=mediator, signed_on=TODAY)
    with pytest.raises(ServiceError) as exc:
        services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=TODAY)
    assert company.name in exc.value.message
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
    assert services.missing_signatures(agreement) == [company.name, "工作室印章"]
    sign(agreement, clerk, company, capacity="legal_representative", signer_name="李明")
    services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=TODAY)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.effective_on) == (Agreement.Status.EFFECTIVE, TODAY)


# --- Court filing (referrals) -------------------------------------------------------------


def referral_agreement(office, clerk, head, mediator, court_liaison):
    """A court referral signed for and agreed on 11-27, with a draft ready to sign."""
    case = refer(office, court_liaison)
    case = referral.referral_sign_for(case=case, actor=clerk, signed_on=TODAY)
    profile = MediatorFactory(user=mediator)
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[profile], presiding=profile
    )
    mediation.declare_conflict_check(assignment=assignment, actor=mediator, no_conflict=True)
    mediation.schedule_session(
        case=case,
        actor=mediator,
        scheduled_at=timezone.now() - timedelta(hours=2),
        place="工作室调解室",
        mode="in_person",
    )
    mediation.record_session(
        session=case.sessions.get(),
        actor=mediator,
        expected_version=0,
        transcript="双方达成一致。",
        outcome="agreement",
        parties=list(case.parties.all()),
    )
    case = mediation.reach_agreement(case=case, actor=mediator)
    agreement = edit(services.draft_agreement(case=case, actor=mediator), mediator)
    services.answer_checklist(agreement=agreement, actor=mediator, answers=passing_checklist())
    return agreement


def test_a_referrals_agreement_is_filed_with_the_court(
    office, clerk, head, mediator, court, court_liaison
):
    agreement = referral_agreement(office, clerk, head, mediator, court_liaison)
    with pytest.raises(ServiceError) as exc:
        services.record_court_filing(agreement=agreement, actor=clerk, filed_on=TODAY, note="")
    assert exc.value.message == "协议生效后才能备案。"
    for party in agreement.case.parties.all():
        sign(agreement, clerk, party)
    services.record_mediator_signature(agreement=agreement, actor=mediator, signed_on=TODAY)
    services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=TODAY)
    effective = agreement.case.events.get(kind=CaseEvent.Kind.AGREEMENT_EFFECTIVE)
    assert effective.note == (
        "第1版自2026年11月27日生效。申请司法确认的期限至2026年12月28日。"
        "本案为委派调解，应向潜江市人民法院备案。"
    )
    agreement.refresh_from_db()
    for bad in (date(2026, 11, 26), date(2026, 11, 28)):
        with pytest.raises(ServiceError) as exc:
            services.record_court_filing(agreement=agreement, actor=clerk, filed_on=bad, note="")
        assert (exc.value.message, exc.value.field) == (
            "备案日期应在协议生效之后、今天或之前。",
            "filed_on",
        )
    with pytest.raises(NotPermitted):
        services.record_court_filing(
            agreement=agreement, actor=court_liaison, filed_on=TODAY, note=""
        )
    services.record_court_filing(
        agreement=agreement, actor=clerk, filed_on=TODAY, note="立案庭签收"
    )
    agreement.refresh_from_db()
    assert (agreement.court_filed_on, agreement.court_filing_note) == (TODAY, "立案庭签收")
    event = agreement.case.events.get(kind=CaseEvent.Kind.AGREEMENT_FILED)
    assert event.note == "2026年11月27日向潜江市人民法院备案。立案庭签收"


def test_a_self_accepted_agreement_is_not_filed(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    with pytest.raises(ServiceError) as exc:
        services.record_court_filing(agreement=agreement, actor=clerk, filed_on=TODAY, note="")
    assert exc.value.message == "只有委派调解的协议需要向法院备案。"
    assert "备案" not in agreement.case.events.get(kind=CaseEvent.Kind.AGREEMENT_EFFECTIVE).note


# --- New versions -------------------------------------------------------------------------


def test_a_signed_draft_is_revised_into_a_new_version(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    case = agreement.case
    sign(agreement, clerk, case.parties.get(role="applicant"))
    revised = services.new_version(agreement=agreement, actor=mediator, reason="金额有误")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SUPERSEDED
    # The old version stays readable, with its signature and checklist.
    assert agreement.result == RESULT
    assert agreement.signatures.count() == 1
    assert agreement.checklist.count() == len(ChecklistItem.values)
    assert (revised.version, revised.status, revised.previous) == (
        2,
        Agreement.Status.DRAFT,
        agreement,
    )
    for name in ("parties_info", "facts", "result", "other_terms", "confirmation_intended"):
        assert getattr(revised, name) == getattr(agreement, name)
    fields = ("number", "obligor_id", "kind", "description", "amount", "due_date", "method")
    assert list(revised.obligations.values_list(*fields)) == list(
        agreement.obligations.values_list(*fields)
    )
    assert not revised.signatures.exists()
    assert not revised.checklist.exists()
    event = case.events.get(kind=CaseEvent.Kind.AGREEMENT_NEW_VERSION)
    assert event.note == "第1版修订为第2版：金额有误"
    assert event.data == {"agreement": revised.pk, "previous": agreement.pk}
    # The new draft can be edited freely.
    edit(revised, mediator, data={"result": "修改后的结果"})


def test_revising_needs_a_reason_and_a_drafter(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    with pytest.raises(ServiceError) as exc:
        services.new_version(agreement=agreement, actor=mediator, reason=" ")
    assert (exc.value.message, exc.value.field) == ("请说明修订的原因。", "reason")
    with pytest.raises(NotPermitted):
        services.new_version(agreement=agreement, actor=clerk, reason="金额有误")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT


def test_an_unsigned_draft_is_edited_not_revised(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    with pytest.raises(ServiceError) as exc:
        services.new_version(agreement=agreement, actor=mediator, reason="金额有误")
    assert exc.value.message == "本版协议尚未有人签署，请直接修改，不必修订为新版本。"
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.case.agreements.count() == 1


def test_a_draft_signed_only_by_the_mediator_can_be_revised(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    services.record_mediator_signature(agreement=agreement, actor=mediator, signed_on=TODAY)
    revised = services.new_version(agreement=agreement, actor=head, reason="措辞调整")
    assert (revised.version, revised.mediator_signed_on, revised.office_sealed_on) == (
        2,
        None,
        None,
    )


def test_a_superseded_version_cannot_be_revised_again(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    sign(agreement, clerk, agreement.case.parties.get(role="applicant"))
    services.new_version(agreement=agreement, actor=mediator, reason="金额有误")
    agreement.refresh_from_db()
    with pytest.raises(InvalidTransition) as exc:
        services.new_version(agreement=agreement, actor=mediator, reason="再改")
    assert exc.value.message == (
        "当前状态为“已被新版本取代”，不能修订为新版本。页面可能已过期，请刷新后查看。"
    )


def test_revising_an_effective_agreement_moves_past_due_dates_to_today(
    office, clerk, head, mediator
):
    agreement = effective_agreement(office, clerk, head, mediator)
    with time_machine.travel("2026-12-12 10:00+08:00", tick=False):
        revised = services.new_version(agreement=agreement, actor=mediator, reason="重新约定期限")
    assert list(revised.obligations.values_list("due_date", "status")) == [
        (date(2026, 12, 12), "due"),  # was 12-10
        (date(2026, 12, 15), "due"),
    ]


@pytest.mark.parametrize(
    ("outcome", "label"),
    [(None, "已申请"), ("valid_ruling", "已确认"), ("pre_litigation_document", "已确认")],
)
def test_revising_is_refused_while_confirmation_is_pending_or_granted(
    office, clerk, head, mediator, court, court_liaison, outcome, label
):
    agreement = effective_agreement(office, clerk, head, mediator)
    applied = confirmation.apply_for_confirmation(
        agreement=agreement,
        actor=clerk,
        court=court,
        applicants=list(agreement.case.parties.all()),
        applied_on=TODAY,
        materials=["agreement", "presiding_proof", "identity"],
    )
    if outcome:
        confirmation.record_outcome(
            confirmation=applied,
            actor=court_liaison,
            outcome=outcome,
            court_case_no="（2026）鄂9005民特3号",
            filed_on=None,
            decided_on=TODAY,
            served_on=None,
        )
    with pytest.raises(ServiceError) as exc:
        services.new_version(agreement=agreement, actor=mediator, reason="改")
    assert exc.value.message == f"本版协议的司法确认申请{label}，不能修订。"
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.EFFECTIVE


def test_revising_after_a_failed_confirmation(office, clerk, head, mediator, court, court_liaison):
    agreement = effective_agreement(office, clerk, head, mediator)
    applied = confirmation.apply_for_confirmation(
        agreement=agreement,
        actor=clerk,
        court=court,
        applicants=list(agreement.case.parties.all()),
        applied_on=TODAY,
        materials=["agreement", "presiding_proof", "identity"],
    )
    confirmation.record_outcome(
        confirmation=applied,
        actor=court_liaison,
        outcome="dismissed",
        court_case_no="（2026）鄂9005民特3号",
        filed_on=None,
        decided_on=TODAY,
        served_on=None,
    )
    revised = services.new_version(agreement=agreement, actor=mediator, reason="法院认为内容不明确")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SUPERSEDED
    assert agreement.confirmations.get().status == "failed"  # history kept
    assert revised.version == 2


def test_revising_needs_the_agreed_status(office, clerk, head, mediator):
    agreement = ready(office, clerk, head, mediator)
    case = mediation.remediate(case=agreement.case, actor=head, note="重新协商")
    agreement.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        services.new_version(agreement=agreement, actor=mediator, reason="改")
    assert exc.value.message == (
        f"案件当前状态为“{case.get_status_display()}”，不能修订协议；重新达成一致后再起草。"
    )


def test_revising_an_effective_agreement_refreshes_the_case_deadline(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    case = agreement.case
    case.refresh_from_db()
    assert case.next_deadline == date(2026, 12, 10)
    services.new_version(agreement=agreement, actor=mediator, reason="重新约定")
    case.refresh_from_db()
    # The new version is only a draft: no performance or confirmation deadline runs.
    assert (case.next_deadline, case.next_deadline_label) == (None, "")


def test_signature_dates_use_the_local_date_just_after_midnight(office, clerk, head, mediator):
    """Drafted at 00:30 in Qianjiang (still the previous day in UTC)."""
    case = agreed_case(office, clerk, head, mediator)
    with time_machine.travel("2026-11-28 00:30+08:00", tick=False):
        agreement = edit(services.draft_agreement(case=case, actor=mediator), mediator)
        services.answer_checklist(agreement=agreement, actor=mediator, answers=passing_checklist())
        applicant = case.parties.get(role="applicant")
        with pytest.raises(ServiceError) as exc:
            sign(agreement, clerk, applicant, on=date(2026, 11, 27))
        assert exc.value.message == "签字日期不能早于协议起草日期。"
        signature = sign(agreement, clerk, applicant, on=date(2026, 11, 28))
    assert signature.signed_on == date(2026, 11, 28)
