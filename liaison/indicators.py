"""The figures of the joint meeting, each with its definition and the records it counts.

An indicator is a function of a period and a scope. It returns its numerator, its
denominator, the rate, a one-sentence Chinese definition, and — on request — the
querysets of the records counted, which are exactly what the drill-down pages list, so a
figure and its list never disagree: the denominator's records are ``base(period, scope)``
and the numerator's are those of them that meet ``condition``. One aggregate query
computes both counts.

Which result types count as a loss and as concluded comes from the result-type table;
rates are rounded as the setting says (truncated by default: the 2023 figure 1/36 was
published as 2.77%), and a rate with too small a sample is shown as its fraction only and
left out of rankings (DOMAIN.md §6).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from agreements.models import Agreement, Confirmation, Obligation
from cases.deadlines import MEDIATING_STATUSES
from cases.models import Case, CaseEvent, Suspension
from liaison.models import (
    COUNTING_RANKS,
    SUED_PARTS,
    Appearance,
    Defendant,
    HeadRank,
    Instance,
    Lawsuit,
    Performance,
    Recipient,
    ReconsiderationVolume,
    ResultType,
)

# --- Periods and scopes ------------------------------------------------------------------

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: date
    end: date
    kind: str = "custom"  # "year", "quarter" or "custom"

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        last = first + 2
        return cls(
            date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]), "quarter"
        )

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}年"
        if self.kind == "quarter":
            return f"{self.start.year}年{QUARTER_NAMES[(self.start.month - 1) // 3 + 1]}"
        return f"{self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}"

    @property
    def quarters(self) -> list[tuple[int, int]]:
        """The (year, quarter) pairs that lie wholly inside the period."""
        found = []
        for year in range(self.start.year, self.end.year + 1):
            for quarter in (1, 2, 3, 4):
                q = Period.quarter(year, quarter)
                if q.start >= self.start and q.end <= self.end:
                    found.append((year, quarter))
        return found

    def year_before(self) -> Period:
        """The same span a year earlier (29 February becomes the 28th)."""
        if self.kind == "year":
            return Period.year(self.start.year - 1)
        if self.kind == "quarter":
            return Period.quarter(self.start.year - 1, (self.start.month - 1) // 3 + 1)

        def back(d: date) -> date:
            return d.replace(year=d.year - 1, day=min(d.day, 28) if d.month == 2 else d.day)

        return Period(back(self.start), back(self.end), self.kind)

    def query(self) -> dict[str, str]:
        """The query string that selects this period on the statistics pages."""
        if self.kind == "year":
            return {"period": "year", "year": str(self.start.year)}
        if self.kind == "quarter":
            return {
                "period": "quarter",
                "year": str(self.start.year),
                "quarter": str((self.start.month - 1) // 3 + 1),
            }
        return {
            "period": "custom",
            "start": f"{self.start:%Y-%m-%d}",
            "end": f"{self.end:%Y-%m-%d}",
        }

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole city, one agency, one court or one office."""

    kind: str  # "city", "agency", "court" or "office"
    pk: int = 0
    label: str = "全市"

    def query(self) -> dict[str, str]:
        return {} if self.kind == "city" else {"scope": self.kind, "id": str(self.pk)}


CITY = Scope("city")

# --- Figures ---------------------------------------------------------------------------------


def rounding_mode() -> str:
    return ROUND_HALF_UP if settings.LIAISON_RATE_ROUNDING == "half_up" else ROUND_DOWN


def percentage(numerator: int, denominator: int) -> Decimal | None:
    """numerator/denominator in per cent, two decimals, rounded as the setting says."""
    if not denominator:
        return None
    exact = Decimal(numerator) * 100 / Decimal(denominator)
    return exact.quantize(Decimal("0.01"), rounding=rounding_mode())


