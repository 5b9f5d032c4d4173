"""The agreements app's state machines and the conditions it adds to the case workflow.

The step tables (agreements.workflow) are checked exhaustively: every action
against every status of its model. The case-level conditions are those of
DOMAIN.md §2.3: once the agreement has taken effect the case may go back to
mediation or be terminated only after the court refused to confirm it, and it
closes only when the obligations were performed or their non-performance was
dealt with.
"""

from datetime import date

import pytest
import time_machine

from agreements import hooks
from agreements.models import Agreement, Confirmation, Obligation
from agreements.services import agreement as services
from agreements.services import confirmation, performance
from agreements.workflow import (
    AGREEMENT_STEPS,
    CONFIRMATION_STEPS,
    OBLIGATION_STEPS,
    ensure_step,
)
from cases import extensions
from cases.models import CaseEvent, Decision, Status, TerminationReason
from cases.services import mediation
from cases.services.common import ServiceError
from cases.workflow import (
    TRANSITIONS,
    InvalidTransition,
    available_actions,
    ensure_allowed,
)
from tests.factories import agreed_case, effective_agreement, obligation_data, passing_checklist

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

EFFECTIVE_REFUSAL = "调解协议已经生效；只有司法确认未获支持的，才能重新调解或终止调解。"
NOT_EFFECTIVE = "调解协议尚未生效，不能结案。"
PENDING_CONFIRMATION = "司法确认申请尚待法院作出结果，不能结案。"
NOT_PERFORMED = "协议义务尚未全部履行；逾期未履行的，工作室负责人记录处理情况后可以结案。"
MATERIALS = ["agreement", "presiding_proof", "identity"]


# --- The three step tables ----------------------------------------------------------------

A, C, OB = Agreement.Status, Confirmation.Status, Obligation.Status

# What DOMAIN.md §2.3 and §3.5 ask for, written out independently of the code.
EXPECTED_AGREEMENT = {
    "take_effect": ("协议生效", {A.DRAFT}, A.EFFECTIVE),
    "supersede": ("修订为新版本", {A.DRAFT, A.EFFECTIVE}, A.SUPERSEDED),
    "abandon": ("作废", {A.DRAFT}, A.ABANDONED),
}
EXPECTED_CONFIRMATION = {
    "confirm": ("确认有效", {C.APPLIED}, C.CONFIRMED),
    "fail": ("未获确认", {C.APPLIED}, C.FAILED),
}
EXPECTED_OBLIGATION = {
    "perform": ("记录履行", {OB.DUE, OB.OVERDUE}, OB.PERFORMED),
    "become_overdue": ("逾期", {OB.DUE}, OB.OVERDUE),
}

TABLES = [
    (AGREEMENT_STEPS, EXPECTED_AGREEMENT, Agreement),
    (CONFIRMATION_STEPS, EXPECTED_CONFIRMATION, Confirmation),
    (OBLIGATION_STEPS, EXPECTED_OBLIGATION, Obligation),
]
CELLS = [
    pytest.param(table, expected, model, action, status, id=f"{model.__name__}-{action}-{status}")
    for table, expected, model in TABLES
    for action in expected
    for status in model.Status.values
]


@pytest.mark.parametrize(("table", "expected", "model"), TABLES)
def test_step_tables_have_exactly_the_expected_actions(table, expected, model):
    assert set(table) == set(expected)
    for action, (label, sources, target) in expected.items():
        step = table[action]
        assert (step.label, set(step.sources), step.target) == (label, sources, target)
        # Every source and target is a status the model knows.
        assert set(step.sources) | {step.target} <= set(model.Status.values)


@pytest.mark.parametrize(("table", "expected", "model", "action", "status"), CELLS)
def test_every_action_from_every_status(table, expected, model, action, status):
    obj = model(status=status)
    label, sources, target = expected[action]
    if status in sources:
        step = ensure_step(table, obj, action)
        assert step.target == target
    else:
        with pytest.raises(InvalidTransition) as exc:
            ensure_step(table, obj, action)
        display = model.Status(status).label
        assert exc.value.message == (
            f"当前状态为“{display}”，不能{label}。页面可能已过期，请刷新后查看。"
        )


def test_no_step_leaves_a_terminal_status():
    """Superseded and abandoned versions, decided applications and performed
    obligations are final: no action starts from them."""
    finals = {
        Agreement: {A.SUPERSEDED, A.ABANDONED},
        Confirmation: {C.CONFIRMED, C.FAILED},
        Obligation: {OB.PERFORMED},
    }
    for table, _, model in TABLES:
        for step in table.values():
            assert not (set(step.sources) & finals[model])


