"""One factory per model. Factories may set status for test setup; tests of
transitions drive state through the services instead."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import Court, Office, Role, User
from accounts.services import user_sync_role
from cases.models import Agency, DisputeCategory

PASSWORD = "test-password-123"


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ["name"]

    name = "潜江市行政争议化解工作室"
    short_name = "潜江行调室"
    phone = "0728-6201234"


class CourtFactory(DjangoModelFactory):
    class Meta:
        model = Court
        django_get_or_create = ["code"]

    name = "潜江市人民法院"
    code = "鄂9005"
    level = Court.Level.BASIC


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name", locale="zh_CN")
    role = Role.CLERK
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def sync_role(obj, create, extracted, **kwargs):
        if create:
            user_sync_role(user=obj)


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"潜江市第{n}局")
    short_name = factory.LazyAttribute(lambda o: o.name.removeprefix("潜江市"))
    level = Agency.Level.CITY_DEPARTMENT
    principal_name = factory.Faker("name", locale="zh_CN")
    principal_title = "局长"


def category(code: str) -> DisputeCategory:
    """The seeded dispute category with this code."""
    return DisputeCategory.objects.get(code=code)


# --- Cases -------------------------------------------------------------------------

VALID_ID = "429005198001011233"
VALID_ID_2 = "429005199507152468"


def person(**overrides) -> dict:
    """Party field values of a natural-person applicant, as the forms hand them to services."""
    data = {
        "kind": "natural_person",
        "name": "王建国",
        "gender": "male",
        "birth_date": None,
        "ethnicity": "汉族",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "domicile": "湖北省潜江市园林街道",
        "occupation": "",
        "uscc": "",
        "uscc_checksum_confirmed": False,
        "legal_representative": "",
        "legal_representative_title": "",
        "agency": None,
        "contact_person": "",
        "phone": "13800000000",
        "service_address": "湖北省潜江市园林街道1号",
        "service_address_confirmed": True,
        "e_service_consent": False,
        "e_service_channel": "",
        "e_service_address": "",
        "willing_to_mediate": True,
    }
    data.update(overrides)
    return data


def case_data(*, agency=None, category_code="PENALTY", **overrides) -> dict:
    from datetime import date

    data = {
        "source": "self",
        "received_date": date(2026, 11, 2),
        "category": category(category_code),
        "act_type": "penalty",
        "agency": agency or AgencyFactory(),
        "act_document_no": "潜市监罚〔2026〕12号",
        "act_date": date(2026, 9, 1),
        "act_served_date": date(2026, 9, 3),
        "act_known_date": date(2026, 9, 3),
        "facts_and_reasons": "申请人认为处罚过重。",
    }
    data.update(overrides)
    return data


def register(office, actor, *, applicants=None, claims=None, confirm=False, **case_overrides):
    """Register a case through the service, as the intake page does."""
    from cases.services.intake import case_register

    data = case_data(**case_overrides)
    return case_register(
        office=office,
        actor=actor,
        case_data=data,
        applicants=applicants or [person()],
        respondents=[data["agency"]],
        claims=claims or [{"text": "撤销行政处罚决定", "amount": None}],
        confirm_not_duplicate=confirm,
    )


def referral_data(**overrides) -> dict:
    from datetime import date

    data = {
        "letter_no": "（2026）鄂9005委调1号",
        "letter_date": date(2026, 11, 20),
        "court_prefiling_no": "",
        "complaint_received_date": date(2026, 11, 18),
        "parties_consent": True,
        "consent_note": "",
        "materials": "起诉状副本",
    }
    data.update(overrides)
    return data


_letters = iter(range(1, 100_000))


def refer(office, liaison, *, applicants=None, letter_no=None, **case_overrides):
    """A court liaison creates a referral through the service (a new letter number each time)."""
    from cases.services.referral import referral_create

    data = case_data(source="court_referral", **case_overrides)
    return referral_create(
        actor=liaison,
        office=office,
        case_data=data,
        referral_data=referral_data(letter_no=letter_no or f"（2026）鄂9005委调{next(_letters)}号"),
        applicants=applicants or [person()],
        respondents=[data["agency"]],
        claims=[{"text": "撤销行政处罚决定", "amount": None}],
    )


def record_paper_referral(court, clerk, **case_overrides):
    from cases.services.referral import referral_record_paper

    data = case_data(source="court_referral", **case_overrides)
    return referral_record_paper(
        actor=clerk,
        court=court,
        case_data=data,
        referral_data=referral_data(),
        applicants=[person()],
        respondents=[data["agency"]],
        claims=[{"text": "撤销行政处罚决定", "amount": None}],
    )


# --- Mediation ---------------------------------------------------------------------


class MediatorFactory(DjangoModelFactory):
    """A roster entry for an office user (give ``user``)."""

    class Meta:
        model = "cases.Mediator"
        django_get_or_create = ["user"]

    office = factory.LazyAttribute(lambda o: o.user.office)
    specialities = "征收补偿、社会保障"


def accepted_case(office, clerk, head, *, accepted_on=None, **overrides):
    """A self-accepted case accepted by the head (on the frozen "today" unless given)."""
    from datetime import date

    from cases.services.intake import case_accept

    case = register(office, clerk, **overrides)
    return case_accept(case=case, actor=head, accepted_on=accepted_on or date(2026, 11, 27))


def assigned_case(office, clerk, head, mediator_user, **overrides):
    """An accepted case whose mediator has declared no conflict: status "assigned"."""
    from cases.services.mediation import assign_mediators, declare_conflict_check

    case = accepted_case(office, clerk, head, **overrides)
    profile = MediatorFactory(user=mediator_user)
    [assignment] = assign_mediators(case=case, actor=head, mediators=[profile], presiding=profile)
    declare_conflict_check(assignment=assignment, actor=mediator_user, no_conflict=True)
    case.refresh_from_db()
    return case


def mediating_case(office, clerk, head, mediator_user, *, when=None, **overrides):
    """An assigned case with a first session scheduled: status "in_mediation"."""
    from datetime import timedelta

    from django.utils import timezone

    from cases.services.mediation import schedule_session

    case = assigned_case(office, clerk, head, mediator_user, **overrides)
    schedule_session(
        case=case,
        actor=mediator_user,
        scheduled_at=when or timezone.now() + timedelta(days=1),
        place="工作室调解室",
        mode="in_person",
    )
    case.refresh_from_db()
    return case


# --- Agreements --------------------------------------------------------------------


def agreed_case(office, clerk, head, mediator_user, **overrides):
    """A case in mediation whose parties reached agreement (a held session first)."""
    from datetime import timedelta

    from django.utils import timezone

    from cases.services import mediation

    case = mediating_case(
        office, clerk, head, mediator_user, when=timezone.now() - timedelta(hours=2), **overrides
    )
    session = case.sessions.get()
    mediation.record_session(
        session=session,
        actor=mediator_user,
        expected_version=0,
        transcript="双方达成一致。",
        outcome="agreement",
        parties=list(case.parties.all()),
    )
    return mediation.reach_agreement(case=case, actor=mediator_user)


def obligation_data(case, **overrides):
    from datetime import date

    applicant = case.parties.get(role="applicant")
    respondent = case.parties.get(role="respondent")
    rows = [
        {
            "obligor": respondent,
            "kind": "revoke_or_change",
            "description": "撤销潜市监罚〔2026〕12号行政处罚决定",
            "amount": None,
            "due_date": date(2026, 12, 10),
            "method": "书面送达撤销决定",
        },
        {
            "obligor": applicant,
            "kind": "withdraw_complaint",
            "description": "撤回对该处罚决定的行政复议申请",
            "amount": None,
            "due_date": date(2026, 12, 15),
            "method": "向复议机关提交撤回申请",
        },
    ]
    rows[0].update(overrides)
    return rows


def passing_checklist():
    from agreements.models import ChecklistItem

    return dict.fromkeys(ChecklistItem.values, ("pass", "", ""))


def effective_agreement(office, clerk, head, mediator_user, *, intended=True, **overrides):
    """An agreement drafted, checked and signed by everyone: effective on the frozen today."""
    from datetime import date

    from agreements.services import agreement as services

    case = agreed_case(office, clerk, head, mediator_user, **overrides)
    agreement = services.draft_agreement(case=case, actor=mediator_user)
    agreement = services.update_agreement(
        agreement=agreement,
        actor=mediator_user,
        data={
            "result": "被申请人撤销处罚决定，申请人撤回复议申请。",
            "confirmation_intended": intended,
        },
        obligations=obligation_data(case),
        expected_version=agreement.edit_version,
    )
    services.answer_checklist(agreement=agreement, actor=mediator_user, answers=passing_checklist())
    today = date(2026, 11, 27)
    for party in case.parties.all():
        capacity = "agency_seal" if party.kind == "agency" else "in_person"
        services.record_signature(
            agreement=agreement,
            actor=clerk,
            party=party,
            signer_name=party.name,
            capacity=capacity,
            method="seal" if party.kind == "agency" else "signature",
            signed_on=today,
        )
    services.record_mediator_signature(agreement=agreement, actor=mediator_user, signed_on=today)
    services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=today)
    agreement.refresh_from_db()
    return agreement