@dataclass
class Figure:
    code: str
    name: str
    definition: str
    kind: str  # "rate", "count" or "days"
    numerator: int
    denominator: int | None = None
    value: Decimal | None = None  # the rate in per cent, or days
    median: Decimal | None = None  # for "days"
    applicable: bool = True

    @property
    def small_sample(self) -> bool:
        return (
            self.kind == "rate"
            and bool(self.denominator)
            and ((self.denominator or 0) < settings.LIAISON_MIN_SAMPLE)
        )

    @property
    def rankable(self) -> bool:
        return self.kind == "rate" and self.value is not None and not self.small_sample

    @property
    def display(self) -> str:
        """What a page prints: "2.77%", "—" for no denominator, the fraction for a small sample."""
        if not self.applicable:
            return "不适用"
        if self.kind == "count":
            return str(self.numerator)
        if self.kind == "days":
            return "—" if self.value is None else f"{self.value}日"
        if self.value is None:
            return "—"
        if self.small_sample:
            return f"{self.numerator}/{self.denominator}"
        return f"{self.value}%"

    @property
    def fraction(self) -> str:
        if self.kind != "rate" or self.denominator is None:
            return ""
        return f"{self.numerator}/{self.denominator}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "definition": self.definition,
            "kind": self.kind,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if self.value is None else str(self.value),
            "median": None if self.median is None else str(self.median),
            "display": self.display,
            "applicable": self.applicable,
        }


# --- The indicators ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """A rate (``condition`` given), a count, or a duration over ``base``'s records."""

    code: str
    name: str
    kind: str
    records: str  # what the drill-down lists: "lawsuit", "appearance", "performance", …
    # (period, scope) → the records the denominator counts (a count's records).
    base: Callable[[Period, Scope], QuerySet]
    # Which of them the numerator counts.
    condition: Q | None = None
    definition: str = ""
    # The scopes the indicator can be split by.
    scopes: frozenset[str] = field(default_factory=lambda: frozenset({"city", "agency", "court"}))
    side: str = "government"  # "government" or "office"

    def applies_to(self, scope: Scope) -> bool:
        return scope.kind in self.scopes

    def denominator_records(self, period: Period, scope: Scope) -> QuerySet:
        if not self.applies_to(scope):
            return self.base(period, CITY).none()
        return self.base(period, scope)

    def numerator_records(self, period: Period, scope: Scope) -> QuerySet:
        records = self.denominator_records(period, scope)
        return records.filter(self.condition) if self.condition is not None else records


def _loss_types() -> Q:
    return Q(result_type__counts_as_loss=True)


def _lawsuits(scope: Scope) -> QuerySet[Lawsuit]:
    lawsuits = Lawsuit.objects.filter(instance=Instance.FIRST)
    if scope.kind == "agency":
        lawsuits = lawsuits.filter(
            Exists(
                Defendant.objects.filter(
                    lawsuit=OuterRef("pk"), agency_id=scope.pk, part__in=SUED_PARTS
                )
            )
        )
    elif scope.kind == "court":
        lawsuits = lawsuits.filter(court_id=scope.pk)
    return lawsuits


def concluded(period: Period, scope: Scope) -> QuerySet[Lawsuit]:
    return _lawsuits(scope).filter(
        concluded_on__gte=period.start,
        concluded_on__lte=period.end,
        result_type__counts_as_concluded=True,
    )


def filed(period: Period, scope: Scope) -> QuerySet[Lawsuit]:
    return _lawsuits(scope).filter(filed_on__gte=period.start, filed_on__lte=period.end)


def appearances(period: Period, scope: Scope) -> QuerySet[Appearance]:
    """The sued agencies' recorded appearances at open-court hearings of first-instance
    lawsuits held in the period."""
    records = Appearance.objects.filter(
        hearing__open_court=True,
        hearing__held_on__gte=period.start,
        hearing__held_on__lte=period.end,
        head_appeared__isnull=False,
    )
    if scope.kind == "agency":
        records = records.filter(agency_id=scope.pk)
    elif scope.kind == "court":
        records = records.filter(hearing__lawsuit__court_id=scope.pk)
    return records


def heads_present(period: Period, scope: Scope) -> QuerySet[Appearance]:
    return appearances(period, scope).filter(head_appeared=True, head_rank__in=COUNTING_RANKS)


def _until_today(period: Period) -> date:
    """Deadlines count once they have passed: up to the period's end, and not after today."""
    return min(period.end, timezone.localdate())


