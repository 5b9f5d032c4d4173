"""The joint application for judicial confirmation and the court's outcome (DOMAIN.md §1.5)."""

from datetime import date

import pytest
import time_machine

from accounts.models import Role
from agreements.models import Confirmation
from agreements.services import confirmation as services
from agreements.services.confirmation import LateApplication
from cases.models import CaseEvent, Notification, Party
from cases.services.common import ServiceError
from cases.workflow import InvalidTransition, NotPermitted
from tests.factories import UserFactory, agreed_case, effective_agreement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = date(2026, 11, 27)
MATERIALS = ["agreement", "presiding_proof", "identity"]
WINDOW_EXPLANATION = (
    "依据《民事诉讼法》第二百零五条，自2026年11月27日（调解协议生效之日）起算，当日不计入，"
    "期间为30日，届满日2026年12月27日为周日，顺延至其后第一个工作日2026年12月28日。"
)


def apply(agreement, actor, court, *, applicants=None, applied_on=TODAY, materials=None, **kw):
    return services.apply_for_confirmation(
        agreement=agreement,
        actor=actor,
        court=court,
        applicants=list(agreement.case.parties.all()) if applicants is None else applicants,
        applied_on=applied_on,
        materials=MATERIALS if materials is None else materials,
        **kw,
    )


def decide(applied, actor, **kwargs):
    values = {
        "outcome": "valid_ruling",
        "court_case_no": "（2026）鄂9005民特3号",
        "filed_on": TODAY,
        "decided_on": TODAY,
        "served_on": TODAY,
    }
    values.update(kwargs)
    return services.record_outcome(confirmation=applied, actor=actor, **values)


def titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


# --- The application ----------------------------------------------------------------------


def test_a_joint_application_is_recorded(office, clerk, head, mediator, court, court_liaison):
    agreement = effective_agreement(office, clerk, head, mediator)
    case = agreement.case
    applied = apply(agreement, clerk, court, materials=[*MATERIALS, "power_of_attorney"])
    assert (applied.status, applied.late, applied.court, applied.recorded_by) == (
        Confirmation.Status.APPLIED,
        False,
        court,
        clerk,
    )
    assert applied.materials == [*MATERIALS, "power_of_attorney"]
    assert set(applied.applicants.all()) == set(case.parties.all())
    event = case.events.get(kind=CaseEvent.Kind.CONFIRMATION_APPLIED)
    assert event.note == "2026年11月27日向潜江市人民法院申请司法确认（期限至2026年12月28日）"
    assert event.data == {"confirmation": applied.pk}
    assert titles(court_liaison) == [f"新的司法确认申请：{case.display_number}"]


@pytest.mark.parametrize("who", ["applicant", "respondent"])
def test_one_side_alone_cannot_apply(office, clerk, head, mediator, court, who):
    agreement = effective_agreement(office, clerk, head, mediator)
    party = agreement.case.parties.get(role=who)
    with pytest.raises(ServiceError) as exc:
        apply(agreement, clerk, court, applicants=[party])
    assert exc.value.message == (
        "司法确认须由双方当事人共同申请：申请人一方和被申请人（行政机关）一方都须列为申请人。"
    )
    assert exc.value.field == "applicants"
    assert not Confirmation.objects.exists()


def test_the_other_side_must_be_a_party_of_this_case(office, clerk, head, mediator, court):
    agreement = effective_agreement(office, clerk, head, mediator)
    other = agreed_case(
        office, clerk, head, mediator, act_document_no="潜市监罚〔2026〕77号", confirm=True
    )
    applicants = [
        agreement.case.parties.get(role="applicant"),
        other.parties.get(role="respondent"),
    ]
    with pytest.raises(ServiceError) as exc:
        apply(agreement, clerk, court, applicants=applicants)
    assert exc.value.field == "applicants"


def test_applicant_and_third_party_are_not_both_sides(office, clerk, head, mediator, court):
    agreement = effective_agreement(office, clerk, head, mediator)
    third = Party.objects.create(
        case=agreement.case, role="third_party", kind="natural_person", name="第三人甲"
    )
    with pytest.raises(ServiceError):
        apply(
            agreement,
            clerk,
            court,
            applicants=[agreement.case.parties.get(role="applicant"), third],
        )


