"""The legal deadlines the office works with, computed on the holiday calendar in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from cases import extensions
from cases.deadline_engine import (
    Deadline,
    Pause,
    Period,
    Unit,
    WorkCalendar,
    cn_date,
    compute,
)
from cases.models import CalendarDay, Case, Status


def load_work_calendar() -> WorkCalendar:
    """The working calendar from the admin-maintained holiday table (one query)."""
    holidays: set[date] = set()
    workdays: set[date] = set()
    names: dict[date, str] = {}
    for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(day)
        names[day] = name
    years = frozenset(d.year for d in holidays)
    return WorkCalendar(frozenset(holidays), frozenset(workdays), names, known_years=years)


def case_work_calendar(case: Case) -> WorkCalendar:
    """The working calendar, loaded once for this case object: the case page and its
    panels compute several deadlines of the same case in one request."""
    calendar = getattr(case, "_work_calendar", None)
    if calendar is None:
        calendar = case._work_calendar = load_work_calendar()  # type: ignore[attr-defined]
    return calendar


@dataclass(frozen=True)
class DeadlineRule:
    """One entry of the deadline catalogue (DOMAIN.md §2.6)."""

    code: str
    label: str
    period: Period
    basis: str
    start_label: str

    def compute(
        self,
        start: date,
        calendar: WorkCalendar,
        *,
        pauses: tuple[Pause, ...] = (),
        period: Period | None = None,
    ) -> Deadline:
        return compute(
            start,
            period or self.period,
            calendar,
            basis=self.basis,
            start_label=self.start_label,
            pauses=pauses,
        )


REFERRAL_ANSWER = DeadlineRule(
    "D-REF-ACK",
    "答复法院委派",
    Period(3, Unit.WORKING_DAYS),
    "《人民法院在线调解规则》第十二条",
    "收到委派之日",
)
MEDIATION_REFERRAL = DeadlineRule(
    "D-MED",
    "委派调解期限",
    Period(30, Unit.DAYS),
    "《最高人民法院关于人民法院特邀调解的规定》第二十七条",
    "签收委派材料之日",
)
MEDIATION_SELF = DeadlineRule(
    "D-MED-SELF",
    "自行受理调解期限",
    Period(30, Unit.DAYS),
    "本工作室设定的自行受理调解期限",
    "受理之日",
)
CONFIRMATION_APPLY = DeadlineRule(
    "D-CONF-APPLY",
    "申请司法确认",
    Period(30, Unit.DAYS),
    "《民事诉讼法》第二百零五条",
    "调解协议生效之日",
)
CONFIRMATION_OBJECTION = DeadlineRule(
    "D-CONF-OBJ",
    "当事人对确认裁定提出异议",
    Period(15, Unit.DAYS),
    "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第三百七十二条",
    "收到裁定之日",
)
SUE_DIRECT = DeadlineRule(
    "D-SUE-6M",
    "提起行政诉讼",
    Period(6, Unit.MONTHS),
    "《行政诉讼法》第四十六条第一款",
    "知道或者应当知道作出行政行为之日",
)
SUE_NOT_INFORMED = DeadlineRule(
    "D-SUE-1Y",
    "提起行政诉讼（未告知起诉期限）",
    Period(1, Unit.YEARS),
    "《最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释》第六十四条",
    "知道或者应当知道作出行政行为之日",
)
SUE_CAP = DeadlineRule(
    "D-SUE-CAP",
    "起诉最长期限",
    Period(5, Unit.YEARS),
    "《行政诉讼法》第四十六条第二款",
    "行政行为作出之日",
)
SUE_CAP_REAL_PROPERTY = DeadlineRule(
    "D-SUE-CAP-RP",
    "起诉最长期限（涉及不动产）",
    Period(20, Unit.YEARS),
    "《行政诉讼法》第四十六条第二款",
    "行政行为作出之日",
)
SUE_AFTER_RECONSIDERATION = DeadlineRule(
    "D-SUE-15D",
    "复议决定后提起行政诉讼",
    Period(15, Unit.DAYS),
    "《行政诉讼法》第四十五条",
    "收到复议决定书之日",
)
SUE_INACTION = DeadlineRule(
    "D-SUE-DUTY",
    "行政机关履行职责期限（届满后可起诉）",
    Period(2, Unit.MONTHS),
    "《行政诉讼法》第四十七条",
    "申请行政机关履行职责之日",
)
RECONSIDERATION = DeadlineRule(
    "D-RECON-60",
    "申请行政复议",
    Period(60, Unit.DAYS),
    "《行政复议法》第二十条第一款",
    "知道或者应当知道该行政行为之日",
)
RECONSIDERATION_NOT_INFORMED = DeadlineRule(
    "D-RECON-1Y",
    "申请行政复议（未告知复议权利或期限）",
    Period(1, Unit.YEARS),
    "《行政复议法》第二十条第二款",
    "知道或者应当知道该行政行为之日",
)

CATALOGUE: tuple[DeadlineRule, ...] = (
    REFERRAL_ANSWER,
    MEDIATION_REFERRAL,
    MEDIATION_SELF,
    CONFIRMATION_APPLY,
    CONFIRMATION_OBJECTION,
    SUE_DIRECT,
    SUE_NOT_INFORMED,
    SUE_CAP,
    SUE_CAP_REAL_PROPERTY,
    SUE_AFTER_RECONSIDERATION,
    SUE_INACTION,
    RECONSIDERATION,
    RECONSIDERATION_NOT_INFORMED,
)
RULES_BY_CODE = {rule.code: rule for rule in CATALOGUE}


# --- Deadlines of one case -----------------------------------------------------------


@dataclass(frozen=True)
class CaseDeadline:
    """A deadline as a page shows it: what, when, how it was computed, how urgent."""

    label: str
    due: date
    explanation: str
    near_days: int
    note: str = ""
    # A date to know rather than to meet (e.g. when a duty period runs out).
    informational: bool = False
    # What kind of deadline it is, for code (reminders, the mediation period); the label
    # is only shown. See the *_CODE constants below and each app's own.
    code: str = ""

    @classmethod
    def of(cls, label: str, deadline: Deadline, near_days: int, note: str = "", **kwargs):
        return cls(label, deadline.due, deadline.explanation, near_days, note, **kwargs)

    def days_left(self, today: date) -> int:
        return (self.due - today).days

    def state(self, today: date) -> str:
        """``overdue``, ``near``, ``ok``, or ``info`` for an informational date."""
        if self.informational:
            return "info"
        left = self.days_left(today)
        if left < 0:
            return "overdue"
        if left <= self.near_days:
            return "near"
        return "ok"


LEGAL_NEAR_DAYS = 30  # DOMAIN.md §2.6: warn again when fewer than 30 days remain


def legal_deadlines(case, calendar: WorkCalendar) -> list[CaseDeadline]:
    """The litigation and reconsideration deadlines running from the act's dates (§2.6).

    No rule suspends them while the office mediates a self-accepted dispute,
    so they are computed from the act and shown at intake and throughout.
    """
    items: list[CaseDeadline] = []
    if case.reconsideration_decision_date:
        items.append(
            CaseDeadline.of(
                "复议决定后起诉期限",
                SUE_AFTER_RECONSIDERATION.compute(case.reconsideration_decision_date, calendar),
                LEGAL_NEAR_DAYS,
            )
        )
        return items
    known = case.act_known_date
    if known:
        sue_rule = SUE_DIRECT if case.remedy_notified else SUE_NOT_INFORMED
        sue = sue_rule.compute(known, calendar)
        cap_note = ""
        if case.act_date:
            cap_rule = SUE_CAP_REAL_PROPERTY if case.involves_real_property else SUE_CAP
            cap = cap_rule.compute(case.act_date, calendar)
            if cap.due < sue.due:
                sue, cap_note = cap, "已受最长起诉期限限制。"
        recon_first = case.category.reconsideration_first
        items.append(
            CaseDeadline.of(
                "申请行政复议期限",
                (RECONSIDERATION if case.remedy_notified else RECONSIDERATION_NOT_INFORMED).compute(
                    known, calendar
                ),
                LEGAL_NEAR_DAYS,
                "本类争议应当先申请行政复议。" if recon_first else "",
            )
        )
        items.append(
            CaseDeadline.of(
                "提起行政诉讼期限",
                sue,
                LEGAL_NEAR_DAYS,
                ("本类争议须先经行政复议，不能直接起诉。" if recon_first else "") + cap_note,
            )
        )
    if case.is_inaction and case.duty_requested_date:
        items.append(
            CaseDeadline.of(
                "行政机关履行职责期限",
                SUE_INACTION.compute(case.duty_requested_date, calendar),
                0,
                "期限届满行政机关仍未履行的，申请人可以依法起诉。",
                informational=True,
            )
        )
    return items


ACCEPTANCE_REVIEW_NEAR_DAYS = 1
REFERRAL_ANSWER_NEAR_DAYS = 1
SUPPLEMENT_NEAR_DAYS = 3


# The codes of the office's own deadlines (CaseDeadline.code, Case.next_deadline_code).
REVIEW_CODE = "review"
REFERRAL_ANSWER_CODE = "referral_answer"
SUPPLEMENT_CODE = "supplement"
MEDIATION_CODE = "mediation"


def office_deadlines(case, calendar: WorkCalendar, today: date | None = None) -> list[CaseDeadline]:
    """The deadlines the office itself must meet in the case's current state."""
    today = today or timezone.localdate()
    items: list[CaseDeadline] = []
    # Other apps add the deadlines of their stage (cases.extensions).
    for provider in extensions.deadline_providers():
        items.extend(provider(case, calendar, today))
    if case.status == Status.REGISTERED and case.review_started_on:
        review = DeadlineRule(
            "D-REVIEW",
            "受理审查期限",
            Period(case.office.acceptance_review_working_days, Unit.WORKING_DAYS),
            "本工作室设定的受理审查期限（参照《行政复议法》第三十条）",
            "登记或收到补正材料之日",
        )
        items.append(
            CaseDeadline.of(
                review.label,
                review.compute(case.review_started_on, calendar),
                ACCEPTANCE_REVIEW_NEAR_DAYS,
                code=REVIEW_CODE,
            )
        )
    if case.status == Status.REFERRAL_PENDING and case.referral.pending_since:
        items.append(
            CaseDeadline.of(
                "答复法院委派期限",
                REFERRAL_ANSWER.compute(case.referral.pending_since, calendar),
                REFERRAL_ANSWER_NEAR_DAYS,
                code=REFERRAL_ANSWER_CODE,
            )
        )
    if case.status == Status.AWAITING_SUPPLEMENT and case.supplement_due:
        items.append(
            CaseDeadline(
                "补正期限",
                case.supplement_due,
                f"{cn_date(case.supplement_requested_on)}一次性告知补正，"
                f"工作室确定的补正期限为{cn_date(case.supplement_due)}。",
                SUPPLEMENT_NEAR_DAYS,
                code=SUPPLEMENT_CODE,
            )
        )
    if case.status in MEDIATING_STATUSES:
        period = mediation_period_of(case, calendar, today)
        if period is not None:
            items.append(
                CaseDeadline(
                    "调解期限",
                    period.due,
                    period.explanation,
                    MEDIATION_NEAR_DAYS,
                    "调解中止，暂停计时" if period.paused else "",
                    informational=period.paused,
                    code=MEDIATION_CODE,
                )
            )
    return items