def performances_due(period: Period, scope: Scope) -> QuerySet[Performance]:
    records = Performance.objects.filter(due_on__gte=period.start, due_on__lte=_until_today(period))
    if scope.kind == "agency":
        records = records.filter(agency_id=scope.pk)
    elif scope.kind == "court":
        records = records.filter(lawsuit__court_id=scope.pk)
    return records


def _recipients(scope: Scope) -> QuerySet[Recipient]:
    records = Recipient.objects.all()
    if scope.kind == "agency":
        records = records.filter(agency_id=scope.pk)
    elif scope.kind == "court":
        records = records.filter(suggestion__court_id=scope.pk)
    return records


def replies_due(period: Period, scope: Scope) -> QuerySet[Recipient]:
    return _recipients(scope).filter(
        reply_due__gte=period.start, reply_due__lte=_until_today(period)
    )


LATE_REPLY = Q(replied_on__isnull=True) | Q(replied_on__gt=F("reply_due"))


def replied(period: Period, scope: Scope) -> QuerySet[Recipient]:
    return _recipients(scope).filter(replied_on__gte=period.start, replied_on__lte=period.end)


def checked(period: Period, scope: Scope) -> QuerySet[Recipient]:
    return _recipients(scope).filter(checked_on__gte=period.start, checked_on__lte=period.end)


def volumes(period: Period, scope: Scope) -> QuerySet[ReconsiderationVolume]:
    wanted = Q(pk__in=[])
    for year, quarter in period.quarters:
        wanted |= Q(year=year, quarter=quarter)
    return ReconsiderationVolume.objects.filter(wanted)


def _cases(scope: Scope) -> QuerySet[Case]:
    cases = Case.objects.all()
    if scope.kind == "office":
        cases = cases.filter(office_id=scope.pk)
    return cases


def closed_cases(period: Period, scope: Scope) -> QuerySet[Case]:
    return _cases(scope).filter(closed_on__gte=period.start, closed_on__lte=period.end)


def _agreements(scope: Scope) -> QuerySet[Agreement]:
    agreements = Agreement.objects.all()
    if scope.kind == "office":
        agreements = agreements.filter(case__office_id=scope.pk)
    return agreements


def effective_agreements(period: Period, scope: Scope) -> QuerySet[Agreement]:
    return _agreements(scope).filter(effective_on__gte=period.start, effective_on__lte=period.end)


def applications(period: Period, scope: Scope) -> QuerySet[Confirmation]:
    records = Confirmation.objects.filter(applied_on__gte=period.start, applied_on__lte=period.end)
    if scope.kind == "office":
        records = records.filter(agreement__case__office_id=scope.pk)
    return records


def agreements_fully_due(period: Period, scope: Scope) -> QuerySet[Agreement]:
    """Effective agreements with obligations, the last of which fell due in the period."""
    due_in_period = Obligation.objects.filter(
        due_date__gte=period.start, due_date__lte=period.end
    ).values("agreement_id")
    later = Obligation.objects.filter(agreement=OuterRef("pk"), due_date__gt=period.end)
    return _agreements(scope).filter(
        ~Exists(later), pk__in=due_in_period, effective_on__isnull=False
    )


def closed_with_due(period: Period, scope: Scope) -> QuerySet[Case]:
    """Closed cases with the moment mediation first ended (agreement, termination,
    withdrawal) and the mediation period's due date as it stood then."""
    ending = (
        CaseEvent.objects.filter(case=OuterRef("pk"), from_status__in=MEDIATING_STATUSES)
        .exclude(to_status__in=MEDIATING_STATUSES)
        .exclude(to_status="")
        .order_by("created_at", "pk")
    )
    due = Cast(KeyTextTransform("mediation_due", "data"), DateField())
    return (
        closed_cases(period, scope)
        .annotate(
            ended_at=Subquery(ending.values("created_at")[:1]),
            ended_due=Subquery(ending.annotate(due=due).values("due")[:1]),
        )
        .filter(ended_due__isnull=False)
    )


SUED_LOSS_NOTE = "一审行政诉讼案件中"


