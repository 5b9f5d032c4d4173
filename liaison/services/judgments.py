"""After the judgment: the agency's analysis of a lost case and the performance of
effective judgments (行政诉讼法第九十四至九十六条)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from cases.deadline_engine import Period, Unit, cn_date
from cases.deadlines import load_work_calendar
from cases.models import Agency
from liaison.deadlines import PERFORMANCE
from liaison.models import (
    SUED_PARTS,
    Lawsuit,
    LiaisonEvent,
    LossAnalysis,
    LossCause,
    Performance,
)
from liaison.permissions import agency_facts_refusal, court_facts_refusal
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
from liaison.workflow import PERFORMANCE_STEPS, apply_step


def _sued(lawsuit: Lawsuit, agency: Agency) -> None:
    if not lawsuit.defendants.filter(agency=agency, part__in=SUED_PARTS).exists():
        raise ServiceError(f"{agency.name}不是本案的被告。", "agency")


NOT_LOST = "本案的裁判结果不计为败诉，无需填报败诉分析。"


@transaction.atomic
def save_loss_analysis(
    *,
    lawsuit: Lawsuit,
    agency: Agency,
    actor: User,
    causes: list[LossCause],
    analysis: str,
    measures: str,
    measures_due: date | None,
    rectified_on: date | None,
    expected_version: int | None,
    uploads: Sequence[UploadedFile] = (),
) -> LossAnalysis:
    """The agency's written analysis of why it lost and what it changes (填报或修改)."""
    lawsuit = lock(lawsuit)
    ensure(agency_facts_refusal(actor, lawsuit, agency.pk))
    if not lawsuit.is_lost:
        raise ServiceError(NOT_LOST)
    _sued(lawsuit, agency)
    if not causes:
        raise ServiceError("请至少选择一项败诉原因。", "causes")
    if not analysis.strip():
        raise ServiceError("请填写原因分析。", "analysis")
    if not measures.strip():
        raise ServiceError("请填写整改措施。", "measures")
    if measures_due and lawsuit.concluded_on and measures_due < lawsuit.concluded_on:
        raise ServiceError("整改期限不能早于审结日期。", "measures_due")
    past_date(rectified_on, "整改完成日期", "rectified_on", earliest=lawsuit.concluded_on)
    existing = (
        LossAnalysis.objects.select_for_update().filter(lawsuit=lawsuit, agency=agency).first()
    )
    values: dict[str, Any] = {
        "analysis": analysis.strip(),
        "measures": measures.strip(),
        "measures_due": measures_due,
        "rectified_on": rectified_on,
    }
    if existing is None:
        if expected_version not in (None, 0):
            check_version(LossAnalysis(version=0), expected_version)
        record = LossAnalysis.objects.create(
            lawsuit=lawsuit, agency=agency, submitted_by=actor, **values
        )
        changes: dict[str, list[str]] = {}
    else:
        record = existing
        check_version(record, expected_version)
        changes = changes_of(record, values)
        before = "、".join(c.label for c in record.causes.all())
        after = "、".join(c.label for c in causes)
        if before != after:
            changes["败诉原因"] = [before, after]
        if not changes and not uploads:
            return record
        record.version += 1
        record.save()
    record.causes.set(causes)
    add_files(actor=actor, uploads=list(uploads), title="整改证明材料", loss_analysis=record)
    record_event(
        kind=LiaisonEvent.Kind.LOSS_ANALYSED,
        actor=actor,
        lawsuit=lawsuit,
        note=agency.name,
        changes=changes,
    )
    return record


