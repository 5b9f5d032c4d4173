"""Performance of the obligations, overdue marking, non-performance, deadlines and reminders.

The agreement of ``effective_agreement`` took effect on Friday 2026-11-27 with
two obligations: the respondent agency's (no. 1, due 12-10) and the
applicant's (no. 2, due 12-15). Its confirmation window ends on Monday 12-28.
"""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from agreements.models import Agreement, Obligation
from agreements.services import agreement as agreement_services
from agreements.services import confirmation, performance
from cases.deadlines import load_work_calendar, office_deadlines
from cases.models import Attachment, CaseEvent, Notification, TerminationReason
from cases.services import mediation
from cases.services.common import ServiceError
from cases.workflow import InvalidTransition, NotPermitted
from tests.factories import (
    agreed_case,
    effective_agreement,
    obligation_data,
    passing_checklist,
)
from tests.helpers import pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = date(2026, 11, 27)
MATERIALS = ["agreement", "presiding_proof", "identity"]
ENFORCE = (
    "本协议已经人民法院司法确认，义务人拒绝履行的，对方当事人可以向人民法院申请强制执行"
    "（《民事诉讼法》第二百零六条）。"
)
SUE = (
    "本协议未经司法确认，义务人不履行的，对方当事人可以就协议的履行向人民法院提起诉讼"
    "（《特邀调解规定》第二十五条）。"
)


def on(day: str):
    return time_machine.travel(f"{day} 10:00+08:00", tick=False)


def obligations(agreement):
    return list(agreement.obligations.order_by("number"))


def perform(obligation, actor, performed_on=TODAY, proof_note="已履行", **kwargs):
    return performance.record_performance(
        obligation=obligation,
        actor=actor,
        performed_on=performed_on,
        proof_note=proof_note,
        **kwargs,
    )


def apply(agreement, clerk, court):
    return confirmation.apply_for_confirmation(
        agreement=agreement,
        actor=clerk,
        court=court,
        applicants=list(agreement.case.parties.all()),
        applied_on=TODAY,
        materials=MATERIALS,
    )


def decide(applied, liaison, outcome="valid_ruling"):
    return confirmation.record_outcome(
        confirmation=applied,
        actor=liaison,
        outcome=outcome,
        court_case_no="（2026）鄂9005民特3号",
        filed_on=TODAY,
        decided_on=TODAY,
        served_on=TODAY,
    )[0]


def deadline_of(case):
    case.refresh_from_db()
    return case.next_deadline, case.next_deadline_label


def late_agreement(office, clerk, head, mediator, *, intended=True):
    """Effective on 11-27 with both obligations due 2027-01-20, after the window (12-28)."""
    case = agreed_case(office, clerk, head, mediator)
    agreement = agreement_services.draft_agreement(case=case, actor=mediator)
    rows = obligation_data(case, due_date=date(2027, 1, 20))
    rows[1]["due_date"] = date(2027, 1, 20)
    agreement = agreement_services.update_agreement(
        agreement=agreement,
        actor=mediator,
        data={"result": "被申请人撤销处罚决定。", "confirmation_intended": intended},
        obligations=rows,
        expected_version=agreement.edit_version,
    )
    agreement_services.answer_checklist(
        agreement=agreement, actor=mediator, answers=passing_checklist()
    )
    for party in case.parties.all():
        agreement_services.record_signature(
            agreement=agreement,
            actor=clerk,
            party=party,
            signer_name=party.name,
            capacity="agency_seal" if party.kind == "agency" else "in_person",
            method="seal" if party.kind == "agency" else "signature",
            signed_on=TODAY,
        )
    agreement_services.record_mediator_signature(
        agreement=agreement, actor=mediator, signed_on=TODAY
    )
    agreement_services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=TODAY)
    agreement.refresh_from_db()
    return agreement


def send_reminders(day: str) -> str:
    """The command's line about the office's cases (the next line is the registers')."""
    out = StringIO()
    with on(day):
        call_command("send_reminders", stdout=out)
    return out.getvalue().strip().splitlines()[0]


def reminders(user):
    return list(
        Notification.objects.filter(recipient=user, key__startswith="deadline:")
        .order_by("id")
        .values_list("title", flat=True)
    )


