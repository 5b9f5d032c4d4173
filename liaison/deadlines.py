"""The agencies' deadlines in the registers, computed by the deadline engine with their
explanation: the defence, the appeal, the performance of a judgment, the reply to a
judicial suggestion and the response to a supervision item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from cases.deadline_engine import Deadline, Period, Unit, WorkCalendar, cn_date
from cases.deadlines import DeadlineRule

if TYPE_CHECKING:
    from liaison.models import ResultType

DEFENCE = DeadlineRule(
    "D-DEFENCE",
    "提交答辩状和证据",
    Period(15, Unit.DAYS),
    "《行政诉讼法》第六十七条第一款",
    "收到起诉状副本之日",
)
APPEAL_JUDGMENT = DeadlineRule(
    "D-APPEAL-J",
    "对判决提起上诉",
    Period(15, Unit.DAYS),
    "《行政诉讼法》第八十五条",
    "判决书送达之日",
)
APPEAL_RULING = DeadlineRule(
    "D-APPEAL-R",
    "对裁定提起上诉",
    Period(10, Unit.DAYS),
    "《行政诉讼法》第八十五条",
    "裁定书送达之日",
)
PERFORMANCE = DeadlineRule(
    "D-PERFORM",
    "履行生效裁判",
    Period(30, Unit.DAYS),
    "生效裁判确定的履行期限（《行政诉讼法》第九十四条）",
    "裁判生效之日",
)
SUGGESTION_REPLY = DeadlineRule(
    "D-JS-REPLY",
    "书面答复司法建议",
    Period(2, Unit.MONTHS),
    "《最高人民法院关于综合治理类司法建议工作若干问题的规定》第八条及建议书确定的期限",
    "收到司法建议书之日",
)
SUPERVISION = DeadlineRule(
    "D-SUPERVISE",
    "反馈督办事项",
    Period(15, Unit.WORKING_DAYS),
    "督办通知确定的办理期限",
    "督办之日",
)
HEAD_NOTICE_DAYS = 3  # 法释〔2020〕3号第五条: the notice reaches the agency ≥ 3 days before

DEFENCE_NOTE = "逾期提交证据的，视为被诉行政行为没有相应证据（《行政诉讼法》第三十四条第二款）。"


def appeal_rule(result_type: ResultType | None, instance: str | None) -> DeadlineRule | None:
    """The appeal period of a first-instance decision of ``result_type``; None where no
    appeal lies (a withdrawal ruling, a mediation document, a second-instance decision,
    which is final) or none is counted (a retrial's depends on the procedure it followed,
    which the register does not record)."""
    from liaison.models import Instance, ResultType

    if instance != Instance.FIRST or result_type is None or result_type.appeal_days is None:
        return None
    return {ResultType.Form.JUDGMENT: APPEAL_JUDGMENT, ResultType.Form.RULING: APPEAL_RULING}.get(
        ResultType.Form(result_type.form)
    )


def reply_due(received_on: date, months: int, calendar: WorkCalendar) -> Deadline:
    return SUGGESTION_REPLY.compute(received_on, calendar, period=Period(months, Unit.MONTHS))


@dataclass(frozen=True)
class LiaisonDeadline:
    """A deadline as the register pages show it: what, whose, when, how computed, met when."""

    code: str
    label: str
    due: date
    explanation: str
    agency_id: int | None = None
    agency_name: str = ""
    met_on: date | None = None
    note: str = ""

    def state(self, today: date) -> str:
        """``met``, ``late`` (met after the due date), ``overdue``, ``near`` or ``ok``."""
        if self.met_on is not None:
            return "late" if self.met_on > self.due else "met"
        left = (self.due - today).days
        if left < 0:
            return "overdue"
        return "near" if left <= 3 else "ok"

    def days_left(self, today: date) -> int:
        return (self.due - today).days


def lawsuit_deadlines(lawsuit, calendar: WorkCalendar) -> list[LiaisonDeadline]:
    """The lawsuit's deadlines for its agencies (defendants and performances prefetched)."""
    from liaison.models import Lawsuit

    items: list[LiaisonDeadline] = []
    for defendant in lawsuit.defendants.all():
        if defendant.is_sued and defendant.complaint_received_on:
            d = DEFENCE.compute(defendant.complaint_received_on, calendar)
            items.append(
                LiaisonDeadline(
                    "defence",
                    DEFENCE.label,
                    d.due,
                    d.explanation,
                    defendant.agency_id,
                    defendant.agency.short_name or defendant.agency.name,
                    defendant.defence_submitted_on,
                    DEFENCE_NOTE,
                )
            )
    rule = appeal_rule(lawsuit.result_type, lawsuit.instance)
    # The appeal period runs while the decision is not yet effective; once appealed it
    # was met. A decision that took effect without appeal has no deadline left to show.
    running = lawsuit.status in (Lawsuit.Status.DECIDED, Lawsuit.Status.APPEALED)
    if rule is not None and lawsuit.served_on and running:
        d = rule.compute(lawsuit.served_on, calendar)
        appealed = lawsuit.status == Lawsuit.Status.APPEALED
        items.append(
            LiaisonDeadline(
                "appeal",
                rule.label,
                d.due,
                d.explanation,
                met_on=lawsuit.appealed_on if appealed else None,
                note="" if appealed else "期限届满无人上诉的，请登记裁判生效日期。",
            )
        )
    for performance in lawsuit.performances.all():
        items.append(performance_deadline(performance))
    return items


def performance_deadline(performance) -> LiaisonDeadline:
    return LiaisonDeadline(
        "performance",
        f"履行：{performance.duty}",
        performance.due_on,
        performance.due_explanation or f"生效裁判确定的履行期限至{cn_date(performance.due_on)}。",
        performance.agency_id,
        performance.agency.short_name or performance.agency.name,
        performance.performed_on,
    )


TASK = DeadlineRule(
    "D-TASK",
    "落实联席会议任务",
    Period(30, Unit.DAYS),
    "府院联席会议确定的办理期限",
    "会议召开之日",
)
