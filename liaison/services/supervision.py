"""Supervision (督察督办): the bureau opens an item against an agency, the agency responds,
the bureau returns, escalates or closes it; and the circulars reporting on a period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max

from accounts.models import User
from cases.deadline_engine import Period, Unit, cn_date
from cases.deadlines import load_work_calendar
from cases.models import Agency
from liaison.deadlines import SUPERVISION
from liaison.models import (
    Appearance,
    Circular,
    Lawsuit,
    LiaisonEvent,
    Performance,
    Recipient,
    SupervisionItem,
)
from liaison.models.supervision import SUPERVISED_RECORD
from liaison.permissions import respond_refusal, supervise_refusal
from liaison.services.common import (
    ServiceError,
    add_files,
    changes_of,
    check_version,
    ensure,
    lock,
    past_date,
    record_event,
)
from liaison.workflow import SUPERVISION_STEPS, apply_step

Reason = SupervisionItem.Reason


def subject_key(
    reason: str,
    *,
    agency: Agency,
    lawsuit: Lawsuit | None = None,
    appearance: Appearance | None = None,
    performance: Performance | None = None,
    recipient: Recipient | None = None,
) -> str:
    """What the item is about, so a shortfall has at most one open item."""
    if appearance is not None:
        return f"appearance:{appearance.pk}"
    if performance is not None:
        return f"performance:{performance.pk}"
    if recipient is not None:
        return f"recipient:{recipient.pk}"
    if reason == Reason.LOSS and lawsuit is not None:
        return f"loss:{lawsuit.pk}:{agency.pk}"
    return ""


def _check_subject(
    reason: str,
    agency: Agency,
    lawsuit: Lawsuit | None,
    appearance: Appearance | None,
    performance: Performance | None,
    recipient: Recipient | None,
) -> None:
    for record in (appearance, performance, recipient):
        if record is not None and record.agency_id != agency.pk:
            raise ServiceError("所涉记录不属于被督办的机关。", "agency")
    if lawsuit is not None and not lawsuit.defendants.filter(agency=agency).exists():
        raise ServiceError(f"{agency.name}不是所涉诉讼案件的当事人。", "lawsuit")
    records = {
        "appearance": appearance,
        "lawsuit": lawsuit,
        "performance": performance,
        "recipient": recipient,
    }
    needed = SUPERVISED_RECORD.get(SupervisionItem.Reason(reason))
    if needed is not None and records[needed] is None:
        raise ServiceError("请从台账中选择督办所涉的记录。", "reason")


def _due(opened_on: date, amount: int, unit: str) -> tuple[date, str]:
    if not 1 <= amount <= 365:
        raise ServiceError("办理期限应在1至365之间。", "period_amount")
    deadline = SUPERVISION.compute(
        opened_on, load_work_calendar(), period=Period(amount, Unit(unit))
    )
    return deadline.due, deadline.explanation


def _allocate(item: SupervisionItem) -> None:
    """The next number of the year; two bureaus opening at once get consecutive numbers."""
    for _attempt in range(5):
        last = SupervisionItem.objects.filter(year=item.year).aggregate(Max("seq"))["seq__max"]
        item.seq = (last or 0) + 1
        try:
            with transaction.atomic():
                item.save()
            return
        except IntegrityError as exc:
            if "subject" in str(exc) or "one_open_item" in str(exc):
                raise ServiceError("该事项已在督办中，不能重复督办。") from None
            continue
    raise ServiceError("督办编号分配冲突，请稍后重试。")


@transaction.atomic
def supervision_open(
    *,
    actor: User,
    agency: Agency,
    reason: str,
    facts: str,
    required_action: str,
    opened_on: date,
    period_amount: int,
    period_unit: str,
    lawsuit: Lawsuit | None = None,
    appearance: Appearance | None = None,
    performance: Performance | None = None,
    recipient: Recipient | None = None,
) -> SupervisionItem:
    ensure(supervise_refusal(actor))
    past_date(opened_on, "督办日期", "opened_on")
    if not facts.strip():
        raise ServiceError("请填写问题情况。", "facts")
    if not required_action.strip():
        raise ServiceError("请填写督办要求。", "required_action")
    _check_subject(reason, agency, lawsuit, appearance, performance, recipient)
    key = subject_key(
        reason,
        agency=agency,
        lawsuit=lawsuit,
        appearance=appearance,
        performance=performance,
        recipient=recipient,
    )
    if key:
        existing = (
            SupervisionItem.objects.filter(subject_key=key)
            .exclude(status=SupervisionItem.Status.CLOSED)
            .first()
        )
        if existing is not None:
            raise ServiceError(f"该事项已在督办中（{existing.number}），不能重复督办。")
    due, explanation = _due(opened_on, period_amount, period_unit)
    if appearance is not None:
        lawsuit = lawsuit or appearance.hearing.lawsuit
    if performance is not None:
        lawsuit = lawsuit or performance.lawsuit
    item = SupervisionItem(
        year=opened_on.year,
        agency=agency,
        reason=reason,
        lawsuit=lawsuit,
        appearance=appearance,
        performance=performance,
        recipient=recipient,
        subject_key=key,
        facts=facts.strip(),
        required_action=required_action.strip(),
        opened_on=opened_on,
        due_on=due,
        due_explanation=explanation,
        opened_by=actor,
    )
    _allocate(item)
    record_event(
        kind=LiaisonEvent.Kind.SUPERVISION_OPENED,
        actor=actor,
        supervision=item,
        note=f"{agency.name}：{item.get_reason_display()}",
    )
    return item


@transaction.atomic
def supervision_respond(
    *,
    item: SupervisionItem,
    actor: User,
    responded_on: date,
    response: str,
    expected_version: int | None,
    uploads: Sequence[UploadedFile] = (),
) -> SupervisionItem:
    """The agency's written response: what it rectified."""
    item = lock(item)
    ensure(respond_refusal(actor, item))
    check_version(item, expected_version)
    past_date(responded_on, "反馈日期", "responded_on", earliest=item.opened_on)
    if not response.strip():
        raise ServiceError("请填写整改反馈。", "response")
    changes = changes_of(item, {"responded_on": responded_on, "response": response.strip()})
    item.responded_by = actor
    item.version += 1
    apply_step(
        SUPERVISION_STEPS,
        item,
        "respond",
        actor=actor,
        fields=["responded_on", "response", "responded_by", "version", "updated_at"],
    )
    add_files(actor=actor, uploads=uploads, title="整改证明材料", supervision=item)
    record_event(
        kind=LiaisonEvent.Kind.SUPERVISION_RESPONDED, actor=actor, supervision=item, changes=changes
    )
    return item


