"""Mediation services: assignment, sessions, extensions, suspension, and the endings."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from cases.models import (
    Agent,
    Assignment,
    Attachment,
    CaseEvent,
    CourtReport,
    Decision,
    Extension,
    Mediator,
    Notification,
    Session,
    Status,
    Suspension,
    TerminationReason,
)
from cases.selectors import pending_approvals
from cases.services import mediation, referral
from cases.services.common import ServiceError, StaleEdit
from cases.workflow import (
    OPERATIONS,
    TRANSITIONS,
    InvalidTransition,
    NotPermitted,
    conducting,
)
from tests.factories import (
    VALID_ID_2,
    MediatorFactory,
    UserFactory,
    accepted_case,
    assigned_case,
    mediating_case,
    person,
    refer,
)
from tests.helpers import pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

CASE_NO = "（2026）潜行调字第1号"


def at(text):
    """An aware datetime in Qianjiang time, e.g. at("2026-11-30 09:30")."""
    return datetime.fromisoformat(f"{text}+08:00")


def roster(office, username, **kwargs):
    """Another mediator of the office with a roster entry."""
    user = UserFactory(role=Role.MEDIATOR, office=office, username=username)
    return MediatorFactory(user=user, **kwargs)


def kinds(case):
    return list(case.events.values_list("kind", flat=True))


def titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def terminate(case, proposer, head, reason=TerminationReason.GAP_TOO_WIDE, note="分歧较大"):
    """The mediator proposes ending the mediation and the head approves it."""
    termination = mediation.propose_termination(case=case, actor=proposer, reason=reason, note=note)
    if termination.status == Decision.PROPOSED:
        termination = mediation.decide_termination(
            termination=termination, actor=head, approve=True, note=""
        )
    assert termination.status == Decision.APPROVED
    return termination


def referral_in_mediation(office, court_liaison, clerk, head, mediator_user):
    """A referral signed for on 2026-11-27, assigned, with a session on Monday."""
    case = refer(office, court_liaison)
    case = referral.referral_sign_for(case=case, actor=clerk, signed_on=date(2026, 11, 27))
    profile = MediatorFactory(user=mediator_user)
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[profile], presiding=profile
    )
    mediation.declare_conflict_check(assignment=assignment, actor=mediator_user, no_conflict=True)
    mediation.schedule_session(
        case=case,
        actor=mediator_user,
        scheduled_at=at("2026-11-30 09:30"),
        place="工作室调解室",
        mode="in_person",
    )
    case.refresh_from_db()
    assert case.status == Status.IN_MEDIATION
    return case


# --- Assignment ------------------------------------------------------------------------


def test_one_mediator_takes_effect_only_after_declaring_no_conflict(office, clerk, head, mediator):
    case = accepted_case(office, clerk, head)
    profile = MediatorFactory(user=mediator)
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[profile], presiding=profile
    )
    case.refresh_from_db()
    assert assignment.status == Assignment.Status.PENDING
    assert assignment.is_presiding and assignment.assigned_by == head
    assert case.status == Status.ACCEPTED
    event = case.events.get(kind=CaseEvent.Kind.MEDIATORS_ASSIGNED)
    assert event.note == str(profile)
    assert event.data == {"mediators": [profile.pk], "presiding": profile.pk}
    assert titles(mediator) == [f"您被指派调解{CASE_NO}"]
    assert not conducting(mediator, case)

    assignment = mediation.declare_conflict_check(
        assignment=assignment, actor=mediator, no_conflict=True
    )
    case.refresh_from_db()
    assert assignment.status == Assignment.Status.EFFECTIVE
    assert assignment.declaration_note == "不存在需要回避的情形"
    assert assignment.declared_at is not None
    assert case.status == Status.ASSIGNED
    effective = case.events.get(kind=CaseEvent.Kind.ASSIGNMENT_EFFECTIVE)
    assert (effective.from_status, effective.to_status) == (Status.ACCEPTED, Status.ASSIGNED)
    assert effective.note == f"调解员：{profile}"
    assert case.events.get(kind=CaseEvent.Kind.CONFLICT_DECLARED).note == (
        f"{profile}：不存在需要回避的情形"
    )
    # The mediation period keeps running from acceptance.
    assert case.mediation_due == case.next_deadline == date(2026, 12, 28)

    with pytest.raises(ServiceError) as exc:
        mediation.declare_conflict_check(assignment=assignment, actor=mediator, no_conflict=True)
    assert exc.value.message == "该指派已经声明过，无需重复声明。"


def test_several_mediators_need_exactly_one_presiding(office, clerk, head, mediator):
    case = accepted_case(office, clerk, head)
    first = MediatorFactory(user=mediator)
    second = roster(office, "mediator2")
    outsider = roster(office, "mediator3")
    with pytest.raises(ServiceError) as exc:
        mediation.assign_mediators(case=case, actor=head, mediators=[], presiding=first)
    assert (exc.value.message, exc.value.field) == ("请至少选择一名调解员。", "mediators")
    with pytest.raises(ServiceError) as exc:
        mediation.assign_mediators(
            case=case, actor=head, mediators=[first, second], presiding=outsider
        )
    assert (exc.value.message, exc.value.field) == (
        "主持调解员必须是所选调解员之一。",
        "presiding",
    )
    assert not case.assignments.exists()

    assignments = mediation.assign_mediators(
        case=case, actor=head, mediators=[first, second, first], presiding=second
    )
    assert [(a.mediator, a.is_presiding) for a in assignments] == [(first, False), (second, True)]
    assert case.events.get(kind=CaseEvent.Kind.MEDIATORS_ASSIGNED).note == (
        f"{first}、{second}（主持）"
    )
    mediation.declare_conflict_check(assignment=assignments[0], actor=mediator, no_conflict=True)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED  # the presiding mediator has not declared yet
    mediation.declare_conflict_check(assignment=assignments[1], actor=second.user, no_conflict=True)
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert conducting(mediator, case) and conducting(second.user, case)


@pytest.mark.parametrize(
    ("status", "label"), [(Mediator.Status.SUSPENDED, "暂停"), (Mediator.Status.REMOVED, "除名")]
)
def test_suspended_or_removed_roster_members_cannot_be_assigned(
    office, clerk, head, mediator, status, label
):
    case = accepted_case(office, clerk, head)
    profile = MediatorFactory(user=mediator, status=status, status_reason="受到投诉，正在核查")
    with pytest.raises(ServiceError) as exc:
        mediation.assign_mediators(case=case, actor=head, mediators=[profile], presiding=profile)
    assert exc.value.message == f"{profile}目前为“{label}”状态，不能指派。"
    assert exc.value.field == "mediators"
    assert not case.assignments.exists()


def test_a_mediator_of_another_office_cannot_be_assigned(office, other_office, clerk, head):
    case = accepted_case(office, clerk, head)
    foreign = roster(other_office, "jingzhou_mediator")
    with pytest.raises(ServiceError) as exc:
        mediation.assign_mediators(case=case, actor=head, mediators=[foreign], presiding=foreign)
    assert exc.value.message == f"{foreign}不在本工作室的调解员名册中。"
    assert not case.assignments.exists()


def test_only_the_own_office_head_assigns(office, other_office, clerk, head, mediator):
    case = accepted_case(office, clerk, head)
    profile = MediatorFactory(user=mediator)
    other_head = UserFactory(role=Role.HEAD, office=other_office, username="other_head")
    for actor in (clerk, mediator, other_head):
        with pytest.raises(NotPermitted) as exc:
            mediation.assign_mediators(
                case=case, actor=actor, mediators=[profile], presiding=profile
            )
        assert exc.value.message == "您没有权限指派调解员。"
    assert not case.assignments.exists()


def test_the_parties_joint_choice_needs_a_note(office, clerk, head, mediator):
    case = accepted_case(office, clerk, head)
    profile = MediatorFactory(user=mediator)
    with pytest.raises(ServiceError) as exc:
        mediation.assign_mediators(
            case=case,
            actor=head,
            mediators=[profile],
            presiding=profile,
            parties_joint_choice=True,
            choice_note="  ",
        )
    assert (exc.value.message, exc.value.field) == (
        "当事人共同选定的，请记录选定情况。",
        "choice_note",
    )
    [assignment] = mediation.assign_mediators(
        case=case,
        actor=head,
        mediators=[profile],
        presiding=profile,
        parties_joint_choice=True,
        choice_note="双方当事人于2026年11月27日共同选定",
    )
    assert assignment.parties_joint_choice
    assert assignment.choice_note == "双方当事人于2026年11月27日共同选定"
    assert case.events.get(kind=CaseEvent.Kind.MEDIATORS_ASSIGNED).note == (
        f"{profile}，当事人共同选定"
    )


def test_a_declared_conflict_keeps_the_case_accepted_and_tells_the_head(
    office, clerk, head, mediator
):
    case = accepted_case(office, clerk, head)
    profile = MediatorFactory(user=mediator)
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[profile], presiding=profile
    )
    with pytest.raises(ServiceError) as exc:
        mediation.declare_conflict_check(assignment=assignment, actor=mediator, no_conflict=False)
    assert (exc.value.message, exc.value.field) == (
        "存在需要回避的情形的，请说明具体情况。",
        "note",
    )
    assignment = mediation.declare_conflict_check(
        assignment=assignment, actor=mediator, no_conflict=False, note="与申请人系表兄弟"
    )
    case.refresh_from_db()
    assert assignment.status == Assignment.Status.CONFLICT
    assert assignment.declaration_note == "与申请人系表兄弟"
    assert case.status == Status.ACCEPTED
    assert not case.events.filter(kind=CaseEvent.Kind.ASSIGNMENT_EFFECTIVE).exists()
    assert case.events.get(kind=CaseEvent.Kind.CONFLICT_DECLARED).data == {
        "assignment": assignment.pk,
        "no_conflict": False,
    }
    notice = Notification.objects.get(recipient=head)
    assert notice.case == case
    assert notice.key == f"conflict:{assignment.pk}"
    assert notice.title == f"{CASE_NO}：调解员{profile}声明存在利害关系"
    assert notice.body == "请更换调解员，或取得当事人书面同意后记录。"
    assert not conducting(mediator, case)
    # It waits for the head's decision on the home page.
    [(label, listed, _)] = [item for item in pending_approvals(head) if item[2] == assignment]
    assert (label, listed) == (f"调解员{profile}声明存在利害关系", case)


def test_the_parties_written_waiver_makes_the_assignment_effective(office, clerk, head, mediator):
    case = accepted_case(office, clerk, head)
    profile = MediatorFactory(user=mediator)
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[profile], presiding=profile
    )
    with pytest.raises(ServiceError) as exc:
        mediation.record_waiver(assignment=assignment, actor=head, note="同意", upload=pdf())
    assert exc.value.message == "只有声明存在利害关系的指派才需要记录当事人同意。"
    mediation.declare_conflict_check(
        assignment=assignment, actor=mediator, no_conflict=False, note="曾为被申请人法律顾问"
    )
    with pytest.raises(NotPermitted):
        mediation.record_waiver(assignment=assignment, actor=mediator, note="同意", upload=pdf())
    with pytest.raises(ServiceError) as exc:
        mediation.record_waiver(assignment=assignment, actor=head, note=" ", upload=pdf())
    assert (exc.value.message, exc.value.field) == ("请说明当事人同意的情况。", "note")
    with pytest.raises(ServiceError) as exc:
        mediation.record_waiver(
            assignment=assignment,
            actor=head,
            note="双方书面同意",
            upload=SimpleUploadedFile("a.pdf", b""),
        )
    assert exc.value.field == "file"

    assignment = mediation.record_waiver(
        assignment=assignment, actor=head, note="双方当事人书面同意不回避", upload=pdf()
    )
    case.refresh_from_db()
    assert assignment.status == Assignment.Status.EFFECTIVE
    assert assignment.waiver_note == "双方当事人书面同意不回避"
    assert assignment.waiver_attachment.kind == Attachment.Kind.WAIVER
    assert case.status == Status.ASSIGNED
    assert case.events.get(kind=CaseEvent.Kind.WAIVER_RECORDED).note == (
        f"{profile}：双方当事人书面同意不回避"
    )


def test_only_the_assigned_mediator_declares(office, clerk, head, mediator):
    case = accepted_case(office, clerk, head)
    profile = MediatorFactory(user=mediator)
    colleague = roster(office, "mediator2")
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[profile], presiding=profile
    )
    for actor in (head, colleague.user, clerk):
        with pytest.raises(NotPermitted) as exc:
            mediation.declare_conflict_check(assignment=assignment, actor=actor, no_conflict=True)
        assert exc.value.message == "只有被指派的调解员本人可以声明回避情况。"
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.PENDING


def test_replacing_a_mediator_ends_the_old_assignment(office, clerk, head, mediator):
    case = assigned_case(office, clerk, head, mediator)
    old = case.assignments.get()
    replacement = roster(office, "mediator2")
    with time_machine.travel("2026-11-27 11:00+08:00", tick=False):
        [new] = mediation.assign_mediators(
            case=case, actor=head, mediators=[replacement], presiding=replacement
        )
    old.refresh_from_db()
    assert old.status == Assignment.Status.ENDED
    assert old.ended_at is not None
    assert new.status == Assignment.Status.PENDING and new.mediator == replacement
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    case = type(case).objects.get(pk=case.pk)  # fresh object, no cached conducting users
    assert not conducting(mediator, case)
    with pytest.raises(NotPermitted):
        mediation.schedule_session(
            case=case,
            actor=mediator,
            scheduled_at=at("2026-11-30 09:30"),
            place="工作室调解室",
            mode="in_person",
        )
    # Keeping a mediator leaves the assignment as it is.
    mediation.declare_conflict_check(assignment=new, actor=replacement.user, no_conflict=True)
    [kept] = mediation.assign_mediators(
        case=case, actor=head, mediators=[replacement], presiding=replacement
    )
    assert kept.pk == new.pk and kept.status == Assignment.Status.EFFECTIVE


def test_replacing_a_mediator_who_declared_a_conflict_ends_that_assignment(
    office, clerk, head, mediator
):
    case = accepted_case(office, clerk, head)
    profile = MediatorFactory(user=mediator)
    [conflicted] = mediation.assign_mediators(
        case=case, actor=head, mediators=[profile], presiding=profile
    )
    mediation.declare_conflict_check(
        assignment=conflicted, actor=mediator, no_conflict=False, note="与申请人系近亲属"
    )
    replacement = roster(office, "mediator2")
    mediation.assign_mediators(
        case=case, actor=head, mediators=[replacement], presiding=replacement
    )
    conflicted.refresh_from_db()
    assert conflicted.status == Assignment.Status.ENDED
    assert not [item for item in pending_approvals(head) if item[2] == conflicted]


def test_a_conflict_of_the_presiding_mediator_keeps_the_case_accepted(
    office, clerk, head, mediator
):
    case = accepted_case(office, clerk, head)
    presiding = MediatorFactory(user=mediator)
    second = roster(office, "mediator2")
    first, other = mediation.assign_mediators(
        case=case, actor=head, mediators=[presiding, second], presiding=presiding
    )
    mediation.declare_conflict_check(assignment=other, actor=second.user, no_conflict=True)
    mediation.declare_conflict_check(
        assignment=first, actor=mediator, no_conflict=False, note="与被申请人负责人系配偶"
    )
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


# --- Sessions --------------------------------------------------------------------------


def test_the_first_session_starts_the_mediation(office, clerk, head, mediator):
    case = assigned_case(office, clerk, head, mediator)
    with pytest.raises(ServiceError) as exc:
        mediation.schedule_session(
            case=case,
            actor=mediator,
            scheduled_at=at("2026-11-30 09:30"),
            place="工作室",
            mode="telepathy",
        )
    assert (exc.value.message, exc.value.field) == ("请选择调解方式。", "mode")
    with pytest.raises(ServiceError) as exc:
        mediation.schedule_session(
            case=case,
            actor=mediator,
            scheduled_at=at("2026-11-26 09:30"),
            place="工作室",
            mode="in_person",
        )
    assert exc.value.message == "调解会时间不能早于受理日期。"
    assert not case.sessions.exists()

    session = mediation.schedule_session(
        case=case,
        actor=mediator,
        scheduled_at=at("2026-11-30 09:30"),
        place="工作室调解室",
        mode="in_person",
    )
    case.refresh_from_db()
    assert (session.number, session.status, session.created_by) == (
        1,
        Session.Status.SCHEDULED,
        mediator,
    )
    assert case.status == Status.IN_MEDIATION
    assert case.events.get(kind=CaseEvent.Kind.SESSION_SCHEDULED).note == (
        "第1次，2026-11-30 09:30，工作室调解室（现场调解）"
    )
    started = case.events.get(kind=CaseEvent.Kind.MEDIATION_STARTED)
    assert (started.from_status, started.to_status, started.note) == (
        Status.ASSIGNED,
        Status.IN_MEDIATION,
        "安排第一次调解会",
    )
    assert case.mediation_due == date(2026, 12, 28)

    second = mediation.schedule_session(
        case=case, actor=head, scheduled_at=at("2026-12-02 15:00"), place="线上", mode="video"
    )
    assert second.number == 2
    assert case.events.filter(kind=CaseEvent.Kind.MEDIATION_STARTED).count() == 1


def test_begin_mediation_without_a_session(office, clerk, head, mediator):
    case = assigned_case(office, clerk, head, mediator)
    case = mediation.begin_mediation(case=case, actor=mediator)
    assert case.status == Status.IN_MEDIATION
    assert case.events.get(kind=CaseEvent.Kind.MEDIATION_STARTED).note == "开始调解"
    with pytest.raises(InvalidTransition):
        mediation.begin_mediation(case=case, actor=mediator)


def test_only_the_effective_mediators_or_the_head_schedule(office, clerk, head, mediator):
    case = accepted_case(office, clerk, head)
    profile = MediatorFactory(user=mediator)
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[profile], presiding=profile
    )
    kwargs = {"scheduled_at": at("2026-11-30 09:30"), "place": "工作室", "mode": "in_person"}
    # Still accepted: nobody can schedule yet.
    with pytest.raises(InvalidTransition):
        mediation.schedule_session(case=case, actor=head, **kwargs)
    mediation.declare_conflict_check(assignment=assignment, actor=mediator, no_conflict=True)
    stranger = roster(office, "mediator2").user
    for actor in (stranger, clerk):
        with pytest.raises(NotPermitted) as exc:
            mediation.schedule_session(case=case, actor=actor, **kwargs)
        assert exc.value.message == "您没有权限安排调解会。"
    assert not case.sessions.exists()
    session = mediation.schedule_session(case=case, actor=head, **kwargs)
    assert session.created_by == head


def test_a_session_is_recorded_only_after_it_took_place(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator, when=at("2026-11-30 09:30"))
    session = case.sessions.get()
    with pytest.raises(ServiceError) as exc:
        mediation.record_session(
            session=session, actor=mediator, expected_version=0, transcript="笔录", outcome=""
        )
    assert exc.value.message == "调解会尚未召开，不能记录笔录。可以在召开后记录。"
    session.refresh_from_db()
    assert (session.status, session.transcript_version) == (Session.Status.SCHEDULED, 0)
    with time_machine.travel("2026-11-30 12:00+08:00", tick=False):
        session = mediation.record_session(
            session=session,
            actor=mediator,
            expected_version=0,
            transcript="双方陈述意见。",
            outcome=Session.Outcome.PROGRESS,
        )
    assert (session.status, session.transcript_version) == (Session.Status.HELD, 1)
    assert case.events.get(kind=CaseEvent.Kind.SESSION_RECORDED).note == (
        "第1次调解会：取得进展，继续调解"
    )


def test_a_stale_transcript_edit_is_refused_and_the_saved_one_kept(
    office, clerk, head, mediator, time_machine
):
    case = mediating_case(office, clerk, head, mediator, when=at("2026-11-30 09:30"))
    session = case.sessions.get()
    time_machine.move_to("2026-11-30 12:00+08:00", tick=False)
    session = mediation.record_session(
        session=session, actor=mediator, expected_version=0, transcript="第一稿", outcome=""
    )
    assert session.transcript_version == 1
    # The head and the mediator both open version 1; the head saves first.
    mediation.record_session(
        session=session,
        actor=head,
        expected_version=1,
        transcript="第一稿。负责人补充：被申请人同意重新核算。",
        outcome=Session.Outcome.PROGRESS,
    )
    with pytest.raises(StaleEdit) as exc:
        mediation.record_session(
            session=session,
            actor=mediator,
            expected_version=1,
            transcript="第一稿。调解员补充。",
            outcome=Session.Outcome.NO_AGREEMENT,
        )
    assert "其他人已保存了这份笔录" in exc.value.message
    session.refresh_from_db()
    assert session.transcript == "第一稿。负责人补充：被申请人同意重新核算。"
    assert (session.transcript_version, session.outcome) == (2, Session.Outcome.PROGRESS)
    notes = list(
        case.events.filter(kind=CaseEvent.Kind.SESSION_RECORDED).values_list("note", flat=True)
    )
    assert notes == ["第1次调解会", "第1次调解会（修改笔录）：取得进展，继续调解"]


def test_attendance_is_saved(office, clerk, head, mediator, time_machine):
    case = mediating_case(office, clerk, head, mediator, when=at("2026-11-30 09:30"))
    other_case = accepted_case(office, clerk, head, applicants=[person(id_number=VALID_ID_2)])
    session = case.sessions.get()
    profile = mediator.mediator_profile
    time_machine.move_to("2026-11-30 12:00+08:00", tick=False)
    with pytest.raises(ServiceError) as exc:
        mediation.record_session(
            session=session,
            actor=mediator,
            expected_version=0,
            transcript="笔录",
            outcome="",
            parties=list(other_case.parties.all()),
        )
    assert (exc.value.message, exc.value.field) == ("到场当事人必须是本案当事人。", "parties")
    with pytest.raises(ServiceError) as exc:
        mediation.record_session(
            session=session, actor=mediator, expected_version=0, transcript="笔录", outcome="won"
        )
    assert (exc.value.message, exc.value.field) == ("请选择调解结果。", "outcome")

    parties = list(case.parties.all())
    session = mediation.record_session(
        session=session,
        actor=mediator,
        expected_version=0,
        transcript="双方到场。",
        outcome=Session.Outcome.ADJOURNED,
        outcome_note="改期至下周",
        parties=parties,
        mediators=[profile],
        invited_persons="社区干部 张三",
        agency_attendee="李四 副局长",
        agency_principal_attended=False,
    )
    session = Session.objects.get(pk=session.pk)
    assert set(session.attending_parties.all()) == set(parties)
    assert list(session.attending_mediators.all()) == [profile]
    assert (
        session.invited_persons,
        session.agency_attendee,
        session.agency_principal_attended,
    ) == (
        "社区干部 张三",
        "李四 副局长",
        False,
    )
    assert session.outcome_note == "改期至下周"


def test_attending_agents_and_mediators_must_belong_to_the_case(
    office, other_office, clerk, head, mediator, time_machine
):
    case = mediating_case(office, clerk, head, mediator, when=at("2026-11-30 09:30"))
    other_case = accepted_case(office, clerk, head, applicants=[person(id_number=VALID_ID_2)])
    stranger_agent = Agent.objects.create(
        party=other_case.parties.first(),
        name="李律师",
        kind=Agent.Kind.LAWYER,
        authority=Agent.Authority.SPECIAL,
    )
    foreign_mediator = roster(other_office, "jingzhou_mediator")
    session = case.sessions.get()
    time_machine.move_to("2026-11-30 12:00+08:00", tick=False)
    with pytest.raises(ServiceError):
        mediation.record_session(
            session=session,
            actor=mediator,
            expected_version=0,
            transcript="笔录",
            outcome="",
            agents=[stranger_agent],
        )
    with pytest.raises(ServiceError):
        mediation.record_session(
            session=session,
            actor=mediator,
            expected_version=0,
            transcript="笔录",
            outcome="",
            mediators=[foreign_mediator],
        )


def test_session_work_is_for_the_case_mediators_and_the_head(
    office, clerk, head, mediator, time_machine
):
    case = mediating_case(office, clerk, head, mediator, when=at("2026-11-30 09:30"))
    session = case.sessions.get()
    stranger = roster(office, "mediator2").user
    time_machine.move_to("2026-11-30 12:00+08:00", tick=False)
    for actor in (stranger, clerk):
        with pytest.raises(NotPermitted) as exc:
            mediation.record_session(
                session=session, actor=actor, expected_version=0, transcript="x", outcome=""
            )
        assert exc.value.message == "只有本案的调解员或工作室负责人可以记录调解会。"
        with pytest.raises(NotPermitted):
            mediation.cancel_session(session=session, actor=actor, reason="改期")


def test_transcript_scan_is_attached(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    session = case.sessions.get()
    session = mediation.attach_transcript_scan(session=session, actor=mediator, upload=pdf())
    scan = Session.objects.get(pk=session.pk).transcript_scan
    assert scan.kind == Attachment.Kind.TRANSCRIPT
    assert scan.title == "第1次调解笔录（签字件）"


def test_cancelling_a_session_needs_a_reason(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    session = case.sessions.get()
    with pytest.raises(ServiceError) as exc:
        mediation.cancel_session(session=session, actor=mediator, reason="  ")
    assert (exc.value.message, exc.value.field) == ("请说明取消的原因。", "reason")
    session = mediation.cancel_session(session=session, actor=mediator, reason="申请人生病")
    assert (session.status, session.cancel_reason) == (Session.Status.CANCELLED, "申请人生病")
    assert case.events.get(kind=CaseEvent.Kind.SESSION_CANCELLED).note == "第1次调解会：申请人生病"
    with pytest.raises(ServiceError) as exc:
        mediation.cancel_session(session=session, actor=mediator, reason="再次取消")
    assert exc.value.message == "只有尚未召开的调解会可以取消。"
    with pytest.raises(ServiceError) as exc:
        mediation.record_session(
            session=session, actor=mediator, expected_version=0, transcript="x", outcome=""
        )
    assert exc.value.message == "该次调解会已取消，不能记录。"


def test_closing_is_refused_while_a_session_is_still_scheduled(office, clerk, head, mediator):
    # This morning's session, not recorded: ending mediation calls off only those to come.
    case = mediating_case(office, clerk, head, mediator, when=at("2026-11-27 08:30"))
    session = case.sessions.get()
    terminate(case, mediator, head, TerminationReason.PARTY_REFUSED, "申请人明确拒绝调解")
    with pytest.raises(InvalidTransition) as exc:
        mediation.close_case(case=case, actor=head)
    assert exc.value.message == "尚有已安排但未记录的调解会，请先记录或取消后再结案。"
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (Status.TERMINATED, None)
    mediation.cancel_session(session=session, actor=mediator, reason="调解已终止")
    with pytest.raises(NotPermitted):
        mediation.close_case(case=case, actor=clerk)
    case = mediation.close_case(case=case, actor=head, note="调解不成，已告知救济途径")
    assert (case.status, case.closed_on) == (Status.CLOSED, date(2026, 11, 27))
    assert case.closing_note == "调解不成，已告知救济途径"
    closed = case.events.get(kind=CaseEvent.Kind.CLOSED)
    assert (closed.from_status, closed.to_status) == (Status.TERMINATED, Status.CLOSED)


def test_a_transcript_cannot_be_rewritten_after_the_case_is_closed(
    office, clerk, head, mediator, time_machine
):
    case = mediating_case(office, clerk, head, mediator, when=at("2026-11-30 09:30"))
    session = case.sessions.get()
    time_machine.move_to("2026-11-30 12:00+08:00", tick=False)
    mediation.record_session(
        session=session, actor=mediator, expected_version=0, transcript="原笔录", outcome=""
    )
    terminate(case, mediator, head, TerminationReason.GAP_TOO_WIDE, "分歧较大")
    mediation.close_case(case=case, actor=head)
    with pytest.raises((ServiceError, InvalidTransition)):
        mediation.record_session(
            session=session, actor=head, expected_version=1, transcript="事后改写", outcome=""
        )
    session.refresh_from_db()
    assert session.transcript == "原笔录"


def test_agreement_needs_past_sessions_recorded(office, clerk, head, mediator, time_machine):
    case = mediating_case(office, clerk, head, mediator, when=at("2026-11-30 09:30"))
    session = case.sessions.get()
    time_machine.move_to("2026-11-30 12:00+08:00", tick=False)
    with pytest.raises(ServiceError) as exc:
        mediation.reach_agreement(case=case, actor=mediator)
    assert exc.value.message == "尚有已过时间但未记录的调解会，请先记录笔录或取消。"
    mediation.record_session(
        session=session,
        actor=mediator,
        expected_version=0,
        transcript="达成一致。",
        outcome=Session.Outcome.AGREEMENT,
    )
    case = mediation.reach_agreement(case=case, actor=mediator)
    assert case.status == Status.AGREED
    assert (case.next_deadline, case.mediation_due) == (None, None)
    assert case.events.get(kind=CaseEvent.Kind.AGREEMENT_REACHED).note == (
        "当事人达成一致，进入调解协议阶段。"
    )


@pytest.mark.parametrize("ending", ["agreement", "withdrawal"])
def test_the_sessions_still_to_come_are_called_off_when_mediation_ends(
    office, clerk, head, mediator, ending
):
    case = mediating_case(office, clerk, head, mediator, when=at("2026-11-27 08:30"))
    held = case.sessions.get()
    mediation.record_session(
        session=held, actor=mediator, expected_version=0, transcript="达成一致。", outcome=""
    )
    later = mediation.schedule_session(
        case=case,
        actor=mediator,
        scheduled_at=at("2026-12-10 09:30"),
        place="工作室调解室",
        mode="in_person",
    )
    if ending == "agreement":
        mediation.reach_agreement(case=case, actor=mediator)
        why = "当事人已达成一致，调解会取消。"
    else:
        mediation.withdraw(case=case, actor=clerk, withdrawn_on=date(2026, 11, 27), note="撤回")
        why = "申请人已撤回，调解会取消。"
    later.refresh_from_db()
    held.refresh_from_db()
    assert (later.status, later.cancel_reason) == (Session.Status.CANCELLED, why)
    assert held.status == Session.Status.HELD
    event = case.events.get(kind=CaseEvent.Kind.SESSION_CANCELLED)
    assert event.note == f"第{later.number}次调解会：{why}"
    # The ending stays the case's latest step; the mediator hears of it unless they ended it.
    assert kinds(case)[-1] != CaseEvent.Kind.SESSION_CANCELLED
    told = Notification.objects.filter(recipient=mediator, key__startswith="called-off:")
    if ending == "agreement":
        assert not told.exists()
    else:
        assert told.get().body == (
            f"{why.removesuffix('，调解会取消。')}，已安排的第{later.number}次（12月10日 09:30）"
            "调解会取消，请通知当事人。"
        )


def test_undisputed_facts_are_recorded(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    with pytest.raises(ServiceError) as exc:
        mediation.record_undisputed_facts(
            case=case, actor=mediator, text=" ", signed_on=None, upload=None
        )
    assert (exc.value.message, exc.value.field) == ("请记录无争议的事实。", "text")
    with pytest.raises(ServiceError) as exc:
        mediation.record_undisputed_facts(
            case=case,
            actor=mediator,
            text="处罚金额为五千元",
            signed_on=date(2026, 11, 28),
            upload=None,
        )
    assert (exc.value.message, exc.value.field) == ("签字日期不能晚于今天。", "signed_on")
    record = mediation.record_undisputed_facts(
        case=case,
        actor=mediator,
        text="处罚金额为五千元",
        signed_on=date(2026, 11, 27),
        upload=pdf(),
    )
    assert record.signed_scan.kind == Attachment.Kind.UNDISPUTED_FACTS
    assert case.events.get(kind=CaseEvent.Kind.UNDISPUTED_FACTS).note == "处罚金额为五千元"


# --- Extensions ------------------------------------------------------------------------


def propose(case, actor, days=3, parties=None, upload=None, reason="双方同意继续协商"):
    return mediation.propose_extension(
        case=case,
        actor=actor,
        days=days,
        reason=reason,
        consenting_parties=list(case.parties.all()) if parties is None else parties,
        consent_form=upload or pdf(),
    )


def test_an_extension_needs_every_partys_consent(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    applicant, respondent = case.parties.all()
    with pytest.raises(ServiceError) as exc:
        propose(case, mediator, parties=[applicant])
    assert exc.value.message == (
        f"延长调解期限须经全体当事人同意（《特邀调解规定》第二十七条），{respondent.name}尚未同意。"
    )
    assert exc.value.field == "consenting_parties"
    with pytest.raises(ServiceError) as exc:
        propose(case, mediator, parties=[])
    assert f"{applicant.name}、{respondent.name}尚未同意" in exc.value.message
    assert not Extension.objects.exists()
    assert not case.attachments.exists()


def test_an_extension_needs_the_consent_form_and_sound_values(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    with pytest.raises(ServiceError) as exc:
        propose(case, mediator, upload=SimpleUploadedFile("a.pdf", b""))
    assert exc.value.field == "consent_form"
    with pytest.raises(ServiceError) as exc:
        propose(case, mediator, upload=SimpleUploadedFile("a.pdf", b"not a pdf"))
    assert exc.value.field == "consent_form"
    for days in (0, 366):
        with pytest.raises(ServiceError) as exc:
            propose(case, mediator, days=days)
        assert (exc.value.message, exc.value.field) == ("延长天数应在1至365日之间。", "days")
    with pytest.raises(ServiceError) as exc:
        propose(case, mediator, reason=" ")
    assert (exc.value.message, exc.value.field) == ("请说明延长的理由。", "reason")
    assert not Extension.objects.exists()
    assert not case.attachments.exists()


def test_a_mediators_extension_waits_for_the_head(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    extension = propose(case, mediator, days=3)
    case.refresh_from_db()
    assert extension.status == Decision.PROPOSED
    assert set(extension.consenting_parties.all()) == set(case.parties.all())
    assert extension.consent_form.kind == Attachment.Kind.EXTENSION_CONSENT
    assert extension.consent_form.title == "延长调解期限同意书（3日）"
    assert case.mediation_due == date(2026, 12, 28)
    notice = Notification.objects.get(recipient=head)
    assert (notice.key, notice.title, notice.body) == (
        f"extension:{extension.pk}",
        f"{CASE_NO}：请审批延长调解期限3日",
        "双方同意继续协商",
    )
    assert (
        case.events.get(kind=CaseEvent.Kind.EXTENSION_PROPOSED).note == "延长3日：双方同意继续协商"
    )

    with pytest.raises(ServiceError) as exc:
        propose(case, head, days=5)
    assert exc.value.message == "已有一项延长申请等待审批，请先处理。"
    with pytest.raises(NotPermitted) as exc:
        mediation.decide_extension(extension=extension, actor=mediator, approve=True, note="")
    assert exc.value.message == "只有工作室负责人可以审批延长调解期限。"
    with pytest.raises(ServiceError) as exc:
        mediation.decide_extension(extension=extension, actor=head, approve=False, note=" ")
    assert (exc.value.message, exc.value.field) == ("不批准的，请说明理由。", "note")

    extension = mediation.decide_extension(extension=extension, actor=head, approve=True, note="")
    case.refresh_from_db()
    assert (extension.status, extension.decided_by) == (Decision.APPROVED, head)
    assert case.mediation_due == case.next_deadline == date(2026, 12, 31)
    assert case.events.get(kind=CaseEvent.Kind.EXTENSION_APPROVED).note == (
        "延长3日，调解期限至2026年12月31日。"
    )


def test_a_rejected_extension_changes_nothing(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    extension = propose(case, mediator, days=10)
    extension = mediation.decide_extension(
        extension=extension, actor=head, approve=False, note="被申请人未盖章"
    )
    case.refresh_from_db()
    assert (extension.status, extension.decision_note) == (Decision.REJECTED, "被申请人未盖章")
    assert case.mediation_due == date(2026, 12, 28)
    assert (
        case.events.get(kind=CaseEvent.Kind.EXTENSION_REJECTED).note == "延长10日。被申请人未盖章"
    )
    # A new proposal may follow.
    assert propose(case, mediator, days=5).status == Decision.PROPOSED


def test_the_heads_own_extension_is_approved_at_once(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    extension = propose(case, head, days=3)
    case.refresh_from_db()
    assert (extension.status, extension.decided_by) == (Decision.APPROVED, head)
    assert case.mediation_due == date(2026, 12, 31)
    assert not Notification.objects.filter(key__startswith="extension:").exists()
    assert kinds(case)[-2:] == [
        CaseEvent.Kind.EXTENSION_PROPOSED,
        CaseEvent.Kind.EXTENSION_APPROVED,
    ]


def test_an_extension_is_refused_once_the_case_was_terminated(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    extension = propose(case, mediator, days=10)
    termination = mediation.propose_termination(
        case=case, actor=mediator, reason=TerminationReason.GAP_TOO_WIDE, note="双方分歧较大"
    )
    mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    case.refresh_from_db()
    before = (case.status, case.version, case.mediation_due, case.next_deadline)
    events = case.events.count()
    with pytest.raises(ServiceError) as exc:
        mediation.decide_extension(extension=extension, actor=head, approve=True, note="")
    # Terminating let the pending request lapse; the head's late approval changes nothing.
    assert exc.value.message == "该延长申请已经审批（未批准）：调解已终止，不再审批。"
    case.refresh_from_db()
    extension.refresh_from_db()
    assert (case.status, case.version, case.mediation_due, case.next_deadline) == before
    assert before == (Status.TERMINATED, before[1], None, None)
    assert extension.status == Decision.REJECTED
    assert case.events.count() == events
    with pytest.raises(InvalidTransition) as exc:
        propose(case, mediator, days=5)
    assert exc.value.message.startswith("案件当前状态为“调解终止”，不能延长调解期限。")


def test_a_termination_is_refused_once_the_case_ended_otherwise(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    termination = mediation.propose_termination(
        case=case, actor=mediator, reason=TerminationReason.GAP_TOO_WIDE, note="双方分歧较大"
    )
    mediation.withdraw(case=case, actor=clerk, withdrawn_on=date(2026, 11, 27), note="书面撤回")
    with pytest.raises(ServiceError) as exc:
        mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    assert exc.value.message == "该终止调解申请已经审批（未批准）：申请人已撤回，不再审批。"
    termination.refresh_from_db()
    case.refresh_from_db()
    assert (termination.status, termination.channels) == (Decision.REJECTED, [])
    assert case.status == Status.WITHDRAWN
    assert not case.events.filter(kind=CaseEvent.Kind.TERMINATION_APPROVED).exists()


def test_a_second_decision_on_the_same_request_is_refused_and_changes_nothing(
    office, clerk, head, mediator
):
    case = mediating_case(office, clerk, head, mediator)
    extension = propose(case, mediator, days=3)
    mediation.decide_extension(extension=extension, actor=head, approve=True, note="")
    events = case.events.count()
    # A second head, on a page opened before the first decision.
    with pytest.raises(ServiceError) as exc:
        mediation.decide_extension(extension=extension, actor=head, approve=False, note="不同意")
    assert exc.value.message == "该延长申请已经审批（已批准）。"
    extension.refresh_from_db()
    case.refresh_from_db()
    assert (extension.status, extension.decision_note) == (Decision.APPROVED, "")
    assert case.mediation_due == date(2026, 12, 31)

    termination = mediation.propose_termination(
        case=case, actor=mediator, reason=TerminationReason.GAP_TOO_WIDE, note="分歧较大"
    )
    mediation.decide_termination(termination=termination, actor=head, approve=False, note="再谈")
    with pytest.raises(ServiceError) as exc:
        mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    assert exc.value.message == "该终止调解申请已经审批（未批准）：再谈"
    termination.refresh_from_db()
    case.refresh_from_db()
    assert (termination.status, case.status) == (Decision.REJECTED, Status.IN_MEDIATION)
    assert case.events.count() == events + 2  # the proposal and its rejection only


def test_the_heads_own_termination_is_approved_at_once(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    termination = mediation.propose_termination(
        case=case, actor=head, reason=TerminationReason.PARTY_REFUSED, note="申请人拒绝调解"
    )
    case.refresh_from_db()
    assert (termination.status, termination.decided_by) == (Decision.APPROVED, head)
    assert case.status == Status.TERMINATED
    assert kinds(case)[-3:] == [
        CaseEvent.Kind.TERMINATION_PROPOSED,
        CaseEvent.Kind.SESSION_CANCELLED,  # tomorrow's session, called off
        CaseEvent.Kind.TERMINATION_APPROVED,
    ]
    assert not Notification.objects.filter(key__startswith="termination:").exists()


def test_a_pending_extension_leaves_the_heads_queue_when_the_case_is_terminated(
    office, clerk, head, mediator
):
    case = mediating_case(office, clerk, head, mediator)
    extension = propose(case, mediator, days=10)
    terminate(case, mediator, head, TerminationReason.PARTY_REFUSED, "申请人拒绝继续调解")
    assert not [item for item in pending_approvals(head) if item[2] == extension]


def test_a_referral_extension_reminds_to_tell_the_court(
    office, court, clerk, head, mediator, court_liaison
):
    case = referral_in_mediation(office, court_liaison, clerk, head, mediator)
    extension = propose(case, head, days=3)
    case.refresh_from_db()
    assert case.mediation_due == date(2026, 12, 31)
    assert case.events.get(kind=CaseEvent.Kind.EXTENSION_APPROVED).note == (
        "延长3日，调解期限至2026年12月31日。本案为法院委派案件，应告知委派法院。"
    )
    with pytest.raises(ServiceError) as exc:
        mediation.record_court_told_of_extension(
            extension=extension, actor=mediator, told_on=date(2026, 11, 28), how="电话"
        )
    assert (exc.value.message, exc.value.field) == ("告知日期不能晚于今天。", "told_on")
    with pytest.raises(NotPermitted):
        mediation.record_court_told_of_extension(
            extension=extension, actor=clerk, told_on=date(2026, 11, 27), how="电话"
        )
    extension = mediation.record_court_told_of_extension(
        extension=extension, actor=mediator, told_on=date(2026, 11, 27), how="电话告知立案庭"
    )
    extension.refresh_from_db()
    assert (extension.court_notified_on, extension.court_notified_note) == (
        date(2026, 11, 27),
        "电话告知立案庭",
    )
    assert case.events.get(kind=CaseEvent.Kind.COURT_NOTIFIED).note == (
        "2026年11月27日告知潜江市人民法院延长调解期限3日（电话告知立案庭）"
    )


def test_only_approved_referral_extensions_are_told_to_the_court(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    extension = propose(case, head, days=3)
    assert "告知委派法院" not in case.events.get(kind=CaseEvent.Kind.EXTENSION_APPROVED).note
    with pytest.raises(ServiceError) as exc:
        mediation.record_court_told_of_extension(
            extension=extension, actor=head, told_on=date(2026, 11, 27), how="电话"
        )
    assert exc.value.message == "只有已批准的委派案件延长需要告知法院。"


# --- Suspension ------------------------------------------------------------------------


def test_suspension_guards(office, clerk, head, mediator, time_machine):
    case = mediating_case(office, clerk, head, mediator)
    time_machine.move_to("2026-12-03 10:00+08:00", tick=False)

    def suspend(**kwargs):
        values = {
            "reason": Suspension.Reason.APPRAISAL,
            "note": "",
            "started_on": date(2026, 12, 1),
        }
        values.update(kwargs)
        return mediation.suspend(case=case, actor=mediator, **values)

    cases = [
        ({"started_on": date(2026, 12, 4)}, "中止日期不能晚于今天。", "started_on"),
        ({"started_on": date(2026, 11, 26)}, "中止日期不能早于受理日期。", "started_on"),
        ({"reason": "boredom"}, "请选择中止原因。", "reason"),
        ({"reason": Suspension.Reason.OTHER, "note": " "}, "中止原因为“其他”的，请说明。", "note"),
    ]
    for kwargs, message, field in cases:
        with pytest.raises(ServiceError) as exc:
            suspend(**kwargs)
        assert (exc.value.message, exc.value.field) == (message, field)
    with pytest.raises(NotPermitted):
        mediation.suspend(
            case=case,
            actor=clerk,
            reason=Suspension.Reason.APPRAISAL,
            note="",
            started_on=date(2026, 12, 1),
        )
    with pytest.raises(InvalidTransition):
        mediation.resume(case=case, actor=mediator, resumed_on=date(2026, 12, 3))
    assert not case.suspensions.exists()

    suspension = suspend(reason=Suspension.Reason.OTHER, note="等待征收补偿标准出台")
    case.refresh_from_db()
    assert case.status == Status.SUSPENDED
    assert (suspension.started_on, suspension.started_by) == (date(2026, 12, 1), mediator)
    assert case.events.get(kind=CaseEvent.Kind.SUSPENDED).note == (
        "其他，自2026年12月1日起暂停计算调解期限。等待征收补偿标准出台"
    )
    with pytest.raises(InvalidTransition):
        suspend()

    time_machine.move_to("2026-12-08 10:00+08:00", tick=False)
    for resumed_on, message in (
        (date(2026, 12, 9), "恢复日期不能晚于今天。"),
        (date(2026, 11, 30), "恢复日期不能早于中止日期（2026年12月1日）。"),
    ):
        with pytest.raises(ServiceError) as exc:
            mediation.resume(case=case, actor=mediator, resumed_on=resumed_on)
        assert (exc.value.message, exc.value.field) == (message, "resumed_on")
    case = mediation.resume(case=case, actor=head, resumed_on=date(2026, 12, 5))
    assert case.status == Status.IN_MEDIATION
    suspension.refresh_from_db()
    assert (suspension.ended_on, suspension.ended_by) == (date(2026, 12, 5), head)
    assert case.events.get(kind=CaseEvent.Kind.RESUMED).note == (
        "自2026年12月5日起恢复调解，中止4日不计入调解期限。"
    )
    assert case.mediation_due == date(2026, 12, 31)


def test_a_new_suspension_cannot_start_before_the_last_resumption(
    office, clerk, head, mediator, time_machine
):
    case = mediating_case(office, clerk, head, mediator)
    time_machine.move_to("2026-12-10 10:00+08:00", tick=False)
    mediation.suspend(
        case=case,
        actor=mediator,
        reason=Suspension.Reason.APPRAISAL,
        note="",
        started_on=date(2026, 12, 1),
    )
    mediation.resume(case=case, actor=mediator, resumed_on=date(2026, 12, 8))
    with pytest.raises(ServiceError):
        mediation.suspend(
            case=case,
            actor=mediator,
            reason=Suspension.Reason.FORCE_MAJEURE,
            note="",
            started_on=date(2026, 12, 3),
        )


# --- Termination -----------------------------------------------------------------------


def test_termination_reasons_are_those_of_the_domain_brief():
    # DOMAIN.md §2.4, AGREEMENT_REACHED being for statistics only.
    assert set(TerminationReason.values) == {
        "party_withdrew",
        "party_refused",
        "gap_too_wide",
        "unreachable",
        "period_expired",
        "refused_to_sign",
        "settled_privately",
        "false_mediation",
        "other",
    }


def test_the_mediator_proposes_termination_and_the_head_approves(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    with pytest.raises(ServiceError) as exc:
        mediation.propose_termination(case=case, actor=mediator, reason="bored", note="x")
    assert (exc.value.message, exc.value.field) == ("请选择终止调解的原因。", "reason")
    with pytest.raises(ServiceError) as exc:
        mediation.propose_termination(
            case=case, actor=mediator, reason=TerminationReason.OTHER, note=" "
        )
    assert exc.value.field == "note"
    with pytest.raises(NotPermitted):
        mediation.propose_termination(
            case=case, actor=clerk, reason=TerminationReason.GAP_TOO_WIDE, note="分歧较大"
        )

    termination = mediation.propose_termination(
        case=case, actor=mediator, reason=TerminationReason.GAP_TOO_WIDE, note="赔偿金额差距过大"
    )
    assert termination.status == Decision.PROPOSED
    case.refresh_from_db()
    assert case.status == Status.IN_MEDIATION
    notice = Notification.objects.get(recipient=head, key=f"termination:{termination.pk}")
    assert notice.title == f"{CASE_NO}：请审批终止调解"
    assert notice.body == "当事人分歧较大，难以达成协议：赔偿金额差距过大"
    with pytest.raises(ServiceError) as exc:
        mediation.propose_termination(
            case=case, actor=mediator, reason=TerminationReason.UNREACHABLE, note="联系不上"
        )
    assert exc.value.message == "已有一项终止调解申请等待审批。"
    with pytest.raises(NotPermitted) as exc:
        mediation.decide_termination(termination=termination, actor=mediator, approve=True, note="")
    assert exc.value.message == "您没有权限终止调解。"

    termination = mediation.decide_termination(
        termination=termination, actor=head, approve=True, note="同意"
    )
    case.refresh_from_db()
    assert (termination.status, termination.decided_by) == (Decision.APPROVED, head)
    assert case.status == Status.TERMINATED
    assert (case.next_deadline, case.mediation_due) == (None, None)
    # Known 2026-09-03: reconsideration 60 days (expired), litigation 6 months.
    assert [(c["label"], c["due"], c["expired"]) for c in termination.channels] == [
        ("申请行政复议期限", "2026-11-02", True),
        ("提起行政诉讼期限", "2027-03-03", False),
    ]
    assert "《行政诉讼法》第四十六条第一款" in termination.channels[1]["explanation"]
    approved = case.events.get(kind=CaseEvent.Kind.TERMINATION_APPROVED)
    assert (approved.from_status, approved.to_status) == (Status.IN_MEDIATION, Status.TERMINATED)
    assert approved.note == "当事人分歧较大，难以达成协议。赔偿金额差距过大"
    assert not CourtReport.objects.exists()  # self-accepted: nobody to report to


def test_termination_channels_follow_the_reconsideration_decision(office, clerk, head, mediator):
    case = mediating_case(
        office, clerk, head, mediator, reconsideration_decision_date=date(2026, 11, 20)
    )
    termination = terminate(case, mediator, head, TerminationReason.PARTY_REFUSED, "拒绝调解")
    assert [(c["label"], c["due"], c["expired"]) for c in termination.channels] == [
        ("复议决定后起诉期限", "2026-12-07", False),  # 12-05 is a Saturday
    ]


def test_rejecting_a_termination_needs_a_note(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    termination = mediation.propose_termination(
        case=case, actor=mediator, reason=TerminationReason.UNREACHABLE, note="电话无人接听"
    )
    with pytest.raises(ServiceError) as exc:
        mediation.decide_termination(termination=termination, actor=head, approve=False, note="")
    assert (exc.value.message, exc.value.field) == ("不批准的，请说明理由。", "note")
    termination = mediation.decide_termination(
        termination=termination, actor=head, approve=False, note="请再上门联系一次"
    )
    case.refresh_from_db()
    assert (termination.status, termination.decision_note) == (
        Decision.REJECTED,
        "请再上门联系一次",
    )
    assert case.status == Status.IN_MEDIATION
    assert case.events.get(kind=CaseEvent.Kind.TERMINATION_REJECTED).note == "请再上门联系一次"
    # The mediator may propose again.
    again = mediation.propose_termination(
        case=case, actor=mediator, reason=TerminationReason.UNREACHABLE, note="仍无法联系"
    )
    assert again.status == Decision.PROPOSED


def test_a_suspended_case_can_be_terminated(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    mediation.suspend(
        case=case,
        actor=mediator,
        reason=Suspension.Reason.FALSE_MEDIATION,
        note="疑似虚假调解",
        started_on=date(2026, 11, 27),
    )
    termination = terminate(case, mediator, head, TerminationReason.FALSE_MEDIATION, "涉嫌虚假调解")
    case.refresh_from_db()
    assert termination.status == Decision.APPROVED
    assert case.events.get(kind=CaseEvent.Kind.TERMINATION_APPROVED).from_status == (
        Status.SUSPENDED
    )
    assert case.status == Status.TERMINATED


def test_an_approved_referral_termination_is_reported_to_the_court(
    office, court, clerk, head, mediator, court_liaison, other_court_liaison
):
    case = referral_in_mediation(office, court_liaison, clerk, head, mediator)
    termination = mediation.propose_termination(
        case=case, actor=mediator, reason=TerminationReason.PARTY_REFUSED, note="申请人坚持起诉"
    )
    assert not CourtReport.objects.exists()
    mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    report = CourtReport.objects.get()
    assert (report.case, report.court, report.kind, report.created_by) == (
        case,
        court,
        CourtReport.Kind.TERMINATION,
        head,
    )
    assert report.summary == "终止调解原因：当事人明确拒绝继续调解。\n申请人坚持起诉"
    assert case.events.get(kind=CaseEvent.Kind.COURT_REPORTED).note == (
        "已向潜江市人民法院报送终止调解情况报告"
    )
    notice = Notification.objects.get(recipient=court_liaison)
    assert (notice.key, notice.title) == (
        f"court_report:{report.pk}",
        f"{CASE_NO}：终止调解情况报告",
    )
    assert not Notification.objects.filter(recipient=other_court_liaison).exists()

    with pytest.raises(NotPermitted):
        mediation.receive_court_report(report=report, actor=other_court_liaison)
    with pytest.raises(NotPermitted):
        mediation.receive_court_report(report=report, actor=head)
    report = mediation.receive_court_report(report=report, actor=court_liaison)
    assert report.received_by == court_liaison and report.received_at is not None
    mediation.receive_court_report(report=report, actor=court_liaison)
    assert case.events.filter(kind=CaseEvent.Kind.COURT_REPORT_RECEIVED).count() == 1


def test_withdrawal_of_an_accepted_referral_is_reported(
    office, court, clerk, head, mediator, court_liaison
):
    case = referral_in_mediation(office, court_liaison, clerk, head, mediator)
    for kwargs, message in (
        ({"withdrawn_on": date(2026, 11, 28), "note": "书面撤回"}, "撤回日期不能晚于今天。"),
        (
            {"withdrawn_on": date(2026, 11, 1), "note": "书面撤回"},
            "撤回日期不能早于收到申请的日期。",
        ),
        (
            {"withdrawn_on": date(2026, 11, 27), "note": " "},
            "请记录撤回的方式和理由（书面申请或笔录签字）。",
        ),
    ):
        with pytest.raises(ServiceError) as exc:
            mediation.withdraw(case=case, actor=clerk, **kwargs)
        assert exc.value.message == message
    with pytest.raises(NotPermitted):
        mediation.withdraw(case=case, actor=mediator, withdrawn_on=date(2026, 11, 27), note="撤回")
    case = mediation.withdraw(
        case=case,
        actor=clerk,
        withdrawn_on=date(2026, 11, 27),
        note="申请人提交书面撤回申请",
        upload=pdf(),
    )
    assert (case.status, case.withdrawn_on) == (Status.WITHDRAWN, date(2026, 11, 27))
    assert (case.next_deadline, case.mediation_due) == (None, None)
    report = CourtReport.objects.get()
    assert (report.kind, report.court) == (CourtReport.Kind.WITHDRAWAL, court)
    assert report.summary == "申请人撤回调解申请。\n申请人提交书面撤回申请"
    assert "撤回调解申请书" in report.materials
    assert Notification.objects.get(recipient=court_liaison).title == f"{CASE_NO}：撤回调解情况报告"


def test_withdrawal_of_a_self_accepted_case_reports_to_nobody(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    case = mediation.withdraw(case=case, actor=head, withdrawn_on=date(2026, 11, 27), note="撤回")
    assert case.status == Status.WITHDRAWN
    assert not CourtReport.objects.exists()


def test_the_referring_courts_liaison_records_the_transfer_to_filing(
    office, court, clerk, head, mediator, court_liaison, other_court_liaison
):
    case = referral_in_mediation(office, court_liaison, clerk, head, mediator)
    terminate(case, mediator, head, TerminationReason.PARTY_REFUSED, "申请人坚持起诉")
    for actor in (other_court_liaison, head, clerk):
        with pytest.raises(NotPermitted) as exc:
            mediation.transfer_to_filing(
                case=case,
                actor=actor,
                filed_case_no="(2026)鄂9005行初12号",
                filed_on=date(2026, 11, 27),
            )
        assert exc.value.message == "您没有权限登记转立案。"
    with pytest.raises(ServiceError) as exc:
        mediation.transfer_to_filing(
            case=case, actor=court_liaison, filed_case_no="  ", filed_on=date(2026, 11, 27)
        )
    assert (exc.value.message, exc.value.field) == ("请填写法院立案案号。", "filed_case_no")
    with pytest.raises(ServiceError) as exc:
        mediation.transfer_to_filing(
            case=case,
            actor=court_liaison,
            filed_case_no="(2026)鄂9005行初12号",
            filed_on=date(2026, 11, 28),
        )
    assert (exc.value.message, exc.value.field) == ("立案日期不能晚于今天。", "filed_on")

    case = mediation.transfer_to_filing(
        case=case,
        actor=court_liaison,
        filed_case_no=" (2026)鄂9005行初12号 ",
        filed_on=date(2026, 11, 27),
    )
    assert case.status == Status.TRANSFERRED_TO_FILING
    event = case.events.get(kind=CaseEvent.Kind.TRANSFERRED_TO_FILING)
    assert event.note == "潜江市人民法院于2026年11月27日立案，案号（2026）鄂9005行初12号"
    assert event.data == {"filed_case_no": "（2026）鄂9005行初12号", "filed_on": "2026-11-27"}
    assert (event.from_status, event.actor) == (Status.TERMINATED, court_liaison)
    report = CourtReport.objects.get()
    assert (report.filed_case_no, report.filed_on) == ("（2026）鄂9005行初12号", date(2026, 11, 27))
    assert report.received_by == court_liaison and report.received_at is not None

    assert case.sessions.get().status == Session.Status.CANCELLED
    case = mediation.close_case(case=case, actor=head)
    assert (case.status, case.closed_on) == (Status.CLOSED, date(2026, 11, 27))


def test_a_self_accepted_case_cannot_be_transferred_to_filing(
    office, clerk, head, mediator, court_liaison
):
    case = mediating_case(office, clerk, head, mediator)
    terminate(case, mediator, head, TerminationReason.PARTY_REFUSED, "拒绝")
    case.refresh_from_db()
    assert TRANSITIONS["transfer_to_filing"].refusal(case) == "只有法院委派的案件才能转立案。"
    with pytest.raises(NotPermitted):
        mediation.transfer_to_filing(
            case=case,
            actor=court_liaison,
            filed_case_no="（2026）鄂9005行初12号",
            filed_on=date(2026, 11, 27),
        )
    case.refresh_from_db()
    assert case.status == Status.TERMINATED


def test_an_open_case_cannot_be_closed(office, clerk, head, mediator):
    case = mediating_case(office, clerk, head, mediator)
    with pytest.raises(InvalidTransition) as exc:
        mediation.close_case(case=case, actor=head)
    assert exc.value.message.startswith("案件当前状态为“调解中”，不能结案。")


# --- The workflow table ----------------------------------------------------------------


def test_the_workflow_table_for_mediation():
    assert TRANSITIONS["assignment_effective"].internal
    assert (
        TRANSITIONS["assignment_effective"].sources,
        TRANSITIONS["assignment_effective"].target,
    ) == (
        frozenset({Status.ACCEPTED}),
        Status.ASSIGNED,
    )
    assert TRANSITIONS["suspend"].target == Status.SUSPENDED
    assert TRANSITIONS["resume"].sources == frozenset({Status.SUSPENDED})
    assert TRANSITIONS["terminate"].sources >= frozenset(
        {Status.ASSIGNED, Status.IN_MEDIATION, Status.SUSPENDED}
    )
    assert TRANSITIONS["transfer_to_filing"].sources == frozenset(
        {Status.TERMINATED, Status.WITHDRAWN}
    )
    assert OPERATIONS["schedule_session"].states == frozenset(
        {Status.ASSIGNED, Status.IN_MEDIATION}
    )
    assert OPERATIONS["propose_extension"].states == frozenset(
        {Status.IN_MEDIATION, Status.SUSPENDED}
    )
    assert Status.CLOSED not in TRANSITIONS["withdraw"].sources


def test_conducting_is_the_own_office_head_or_an_effective_mediator(
    office, other_office, clerk, head, mediator
):
    case = assigned_case(office, clerk, head, mediator)
    other_head = UserFactory(role=Role.HEAD, office=other_office, username="other_head")
    stranger = roster(office, "mediator2").user
    assert conducting(head, case) and conducting(mediator, case)
    assert not conducting(other_head, case)
    assert not conducting(stranger, case)
    assert not conducting(clerk, case)