@pytest.mark.parametrize(
    ("materials", "missing"),
    [
        (["agreement", "identity"], "调解组织主持调解的证明"),
        (["presiding_proof"], "调解协议书；双方当事人的身份、住所、联系方式等证明材料"),
        ([], "调解协议书；调解组织主持调解的证明；双方当事人的身份、住所、联系方式等证明材料"),
    ],
)
def test_required_materials(office, clerk, head, mediator, court, materials, missing):
    agreement = effective_agreement(office, clerk, head, mediator)
    with pytest.raises(ServiceError) as exc:
        apply(agreement, clerk, court, materials=materials)
    assert (exc.value.message, exc.value.field) == (f"申请材料不全，尚缺：{missing}。", "materials")


def test_the_application_date_is_between_effect_and_today(office, clerk, head, mediator, court):
    agreement = effective_agreement(office, clerk, head, mediator)
    with pytest.raises(ServiceError) as exc:
        apply(agreement, clerk, court, applied_on=date(2026, 11, 28))
    assert (exc.value.message, exc.value.field) == ("申请日期不能晚于今天。", "applied_on")
    with time_machine.travel("2026-12-02 10:00+08:00", tick=False):
        with pytest.raises(ServiceError) as exc:
            apply(agreement, clerk, court, applied_on=date(2026, 11, 26))
        assert (exc.value.message, exc.value.field) == (
            "申请日期不能早于协议生效日期。",
            "applied_on",
        )
        applied = apply(agreement, clerk, court, applied_on=date(2026, 12, 1))
    assert applied.applied_on == date(2026, 12, 1)


def test_only_an_effective_agreement_can_be_applied_for(office, clerk, head, mediator, court):
    from agreements.services import agreement as agreement_services

    case = agreed_case(office, clerk, head, mediator)
    draft = agreement_services.draft_agreement(case=case, actor=mediator)
    with pytest.raises(ServiceError) as exc:
        apply(draft, clerk, court)
    assert exc.value.message == "协议生效后才能申请司法确认。"


def test_the_last_day_of_the_window_is_in_time(office, clerk, head, mediator, court):
    agreement = effective_agreement(office, clerk, head, mediator)
    with time_machine.travel("2026-12-28 10:00+08:00", tick=False):
        applied = apply(agreement, clerk, court, applied_on=date(2026, 12, 28))
    assert applied.late is False


def test_a_late_application_is_explained_and_needs_confirmation(
    office, clerk, head, mediator, court
):
    agreement = effective_agreement(office, clerk, head, mediator)
    with time_machine.travel("2026-12-29 10:00+08:00", tick=False):
        with pytest.raises(LateApplication) as exc:
            apply(agreement, clerk, court, applied_on=date(2026, 12, 29))
        assert exc.value.window.due == date(2026, 12, 28)
        assert exc.value.message == (
            f"申请司法确认的期限已于2026年12月28日届满（{WINDOW_EXPLANATION}）"
            "超过期限申请的，人民法院可能不予受理。确需记录的，请勾选确认。"
        )
        assert not Confirmation.objects.exists()
        applied = apply(agreement, clerk, court, applied_on=date(2026, 12, 29), accept_late=True)
    assert applied.late is True
    event = agreement.case.events.get(kind=CaseEvent.Kind.CONFIRMATION_APPLIED)
    assert event.note == "2026年12月29日向潜江市人民法院申请司法确认（已超过申请期限）"


def test_an_application_in_time_ignores_accept_late(office, clerk, head, mediator, court):
    agreement = effective_agreement(office, clerk, head, mediator)
    assert apply(agreement, clerk, court, accept_late=True).late is False


def test_one_active_application_per_version(office, clerk, head, mediator, court, court_liaison):
    agreement = effective_agreement(office, clerk, head, mediator)
    applied = apply(agreement, clerk, court)
    with pytest.raises(ServiceError) as exc:
        apply(agreement, head, court)
    assert exc.value.message == "本版协议已经申请司法确认。"
    decide(applied, court_liaison)
    with pytest.raises(ServiceError):
        apply(agreement, clerk, court)
    assert agreement.confirmations.count() == 1


def test_a_new_application_after_a_failure(office, clerk, head, mediator, court, court_liaison):
    agreement = effective_agreement(office, clerk, head, mediator)
    decide(apply(agreement, clerk, court), court_liaison, outcome="withdrawn")
    again = apply(agreement, clerk, court)
    assert again.status == Confirmation.Status.APPLIED
    assert list(agreement.confirmations.values_list("status", flat=True)) == ["applied", "failed"]