def _definitions() -> dict[str, str]:
    return {
        "filed": "立案日期在统计期间内的一审行政诉讼案件数（行政机关为被告或共同被告）。",
        "concluded": "审结日期在统计期间内、裁判结果计为审结的一审行政诉讼案件数。",
        "lost": "审结日期在统计期间内、裁判结果计为败诉的一审行政诉讼案件数。",
        "loss_rate": "审结日期在统计期间内的一审行政诉讼案件中，裁判结果计为行政机关败诉的件数"
        "除以计为审结的件数（分母为审结数，不是收案数）。",
        "head_rate": "统计期间内开庭审理的一审、二审和再审案件中，被诉机关已登记的出庭应诉情况里，"
        "行政机关负责人（正职、副职或其他参与分管的负责人）出庭的次数除以已登记的次数"
        "（法释〔2020〕3号第二条；下级或受委托组织负责人不计入）。",
        "principal_rate": "同一口径下，正职负责人（一把手）出庭的次数除以已登记的出庭应诉次数。",
        "voice_rate": "统计期间内负责人出庭的次数中，出庭负责人在庭审中发表意见的次数所占比例。",
        "performance_rate": "履行期限届满日在统计期间内（且已届满）的生效裁判履行事项中，"
        "在期限内履行完毕的项数除以全部项数。",
        "reply_rate": "答复期限届满日在统计期间内（且已届满）的司法建议（按建议对象计）中，"
        "已书面答复的件数除以全部件数。",
        "late_replies": "答复期限届满日在统计期间内（且已届满）的司法建议中，逾期未答复或逾期答复的件数。",
        "adoption_rate": "答复日期在统计期间内的司法建议答复中，采纳或部分采纳的件数除以答复件数。",
        "implementation_rate": "核查日期在统计期间内的司法建议中，经核查已落实的件数除以核查件数。",
        "reconsideration_correction_rate": "统计期间内各季度行政复议审结案件中，撤销、变更、确认违法"
        "（含无效）和责令履行的件数除以审结件数。",
        "reconsideration_settlement_rate": "统计期间内各季度行政复议审结案件中，调解结案和和解后撤回的"
        "件数除以审结件数。",
        "mediation_success_rate": "结案日期在统计期间内的调解案件中，达成并生效调解协议的件数除以"
        "结案件数（分母为期间内结案数，不含仍在办理的案件）。",
        "confirmation_application_rate": "生效日期在统计期间内的调解协议中，已申请司法确认的件数除以"
        "协议件数。",
        "confirmation_success_rate": "申请日期在统计期间内的司法确认申请中，获法院确认的件数除以"
        "申请件数。",
        "voluntary_performance_rate": "最后一项义务的履行期限在统计期间内的调解协议中，全部义务已履行"
        "完毕的件数除以协议件数。",
        "resolution_days": "结案日期在统计期间内、已受理的调解案件，自受理之日至结案之日的天数"
        "（扣除调解中止的天数）的平均数；括号内为中位数。",
        "overdue_rate": "结案日期在统计期间内的调解案件中，调解结束（达成协议、终止或撤回）时已超过"
        "调解期限（含延长）的件数除以调解期限已确定的结案件数。",
        "litigated_after": "结案日期在统计期间内的调解案件中，此后又被诉至人民法院（已关联行政诉讼"
        "台账）的件数除以结案件数。",
    }


