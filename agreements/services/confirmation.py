"""The joint application for judicial confirmation and the court's outcome (DOMAIN.md §1.5)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import Court, Role, User
from agreements.models import (
    CONFIRMED_OUTCOMES,
    Agreement,
    Confirmation,
    ConfirmationMaterial,
    ConfirmationOutcome,
)
from agreements.services.performance import refresh_case_deadline
from agreements.workflow import CONFIRMATION_STEPS, apply_step, ensure_step
from cases.deadline_engine import Deadline, WorkCalendar, cn_date
from cases.deadlines import CONFIRMATION_APPLY, CONFIRMATION_OBJECTION, load_work_calendar
from cases.models import CaseEvent, Party, Status
from cases.services.common import ServiceError, check_court_number_shape, lock_case, record_event
from cases.services.notify import notify, office_users
from cases.validators import normalise_court_case_number
from cases.workflow import NotPermitted

REQUIRED_MATERIALS = (
    ConfirmationMaterial.AGREEMENT,
    ConfirmationMaterial.PRESIDING_PROOF,
    ConfirmationMaterial.IDENTITY,
)

# What recording the court's decision writes besides the status.
CONFIRMATION_OUTCOME_FIELDS = (
    "outcome",
    "court_case_no",
    "filed_on",
    "decided_on",
    "served_on",
    "outcome_note",
    "decided_by",
)


def application_window(
    agreement: Agreement, calendar: WorkCalendar | None = None
) -> Deadline | None:
    """30 days from the effective date (民事诉讼法第二百零五条)."""
    if agreement.effective_on is None:
        return None
    return CONFIRMATION_APPLY.compute(
        agreement.effective_on, calendar if calendar is not None else load_work_calendar()
    )


def objection_window(
    confirmation: Confirmation, calendar: WorkCalendar | None = None
) -> Deadline | None:
    """A party may object within 15 days of receiving the ruling (民诉法解释第三百七十二条)."""
    if confirmation.served_on is None or confirmation.status != Confirmation.Status.CONFIRMED:
        return None
    return CONFIRMATION_OBJECTION.compute(
        confirmation.served_on, calendar if calendar is not None else load_work_calendar()
    )


class LateApplication(Exception):
    """The 30-day window has passed; the clerk must confirm to record it anyway."""

    def __init__(self, window: Deadline) -> None:
        super().__init__("out of time")
        self.window = window
        self.message = (
            f"申请司法确认的期限已于{cn_date(window.due)}届满（{window.explanation}）"
            "超过期限申请的，人民法院可能不予受理。确需记录的，请勾选确认。"
        )


@transaction.atomic
def apply_for_confirmation(
    *,
    agreement: Agreement,
    actor: User,
    court: Court,
    applicants: Sequence[Party],
    applied_on: date,
    materials: Sequence[str],
    accept_late: bool = False,
) -> Confirmation:
    """Record the parties' joint application; both sides must apply (民事诉讼法第二百零五条)."""
    case = lock_case(agreement.case)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not actor.has_perm("agreements.apply_confirmation") or actor.office_id != case.office_id:
        raise NotPermitted("您没有权限记录司法确认申请。")
    if case.status != Status.AGREED or agreement.status != Agreement.Status.EFFECTIVE:
        raise ServiceError("协议生效后才能申请司法确认。")
    if agreement.confirmations.filter(
        status__in=[Confirmation.Status.APPLIED, Confirmation.Status.CONFIRMED]
    ).exists():
        raise ServiceError("本版协议已经申请司法确认。")
    roles = {p.role for p in applicants if p.case_id == case.pk}
    if Party.Role.APPLICANT not in roles or Party.Role.RESPONDENT not in roles:
        raise ServiceError(
            "司法确认须由双方当事人共同申请：申请人一方和被申请人（行政机关）一方都须列为申请人。",
            field="applicants",
        )
    missing = [ConfirmationMaterial(m).label for m in REQUIRED_MATERIALS if m not in materials]
    if missing:
        raise ServiceError("申请材料不全，尚缺：" + "；".join(missing) + "。", field="materials")
    if applied_on > timezone.localdate():
        raise ServiceError("申请日期不能晚于今天。", field="applied_on")
    assert agreement.effective_on is not None  # set when the agreement took effect
    if applied_on < agreement.effective_on:
        raise ServiceError("申请日期不能早于协议生效日期。", field="applied_on")
    window = application_window(agreement)
    assert window is not None  # there is one from the effective date on
    late = applied_on > window.due
    if late and not accept_late:
        raise LateApplication(window)
    confirmation = Confirmation.objects.create(
        agreement=agreement,
        court=court,
        applied_on=applied_on,
        late=late,
        materials=list(materials),
        recorded_by=actor,
    )
    confirmation.applicants.set(applicants)
    record_event(
        case=case,
        kind=CaseEvent.Kind.CONFIRMATION_APPLIED,
        actor=actor,
        note=f"{cn_date(applied_on)}向{court}申请司法确认"
        + ("（已超过申请期限）" if late else f"（期限至{cn_date(window.due)}）"),
        data={"confirmation": confirmation.pk},
    )
    notify(
        list(court.users.filter(role=Role.COURT_LIAISON, is_active=True)),
        case=case,
        key=f"confirmation:{confirmation.pk}",
        title=f"新的司法确认申请：{case.display_number}",
        body=f"{case.office}报送，申请日期{cn_date(applied_on)}。",
    )
    refresh_case_deadline(case)
    return confirmation


