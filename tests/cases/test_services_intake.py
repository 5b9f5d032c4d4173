"""Registration, supplement, acceptance and decline: guards, numbers and timeline events."""

from datetime import date

import pytest

from cases.models import Case, CaseEvent, CaseLink, Party, Status
from cases.services import intake
from cases.services.common import ServiceError
from cases.workflow import InvalidTransition, NotPermitted
from tests import factories
from tests.factories import VALID_ID_2, person, register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_registration_assigns_the_office_pattern_number_and_records_the_event(office, clerk):
    case = register(office, clerk)
    assert case.status == Status.REGISTERED
    assert case.registration_no == "潜行调登〔2026〕0001号"
    assert case.review_started_on == date(2026, 11, 27)
    assert case.next_deadline == date(2026, 12, 4)  # 5 working days
    assert case.next_deadline_label == "受理审查期限"
    event = case.events.get()
    assert (event.kind, event.to_status, event.actor) == (
        CaseEvent.Kind.REGISTERED,
        Status.REGISTERED,
        clerk,
    )
    assert [p.role for p in case.parties.all()] == [Party.Role.APPLICANT, Party.Role.RESPONDENT]
    respondent = case.parties.get(role=Party.Role.RESPONDENT)
    assert respondent.agency == case.agency and respondent.kind == Party.Kind.AGENCY


def test_registration_numbers_run_per_office_and_year_without_gaps(
    office, other_office, clerk, other_office_clerk
):
    agency = factories.AgencyFactory()
    numbers = [
        register(
            office, clerk, agency=agency, applicants=[person(id_number=number)]
        ).registration_no
        for number in ("429005198001011233", "429005199507152468", "11010519491231002X")
    ]
    assert numbers == ["潜行调登〔2026〕0001号", "潜行调登〔2026〕0002号", "潜行调登〔2026〕0003号"]
    other_office.registration_number_pattern = "荆行调登〔{year}〕{seq}号"
    other_office.save()
    assert register(other_office, other_office_clerk).registration_no == "荆行调登〔2026〕1号"


def test_a_refused_registration_does_not_use_up_a_number(office, clerk):
    with pytest.raises(ServiceError):
        register(office, clerk, category_code="LICENSING")  # Art. 60 basis missing
    assert register(office, clerk).registration_no == "潜行调登〔2026〕0001号"


def test_numbers_restart_each_year(office, clerk, time_machine):
    time_machine.move_to("2026-12-31 17:00+08:00", tick=False)
    assert register(office, clerk).registration_no.startswith("潜行调登〔2026〕")
    time_machine.move_to("2027-01-04 09:00+08:00", tick=False)
    case = register(
        office, clerk, applicants=[person(id_number=VALID_ID_2)], received_date=date(2027, 1, 4)
    )
    assert case.registration_no == "潜行调登〔2027〕0001号"


def test_only_the_office_can_register_for_itself(office, other_office_clerk, mediator):
    with pytest.raises(NotPermitted):
        register(office, other_office_clerk)
    with pytest.raises(NotPermitted):
        register(office, mediator)


def test_category_outside_art60_needs_the_basis(office, clerk):
    with pytest.raises(ServiceError) as exc:
        register(office, clerk, category_code="LICENSING")
    assert exc.value.field == "art60_basis"
    assert "第六十条" in exc.value.message
    case = register(office, clerk, category_code="LICENSING", art60_basis="discretion")
    assert case.art60_basis == "discretion"


def test_coordination_basis_needs_an_explanation(office, clerk):
    with pytest.raises(ServiceError) as exc:
        register(office, clerk, category_code="LICENSING", art60_basis="coordination")
    assert exc.value.field == "art60_note"


def test_reconsideration_first_categories_need_the_notice_recorded(office, clerk):
    with pytest.raises(ServiceError) as exc:
        register(
            office,
            clerk,
            category_code="INFO_DISCLOSURE",
            art60_basis="coordination",
            art60_note="协调",
        )
    assert exc.value.field == "reconsideration_first_notified"
    assert "复议前置" in exc.value.message
    case = register(
        office,
        clerk,
        category_code="INFO_DISCLOSURE",
        art60_basis="coordination",
        art60_note="协调重新答复",
        reconsideration_first_notified=True,
    )
    assert case.reconsideration_first_notified


