"""Impossible values are refused and unusual ones confirmed, in forms, services and the database."""

from __future__ import annotations

import threading
from datetime import date, datetime
from decimal import Decimal
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse

from agreements.models import Obligation
from cases.models import Case, Claim, Party, Session
from cases.services import mediation
from cases.services.common import AlreadySubmitted, ServiceError
from cases.services.intake import case_register
from tests import factories
from tests.cases.intake_data import applicant, intake_post
from tests.factories import assigned_case, case_data, person, register
from tests.helpers import first_check_misses, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

REGISTER = reverse("cases:register")
QIANJIANG = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def agency():
    return factories.AgencyFactory(name="潜江市市场监督管理局")


@pytest.fixture
def penalty():
    return factories.category("PENALTY")


def passport_holder(**overrides):
    return applicant(id_type="passport", id_number="E1234567", **overrides)


# --- In the registration form ------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [("2026-11-28", "出生日期不能晚于今天。"), ("1899-12-31", "出生日期早于1900年，请核对。")],
)
def test_an_impossible_birth_date_is_refused_and_the_form_kept(
    client_as, clerk, agency, penalty, birth_date, message
):
    data = intake_post(
        agency, penalty, applicants=[passport_holder(birth_date=birth_date, name="李外宾")]
    )
    html = client_as(clerk).post(REGISTER, data).content.decode()
    assert message in html
    assert 'value="李外宾"' in html
    assert not Case.objects.exists()


@pytest.mark.parametrize("amount", ["-1", "-99999999"])
def test_a_negative_amount_in_dispute_is_refused(client_as, clerk, agency, penalty, amount):
    data = intake_post(agency, penalty, amount_in_dispute=amount)
    html = client_as(clerk).post(REGISTER, data).content.decode()
    assert "金额不能为负数。" in html
    assert not Case.objects.exists()


def test_a_negative_claimed_amount_is_refused(client_as, clerk, agency, penalty):
    data = intake_post(agency, penalty)
    data["claim-0-amount"] = "-1"
    html = client_as(clerk).post(REGISTER, data).content.decode()
    assert "金额不能为负数。" in html
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("received_date", "收到申请日期不能早于行政行为作出日期。"),
        ("reconsideration_decision_date", "收到复议决定日期不能早于行政行为作出日期。"),
    ],
)
def test_a_date_before_the_act_is_refused(client_as, clerk, agency, penalty, field, message):
    data = intake_post(agency, penalty, **{field: "2026-08-31"})  # the act: 2026-09-01
    html = client_as(clerk).post(REGISTER, data).content.decode()
    assert message in html
    assert not Case.objects.exists()


# --- In the services and the database ----------------------------------------------------


def test_the_service_refuses_what_the_form_refuses(office, clerk):
    with pytest.raises(ValidationError) as caught:
        register(office, clerk, received_date=date(2026, 8, 1), act_date=date(2026, 9, 1))
    assert caught.value.message_dict["received_date"] == ["收到申请日期不能早于行政行为作出日期。"]
    with pytest.raises(ValidationError) as caught:
        register(office, clerk, amount_in_dispute=Decimal("-1"))
    assert caught.value.message_dict["amount_in_dispute"] == ["金额不能为负数。"]
    with pytest.raises(ValidationError) as caught:
        register(
            office,
            clerk,
            applicants=[
                person(id_type="passport", id_number="E7654321", birth_date=date(2027, 1, 1))
            ],
        )
    assert caught.value.message_dict["birth_date"] == ["出生日期不能晚于今天。"]
    with pytest.raises(ValidationError) as caught:
        register(office, clerk, claims=[{"text": "赔偿损失", "amount": Decimal("-5")}])
    assert caught.value.message_dict["amount"] == ["金额不能为负数。"]
    assert not Case.objects.exists()


def test_editing_a_party_applies_the_birth_date_rule(office, clerk):
    case = register(office, clerk)
    party = case.parties.get(role=Party.Role.APPLICANT)
    party.birth_date = date(2030, 1, 1)
    with pytest.raises(ValidationError, match="出生日期不能晚于今天"):
        party.full_clean()