@transaction.atomic
def record_outcome(
    *,
    confirmation: Confirmation,
    actor: User,
    outcome: str,
    court_case_no: str,
    filed_on: date | None,
    decided_on: date,
    served_on: date | None,
    note: str = "",
    accept_unusual_number: bool = False,
) -> tuple[Confirmation, list[str]]:
    """The court liaison of the applied court records the outcome. Returns soft warnings.

    A case number unlike the usual court format is saved only when the liaison
    confirmed it (the outcome cannot be changed afterwards).
    """
    if actor.role != Role.COURT_LIAISON or actor.court_id != confirmation.court_id:
        raise NotPermitted("只有受理法院的法院联络员可以记录司法确认结果。")
    if not actor.has_perm("agreements.record_confirmation_outcome"):
        raise NotPermitted("您没有权限记录司法确认结果。")
    case = lock_case(confirmation.agreement.case)
    confirmation = Confirmation.objects.select_for_update().get(pk=confirmation.pk)
    if outcome not in ConfirmationOutcome.values:
        raise ServiceError("请选择结果。", field="outcome")
    step = "confirm" if outcome in CONFIRMED_OUTCOMES else "fail"
    ensure_step(CONFIRMATION_STEPS, confirmation, step)
    number = normalise_court_case_number(court_case_no)
    if not number:
        raise ServiceError("请填写法院案号。", field="court_case_no")
    warnings = []
    if check_court_number_shape(
        number,
        confirmed=accept_unusual_number,
        field="court_case_no",
        example="（2026）鄂9005民特3号",
    ):
        warnings.append(f"已按确认保存格式特殊的案号“{number}”。")
    today = timezone.localdate()
    for label, value in (
        ("立案日期", filed_on),
        ("裁定或文书日期", decided_on),
        ("送达日期", served_on),
    ):
        if value and value > today:
            raise ServiceError(f"{label}不能晚于今天。")
    if decided_on < confirmation.applied_on:
        raise ServiceError("裁定或文书日期不能早于申请日期。", field="decided_on")
    if filed_on and not confirmation.applied_on <= filed_on <= decided_on:
        raise ServiceError("立案日期应在申请日期和裁定日期之间。", field="filed_on")
    if served_on and served_on < decided_on:
        raise ServiceError("送达日期不能早于裁定或文书日期。", field="served_on")
    confirmation.outcome = outcome
    confirmation.court_case_no = number
    confirmation.filed_on, confirmation.decided_on, confirmation.served_on = (
        filed_on,
        decided_on,
        served_on,
    )
    confirmation.outcome_note = note
    confirmation.decided_by = actor
    apply_step(CONFIRMATION_STEPS, confirmation, step, fields=CONFIRMATION_OUTCOME_FIELDS)
    text = f"{confirmation.court}{confirmation.get_outcome_display()}，案号{number}，{cn_date(decided_on)}"
    if window := objection_window(confirmation):
        text += f"；当事人提出异议的期限至{cn_date(window.due)}"
    record_event(
        case=case,
        kind=CaseEvent.Kind.CONFIRMATION_DECIDED,
        actor=actor,
        note=text,
        data={"confirmation": confirmation.pk, "outcome": outcome},
    )
    staff = [u for role in (Role.HEAD, Role.CLERK) for u in office_users(case.office, role)]
    notify(
        staff,
        case=case,
        key=f"confirmation_outcome:{confirmation.pk}",
        title=f"{case.display_number}：{confirmation.get_outcome_display()}",
        body=text,
    )
    # A refusal reopens the application window; a ruling ends it.
    refresh_case_deadline(case)
    return confirmation, warnings