def _indicators() -> dict[str, Indicator]:
    d = _definitions()
    city_only = frozenset({"city"})
    office = frozenset({"city", "office"})
    items = [
        Indicator("filed", "收案数", "count", "lawsuit", filed, definition=d["filed"]),
        Indicator("concluded", "审结数", "count", "lawsuit", concluded, definition=d["concluded"]),
        Indicator(
            "lost",
            "败诉数",
            "count",
            "lawsuit",
            lambda p, s: concluded(p, s).filter(_loss_types()),
            definition=d["lost"],
        ),
        Indicator(
            "loss_rate",
            "行政机关败诉率",
            "rate",
            "lawsuit",
            concluded,
            _loss_types(),
            d["loss_rate"],
        ),
        Indicator(
            "head_rate",
            "负责人出庭应诉率",
            "rate",
            "appearance",
            appearances,
            Q(head_appeared=True, head_rank__in=COUNTING_RANKS),
            d["head_rate"],
        ),
        Indicator(
            "principal_rate",
            "正职负责人出庭率",
            "rate",
            "appearance",
            appearances,
            Q(head_appeared=True, head_rank=HeadRank.PRINCIPAL),
            d["principal_rate"],
        ),
        Indicator(
            "voice_rate",
            "出庭负责人出声率",
            "rate",
            "appearance",
            heads_present,
            Q(head_spoke=True),
            d["voice_rate"],
        ),
        Indicator(
            "performance_rate",
            "生效裁判履行率",
            "rate",
            "performance",
            performances_due,
            Q(performed_on__isnull=False, performed_on__lte=F("due_on")),
            d["performance_rate"],
        ),
        Indicator(
            "reply_rate",
            "司法建议回复率",
            "rate",
            "recipient",
            replies_due,
            Q(replied_on__isnull=False),
            d["reply_rate"],
        ),
        Indicator(
            "late_replies",
            "逾期答复的司法建议",
            "count",
            "recipient",
            lambda p, s: replies_due(p, s).filter(LATE_REPLY),
            definition=d["late_replies"],
        ),
        Indicator(
            "adoption_rate",
            "司法建议采纳率",
            "rate",
            "recipient",
            replied,
            Q(adoption__in=(Recipient.Adoption.ADOPTED, Recipient.Adoption.PARTLY)),
            d["adoption_rate"],
        ),
        Indicator(
            "implementation_rate",
            "司法建议落实率",
            "rate",
            "recipient",
            checked,
            Q(implementation=Recipient.Implementation.IMPLEMENTED),
            d["implementation_rate"],
        ),
        Indicator(
            "reconsideration_correction_rate",
            "行政复议纠错率",
            "volume",
            "volume",
            volumes,
            definition=d["reconsideration_correction_rate"],
            scopes=city_only,
        ),
        Indicator(
            "reconsideration_settlement_rate",
            "行政复议调撤率",
            "volume",
            "volume",
            volumes,
            definition=d["reconsideration_settlement_rate"],
            scopes=city_only,
        ),
        Indicator(
            "mediation_success_rate",
            "调解成功率",
            "rate",
            "case",
            closed_cases,
            Q(Exists(Agreement.objects.filter(case=OuterRef("pk"), effective_on__isnull=False))),
            d["mediation_success_rate"],
            office,
            "office",
        ),
        Indicator(
            "confirmation_application_rate",
            "司法确认申请率",
            "rate",
            "agreement",
            effective_agreements,
            Q(Exists(Confirmation.objects.filter(agreement=OuterRef("pk")))),
            d["confirmation_application_rate"],
            office,
            "office",
        ),
        Indicator(
            "confirmation_success_rate",
            "司法确认成功率",
            "rate",
            "confirmation",
            applications,
            Q(status=Confirmation.Status.CONFIRMED),
            d["confirmation_success_rate"],
            office,
            "office",
        ),
        Indicator(
            "voluntary_performance_rate",
            "自动履行率",
            "rate",
            "agreement",
            agreements_fully_due,
            ~Q(
                Exists(
                    Obligation.objects.filter(agreement=OuterRef("pk")).exclude(
                        status=Obligation.Status.PERFORMED
                    )
                )
            ),
            d["voluntary_performance_rate"],
            office,
            "office",
        ),
        Indicator(
            "resolution_days",
            "平均化解周期",
            "days",
            "case",
            lambda p, s: closed_cases(p, s).filter(accepted_on__isnull=False),
            definition=d["resolution_days"],
            scopes=office,
            side="office",
        ),
        Indicator(
            "overdue_rate",
            "超期率",
            "rate",
            "case",
            closed_with_due,
            Q(ended_at__date__gt=F("ended_due")),
            d["overdue_rate"],
            office,
            "office",
        ),
        Indicator(
            "litigated_after",
            "调解后又起诉",
            "rate",
            "case",
            closed_cases,
            Q(Exists(Lawsuit.objects.filter(mediation_case=OuterRef("pk")))),
            d["litigated_after"],
            office,
            "office",
        ),
    ]
    return {indicator.code: indicator for indicator in items}


INDICATORS = _indicators()
GOVERNMENT = [code for code, i in INDICATORS.items() if i.side == "government"]
OFFICE = [code for code, i in INDICATORS.items() if i.side == "office"]