@pytest.mark.parametrize("who", ["court_liaison", "other_office_clerk", "gov_liaison"])
def test_only_the_office_records_the_application(
    office, clerk, head, mediator, court, court_liaison, other_office_clerk, gov_liaison, who
):
    agreement = effective_agreement(office, clerk, head, mediator)
    actor = {
        "court_liaison": court_liaison,
        "other_office_clerk": other_office_clerk,
        "gov_liaison": gov_liaison,
    }[who]
    with pytest.raises(NotPermitted) as exc:
        apply(agreement, actor, court)
    assert exc.value.message == "您没有权限记录司法确认申请。"


def test_the_mediator_may_record_the_application(office, clerk, head, mediator, court):
    agreement = effective_agreement(office, clerk, head, mediator)
    assert apply(agreement, mediator, court).recorded_by == mediator


def test_only_the_chosen_courts_liaisons_are_told(
    office, clerk, head, mediator, court, other_court, court_liaison, other_court_liaison
):
    agreement = effective_agreement(office, clerk, head, mediator)
    apply(agreement, clerk, other_court)
    assert titles(court_liaison) == []
    assert len(titles(other_court_liaison)) == 1


# --- The outcome --------------------------------------------------------------------------


def test_the_courts_liaison_records_a_confirmation(
    office, clerk, head, mediator, court, court_liaison
):
    agreement = effective_agreement(office, clerk, head, mediator)
    applied = apply(agreement, clerk, court)
    decided, warnings = decide(
        applied, court_liaison, court_case_no=" (2026)鄂9005民特3号 ", note="当庭送达"
    )
    assert warnings == []
    decided.refresh_from_db()
    assert (
        decided.status,
        decided.outcome,
        decided.court_case_no,
        decided.filed_on,
        decided.decided_on,
        decided.served_on,
        decided.outcome_note,
        decided.decided_by,
    ) == (
        Confirmation.Status.CONFIRMED,
        "valid_ruling",
        "（2026）鄂9005民特3号",
        TODAY,
        TODAY,
        TODAY,
        "当庭送达",
        court_liaison,
    )
    event = agreement.case.events.get(kind=CaseEvent.Kind.CONFIRMATION_DECIDED)
    # Served 11-27 + 15 days = Saturday 12-12 → Monday 12-14.
    assert event.note == (
        "潜江市人民法院裁定调解协议有效，案号（2026）鄂9005民特3号，2026年11月27日"
        "；当事人提出异议的期限至2026年12月14日"
    )
    assert (event.actor, event.data) == (
        court_liaison,
        {"confirmation": applied.pk, "outcome": "valid_ruling"},
    )


def test_a_pre_litigation_mediation_document_is_a_confirmation(
    office, clerk, head, mediator, court, court_liaison
):
    agreement = effective_agreement(office, clerk, head, mediator)
    decided, _ = decide(
        apply(agreement, clerk, court),
        court_liaison,
        outcome="pre_litigation_document",
        court_case_no="（2026）鄂9005行诉前调1号",
    )
    assert decided.status == Confirmation.Status.CONFIRMED


@pytest.mark.parametrize(
    ("outcome", "label"),
    [
        ("dismissed", "裁定驳回申请"),
        ("not_accepted", "裁定不予受理"),
        ("withdrawn", "准许撤回或按撤回申请处理"),
    ],
)
def test_failed_outcomes(office, clerk, head, mediator, court, court_liaison, outcome, label):
    agreement = effective_agreement(office, clerk, head, mediator)
    decided, _ = decide(apply(agreement, clerk, court), court_liaison, outcome=outcome)
    assert (decided.status, decided.outcome) == (Confirmation.Status.FAILED, outcome)
    event = agreement.case.events.get(kind=CaseEvent.Kind.CONFIRMATION_DECIDED)
    # No objection period for a refusal.
    assert event.note == f"潜江市人民法院{label}，案号（2026）鄂9005民特3号，2026年11月27日"