@transaction.atomic
def supervision_return(*, item: SupervisionItem, actor: User, note: str) -> SupervisionItem:
    """The response is not enough: the agency must answer again."""
    item = lock(item)
    ensure(supervise_refusal(actor))
    if not note.strip():
        raise ServiceError("请说明退回的理由和需要补充的内容。", "note")
    item.version += 1
    apply_step(SUPERVISION_STEPS, item, "return", actor=actor, fields=["version", "updated_at"])
    record_event(
        kind=LiaisonEvent.Kind.SUPERVISION_RETURNED,
        actor=actor,
        supervision=item,
        note=note.strip(),
    )
    return item


@transaction.atomic
def supervision_escalate(
    *,
    item: SupervisionItem,
    actor: User,
    note: str,
    period_amount: int | None = None,
    period_unit: str = Unit.WORKING_DAYS.value,
    on: date,
) -> SupervisionItem:
    """Raise the item (to the city government's inspection office, say), with a new due date."""
    item = lock(item)
    ensure(supervise_refusal(actor))
    if not note.strip():
        raise ServiceError("请说明提级督办的原因和方式。", "note")
    values: dict[str, Any] = {"escalation_note": note.strip()}
    if period_amount:
        past_date(on, "提级日期", "on", earliest=item.opened_on)
        values["due_on"], values["due_explanation"] = _due(on, period_amount, period_unit)
    changes = changes_of(item, values)
    item.version += 1
    apply_step(
        SUPERVISION_STEPS,
        item,
        "escalate",
        actor=actor,
        fields=[*values, "version", "updated_at"],
    )
    record_event(
        kind=LiaisonEvent.Kind.SUPERVISION_ESCALATED, actor=actor, supervision=item, changes=changes
    )
    return item


