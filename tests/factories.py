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


# Apart from the numbers tests type (record_paper_referral's 委调1号 among them): the first
# refer() of a process would otherwise take 委调1号 and collide with a paper referral.
_letters = iter(range(1001, 100_000))


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


# --- Cases built directly in a state -------------------------------------------------

STAGES = ("registered", "accepted", "assigned", "mediating", "agreed")


class CaseFactory(DjangoModelFactory):
    """A self-accepted case written straight into a stage, for tests of pages, not of steps.

    ``CaseFactory(office=office, created_by=clerk)`` is a registered case;
    the traits ``accepted`` (give ``head``), ``assigned``, ``mediating`` and
    ``agreed`` (give ``head`` and ``mediator``, a user) go further. It writes the
    rows the services write on the way, with the same numbers, notes, timeline
    events, notifications and deadlines, but without the locks, checks and
    repeated reads of each step: ``tests/test_factories.py`` compares the two.
    Tests of the steps themselves drive them through the services
    (``register``, ``accepted_case`` … above).
    """

    class Meta:
        model = "cases.Case"

    class Params:
        category_code = "PENALTY"
        accepted = factory.Trait(stage="accepted")
        assigned = factory.Trait(stage="assigned")
        mediating = factory.Trait(stage="mediating")
        agreed = factory.Trait(stage="agreed")

    # Taken by _create: the stage, the people who took the steps, the rows to write.
    stage = "registered"
    head = None
    mediator = None
    applicants = None
    claims = None
    accepted_on = None
    session_at = None

    office = factory.SubFactory(OfficeFactory)
    created_by = factory.LazyAttribute(
        lambda o: UserFactory(role=Role.CLERK, office=o.office, username="clerk")
    )
    source = "self"
    received_date = factory.LazyFunction(lambda: __import__("datetime").date(2026, 11, 2))
    category = factory.LazyAttribute(lambda o: category(o.category_code))
    act_type = "penalty"
    agency = factory.SubFactory(AgencyFactory)
    act_document_no = "潜市监罚〔2026〕12号"
    act_date = factory.LazyFunction(lambda: __import__("datetime").date(2026, 9, 1))
    act_served_date = factory.LazyFunction(lambda: __import__("datetime").date(2026, 9, 3))
    act_known_date = factory.LazyFunction(lambda: __import__("datetime").date(2026, 9, 3))
    facts_and_reasons = "申请人认为处罚过重。"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from datetime import date

        from django.utils import timezone

        from cases.models import Status
        from cases.services.common import registration_number
        from cases.services.records import create_claims, create_parties
        from cases.services.schedule import refresh_next_deadline

        stage = kwargs.pop("stage")
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}")
        head, mediator = kwargs.pop("head"), kwargs.pop("mediator")
        applicants, claims = kwargs.pop("applicants"), kwargs.pop("claims")
        accepted_on, session_at = kwargs.pop("accepted_on"), kwargs.pop("session_at")
        reached = STAGES.index(stage)
        if reached >= 1 and head is None:
            raise TypeError("an accepted case needs the head who accepted it: give head=")
        if reached >= 2 and mediator is None:
            raise TypeError("an assigned case needs its mediator (a user): give mediator=")

        today = timezone.localdate()
        case = model_class(status=Status.REGISTERED, **kwargs)
        case.registration_no = registration_number(case.office, today)
        case.review_started_on = today
        case.save()
        create_parties(case, applicants=applicants or [person()], respondents=[case.agency])
        create_claims(case, claims or [{"text": "撤销行政处罚决定", "amount": None}])
        _event(
            case,
            "registered",
            kwargs["created_by"],
            Status.REGISTERED,
            f"登记号{case.registration_no}",
        )
        if reached >= 1:
            _accept(case, head, accepted_on or date(2026, 11, 27))
            if reached >= 4:  # the end of mediation keeps the period's due date in its event
                refresh_next_deadline(case)
        if reached >= 2:
            _assign(case, head, mediator)
        if reached >= 3:
            _schedule(case, mediator, session_at, held=reached >= 4)
        if reached >= 4:
            _agree(case, mediator)
        refresh_next_deadline(case)
        return case