def test_a_decided_application_cannot_be_decided_again(
    office, clerk, head, mediator, court, court_liaison
):
    agreement = effective_agreement(office, clerk, head, mediator)
    decided, _ = decide(apply(agreement, clerk, court), court_liaison)
    for outcome, label in (("dismissed", "未获确认"), ("valid_ruling", "确认有效")):
        with pytest.raises(InvalidTransition) as exc:
            decide(decided, court_liaison, outcome=outcome)
        assert exc.value.message == (
            f"当前状态为“已确认”，不能{label}。页面可能已过期，请刷新后查看。"
        )


def test_another_courts_liaison_cannot_record(
    office, clerk, head, mediator, court, court_liaison, other_court_liaison
):
    agreement = effective_agreement(office, clerk, head, mediator)
    applied = apply(agreement, clerk, court)
    with pytest.raises(NotPermitted) as exc:
        decide(applied, other_court_liaison)
    assert exc.value.message == "只有受理法院的法院联络员可以记录司法确认结果。"
    applied.refresh_from_db()
    assert applied.status == Confirmation.Status.APPLIED


@pytest.mark.parametrize("who", ["head", "clerk", "mediator"])
def test_office_users_cannot_record_the_outcome(office, clerk, head, mediator, court, who):
    agreement = effective_agreement(office, clerk, head, mediator)
    applied = apply(agreement, clerk, court)
    actor = {"head": head, "clerk": clerk, "mediator": mediator}[who]
    with pytest.raises(NotPermitted) as exc:
        decide(applied, actor)
    assert exc.value.message == "只有受理法院的法院联络员可以记录司法确认结果。"


def test_a_nonstandard_number_is_saved_only_when_confirmed(
    office, clerk, head, mediator, court, court_liaison
):
    agreement = effective_agreement(office, clerk, head, mediator)
    applied = apply(agreement, clerk, court)
    with pytest.raises(ServiceError) as exc:
        decide(applied, court_liaison, court_case_no="民特3号")
    assert (exc.value.message, exc.value.field) == (
        "案号“民特3号”与人民法院案号的通常格式不符（应如（2026）鄂9005民特3号）。"
        "核对无误的，请勾选“案号格式已核对”后再保存。",
        "court_case_no",
    )
    applied.refresh_from_db()
    assert applied.status == Confirmation.Status.APPLIED
    decided, warnings = decide(
        applied, court_liaison, court_case_no="民特3号", accept_unusual_number=True
    )
    assert warnings == ["已按确认保存格式特殊的案号“民特3号”。"]
    assert (decided.status, decided.court_case_no) == (Confirmation.Status.CONFIRMED, "民特3号")


def test_the_number_and_outcome_are_required(office, clerk, head, mediator, court, court_liaison):
    agreement = effective_agreement(office, clerk, head, mediator)
    applied = apply(agreement, clerk, court)
    with pytest.raises(ServiceError) as exc:
        decide(applied, court_liaison, court_case_no="  ")
    assert (exc.value.message, exc.value.field) == ("请填写法院案号。", "court_case_no")
    with pytest.raises(ServiceError) as exc:
        decide(applied, court_liaison, outcome="approved")
    assert (exc.value.message, exc.value.field) == ("请选择结果。", "outcome")


@pytest.mark.parametrize(
    ("name", "label"),
    [("decided_on", "裁定或文书日期"), ("filed_on", "立案日期"), ("served_on", "送达日期")],
)
def test_no_date_in_the_future(office, clerk, head, mediator, court, court_liaison, name, label):
    agreement = effective_agreement(office, clerk, head, mediator)
    applied = apply(agreement, clerk, court)
    with pytest.raises(ServiceError) as exc:
        decide(applied, court_liaison, **{name: date(2026, 11, 28)})
    assert exc.value.message == f"{label}不能晚于今天。"
    applied.refresh_from_db()
    assert applied.status == Confirmation.Status.APPLIED