def test_duplicate_needs_confirmation_and_is_then_linked(office, clerk):
    agency = factories.AgencyFactory()
    first = register(office, clerk, agency=agency)
    with pytest.raises(intake.DuplicateSuspected) as exc:
        register(office, clerk, agency=agency)
    assert [d.case for d in exc.value.duplicates] == [first]
    assert "同一申请人、同一被申请机关、同一文号" in exc.value.duplicates[0].reason
    assert Case.objects.count() == 1
    second = register(office, clerk, agency=agency, confirm=True)
    link = CaseLink.objects.get(case=second)
    assert link.linked_case == first
    assert second.events.filter(kind=CaseEvent.Kind.DUPLICATE_CONFIRMED).exists()


def test_a_different_act_or_agency_or_closed_case_is_not_a_duplicate(office, clerk, head):
    agency = factories.AgencyFactory()
    first = register(office, clerk, agency=agency)
    register(office, clerk, agency=agency, act_document_no="潜市监罚〔2026〕99号")
    register(office, clerk)  # another agency
    intake.case_decline(
        case=first, actor=head, reason="out_of_scope", guidance="可以申请行政复议。"
    )
    assert Case.objects.count() == 3
    register(office, clerk, agency=agency)  # the only open match has another act number


def test_organisation_applicants_match_on_credit_code(office, clerk):
    agency = factories.AgencyFactory()
    company = person(
        kind="legal_person",
        name="潜江市楚韵建材有限公司",
        id_type="",
        id_number="",
        uscc="91429005MA4ABC129K",
        legal_representative="李四",
    )
    register(office, clerk, agency=agency, applicants=[company], act_document_no="")
    with pytest.raises(intake.DuplicateSuspected):
        register(office, clerk, agency=agency, applicants=[company], act_document_no="")


def test_supplement_is_a_one_time_notice(office, clerk):
    case = register(office, clerk)
    case = intake.case_request_supplement(
        case=case, actor=clerk, items=["身份证复印件", " ", "处罚决定书"], due=date(2026, 12, 10)
    )
    assert case.status == Status.AWAITING_SUPPLEMENT
    assert case.supplement_items == ["身份证复印件", "处罚决定书"]
    assert case.next_deadline == date(2026, 12, 10)
    event = case.events.get(kind=CaseEvent.Kind.SUPPLEMENT_REQUESTED)
    assert event.note == "身份证复印件；处罚决定书"
    case = intake.case_supplement_received(case=case, actor=clerk, note="已补齐")
    assert case.status == Status.REGISTERED
    with pytest.raises(InvalidTransition) as exc:
        intake.case_request_supplement(
            case=case, actor=clerk, items=["其他"], due=date(2026, 12, 20)
        )
    assert "已于2026年11月27日一次性告知补正，不能再次通知补正" in exc.value.message


def test_supplement_needs_items_and_a_future_due_date(office, clerk):
    case = register(office, clerk)
    with pytest.raises(ServiceError):
        intake.case_request_supplement(case=case, actor=clerk, items=[" "], due=date(2026, 12, 10))
    with pytest.raises(ServiceError) as exc:
        intake.case_request_supplement(case=case, actor=clerk, items=["x"], due=date(2026, 11, 27))
    assert exc.value.field == "due"


def test_review_clock_restarts_when_the_supplement_arrives(office, clerk, time_machine):
    case = register(office, clerk)
    intake.case_request_supplement(case=case, actor=clerk, items=["x"], due=date(2026, 12, 10))
    time_machine.move_to("2026-12-07 09:00+08:00", tick=False)
    case = intake.case_supplement_received(case=case, actor=clerk)
    assert case.review_started_on == date(2026, 12, 7)
    assert case.next_deadline == date(2026, 12, 14)


