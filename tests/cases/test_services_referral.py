"""Court referrals: created by the court or recorded from paper, then signed for or returned."""

from datetime import date

import pytest

from cases.models import CaseEvent, Referral, Status
from cases.services import referral
from cases.services.common import ServiceError
from cases.workflow import InvalidTransition, NotPermitted
from tests.factories import person, record_paper_referral, refer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_court_referral_starts_the_three_working_day_answer_clock(office, court_liaison):
    case = refer(office, court_liaison)
    assert case.status == Status.REFERRAL_PENDING
    assert case.court == court_liaison.court
    assert case.registration_no is None and case.case_no is None
    ref = case.referral
    assert ref.origin == Referral.Origin.COURT
    # Friday 2026-11-27: Monday, Tuesday, Wednesday.
    assert (ref.pending_since, ref.answer_due) == (date(2026, 11, 27), date(2026, 12, 2))
    assert case.next_deadline == date(2026, 12, 2)
    assert case.events.get().kind == CaseEvent.Kind.REFERRAL_CREATED


def test_only_a_court_liaison_creates_referrals(office, clerk):
    with pytest.raises(NotPermitted):
        refer(office, clerk)


def test_referral_needs_the_parties_consent(office, court_liaison):
    from tests import factories

    data = factories.case_data(source="court_referral")
    with pytest.raises(ServiceError) as exc:
        referral.referral_create(
            actor=court_liaison,
            office=office,
            case_data=data,
            referral_data=factories.referral_data(parties_consent=False),
            applicants=[factories.person()],
            respondents=[data["agency"]],
            claims=[{"text": "撤销", "amount": None}],
        )
    assert exc.value.field == "parties_consent"
    assert "经当事人同意" in exc.value.message


def test_paper_referral_waits_for_the_court(office, court, clerk, court_liaison):
    case = record_paper_referral(court, clerk)
    assert case.status == Status.REFERRAL_UNCONFIRMED
    assert case.referral.pending_since is None and case.next_deadline is None
    with pytest.raises(InvalidTransition):
        referral.referral_sign_for(case=case, actor=clerk, signed_on=date(2026, 11, 27))
    case = referral.referral_approve(case=case, actor=court_liaison)
    assert case.status == Status.REFERRAL_PENDING
    assert case.referral.court_decided_by == court_liaison
    assert case.referral.answer_due == date(2026, 12, 2)


def test_another_courts_liaison_cannot_approve(office, court, clerk, other_court_liaison):
    case = record_paper_referral(court, clerk)
    with pytest.raises(NotPermitted):
        referral.referral_approve(case=case, actor=other_court_liaison)


def test_court_rejects_a_paper_letter_with_reasons(office, court, clerk, court_liaison):
    case = record_paper_referral(court, clerk)
    with pytest.raises(ServiceError):
        referral.referral_reject(case=case, actor=court_liaison, reason="  ")
    case = referral.referral_reject(case=case, actor=court_liaison, reason="本院未作出该委派。")
    assert case.status == Status.REFERRAL_REJECTED
    assert case.referral.court_rejection_reason == "本院未作出该委派。"


def test_signing_for_accepts_the_case_and_numbers_it(office, court_liaison, clerk):
    case = refer(office, court_liaison)
    case = referral.referral_sign_for(case=case, actor=clerk, signed_on=date(2026, 11, 27))
    assert case.status == Status.ACCEPTED
    assert case.case_no == "（2026）潜行调字第1号"
    assert case.accepted_on == date(2026, 11, 27)
    assert case.referral.signed_for_on == date(2026, 11, 27)
    assert case.next_deadline == case.mediation_due == date(2026, 12, 28)
    event = case.events.get(kind=CaseEvent.Kind.REFERRAL_SIGNED_FOR)
    assert not event.data["late"]


def test_late_sign_for_is_recorded_as_late(office, court_liaison, clerk, time_machine):
    case = refer(office, court_liaison)
    time_machine.move_to("2026-12-04 10:00+08:00", tick=False)
    case = referral.referral_sign_for(case=case, actor=clerk, signed_on=date(2026, 12, 4))
    event = case.events.get(kind=CaseEvent.Kind.REFERRAL_SIGNED_FOR)
    assert event.data["late"]
    assert "已超过三个工作日答复期限" in event.note