@pytest.mark.parametrize(
    ("dates", "message", "field"),
    [
        (
            {"decided_on": date(2026, 11, 30)},
            "裁定或文书日期不能早于申请日期。",
            "decided_on",
        ),
        (
            {"filed_on": date(2026, 11, 30)},
            "立案日期应在申请日期和裁定日期之间。",
            "filed_on",
        ),
        (
            {"filed_on": date(2026, 12, 3)},
            "立案日期应在申请日期和裁定日期之间。",
            "filed_on",
        ),
        (
            {"served_on": date(2026, 12, 1)},
            "送达日期不能早于裁定或文书日期。",
            "served_on",
        ),
    ],
)
def test_date_order(office, clerk, head, mediator, court, court_liaison, dates, message, field):
    """Applied 12-01, decided 12-02, recorded on 12-03."""
    agreement = effective_agreement(office, clerk, head, mediator)
    with time_machine.travel("2026-12-01 10:00+08:00", tick=False):
        applied = apply(agreement, clerk, court, applied_on=date(2026, 12, 1))
    values = {"filed_on": None, "decided_on": date(2026, 12, 2), "served_on": None, **dates}
    with (
        time_machine.travel("2026-12-03 10:00+08:00", tick=False),
        pytest.raises(ServiceError) as exc,
    ):
        decide(applied, court_liaison, **values)
    assert (exc.value.message, exc.value.field) == (message, field)
    applied.refresh_from_db()
    assert applied.status == Confirmation.Status.APPLIED


def test_dates_on_the_boundaries_are_accepted(office, clerk, head, mediator, court, court_liaison):
    agreement = effective_agreement(office, clerk, head, mediator)
    with time_machine.travel("2026-12-01 10:00+08:00", tick=False):
        applied = apply(agreement, clerk, court, applied_on=date(2026, 12, 1))
    with time_machine.travel("2026-12-03 10:00+08:00", tick=False):
        decided, _ = decide(
            applied,
            court_liaison,
            filed_on=date(2026, 12, 1),
            decided_on=date(2026, 12, 1),
            served_on=date(2026, 12, 3),
        )
    assert decided.status == Confirmation.Status.CONFIRMED


def test_the_office_head_and_clerks_are_told_of_the_outcome(
    office, other_office, clerk, head, mediator, court, court_liaison
):
    second_clerk = UserFactory(role=Role.CLERK, office=office, username="clerk2")
    retired_clerk = UserFactory(role=Role.CLERK, office=office, username="clerk3", is_active=False)
    other_head = UserFactory(role=Role.HEAD, office=other_office, username="other_head")
    agreement = effective_agreement(office, clerk, head, mediator)
    decide(apply(agreement, clerk, court), court_liaison)
    key = f"confirmation_outcome:{agreement.confirmations.get().pk}"
    told = Notification.objects.filter(key=key)
    assert {n.recipient for n in told} == {head, clerk, second_clerk}
    for notification in told:
        assert (notification.title, notification.case) == (
            f"{agreement.case.display_number}：裁定调解协议有效",
            agreement.case,
        )
        assert notification.body == (
            "潜江市人民法院裁定调解协议有效，案号（2026）鄂9005民特3号，2026年11月27日"
            "；当事人提出异议的期限至2026年12月14日"
        )
    # Not the mediator, an inactive clerk, another office or the court.
    assert not told.filter(recipient__in=[mediator, retired_clerk, other_head, court_liaison])
    # Recording is not repeated, so neither is the notice.
    assert told.count() == 3


def test_outcome_without_service_date_has_no_objection_window(
    office, clerk, head, mediator, court, court_liaison
):
    agreement = effective_agreement(office, clerk, head, mediator)
    decided, _ = decide(
        apply(agreement, clerk, court), court_liaison, served_on=None, filed_on=None
    )
    assert services.objection_window(decided) is None
    event = agreement.case.events.get(kind=CaseEvent.Kind.CONFIRMATION_DECIDED)
    assert "异议" not in event.note


def test_objection_window_is_15_days_from_service(
    office, clerk, head, mediator, court, court_liaison
):
    agreement = effective_agreement(office, clerk, head, mediator)
    applied = apply(agreement, clerk, court)
    with time_machine.travel("2026-12-04 10:00+08:00", tick=False):
        decided, _ = decide(
            applied,
            court_liaison,
            filed_on=date(2026, 11, 30),
            decided_on=date(2026, 12, 2),
            served_on=date(2026, 12, 4),
        )
    window = services.objection_window(decided)
    # 12-04 + 15 = Saturday 12-19 → Monday 12-21.
    assert (window.due, window.nominal_end) == (date(2026, 12, 21), date(2026, 12, 19))
    assert window.explanation == (
        "依据《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第三百七十二条，"
        "自2026年12月4日（收到裁定之日）起算，当日不计入，期间为15日，"
        "届满日2026年12月19日为周六，顺延至其后第一个工作日2026年12月21日。"
    )