@transaction.atomic
def performance_create(
    *,
    lawsuit: Lawsuit,
    agency: Agency,
    actor: User,
    duty: str,
    due_on: date | None = None,
    days: int | None = None,
) -> Performance:
    """What the effective judgment requires of the agency, by a date given or counted
    from the day it took effect."""
    lawsuit = lock(lawsuit)
    if agency_facts_refusal(actor, lawsuit, agency.pk) and court_facts_refusal(actor, lawsuit):
        ensure(agency_facts_refusal(actor, lawsuit, agency.pk))
    if lawsuit.status != Lawsuit.Status.EFFECTIVE or lawsuit.effective_on is None:
        raise ServiceError("裁判生效后才能登记履行事项，请先登记生效日期。")
    _sued(lawsuit, agency)
    if not duty.strip():
        raise ServiceError("请填写履行事项。", "duty")
    if (due_on is None) == (days is None):
        raise ServiceError("请填写履行期限届满日，或自生效之日起的天数（二者选一）。", "due_on")
    if days is not None:
        if not 1 <= days <= 3650:
            raise ServiceError("天数应在1至3650之间。", "days")
        deadline = PERFORMANCE.compute(
            lawsuit.effective_on, load_work_calendar(), period=Period(days, Unit.DAYS)
        )
        due_on, explanation = deadline.due, deadline.explanation
    else:
        assert due_on is not None
        if due_on < lawsuit.effective_on:
            raise ServiceError("履行期限不能早于裁判生效日期。", "due_on")
        explanation = (
            f"生效裁判确定的履行期限至{cn_date(due_on)}"
            f"（裁判自{cn_date(lawsuit.effective_on)}生效）。"
        )
    performance = Performance.objects.create(
        lawsuit=lawsuit,
        agency=agency,
        duty=duty.strip(),
        due_on=due_on,
        due_explanation=explanation,
        created_by=actor,
    )
    record_event(
        kind=LiaisonEvent.Kind.PERFORMANCE_ADDED,
        actor=actor,
        lawsuit=lawsuit,
        note=f"{agency.name}：{performance.duty}，期限{due_on:%Y-%m-%d}",
    )
    return performance


@transaction.atomic
def record_performed(
    *,
    performance: Performance,
    actor: User,
    performed_on: date,
    evidence: str,
    expected_version: int | None,
    uploads: Sequence[UploadedFile] = (),
) -> Performance:
    lawsuit = lock(performance.lawsuit)
    performance = lock(performance)
    ensure(agency_facts_refusal(actor, lawsuit, performance.agency_id))
    check_version(performance, expected_version)
    past_date(performed_on, "履行日期", "performed_on", earliest=lawsuit.effective_on)
    if not evidence.strip():
        raise ServiceError("请说明履行的方式和证明材料。", "evidence")
    changes = changes_of(performance, {"performed_on": performed_on, "evidence": evidence.strip()})
    performance.version += 1
    apply_step(
        PERFORMANCE_STEPS,
        performance,
        "perform",
        actor=actor,
        fields=["performed_on", "evidence", "version", "updated_at"],
    )
    add_files(actor=actor, uploads=list(uploads), title="履行证明材料", performance=performance)
    record_event(
        kind=LiaisonEvent.Kind.PERFORMED,
        actor=actor,
        lawsuit=lawsuit,
        note=performance.duty,
        changes=changes,
    )
    return performance


@transaction.atomic
def record_enforcement(
    *, performance: Performance, actor: User, enforcement_on: date
) -> Performance:
    lawsuit = lock(performance.lawsuit)
    performance = lock(performance)
    ensure(court_facts_refusal(actor, lawsuit))
    past_date(enforcement_on, "申请强制执行日期", "enforcement_on", earliest=lawsuit.effective_on)
    changes = changes_of(performance, {"enforcement_on": enforcement_on})
    performance.version += 1
    apply_step(
        PERFORMANCE_STEPS,
        performance,
        "apply_enforcement",
        actor=actor,
        fields=["enforcement_on", "version", "updated_at"],
    )
    record_event(
        kind=LiaisonEvent.Kind.ENFORCEMENT,
        actor=actor,
        lawsuit=lawsuit,
        note=performance.duty,
        changes=changes,
    )
    return performance


def mark_overdue(today: date) -> int:
    """The daily run: performances past their due date become overdue (one event each)."""
    count = 0
    due = Performance.objects.filter(
        status=Performance.Status.IN_PROGRESS, due_on__lt=today
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            performance = Performance.objects.select_for_update().get(pk=pk)
            if performance.status != Performance.Status.IN_PROGRESS or performance.due_on >= today:
                continue
            performance.version += 1
            apply_step(PERFORMANCE_STEPS, performance, "become_overdue", fields=["version"])
            record_event(
                kind=LiaisonEvent.Kind.PERFORMANCE_OVERDUE,
                actor=None,
                lawsuit=performance.lawsuit,
                note=f"{performance.duty}，期限{performance.due_on:%Y-%m-%d}已届满",
            )
            count += 1
    return count