# --- Recording performance ---------------------------------------------------------------


def test_performance_with_a_note(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    first = obligations(agreement)[0]
    done = perform(first, clerk, proof_note="潜市监撤〔2026〕1号撤销决定")
    done.refresh_from_db()
    assert (done.status, done.performed_on, done.proof_note, done.recorded_by, done.proof) == (
        Obligation.Status.PERFORMED,
        TODAY,
        "潜市监撤〔2026〕1号撤销决定",
        clerk,
        None,
    )
    event = agreement.case.events.get(kind=CaseEvent.Kind.OBLIGATION_PERFORMED)
    assert event.note == (
        f"第1项（{agreement.case.agency.name}）于2026年11月27日履行：潜市监撤〔2026〕1号撤销决定"
    )
    assert event.data == {"obligation": first.pk}


def test_performance_with_a_file_only(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    second = obligations(agreement)[1]
    done = perform(second, head, proof_note="", upload=pdf("撤回申请.pdf"))
    assert done.status == Obligation.Status.PERFORMED
    assert done.proof.title == "第2项义务履行凭证"
    assert done.proof.kind == Attachment.Kind.OTHER
    assert done.proof.case == agreement.case
    event = agreement.case.events.get(kind=CaseEvent.Kind.OBLIGATION_PERFORMED)
    assert event.note == "第2项（王建国）于2026年11月27日履行"


def test_proof_is_required(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    first = obligations(agreement)[0]
    with pytest.raises(ServiceError) as exc:
        perform(first, clerk, proof_note="   ")
    assert exc.value.message == (
        "请提供履行凭证：上传凭证文件，或写明凭证（如转账凭证号、撤销决定的文号）。"
    )
    assert exc.value.field == "proof_note"
    first.refresh_from_db()
    assert first.status == Obligation.Status.DUE


def test_performed_date_between_effect_and_today(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    first = obligations(agreement)[0]
    with pytest.raises(ServiceError) as exc:
        perform(first, clerk, performed_on=date(2026, 11, 28))
    assert (exc.value.message, exc.value.field) == ("履行日期不能晚于今天。", "performed_on")
    with on("2026-12-01"):
        with pytest.raises(ServiceError) as exc:
            perform(first, clerk, performed_on=date(2026, 11, 26))
        assert (exc.value.message, exc.value.field) == (
            "履行日期不能早于协议生效日期。",
            "performed_on",
        )
        perform(first, clerk, performed_on=date(2026, 11, 30))
    first.refresh_from_db()
    assert first.performed_on == date(2026, 11, 30)


def test_late_performance_is_noted(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    first = obligations(agreement)[0]
    with on("2026-12-14"):
        performance.mark_overdue(date(2026, 12, 14))
        first.refresh_from_db()
        assert first.status == Obligation.Status.OVERDUE
        # Performed the day after the due date and recorded later: a late performance.
        perform(first, clerk, performed_on=date(2026, 12, 11), proof_note="已送达")
    first.refresh_from_db()
    assert first.status == Obligation.Status.PERFORMED
    event = agreement.case.events.get(kind=CaseEvent.Kind.OBLIGATION_PERFORMED)
    assert (
        event.note == f"第1项（{agreement.case.agency.name}）于2026年12月11日履行，逾期履行：已送达"
    )


def test_performance_is_recorded_once(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    first = obligations(agreement)[0]
    perform(first, clerk)
    with pytest.raises(InvalidTransition) as exc:
        perform(first, head)
    assert exc.value.message == "当前状态为“已履行”，不能记录履行。页面可能已过期，请刷新后查看。"


def test_only_an_effective_agreements_obligations_are_performed(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    draft = agreement_services.draft_agreement(case=case, actor=mediator)
    draft = agreement_services.update_agreement(
        agreement=draft,
        actor=mediator,
        data={"result": "结果"},
        obligations=obligation_data(case),
        expected_version=draft.edit_version,
    )
    with pytest.raises(ServiceError) as exc:
        perform(obligations(draft)[0], clerk)
    assert exc.value.message == "只能记录已生效协议的履行情况。"


@pytest.mark.parametrize("who", ["mediator", "other_office_clerk", "court_liaison"])
def test_who_records_performance(
    office, clerk, head, mediator, other_office_clerk, court_liaison, who
):
    agreement = effective_agreement(office, clerk, head, mediator)
    actor = {
        "mediator": mediator,
        "other_office_clerk": other_office_clerk,
        "court_liaison": court_liaison,
    }[who]
    with pytest.raises(NotPermitted) as exc:
        perform(obligations(agreement)[0], actor)
    assert exc.value.message == "您没有权限记录协议履行情况。"


# --- Overdue marking ------------------------------------------------------------------------


def test_mark_overdue_once_with_an_event(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    case = agreement.case
    first, second = obligations(agreement)
    assert performance.mark_overdue(date(2026, 12, 10)) == 0  # due today is not late yet
    assert performance.mark_overdue(date(2026, 12, 11)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Obligation.Status.OVERDUE, Obligation.Status.DUE)
    event = case.events.get(kind=CaseEvent.Kind.OBLIGATION_OVERDUE)
    assert event.actor is None
    assert event.note == f"第1项（{case.agency.name}）履行期限2026年12月10日已过，尚未履行"
    assert event.data == {"obligation": first.pk}
    # Running again changes nothing.
    assert performance.mark_overdue(date(2026, 12, 11)) == 0
    assert performance.mark_overdue(date(2026, 12, 12)) == 0
    assert case.events.filter(kind=CaseEvent.Kind.OBLIGATION_OVERDUE).count() == 1
    assert performance.mark_overdue(date(2026, 12, 16)) == 1
    assert case.events.filter(kind=CaseEvent.Kind.OBLIGATION_OVERDUE).count() == 2


def test_mark_overdue_skips_performed_obligations_and_unsigned_drafts(
    office, clerk, head, mediator
):
    agreement = effective_agreement(office, clerk, head, mediator)
    first = obligations(agreement)[0]
    perform(first, clerk)
    case = agreed_case(
        office, clerk, head, mediator, act_document_no="潜市监罚〔2026〕55号", confirm=True
    )
    draft = agreement_services.draft_agreement(case=case, actor=mediator)
    agreement_services.update_agreement(
        agreement=draft,
        actor=mediator,
        data={"result": "结果"},
        obligations=obligation_data(case),
        expected_version=draft.edit_version,
    )
    assert performance.mark_overdue(date(2026, 12, 20)) == 1  # only the applicant's no. 2
    assert set(draft.obligations.values_list("status", flat=True)) == {Obligation.Status.DUE}
    first.refresh_from_db()
    assert first.status == Obligation.Status.PERFORMED


def test_send_reminders_marks_overdue_obligations(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator, intended=False)
    case = agreement.case
    assert send_reminders("2026-12-11") == (
        "2026-12-11：新增逾期义务 1 项；发送提醒 2 条，涉及案件 1 件。"
    )
    assert [o.status for o in obligations(agreement)] == ["overdue", "due"]
    assert case.events.filter(kind=CaseEvent.Kind.OBLIGATION_OVERDUE).count() == 1
    # Running it again the same day marks nothing and sends nothing.
    assert send_reminders("2026-12-11") == (
        "2026-12-11：新增逾期义务 0 项；发送提醒 0 条，涉及案件 0 件。"
    )
    assert case.events.filter(kind=CaseEvent.Kind.OBLIGATION_OVERDUE).count() == 1


def test_send_reminders_for_a_given_date(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator, intended=False)
    out = StringIO()
    call_command("send_reminders", date="2026-12-16", stdout=out)
    assert out.getvalue().startswith("2026-12-16：新增逾期义务 2 项；")
    assert [o.status for o in obligations(agreement)] == ["overdue", "overdue"]


# --- Performance state --------------------------------------------------------------------


def test_performance_state_through_performance(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    first, second = obligations(agreement)
    state = performance.performance_state(agreement, TODAY)
    assert (state.code, state.label, state.advice) == ("performing", "履行中", "")
    perform(first, clerk)
    assert performance.performance_state(agreement, TODAY).code == "performing"
    perform(second, clerk)
    state = performance.performance_state(agreement, TODAY)
    assert (state.code, state.label, state.advice) == ("performed", "履行完毕", "")


def test_not_performed_advice_for_an_unconfirmed_agreement(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    # Past due but not yet marked: already counted as not performed.
    state = performance.performance_state(agreement, date(2026, 12, 11))
    assert (state.code, state.label, state.advice) == ("not_performed", "未履行", SUE)
    assert "提起诉讼" in state.advice
    performance.mark_overdue(date(2026, 12, 11))
    assert performance.performance_state(agreement, date(2026, 12, 11)).advice == SUE


def test_not_performed_advice_for_a_confirmed_agreement(
    office, clerk, head, mediator, court, court_liaison
):
    agreement = effective_agreement(office, clerk, head, mediator)
    decide(apply(agreement, clerk, court), court_liaison)
    performance.mark_overdue(date(2026, 12, 11))
    state = performance.performance_state(agreement, date(2026, 12, 11))
    assert (state.code, state.advice) == ("not_performed", ENFORCE)
    assert "强制执行" in state.advice


def test_a_failed_confirmation_gives_the_unconfirmed_advice(
    office, clerk, head, mediator, court, court_liaison
):
    agreement = effective_agreement(office, clerk, head, mediator)
    decide(apply(agreement, clerk, court), court_liaison, outcome="dismissed")
    state = performance.performance_state(agreement, date(2026, 12, 11))
    assert state.advice == SUE


def test_no_performance_state_before_effect(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    draft = agreement_services.draft_agreement(case=case, actor=mediator)
    assert performance.performance_state(draft, TODAY) is None


# --- Non-performance ----------------------------------------------------------------------


def test_the_head_handles_nonperformance_of_an_overdue_obligation(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    with on("2026-12-11"):
        # Past due is enough: the daily run need not have marked it overdue yet.
        with pytest.raises(ServiceError) as exc:
            performance.handle_nonperformance(
                agreement=agreement, actor=head, handled_on=date(2026, 12, 11), note="  "
            )
        assert (exc.value.message, exc.value.field) == (
            "请记录处理情况，如已告知当事人申请强制执行或提起诉讼。",
            "note",
        )
        with pytest.raises(ServiceError) as exc:
            performance.handle_nonperformance(
                agreement=agreement, actor=head, handled_on=date(2026, 12, 12), note="已告知"
            )
        assert (exc.value.message, exc.value.field) == ("处理日期不能晚于今天。", "handled_on")
        handled = performance.handle_nonperformance(
            agreement=agreement,
            actor=head,
            handled_on=date(2026, 12, 11),
            note="已告知申请人可以就协议履行提起诉讼。",
        )
    handled.refresh_from_db()
    assert (handled.nonperformance_handled_on, handled.nonperformance_note) == (
        date(2026, 12, 11),
        "已告知申请人可以就协议履行提起诉讼。",
    )
    event = agreement.case.events.get(kind=CaseEvent.Kind.NONPERFORMANCE_HANDLED)
    assert (event.actor, event.note, event.data) == (
        head,
        "已告知申请人可以就协议履行提起诉讼。",
        {"agreement": agreement.pk},
    )


@pytest.mark.parametrize("who", ["clerk", "mediator", "other_office_head"])
def test_only_the_head_handles_nonperformance(office, other_office, clerk, head, mediator, who):
    from accounts.models import Role
    from tests.factories import UserFactory

    agreement = effective_agreement(office, clerk, head, mediator)
    performance.mark_overdue(date(2026, 12, 11))
    actor = {
        "clerk": clerk,
        "mediator": mediator,
        "other_office_head": UserFactory(role=Role.HEAD, office=other_office, username="h2"),
    }[who]
    with on("2026-12-11"), pytest.raises(NotPermitted) as exc:
        performance.handle_nonperformance(
            agreement=agreement, actor=actor, handled_on=date(2026, 12, 11), note="已告知"
        )
    assert exc.value.message == "只有工作室负责人可以处理协议不履行。"


def test_nonperformance_only_for_an_effective_agreement(office, clerk, head, mediator):
    case = agreed_case(office, clerk, head, mediator)
    draft = agreement_services.draft_agreement(case=case, actor=mediator)
    with pytest.raises(ServiceError) as exc:
        performance.handle_nonperformance(agreement=draft, actor=head, handled_on=TODAY, note="x")
    assert exc.value.message == "只有已生效的协议才涉及不履行的处理。"


def test_nonperformance_cannot_be_handled_before_the_agreement_took_effect(
    office, clerk, head, mediator
):
    agreement = effective_agreement(office, clerk, head, mediator)
    with on("2026-12-11"):
        performance.mark_overdue(date(2026, 12, 11))
        with pytest.raises(ServiceError) as exc:
            performance.handle_nonperformance(
                agreement=agreement, actor=head, handled_on=date(2026, 11, 1), note="已告知"
            )
    assert exc.value.field == "handled_on"


# --- The case's next deadline -------------------------------------------------------------


def test_next_deadline_follows_the_nearest_unperformed_obligation(
    office, clerk, head, mediator, court
):
    agreement = effective_agreement(office, clerk, head, mediator)
    case = agreement.case
    first, second = obligations(agreement)
    assert deadline_of(case) == (date(2026, 12, 10), f"履行期限：第1项（{case.agency.name}）")
    perform(first, clerk)
    assert deadline_of(case) == (date(2026, 12, 15), "履行期限：第2项（王建国）")
    perform(second, clerk)
    # Only the confirmation window is left (the parties intend to apply).
    assert deadline_of(case) == (date(2026, 12, 28), "申请司法确认期限")
    apply(agreement, clerk, court)
    assert deadline_of(case) == (None, "")


def test_next_deadline_is_the_window_when_it_comes_first(office, clerk, head, mediator, court):
    agreement = late_agreement(office, clerk, head, mediator)
    case = agreement.case
    assert deadline_of(case) == (date(2026, 12, 28), "申请司法确认期限")
    labels = [
        (d.label, d.due, d.near_days) for d in office_deadlines(case, load_work_calendar(), TODAY)
    ]
    assert labels == [
        ("申请司法确认期限", date(2026, 12, 28), 7),
        (f"履行期限：第1项（{case.agency.name}）", date(2027, 1, 20), 3),
        ("履行期限：第2项（王建国）", date(2027, 1, 20), 3),
    ]
    apply(agreement, clerk, court)
    assert deadline_of(case) == (date(2027, 1, 20), f"履行期限：第1项（{case.agency.name}）")


def test_without_intended_confirmation_the_window_is_no_deadline(office, clerk, head, mediator):
    agreement = late_agreement(office, clerk, head, mediator, intended=False)
    assert deadline_of(agreement.case) == (
        date(2027, 1, 20),
        f"履行期限：第1项（{agreement.case.agency.name}）",
    )
    for obligation in obligations(agreement):
        perform(obligation, clerk)
    assert deadline_of(agreement.case) == (None, "")


def test_a_failed_confirmation_brings_the_window_back_as_the_deadline(
    office, clerk, head, mediator, court, court_liaison
):
    agreement = late_agreement(office, clerk, head, mediator)
    case = agreement.case
    applied = apply(agreement, clerk, court)
    assert deadline_of(case)[0] == date(2027, 1, 20)
    decide(applied, court_liaison, outcome="withdrawn")
    computed = min(
        (d for d in office_deadlines(case, load_work_calendar(), TODAY) if not d.informational),
        key=lambda d: d.due,
    )
    assert (computed.due, computed.label) == (date(2026, 12, 28), "申请司法确认期限")
    assert deadline_of(case) == (computed.due, computed.label)


# --- Reminders ----------------------------------------------------------------------------


def test_obligation_reminders_go_to_the_head_and_clerks_once(office, clerk, head, mediator):
    from accounts.models import Role
    from tests.factories import UserFactory

    second_clerk = UserFactory(role=Role.CLERK, office=office, username="clerk2")
    agreement = effective_agreement(office, clerk, head, mediator, intended=False)
    case = agreement.case
    name = case.agency.name
    send_reminders("2026-12-05")  # five days before: nothing yet
    assert reminders(head) == []
    send_reminders("2026-12-09")
    send_reminders("2026-12-09")
    send_reminders("2026-12-10")
    send_reminders("2026-12-11")
    send_reminders("2026-12-12")
    expected = [
        f"{case.display_number}：履行期限：第1项（{name}）将于2026-12-10届满，还剩1日",
        f"{case.display_number}：履行期限：第1项（{name}）今日（2026-12-10）届满",
        f"{case.display_number}：履行期限：第1项（{name}）已于2026-12-10届满，已超期1日",
    ]
    for user in (head, clerk, second_clerk):
        assert reminders(user) == expected
    assert reminders(mediator) == []
    overdue = Notification.objects.filter(key=f"deadline:{case.pk}:obligation:20261210:overdue")
    assert {n.recipient for n in overdue} == {head, clerk, second_clerk}
    assert all(n.case == case for n in overdue)


def test_confirmation_window_reminders_go_to_mediators_and_clerks(office, clerk, head, mediator):
    agreement = late_agreement(office, clerk, head, mediator)
    case = agreement.case
    send_reminders("2026-12-20")  # eight days before: nothing
    assert reminders(clerk) == []
    send_reminders("2026-12-21")
    send_reminders("2026-12-21")
    send_reminders("2026-12-25")
    expected = [
        f"{case.display_number}：申请司法确认期限将于2026-12-28届满，还剩7日",
        f"{case.display_number}：申请司法确认期限将于2026-12-28届满，还剩3日",
    ]
    assert reminders(mediator) == expected
    assert reminders(clerk) == expected
    assert reminders(head) == []
    assert (
        Notification.objects.filter(key=f"deadline:{case.pk}:confirmation:20261228:d7").count() == 2
    )


def test_no_confirmation_window_reminders_when_not_intended(office, clerk, head, mediator):
    late_agreement(office, clerk, head, mediator, intended=False)
    for day in ("2026-12-21", "2026-12-25", "2026-12-28", "2026-12-29"):
        send_reminders(day)
    assert not Notification.objects.filter(key__contains=":confirmation:").exists()
    assert reminders(clerk) == reminders(mediator) == reminders(head) == []


def test_no_window_reminders_once_applied(office, clerk, head, mediator, court):
    agreement = late_agreement(office, clerk, head, mediator)
    apply(agreement, clerk, court)
    send_reminders("2026-12-21")
    assert not Notification.objects.filter(key__contains=":confirmation:").exists()


def test_an_expired_window_does_not_hide_the_obligation_reminders(office, clerk, head, mediator):
    agreement = late_agreement(office, clerk, head, mediator)
    case = agreement.case
    send_reminders("2026-12-29")  # the window passed without an application
    assert reminders(clerk) == [
        f"{case.display_number}：申请司法确认期限已于2026-12-28届满，已超期1日"
    ]
    send_reminders("2027-01-19")
    assert reminders(head) == [
        f"{case.display_number}：履行期限：第1项（{case.agency.name}）将于2027-01-20届满，还剩1日"
    ]


# --- After a failed confirmation -----------------------------------------------------------


@pytest.mark.parametrize("leave", ["remediate", "terminate"])
def test_obligations_of_an_agreement_left_behind_are_not_marked_overdue(
    office, clerk, head, mediator, court, court_liaison, leave
):
    agreement = effective_agreement(office, clerk, head, mediator)
    case = agreement.case
    decide(apply(agreement, clerk, court), court_liaison, outcome="dismissed")
    if leave == "remediate":
        mediation.remediate(case=case, actor=head, note="法院驳回，重新调解")
    else:
        mediation.propose_termination(
            case=case, actor=head, reason=TerminationReason.OTHER, note="当事人选择起诉"
        )
    assert performance.mark_overdue(date(2026, 12, 16)) == 0
    assert not case.events.filter(kind=CaseEvent.Kind.OBLIGATION_OVERDUE).exists()


def test_agreement_model_is_untouched_by_marking(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator)
    performance.mark_overdue(date(2026, 12, 16))
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.EFFECTIVE
    assert agreement.nonperformance_handled_on is None


def test_send_reminders_just_after_midnight_uses_the_local_date(office, clerk, head, mediator):
    agreement = effective_agreement(office, clerk, head, mediator, intended=False)
    out = StringIO()
    with time_machine.travel("2026-12-11 00:30+08:00", tick=False):  # 12-10 in UTC
        call_command("send_reminders", stdout=out)
    assert out.getvalue().startswith("2026-12-11：新增逾期义务 1 项；")
    assert obligations(agreement)[0].status == Obligation.Status.OVERDUE