def mediation_period_of(case, calendar: WorkCalendar, today: date) -> MediationPeriod | None:
    """The mediation period from the case's own extensions and suspensions (prefetch-friendly)."""
    from cases.models import Decision

    approved = sorted(
        (e for e in case.extensions.all() if e.status == Decision.APPROVED),
        key=lambda e: (e.decided_at, e.pk),
    )
    return mediation_period(
        case,
        extensions=approved,
        suspensions=list(case.suspensions.all()),
        calendar=calendar,
        today=today,
    )


# --- The mediation period ------------------------------------------------------------

MEDIATION_NEAR_DAYS = 7
EXTENSION_BASIS = "当事人同意延长调解期限（《最高人民法院关于人民法院特邀调解的规定》第二十七条）"
MEDIATING_STATUSES = frozenset(
    {Status.ACCEPTED, Status.ASSIGNED, Status.IN_MEDIATION, Status.SUSPENDED}
)


@dataclass(frozen=True)
class MediationPeriod:
    """The period's due date with one explanation covering start, extensions and pauses."""

    due: date
    explanation: str
    paused: bool  # suspended now: the date moves on while the pause lasts


def mediation_period(
    case, *, extensions, suspensions, calendar: WorkCalendar, today: date
) -> MediationPeriod | None:
    """Compute the mediation period of an accepted case.

    ``extensions`` are the approved extensions in the order they were granted;
    ``suspensions`` all pauses. A pause runs from its start up to the day
    before mediation resumed; an open pause runs through today, so the due
    date shown while suspended is provisional.
    """
    if case.accepted_on is None:
        return None
    pauses = []
    paused = False
    for suspension in suspensions:
        if suspension.ended_on is None:
            paused = True
            pauses.append(Pause(suspension.started_on, max(today, suspension.started_on)))
        elif suspension.ended_on > suspension.started_on:
            pauses.append(Pause(suspension.started_on, suspension.ended_on - timedelta(days=1)))
    pauses = tuple(pauses)
    rule = MEDIATION_REFERRAL if case.is_referral else MEDIATION_SELF
    # The length fixed at acceptance; older records fall back to the current rule.
    days = case.mediation_period_days or (
        rule.period.amount if case.is_referral else case.office.self_accepted_mediation_days
    )
    base = rule.compute(case.accepted_on, calendar, pauses=pauses, period=Period(days, Unit.DAYS))
    parts = [base.explanation]
    due = base.due
    for extension in extensions:
        extended = compute(
            due,
            Period(extension.days, Unit.DAYS),
            calendar,
            basis=EXTENSION_BASIS,
            start_label="原期限届满之日",
            pauses=pauses,
        )
        parts.append(f"经全体当事人同意延长{extension.days}日：{extended.explanation}")
        due = extended.due
    if paused:
        parts.append(
            "目前调解中止，中止期间不计入调解期限，上述届满日随中止天数顺延，恢复调解后确定。"
        )
    return MediationPeriod(due=due, explanation="".join(parts), paused=paused)