def _event(case, kind, actor, to_status="", note="", data=None):
    """A timeline event; with ``to_status`` the case moves there, as apply_transition does."""
    from cases.services.common import record_event

    from_status = ""
    if to_status and case.pk and kind != "registered":
        from_status = case.status
        case.status = to_status
        case.version += 1
    record_event(
        case=case,
        kind=kind,
        actor=actor,
        note=note,
        from_status=from_status,
        to_status=to_status,
        data=data,
    )


def _accept(case, head, accepted_on):
    from cases.models import Status
    from cases.services.common import case_number

    number = case_number(case.office, accepted_on)
    case.case_no = number
    case.accepted_on = accepted_on
    case.mediation_period_days = case.office.self_accepted_mediation_days
    _event(
        case,
        "accepted",
        head,
        Status.ACCEPTED,
        f"案号{number}",
        {"case_no": number, "accepted_on": accepted_on.isoformat()},
    )
    case.save()


def _assign(case, head, mediator_user):
    from django.utils import timezone

    from cases.models import Assignment, Status
    from cases.services.notify import notify

    profile = MediatorFactory(user=mediator_user)
    now = timezone.now()
    assignment = Assignment.objects.create(
        case=case,
        mediator=profile,
        is_presiding=True,
        assigned_by=head,
        status=Assignment.Status.EFFECTIVE,
        declaration_note="不存在需要回避的情形",
        declared_at=now,
    )
    _event(
        case,
        "mediators_assigned",
        head,
        note=str(profile),
        data={"mediators": [profile.pk], "presiding": profile.pk},
    )
    notify(
        [mediator_user],
        case=case,
        key=f"assigned:{case.pk}:{now:%Y%m%d%H%M%S}",
        title=f"您被指派调解{case.display_number}",
        body="请在案件页面声明是否存在需要回避的情形，指派在声明后生效。",
    )
    _event(
        case,
        "conflict_declared",
        mediator_user,
        note=f"{profile}：不存在需要回避的情形",
        data={"assignment": assignment.pk, "no_conflict": True},
    )
    _event(case, "assignment_effective", mediator_user, Status.ASSIGNED, f"调解员：{profile}")
    case.save()


def _schedule(case, mediator_user, when, *, held):
    from datetime import timedelta

    from django.utils import timezone

    from cases.models import Session, Status

    if when is None:
        when = timezone.now() + (timedelta(hours=-2) if held else timedelta(days=1))
    session = Session.objects.create(
        case=case,
        number=1,
        scheduled_at=when,
        place="工作室调解室",
        mode="in_person",
        created_by=mediator_user,
    )
    local = timezone.localtime(when)
    _event(
        case,
        "session_scheduled",
        mediator_user,
        note=f"第1次，{local:%Y-%m-%d %H:%M}，工作室调解室（{session.get_mode_display()}）",
        data={"session": session.pk},
    )
    _event(case, "mediation_started", mediator_user, Status.IN_MEDIATION, "安排第一次调解会")
    case.save()


def _agree(case, mediator_user):
    from cases.models import Session, Status

    session = case.sessions.get()
    session.status = Session.Status.HELD
    session.transcript = "双方达成一致。"
    session.transcript_version = 1
    session.outcome = Session.Outcome.AGREEMENT
    session.save()
    session.attending_parties.set(case.parties.all())
    _event(
        case,
        "session_recorded",
        mediator_user,
        note=f"第1次调解会：{session.get_outcome_display()}",
        data={"session": session.pk, "transcript_version": 1},
    )
    _event(
        case,
        "agreement_reached",
        mediator_user,
        Status.AGREED,
        "当事人达成一致，进入调解协议阶段。",
        {"mediation_due": case.mediation_due.isoformat()} if case.mediation_due else None,
    )
    case.save()