def test_sign_for_date_cannot_precede_the_referral_or_lie_ahead(office, court_liaison, clerk):
    case = refer(office, court_liaison)
    with pytest.raises(ServiceError) as exc:
        referral.referral_sign_for(case=case, actor=clerk, signed_on=date(2026, 11, 26))
    assert "不能早于委派生效日期" in exc.value.message
    with pytest.raises(ServiceError):
        referral.referral_sign_for(case=case, actor=clerk, signed_on=date(2026, 11, 28))


def test_sign_for_asks_for_the_art60_basis_when_the_category_needs_it(office, court_liaison, clerk):
    case = refer(office, court_liaison, category_code="LICENSING")
    with pytest.raises(ServiceError) as exc:
        referral.referral_sign_for(case=case, actor=clerk, signed_on=date(2026, 11, 27))
    assert exc.value.field == "art60_basis"
    case = referral.referral_sign_for(
        case=case, actor=clerk, signed_on=date(2026, 11, 27), art60_basis="discretion"
    )
    assert case.art60_basis == "discretion"


def test_return_needs_written_reasons_and_only_the_head_returns(office, court_liaison, clerk, head):
    case = refer(office, court_liaison)
    with pytest.raises(NotPermitted):
        referral.referral_return(case=case, actor=clerk, reason="conflict", note="利害关系")
    with pytest.raises(ServiceError) as exc:
        referral.referral_return(case=case, actor=head, reason="conflict", note="")
    assert "书面说明理由" in exc.value.message
    case = referral.referral_return(
        case=case, actor=head, reason="conflict", note="调解员与当事人有利害关系。"
    )
    assert case.status == Status.REFERRAL_RETURNED
    assert case.next_deadline is None
    with pytest.raises(InvalidTransition):
        referral.referral_sign_for(case=case, actor=head, signed_on=date(2026, 11, 27))


def test_referral_dates_are_checked(office, court_liaison):
    from tests import factories

    data = factories.case_data(source="court_referral")
    with pytest.raises(ServiceError) as exc:
        referral.referral_create(
            actor=court_liaison,
            office=office,
            case_data=data,
            referral_data=factories.referral_data(complaint_received_date=date(2026, 11, 21)),
            applicants=[factories.person()],
            respondents=[data["agency"]],
            claims=[{"text": "撤销", "amount": None}],
        )
    assert exc.value.field == "complaint_received_date"


def test_the_same_letter_cannot_be_entered_twice(office, court, clerk, court_liaison):
    refer(office, court_liaison, letter_no="（2026）鄂9005委调1号")
    with pytest.raises(ServiceError) as exc:
        record_paper_referral(court, clerk)
    assert "委派函“（2026）鄂9005委调1号”已录入" in exc.value.message
    assert exc.value.field == "letter_no"


def test_sign_for_applies_the_same_scope_rules_as_acceptance(office, court_liaison, clerk):
    case = refer(office, court_liaison, category_code="LICENSING")
    with pytest.raises(ServiceError) as exc:
        referral.referral_sign_for(
            case=case, actor=clerk, signed_on=date(2026, 11, 27), art60_basis="coordination"
        )
    assert exc.value.field == "art60_note"
    info = refer(
        office,
        court_liaison,
        category_code="INFO_DISCLOSURE",
        applicants=[person(id_number="429005199507152468")],
    )
    with pytest.raises(ServiceError) as exc:
        referral.referral_sign_for(
            case=info, actor=clerk, signed_on=date(2026, 11, 27), art60_basis="discretion"
        )
    assert exc.value.field == "reconsideration_first_notified"
    info = referral.referral_sign_for(
        case=info,
        actor=clerk,
        signed_on=date(2026, 11, 27),
        art60_basis="discretion",
        reconsideration_first_notified=True,
    )
    assert info.reconsideration_first_notified