def test_head_accepts_and_the_case_number_is_assigned(office, clerk, head):
    case = register(office, clerk)
    case = intake.case_accept(case=case, actor=head, accepted_on=date(2026, 11, 27))
    assert case.status == Status.ACCEPTED
    assert case.case_no == "（2026）潜行调字第1号"
    assert case.accepted_on == date(2026, 11, 27)
    # The office's 30-day period ends on Sunday 12-27 and moves to Monday.
    assert (case.mediation_due, case.next_deadline_label) == (date(2026, 12, 28), "调解期限")
    event = case.events.get(kind=CaseEvent.Kind.ACCEPTED)
    assert (event.from_status, event.to_status, event.data["case_no"]) == (
        Status.REGISTERED,
        Status.ACCEPTED,
        "（2026）潜行调字第1号",
    )


def test_clerk_cannot_accept(office, clerk):
    case = register(office, clerk)
    with pytest.raises(NotPermitted):
        intake.case_accept(case=case, actor=clerk, accepted_on=date(2026, 11, 27))


def test_acceptance_date_must_be_between_receipt_and_today(office, clerk, head):
    case = register(office, clerk)
    with pytest.raises(ServiceError) as exc:
        intake.case_accept(case=case, actor=head, accepted_on=date(2026, 11, 28))
    assert exc.value.message == "受理日期不能晚于今天。"
    with pytest.raises(ServiceError) as exc:
        intake.case_accept(case=case, actor=head, accepted_on=date(2026, 11, 1))
    assert exc.value.message == "受理日期不能早于收到申请的日期。"


def test_accepting_twice_is_refused(office, clerk, head):
    case = register(office, clerk)
    stale = Case.objects.get(pk=case.pk)
    intake.case_accept(case=case, actor=head, accepted_on=date(2026, 11, 27))
    with pytest.raises(InvalidTransition) as exc:
        intake.case_accept(case=stale, actor=head, accepted_on=date(2026, 11, 27))
    assert "已受理" in exc.value.message
    assert Case.objects.get(pk=case.pk).case_no == "（2026）潜行调字第1号"


def test_decline_needs_a_reason_and_channel_guidance(office, clerk, head):
    case = register(office, clerk)
    with pytest.raises(ServiceError) as exc:
        intake.case_decline(case=case, actor=head, reason="out_of_scope", guidance=" ")
    assert exc.value.field == "guidance"
    with pytest.raises(ServiceError) as exc:
        intake.case_decline(case=case, actor=head, reason="other", guidance="可以起诉。")
    assert exc.value.field == "note"
    case = intake.case_decline(
        case=case, actor=head, reason="pending_elsewhere", guidance="可以继续行政复议程序。"
    )
    assert case.status == Status.DECLINED
    assert case.channel_guidance == "可以继续行政复议程序。"
    assert case.case_no is None


def test_acceptance_needs_the_applicants_consent_to_mediate(office, clerk, head):
    case = register(office, clerk, applicants=[person(willing_to_mediate=None)])
    with pytest.raises(ServiceError) as exc:
        intake.case_accept(case=case, actor=head, accepted_on=date(2026, 11, 27))
    assert "申请人王建国是否同意调解尚未记录为“同意”" in exc.value.message


def test_acceptance_cannot_predate_registration(office, clerk, head, time_machine):
    case = register(office, clerk)
    time_machine.move_to("2026-11-30 09:00+08:00", tick=False)
    with pytest.raises(ServiceError) as exc:
        intake.case_accept(case=case, actor=head, accepted_on=date(2026, 11, 26))
    assert "不能早于登记或收到补正材料的日期（2026年11月27日）" in exc.value.message


def test_supplement_action_disappears_once_used(office, clerk):
    from cases.workflow import available_actions

    case = register(office, clerk)
    case = intake.case_request_supplement(
        case=case, actor=clerk, items=["x"], due=date(2026, 12, 10)
    )
    case = intake.case_supplement_received(case=case, actor=clerk)
    assert "request_supplement" not in [t.action for t in available_actions(clerk, case)]
