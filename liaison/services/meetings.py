"""The joint meetings, their follow-up tasks, and the issue of annual reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from cases.deadline_engine import Period, Unit, cn_date
from cases.deadlines import load_work_calendar
from cases.models import Agency
from liaison.deadlines import TASK
from liaison.models import AnnualReport, FollowUpTask, JointMeeting, LiaisonEvent
from liaison.permissions import meetings_refusal, task_completion_refusal
from liaison.reports import changes, snapshot
from liaison.services.common import (
    ServiceError,
    changes_of,
    check_version,
    ensure,
    lock,
    past_date,
    record_event,
)
from liaison.workflow import TASK_STEPS, apply_step

MEETING_FIELDS = (
    "title",
    "held_on",
    "place",
    "convenors",
    "attendees",
    "agenda",
    "matters",
    "decisions",
    "minutes_number",
)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in MEETING_FIELDS:
        value = data.get(name)
        if name == "held_on":
            values[name] = value
        else:
            values[name] = (value or "").strip()
    for name, label in (
        ("title", "会议名称"),
        ("place", "地点"),
        ("convenors", "召集人"),
        ("attendees", "参会单位和人员"),
        ("agenda", "议程"),
    ):
        if not values[name]:
            raise ServiceError(f"请填写{label}。", name)
    past_date(values["held_on"], "会议日期", "held_on")
    return values


@transaction.atomic
def meeting_save(
    *,
    actor: User,
    data: dict[str, Any],
    meeting: JointMeeting | None = None,
    expected_version: int | None = None,
) -> JointMeeting:
    """Record a meeting, or correct one."""
    ensure(meetings_refusal(actor))
    values = _clean(data)
    if meeting is None:
        meeting = JointMeeting.objects.create(created_by=actor, **values)
        record_event(kind=LiaisonEvent.Kind.MEETING_RECORDED, actor=actor, meeting=meeting)
        return meeting
    meeting = lock(meeting)
    check_version(meeting, expected_version)
    found = changes_of(meeting, values)
    if found:
        meeting.version += 1
        meeting.save()
        record_event(
            kind=LiaisonEvent.Kind.MEETING_UPDATED, actor=actor, meeting=meeting, changes=found
        )
    return meeting


@transaction.atomic
def task_add(
    *,
    actor: User,
    meeting: JointMeeting,
    description: str,
    agency: Agency | None,
    unit: str,
    due_on: date | None = None,
    amount: int | None = None,
    unit_of_time: str = Unit.DAYS.value,
) -> FollowUpTask:
    """A task the meeting gave an agency (or another unit), due on a date or within a period
    counted from the meeting by the deadline engine."""
    ensure(meetings_refusal(actor))
    meeting = lock(meeting)
    if not description.strip():
        raise ServiceError("请填写任务内容。", "description")
    if agency is None and not unit.strip():
        raise ServiceError("请选择责任机关，或填写责任单位。", "agency")
    if (due_on is None) == (amount is None):
        raise ServiceError("请填写办理期限，或自会议之日起的期间（二者选一）。", "due_on")
    if amount is not None:
        if not 1 <= amount <= 730:
            raise ServiceError("期间应在1至730之间。", "amount")
        deadline = TASK.compute(
            meeting.held_on, load_work_calendar(), period=Period(amount, Unit(unit_of_time))
        )
        due_on, explanation = deadline.due, deadline.explanation
    else:
        assert due_on is not None
        if due_on <= meeting.held_on:
            raise ServiceError("办理期限应晚于会议日期。", "due_on")
        explanation = f"会议确定的办理期限至{cn_date(due_on)}。"
    task = FollowUpTask.objects.create(
        meeting=meeting,
        description=description.strip(),
        agency=agency,
        unit="" if agency is not None else unit.strip(),
        due_on=due_on,
        due_explanation=explanation,
    )
    record_event(
        kind=LiaisonEvent.Kind.TASK_ADDED,
        actor=actor,
        meeting=meeting,
        agency=agency,
        note=f"{task.owner}：{task.description}，期限{due_on:%Y-%m-%d}",
    )
    return task


@transaction.atomic
def task_complete(
    *, actor: User, task: FollowUpTask, done_on: date, done_note: str
) -> FollowUpTask:
    ensure(task_completion_refusal(actor, task))
    task = lock(task)
    past_date(done_on, "办结日期", "done_on", earliest=task.meeting.held_on)
    if not done_note.strip():
        raise ServiceError("请填写落实情况。", "done_note")
    task.done_on, task.done_note = done_on, done_note.strip()
    apply_step(TASK_STEPS, task, "complete", actor=actor, fields=["done_on", "done_note"])
    record_event(
        kind=LiaisonEvent.Kind.TASK_DONE,
        actor=actor,
        meeting=task.meeting,
        agency=task.agency,
        note=f"{task.owner}：{task.description}",
    )
    return task


@transaction.atomic
def task_reopen(*, actor: User, task: FollowUpTask, note: str) -> FollowUpTask:
    ensure(meetings_refusal(actor))
    task = lock(task)
    if not note.strip():
        raise ServiceError("请说明重新落实的原因。", "note")
    apply_step(TASK_STEPS, task, "reopen", actor=actor)
    record_event(
        kind=LiaisonEvent.Kind.TASK_REOPENED,
        actor=actor,
        meeting=task.meeting,
        agency=task.agency,
        note=f"{task.description}：{note.strip()}",
    )
    return task


# --- Annual reports ----------------------------------------------------------------------------


def report_title(year: int) -> str:
    return f"{year}年度全市行政诉讼和行政争议化解工作情况通报"


@transaction.atomic
def report_issue(
    *, actor: User, year: int, title: str = "", number: str = "", note: str = ""
) -> AnnualReport:
    """Freeze the year's figures into a new version of its report; from the second version
    on, say what changed since the one before and why."""
    ensure(meetings_refusal(actor))
    today = timezone.localdate()
    if not 2000 <= year <= today.year:
        raise ServiceError(f"不能制发{year}年度的通报。", "year")
    previous = AnnualReport.objects.filter(year=year).order_by("-version").first()
    if previous is not None and not note.strip():
        raise ServiceError("再次制发的，请说明原因（如 更正某案的裁判结果）。", "note")
    content = snapshot(year, today)
    diff = changes(previous.snapshot, content, previous.issued_at) if previous else {}
    for _attempt in range(3):
        last = AnnualReport.objects.filter(year=year).aggregate(v=Max("version"))["v"] or 0
        try:
            with transaction.atomic():
                return AnnualReport.objects.create(
                    year=year,
                    version=last + 1,
                    title=title.strip() or report_title(year),
                    number=number.strip(),
                    note=note.strip(),
                    snapshot=content,
                    changes=diff,
                    issued_by=actor,
                )
        except IntegrityError:
            continue
    raise ServiceError("另一位用户正在制发同一年度的通报，请稍后重试。")