@pytest.mark.parametrize("model", ["case", "claim", "obligation"])
def test_the_database_refuses_a_negative_amount(office, clerk, model):
    case = register(office, clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        if model == "case":
            Case.objects.filter(pk=case.pk).update(amount_in_dispute=Decimal("-1"))
        elif model == "claim":
            Claim.objects.filter(case=case).update(amount=Decimal("-1"))
        else:
            Obligation.objects.create(
                agreement_id=0, number=1, obligor=case.parties.first(), kind="payment",
                description="付款", amount=Decimal("-1"), due_date=date(2026, 12, 1), method="转账",
            )  # fmt: skip


# --- A session far ahead -----------------------------------------------------------------


def _session_post(when: str, **extra) -> dict:
    return {"scheduled_at": when, "place": "工作室调解室", "mode": "in_person", **extra}


def test_a_session_more_than_a_year_ahead_asks_for_confirmation(
    client_as, office, clerk, head, mediator
):
    case = assigned_case(office, clerk, head, mediator)
    client = client_as(mediator)
    url = reverse("cases:session_new", args=[case.pk])
    html = client.post(url, _session_post("2028-01-10T09:00")).content.decode()
    assert (
        "调解会时间 2028-01-10 在一年以后，请核对；确需如此安排的，请勾选“确认时间无误”后再保存。"
        in html
    )
    assert 'type="checkbox" name="confirm_far_ahead"' in html
    assert 'value="工作室调解室"' in html
    assert not Session.objects.exists()
    response = client.post(url, _session_post("2028-01-10T09:00", confirm_far_ahead="on"))
    assert response.status_code == 302
    assert Session.objects.get().scheduled_at.year == 2028


@pytest.mark.parametrize("when", ["9999-12-31T09:00", "2029-01-10T09:00"])
def test_a_session_years_ahead_is_refused_even_when_confirmed(
    client_as, office, clerk, head, mediator, when
):
    case = assigned_case(office, clerk, head, mediator)
    url = reverse("cases:session_new", args=[case.pk])
    html = client_as(mediator).post(url, _session_post(when, confirm_far_ahead="on"))
    assert "在两年以后，不能安排，请核对年份。" in html.content.decode()
    assert not Session.objects.exists()


def test_the_service_asks_for_the_same_confirmation(office, clerk, head, mediator):
    case = assigned_case(office, clerk, head, mediator)
    when = datetime(2028, 1, 10, 9, tzinfo=QIANJIANG)
    kwargs = {
        "case": case,
        "actor": mediator,
        "scheduled_at": when,
        "place": "调解室",
        "mode": "in_person",
    }
    with pytest.raises(ServiceError, match="在一年以后"):
        mediation.schedule_session(**kwargs)
    session = mediation.schedule_session(**kwargs, confirm_far_ahead=True)
    assert session.number == 1
    with pytest.raises(ServiceError, match="在两年以后"):
        mediation.schedule_session(
            **{**kwargs, "scheduled_at": datetime(2029, 6, 1, 9, tzinfo=QIANJIANG)},
            confirm_far_ahead=True,
        )


def test_a_session_within_the_mediation_period_needs_no_confirmation(
    client_as, office, clerk, head, mediator
):
    case = assigned_case(office, clerk, head, mediator)
    assert case.mediation_due == date(2026, 12, 28)
    url = reverse("cases:session_new", args=[case.pk])
    assert client_as(mediator).post(url, _session_post("2026-12-28T09:00")).status_code == 302


def test_a_session_after_the_mediation_period_asks_for_confirmation(
    client_as, office, clerk, head, mediator
):
    case = assigned_case(office, clerk, head, mediator)
    client = client_as(mediator)
    url = reverse("cases:session_new", args=[case.pk])
    html = client.post(url, _session_post("2026-12-29T09:00")).content.decode()
    assert (
        "调解会时间（2026年12月29日）晚于调解期限届满日（2026年12月28日）。需要延长的，"
        "请先经各方当事人同意后提出延长调解期限；确需如此安排的，请勾选“确认时间无误”后再保存。"
    ) in html
    assert 'type="checkbox" name="confirm_far_ahead"' in html
    assert not Session.objects.exists()
    response = client.post(url, _session_post("2027-06-01T09:00", confirm_far_ahead="on"))
    assert response.status_code == 302
    # The service asks the same question of a caller that skips the form; an extension
    # awaiting approval is named instead of being asked for.
    mediation.propose_extension(
        case=case,
        actor=mediator,
        days=15,
        reason="等待鉴定",
        consenting_parties=list(case.parties.all()),
        consent_form=pdf(),
    )
    with pytest.raises(ServiceError) as exc:
        mediation.schedule_session(
            case=case,
            actor=mediator,
            scheduled_at=datetime(2027, 1, 4, 9, tzinfo=QIANJIANG),
            place="调解室",
            mode="in_person",
        )
    assert exc.value.message == (
        "调解会时间（2027年1月4日）晚于调解期限届满日（2026年12月28日）。"
        "延长调解期限的申请尚待审批；确需如此安排的，请勾选“确认时间无误”后再保存。"
    )


# --- The same registration form twice ----------------------------------------------------


def test_the_registration_form_carries_a_one_time_token(client_as, clerk):
    html = client_as(clerk).get(REGISTER).content.decode()
    assert 'type="hidden" name="submission_token" value="' in html


def test_the_same_form_submitted_twice_registers_one_case(client_as, clerk, agency, penalty):
    data = intake_post(agency, penalty) | {"submission_token": str(uuid4())}
    client = client_as(clerk)
    first = client.post(REGISTER, data)
    second = client.post(REGISTER, data, follow=True)
    case = Case.objects.get()
    assert first.url == case.get_absolute_url()
    assert second.redirect_chain[-1][0] == case.get_absolute_url()
    assert (
        f"这份表已经提交过，已登记为{case.registration_no}，未重复登记。" in second.content.decode()
    )


def test_two_forms_with_the_same_content_are_still_caught_as_duplicates(
    client_as, clerk, agency, penalty
):
    client = client_as(clerk)
    client.post(REGISTER, intake_post(agency, penalty) | {"submission_token": str(uuid4())})
    html = client.post(
        REGISTER, intake_post(agency, penalty) | {"submission_token": str(uuid4())}
    ).content.decode()
    assert "可能与以下未结案件重复" in html
    assert Case.objects.count() == 1


def test_a_tampered_token_registers_as_without_one(client_as, clerk, agency, penalty):
    data = intake_post(agency, penalty) | {"submission_token": "not-a-uuid"}
    assert client_as(clerk).post(REGISTER, data).status_code == 302
    assert Case.objects.get().submission_token is None


def _registration(office, clerk, token) -> dict:
    """case_register's arguments for one dispute, sent with the form token ``token``."""
    agency = factories.AgencyFactory()
    return {
        "office": office,
        "actor": clerk,
        "case_data": case_data(agency=agency),
        "applicants": [person()],
        "respondents": [agency],
        "claims": [{"text": "撤销", "amount": None}],
        "submission_token": token,
    }


def test_the_service_refuses_a_second_registration_with_the_same_token(office, clerk):
    kwargs = _registration(office, clerk, uuid4())
    first = case_register(**kwargs)
    with pytest.raises(AlreadySubmitted) as caught:
        case_register(**kwargs)
    assert caught.value.case == first


@pytest.mark.parametrize("confirm_not_duplicate", [False, True])
def test_a_twin_committed_after_the_first_check_is_a_repeat_not_a_field_error(
    office, clerk, monkeypatch, confirm_not_duplicate
):
    from cases.services import intake

    kwargs = _registration(office, clerk, uuid4())
    first = case_register(**kwargs)
    first_check_misses(monkeypatch, intake, "ensure_not_submitted")
    with pytest.raises(AlreadySubmitted) as caught:
        case_register(**kwargs, confirm_not_duplicate=confirm_not_duplicate)
    assert caught.value.case == first
    assert Case.objects.count() == 1


def test_a_referral_whose_twin_committed_after_the_first_check_is_a_repeat(
    office, court_liaison, monkeypatch
):
    from cases.services import referral

    agency = factories.AgencyFactory()
    kwargs = {
        "actor": court_liaison,
        "office": office,
        "case_data": case_data(agency=agency, source="court_referral"),
        "referral_data": factories.referral_data(),
        "applicants": [person()],
        "respondents": [agency],
        "claims": [{"text": "撤销", "amount": None}],
        "submission_token": uuid4(),
    }
    first = referral.referral_create(**kwargs)
    first_check_misses(monkeypatch, referral, "ensure_not_submitted")
    with pytest.raises(AlreadySubmitted) as caught:
        referral.referral_create(**kwargs)
    assert caught.value.case == first
    assert Case.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two transactions at the same instant need PostgreSQL; SQLite serialises writers",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_tabs_submitting_at_the_same_instant_register_one_case(office, clerk):
    kwargs = _registration(office, clerk, uuid4())
    workers = 4
    barrier = threading.Barrier(workers)
    outcomes: list[object] = []

    def work() -> None:
        try:
            barrier.wait()
            outcomes.append(case_register(**kwargs))
        except BaseException as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    case = Case.objects.get()
    assert case.registration_no == "潜行调登〔2026〕0001号"
    created = [o for o in outcomes if isinstance(o, Case)]
    repeats = [o for o in outcomes if isinstance(o, AlreadySubmitted)]
    assert len(created) == 1 and len(repeats) == workers - 1, outcomes
    assert all(r.case == case for r in repeats)
    assert case.parties.count() == 2 and case.claims.count() == 1