@transaction.atomic
def supervision_close(
    *, item: SupervisionItem, actor: User, closed_on: date, result: str, result_note: str
) -> SupervisionItem:
    item = lock(item)
    ensure(supervise_refusal(actor))
    past_date(closed_on, "办结日期", "closed_on", earliest=item.opened_on)
    if not result:
        raise ServiceError("请选择办结结果。", "result")
    if item.status != SupervisionItem.Status.RESPONDED and not result_note.strip():
        raise ServiceError("机关尚未反馈的，办结时请说明情况。", "result_note")
    changes = changes_of(
        item, {"closed_on": closed_on, "result": result, "result_note": result_note.strip()}
    )
    item.version += 1
    apply_step(
        SUPERVISION_STEPS,
        item,
        "close",
        actor=actor,
        fields=["closed_on", "result", "result_note", "version", "updated_at"],
    )
    record_event(
        kind=LiaisonEvent.Kind.SUPERVISION_CLOSED, actor=actor, supervision=item, changes=changes
    )
    return item


# --- Circulars -------------------------------------------------------------------------------


def circular_data(start: date, end: date, today: date) -> dict[str, Any]:
    """The supervision items opened in the period, by agency, as they stand now."""
    items = (
        SupervisionItem.objects.filter(opened_on__gte=start, opened_on__lte=end)
        .select_related("agency", "lawsuit")
        .order_by("agency__name", "opened_on", "seq")
    )
    by_agency: dict[str, list[dict[str, Any]]] = defaultdict(list)
    reasons: dict[str, int] = defaultdict(int)
    statuses: dict[str, int] = defaultdict(int)
    overdue = 0
    for item in items:
        late = item.is_overdue(today)
        overdue += late
        reasons[item.get_reason_display()] += 1
        statuses[item.get_status_display()] += 1
        by_agency[item.agency.name].append(
            {
                "number": item.number,
                "reason": item.get_reason_display(),
                "case": item.lawsuit.court_case_no if item.lawsuit else "",
                "facts": item.facts,
                "opened_on": f"{item.opened_on:%Y-%m-%d}",
                "due_on": f"{item.due_on:%Y-%m-%d}",
                "status": item.get_status_display() + ("（逾期）" if late else ""),
                "result": item.get_result_display() if item.result else "",
            }
        )
    return {
        "start": f"{start:%Y-%m-%d}",
        "end": f"{end:%Y-%m-%d}",
        "as_of": f"{today:%Y-%m-%d}",
        "start_cn": cn_date(start),
        "end_cn": cn_date(end),
        "as_of_cn": cn_date(today),
        "total": sum(len(rows) for rows in by_agency.values()),
        "overdue": overdue,
        "reasons": sorted(reasons.items()),
        "statuses": sorted(statuses.items()),
        "agencies": [{"name": name, "items": rows} for name, rows in by_agency.items()],
    }


@transaction.atomic
def circular_issue(
    *,
    actor: User,
    number: str,
    title: str,
    period_start: date,
    period_end: date,
    remarks: str,
    today: date,
) -> Circular:
    """Freeze the items of the period into a circular; its PDF and DOCX print from that."""
    ensure(supervise_refusal(actor))
    if period_end < period_start:
        raise ServiceError("截止日期不能早于起始日期。", "period_end")
    past_date(period_end, "截止日期", "period_end")
    if not number.strip():
        raise ServiceError("请填写通报文号。", "number")
    if not title.strip():
        raise ServiceError("请填写通报标题。", "title")
    data = circular_data(period_start, period_end, today)
    if not data["total"]:
        raise ServiceError("该期间没有督办事项，无需通报。", "period_start")
    return Circular.objects.create(
        number=number.strip(),
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        remarks=remarks.strip(),
        data=data,
        issued_by=actor,
    )