# --- How the app plugs into the case workflow ----------------------------------------------


def test_hooks_are_registered_with_the_case_workflow():
    assert hooks.may_leave_agreement_stage in extensions.preconditions("remediate")
    assert hooks.may_leave_agreement_stage in extensions.preconditions("terminate")
    assert hooks.may_close in extensions.preconditions("close")
    assert hooks.set_aside_drafts in extensions.transition_hooks("remediate")
    assert hooks.set_aside_drafts in extensions.transition_hooks("terminate")
    assert hooks.agreement_deadlines in extensions.deadline_providers()
    assert extensions.reminder_kind("obligation") is hooks.OBLIGATION_REMINDER
    assert extensions.reminder_kind("confirmation_apply") is hooks.CONFIRMATION_REMINDER
    # Registering twice (e.g. a second AppConfig.ready) adds nothing.
    before = (
        extensions.preconditions("close"),
        extensions.transition_hooks("terminate"),
        extensions.deadline_providers(),
    )
    hooks.register()
    assert (
        extensions.preconditions("close"),
        extensions.transition_hooks("terminate"),
        extensions.deadline_providers(),
    ) == before


def test_conditions_only_concern_cases_in_the_agreement_stage(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    case = mediation.remediate(case=case, actor=head, note="重新协商")
    assert case.status == Status.IN_MEDIATION
    assert hooks.may_leave_agreement_stage(case) == ""
    assert hooks.may_close(case) == ""


# --- Helpers ---------------------------------------------------------------------------


def drafted(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    agreement = services.draft_agreement(case=case, actor=mediator)
    agreement = services.update_agreement(
        agreement=agreement,
        actor=mediator,
        data={"result": "被申请人撤销处罚决定，申请人撤回复议申请。"},
        obligations=obligation_data(case),
        expected_version=agreement.edit_version,
    )
    services.answer_checklist(agreement=agreement, actor=mediator, answers=passing_checklist())
    return agreement


def apply(agreement, clerk, court):
    return confirmation.apply_for_confirmation(
        agreement=agreement,
        actor=clerk,
        court=court,
        applicants=list(agreement.case.parties.all()),
        applied_on=date(2026, 11, 27),
        materials=MATERIALS,
    )


def decide(applied, liaison, outcome):
    decided, _ = confirmation.record_outcome(
        confirmation=applied,
        actor=liaison,
        outcome=outcome,
        court_case_no="（2026）鄂9005民特3号",
        filed_on=date(2026, 11, 27),
        decided_on=date(2026, 11, 27),
        served_on=date(2026, 11, 27),
    )
    return decided


def head_terminates(case, head):
    return mediation.propose_termination(
        case=case, actor=head, reason=TerminationReason.REFUSED_TO_SIGN, note="一方拒绝签字"
    )


# --- Back to mediation or ending it ------------------------------------------------------


def test_remediate_with_a_draft_sets_it_aside(office, clerk, head, mediator):
    draft = drafted(office, clerk, head, mediator)
    case = draft.case
    # A party signed already: the draft is still set aside, and kept.
    party = case.parties.get(role="applicant")
    services.record_signature(
        agreement=draft,
        actor=clerk,
        party=party,
        signer_name=party.name,
        capacity="in_person",
        method="signature",
        signed_on=date(2026, 11, 27),
    )
    assert ensure_allowed(case, "remediate")
    case = mediation.remediate(case=case, actor=head, note="被申请人要求重新协商金额")
    assert case.status == Status.IN_MEDIATION
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.ABANDONED
    assert draft.signatures.count() == 1
    event = case.events.get(kind=CaseEvent.Kind.REMEDIATED)
    assert (event.from_status, event.to_status, event.note) == (
        Status.AGREED,
        Status.IN_MEDIATION,
        "被申请人要求重新协商金额",
    )


def test_remediate_without_any_agreement(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    case = mediation.remediate(case=case, actor=head, note="重新协商")
    assert case.status == Status.IN_MEDIATION


def test_a_mediator_cannot_remediate(office, clerk, head, mediator):
    from cases.workflow import NotPermitted

    case = agreed_case(office, clerk, head, mediator)
    with pytest.raises(NotPermitted):
        mediation.remediate(case=case, actor=mediator, note="重新协商")


def test_terminate_with_a_draft_sets_it_aside(office, clerk, head, mediator):
    draft = drafted(office, clerk, head, mediator)
    case = draft.case
    termination = head_terminates(case, head)
    assert termination.status == Decision.APPROVED
    case.refresh_from_db()
    assert case.status == Status.TERMINATED
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.ABANDONED


def test_a_mediators_termination_proposal_sets_the_draft_aside_when_approved(
    office, clerk, head, mediator
):
    draft = drafted(office, clerk, head, mediator)
    termination = mediation.propose_termination(
        case=draft.case,
        actor=mediator,
        reason=TerminationReason.REFUSED_TO_SIGN,
        note="申请人拒绝签字",
    )
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.DRAFT  # only a proposal so far
    mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.ABANDONED


def test_effective_agreement_without_confirmation_blocks_remediate_and_terminate(
    office, clerk, head, mediator
):
    agreement = effective_agreement(office, clerk, head, mediator)
    case = agreement.case
    with pytest.raises(InvalidTransition) as exc:
        mediation.remediate(case=case, actor=head, note="重新协商")
    assert exc.value.message == EFFECTIVE_REFUSAL
    with pytest.raises(ServiceError) as exc:
        head_terminates(case, head)
    assert exc.value.message == EFFECTIVE_REFUSAL
    with pytest.raises(ServiceError) as exc:
        mediation.propose_termination(
            case=case, actor=mediator, reason=TerminationReason.OTHER, note="当事人反悔"
        )
    assert exc.value.message == EFFECTIVE_REFUSAL
    case.refresh_from_db()
    assert case.status == Status.AGREED
    assert {t.action for t in available_actions(head, case)} & {"remediate", "terminate"} == set()


@pytest.mark.parametrize("outcome", ["valid_ruling", "pre_litigation_document"])
def test_confirmed_agreement_blocks_remediate_and_terminate(
    office, clerk, head, mediator, court, court_liaison, outcome
):
    agreement = effective_agreement(office, clerk, head, mediator)
    decide(apply(agreement, clerk, court), court_liaison, outcome)
    case = agreement.case
    for action in ("remediate", "terminate"):
        with pytest.raises(InvalidTransition) as exc:
            ensure_allowed(case, action)
        assert exc.value.message == EFFECTIVE_REFUSAL


def test_pending_confirmation_blocks_remediate_and_terminate(office, clerk, head, mediator, court):
    agreement = effective_agreement(office, clerk, head, mediator)
    apply(agreement, clerk, court)
    for action in ("remediate", "terminate"):
        assert TRANSITIONS[action].refusal(agreement.case) == EFFECTIVE_REFUSAL


@pytest.mark.parametrize("outcome", ["dismissed", "not_accepted", "withdrawn"])
def test_failed_confirmation_allows_remediate(
    office, clerk, head, mediator, court, court_liaison, outcome
):
    agreement = effective_agreement(office, clerk, head, mediator)
    decide(apply(agreement, clerk, court), court_liaison, outcome)
    case = mediation.remediate(case=agreement.case, actor=head, note="法院驳回，重新调解")
    assert case.status == Status.IN_MEDIATION
    agreement.refresh_from_db()
    # The old version is kept; the new one is written after a new consensus.
    assert agreement.status == Agreement.Status.EFFECTIVE


def test_failed_confirmation_allows_terminate(office, clerk, head, mediator, court, court_liaison):
    agreement = effective_agreement(office, clerk, head, mediator)
    decide(apply(agreement, clerk, court), court_liaison, "dismissed")
    head_terminates(agreement.case, head)
    agreement.case.refresh_from_db()
    assert agreement.case.status == Status.TERMINATED


def test_a_later_failure_counts_not_an_earlier_one(
    office, clerk, head, mediator, court, court_liaison
):
    """After a failed application the parties may apply again; while that one
    is pending the case may not leave the agreement stage."""
    agreement = effective_agreement(office, clerk, head, mediator)
    decide(apply(agreement, clerk, court), court_liaison, "withdrawn")
    assert hooks.may_leave_agreement_stage(agreement.case) == ""
    apply(agreement, clerk, court)
    assert hooks.may_leave_agreement_stage(agreement.case) == EFFECTIVE_REFUSAL


def test_approval_is_refused_when_the_agreement_took_effect_after_the_proposal(
    office, clerk, head, mediator
):
    draft = drafted(office, clerk, head, mediator)
    case = draft.case
    termination = mediation.propose_termination(
        case=case, actor=mediator, reason=TerminationReason.OTHER, note="一方犹豫"
    )
    for party in case.parties.all():
        services.record_signature(
            agreement=draft,
            actor=clerk,
            party=party,
            signer_name=party.name,
            capacity="agency_seal" if party.kind == "agency" else "in_person",
            method="seal" if party.kind == "agency" else "signature",
            signed_on=date(2026, 11, 27),
        )
    services.record_mediator_signature(
        agreement=draft, actor=mediator, signed_on=date(2026, 11, 27)
    )
    services.record_office_seal(agreement=draft, actor=clerk, sealed_on=date(2026, 11, 27))
    with pytest.raises(InvalidTransition) as exc:
        mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    assert exc.value.message == EFFECTIVE_REFUSAL
    case.refresh_from_db()
    assert case.status == Status.AGREED
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.EFFECTIVE


# --- Closing -------------------------------------------------------------------------------


def test_close_refused_without_an_effective_agreement(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    with pytest.raises(InvalidTransition) as exc:
        mediation.close_case(case=case, actor=head)
    assert exc.value.message == NOT_EFFECTIVE
    drafted_agreement = services.draft_agreement(case=case, actor=mediator)
    assert hooks.may_close(drafted_agreement.case) == NOT_EFFECTIVE
    assert "close" not in {t.action for t in available_actions(head, case)}


def test_close_refused_until_performed(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    case = agreement.case
    first, second = agreement.obligations.order_by("number")
    with pytest.raises(InvalidTransition) as exc:
        mediation.close_case(case=case, actor=head)
    assert exc.value.message == NOT_PERFORMED
    performance.record_performance(
        obligation=first, actor=clerk, performed_on=date(2026, 11, 27), proof_note="撤销决定已送达"
    )
    assert hooks.may_close(case) == NOT_PERFORMED
    performance.record_performance(
        obligation=second, actor=clerk, performed_on=date(2026, 11, 27), proof_note="已撤回复议"
    )
    assert hooks.may_close(case) == ""
    case = mediation.close_case(case=case, actor=head, note="协议已履行完毕。")
    assert case.status == Status.CLOSED
    assert case.closed_on == date(2026, 11, 27)
    assert case.events.filter(kind=CaseEvent.Kind.CLOSED, note="协议已履行完毕。").exists()


def test_close_refused_while_confirmation_pending_even_if_performed(
    office, clerk, head, mediator, court, court_liaison
):
    agreement = effective_agreement(office, clerk, head, mediator)
    for obligation in agreement.obligations.all():
        performance.record_performance(
            obligation=obligation, actor=clerk, performed_on=date(2026, 11, 27), proof_note="已履行"
        )
    applied = apply(agreement, clerk, court)
    with pytest.raises(InvalidTransition) as exc:
        mediation.close_case(case=agreement.case, actor=head)
    assert exc.value.message == PENDING_CONFIRMATION
    decide(applied, court_liaison, "valid_ruling")
    case = mediation.close_case(case=agreement.case, actor=head)
    assert case.status == Status.CLOSED


def test_close_after_nonperformance_is_handled(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    case = agreement.case
    with time_machine.travel("2026-12-11 10:00+08:00", tick=False):
        performance.mark_overdue(date(2026, 12, 11))
        performance.handle_nonperformance(
            agreement=agreement, actor=head, handled_on=date(2026, 12, 11), note="已告知申请人起诉"
        )
        # The second obligation (due 12-15) is still running.
        assert hooks.may_close(case) == NOT_PERFORMED
    with time_machine.travel("2026-12-16 10:00+08:00", tick=False):
        assert performance.mark_overdue(date(2026, 12, 16)) == 1
        # Handled before the second fell overdue: the head's record still stands.
        assert hooks.may_close(case) == ""
        case = mediation.close_case(case=case, actor=head, note="义务人未履行，已告知起诉。")
    assert case.status == Status.CLOSED


def test_close_refused_with_an_overdue_obligation_not_yet_handled(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    with time_machine.travel("2026-12-16 10:00+08:00", tick=False):
        performance.mark_overdue(date(2026, 12, 16))
        with pytest.raises(InvalidTransition) as exc:
            mediation.close_case(case=agreement.case, actor=head)
    assert exc.value.message == NOT_PERFORMED


def test_archive_after_close(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    for obligation in agreement.obligations.all():
        performance.record_performance(
            obligation=obligation, actor=clerk, performed_on=date(2026, 11, 27), proof_note="已履行"
        )
    case = mediation.close_case(case=agreement.case, actor=head)
    case = mediation.archive_case(case=case, actor=clerk, archive_no="2026-行调-009")
    assert (case.status, case.archive_no) == (Status.ARCHIVED, "2026-行调-009")