CORRECTION_FIELDS = ("revoked", "changed", "confirmed_illegal", "ordered_performance")
SETTLEMENT_FIELDS = ("mediated", "settled_withdrawn")


def _volume_figure(indicator: Indicator, period: Period, scope: Scope) -> Figure:
    fields = (
        CORRECTION_FIELDS
        if indicator.code == "reconsideration_correction_rate"
        else SETTLEMENT_FIELDS
    )
    totals = volumes(period, scope).aggregate(
        concluded=Coalesce(Sum("concluded"), 0),
        **{name: Coalesce(Sum(name), 0) for name in fields},
    )
    numerator = sum(totals[name] for name in fields)
    return Figure(
        indicator.code,
        indicator.name,
        indicator.definition,
        "rate",
        numerator,
        totals["concluded"],
        percentage(numerator, totals["concluded"]),
    )


class DaysBetween(Func):
    """Whole days from the date ``start`` to the date ``end``, computed by the database
    (PostgreSQL subtracts dates to an integer; SQLite through julianday)."""

    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def __init__(self, end: str, start: str) -> None:
        super().__init__(F(end), F(start))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def net_days(records: QuerySet[Case]) -> Any:
    """Each closed case with the days from acceptance to closing, suspensions taken out."""
    paused = (
        Suspension.objects.filter(case=OuterRef("pk"), ended_on__isnull=False)
        .order_by()
        .values("case_id")
        .annotate(total=Sum(DaysBetween("ended_on", "started_on")))
        .values("total")
    )
    return records.annotate(
        net=DaysBetween("closed_on", "accepted_on")
        - Coalesce(Subquery(paused, output_field=IntegerField()), Value(0))
    )


def _days(value: float | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _days_figure(indicator: Indicator, period: Period, scope: Scope) -> Figure:
    records = net_days(indicator.denominator_records(period, scope))
    result = records.aggregate(n=Count("pk"), avg=Avg("net"))
    n = result["n"]
    median = None
    if n:
        ordered = records.order_by("net").values_list("net", flat=True)
        middle = list(ordered[(n - 1) // 2 : n // 2 + 1])
        median = _days(Decimal(sum(middle)) / len(middle))
    return Figure(
        indicator.code,
        indicator.name,
        indicator.definition,
        "days",
        n,
        value=_days(result["avg"]),
        median=median,
    )


def figure(code: str, period: Period, scope: Scope) -> Figure:
    """One indicator for the period and scope."""
    indicator = INDICATORS[code]
    if not indicator.applies_to(scope):
        return Figure(
            code, indicator.name, indicator.definition, indicator.kind, 0, applicable=False
        )
    if indicator.kind == "volume":
        return _volume_figure(indicator, period, scope)
    if indicator.kind == "days":
        return _days_figure(indicator, period, scope)
    records = indicator.denominator_records(period, scope)
    if indicator.kind == "count":
        return Figure(code, indicator.name, indicator.definition, "count", records.count())
    # Scopes and conditions follow forward keys or use Exists, so no row is counted twice
    # (and the drill-down list, which counts the same queryset, agrees).
    counts = records.aggregate(d=Count("pk"), n=Count("pk", filter=indicator.condition))
    return Figure(
        code,
        indicator.name,
        indicator.definition,
        "rate",
        counts["n"],
        counts["d"],
        percentage(counts["n"], counts["d"]),
    )


def figures(codes: list[str], period: Period, scope: Scope) -> dict[str, Figure]:
    return {code: figure(code, period, scope) for code in codes}


def definition_of_loss() -> dict[str, list[str]]:
    """Which result types counted as a loss and as concluded: the report states it."""
    types = list(ResultType.objects.order_by("sort_order", "code"))
    return {
        "loss": [t.label for t in types if t.counts_as_loss],
        "concluded": [t.label for t in types if t.counts_as_concluded],
        "not_concluded": [t.label for t in types if not t.counts_as_concluded],
    }


def rounding_note() -> str:
    mode = "四舍五入" if settings.LIAISON_RATE_ROUNDING == "half_up" else "截尾（不进位）"
    return (
        f"比率保留两位小数，{mode}；分母为零的显示“—”；样本数少于{settings.LIAISON_MIN_SAMPLE}"
        "的只显示分数，不参加排名。"
    )