AGREEMENT_RESULT = "被申请人撤销处罚决定，申请人撤回复议申请。"


def agreement_for(case, mediator_user, clerk, *, effective=True, intended=True, obligations=None):
    """The agreement of an agreed case, written straight in: filled in, checked and, when
    ``effective``, signed by every party, the mediator and the office seal on the frozen
    today — the rows and events ``effective_agreement`` makes through the services
    (``tests/test_factories.py`` compares them). ``obligations`` are rows like
    ``obligation_data(case)``'s (the default)."""
    from datetime import date

    from agreements.models import Agreement, ChecklistAnswer, ChecklistItem, Obligation, Signature
    from agreements.services.agreement import parties_summary, required_signers
    from cases.deadline_engine import cn_date
    from cases.deadlines import CONFIRMATION_APPLY, load_work_calendar
    from cases.services.schedule import refresh_next_deadline

    rows = obligation_data(case) if obligations is None else obligations
    claims = "；".join(f"{c.number}. {c.text}" for c in case.claims.all())
    agreement = Agreement.objects.create(
        case=case,
        version=1,
        parties_info=parties_summary(case),
        facts=f"{case.facts_and_reasons}\n申请人请求：{claims}"
        if claims
        else case.facts_and_reasons,
        result=AGREEMENT_RESULT,
        confirmation_intended=intended,
        edit_version=2,
        created_by=mediator_user,
    )
    data = {"agreement": agreement.pk}
    _event(case, "agreement_drafted", mediator_user, note="第1版", data=data)
    Obligation.objects.bulk_create(
        Obligation(agreement=agreement, number=number, **row)
        for number, row in enumerate(rows, start=1)
    )
    _event(case, "agreement_updated", mediator_user, note=f"第1版，义务{len(rows)}项", data=data)
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(agreement=agreement, item=item, answer="pass", answered_by=mediator_user)
        for item in ChecklistItem.values
    )
    _event(case, "agreement_checked", mediator_user, note="全部符合", data=data)
    if not effective:
        return agreement
    today = date(2026, 11, 27)
    for party in required_signers(case):
        agency = party.kind == "agency"
        signature = Signature.objects.create(
            agreement=agreement,
            party=party,
            signer_name=party.name,
            capacity="agency_seal" if agency else "in_person",
            method="seal" if agency else "signature",
            signed_on=today,
            recorded_by=clerk,
        )
        _event(
            case,
            "agreement_signed",
            clerk,
            note=f"{party.name}：{signature.signer_name}（{signature.get_capacity_display()}）"
            f"{signature.get_method_display()}，{cn_date(today)}",
            data={**data, "party": party.pk},
        )
    note = f"调解员{mediator_user.get_full_name()}签字，{cn_date(today)}"
    _event(case, "agreement_signed", mediator_user, note=note, data=data)
    _event(
        case, "agreement_signed", clerk, note=f"加盖{case.office}印章，{cn_date(today)}", data=data
    )
    window = CONFIRMATION_APPLY.compute(today, load_work_calendar())
    note = f"第1版自{cn_date(today)}生效。申请司法确认的期限至{cn_date(window.due)}。"
    if case.is_referral:
        note += f"本案为委派调解，应向{case.court}备案。"
    _event(
        case,
        "agreement_effective",
        clerk,
        note=note,
        data={**data, "effective_on": today.isoformat()},
    )
    Agreement.objects.filter(pk=agreement.pk).update(
        status=Agreement.Status.EFFECTIVE,
        mediator_signed_by=mediator_user,
        mediator_signed_on=today,
        office_sealed_on=today,
        effective_on=today,
    )
    agreement.refresh_from_db()
    refresh_next_deadline(case)
    return agreement
