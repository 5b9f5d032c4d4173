"""Reads of the registers. Everything starts from the user's scope (liaison.permissions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from cases.deadline_engine import cn_date
from cases.identifiers import number_key, with_year_bracketed
from liaison.models import (
    COUNTING_RANKS,
    PROPER_REASONS,
    SUED_PARTS,
    Appearance,
    Defendant,
    Hearing,
    JudicialSuggestion,
    Lawsuit,
    LiaisonEvent,
    LossAnalysis,
    Performance,
    Plaintiff,
    Recipient,
    SupervisionItem,
)
from liaison.models.supervision import AWAITING_RESPONSE
from liaison.permissions import (
    lawsuits_visible_to,
    own_agency_id,
    recipients_visible_to,
    suggestions_visible_to,
    supervision_visible_to,
)

OPEN_SUPERVISION = (
    SupervisionItem.Status.OPEN,
    SupervisionItem.Status.RESPONDED,
    SupervisionItem.Status.ESCALATED,
)


# The columns agency_label reads (short name, else name), for the lists' and the home
# queues' .only(): a row selects what it shows, not the agency's whole row.
AGENCY_NAMES = ("agency__name", "agency__short_name")


def _defendants(to_attr: str | None = None) -> Prefetch:
    return Prefetch(
        "defendants",
        queryset=Defendant.objects.select_related("agency").order_by("part", "id"),
        to_attr=to_attr,
    )


def _counting_appearance() -> Q:
    return Q(head_appeared=True, head_rank__in=COUNTING_RANKS)


# The columns a row of the litigation register shows (liaison/lawsuit_list.html).
LAWSUIT_ROW_COLUMNS = (
    "court_case_no",
    "instance",
    "status",
    "filed_on",
    "court__name",
    "category__label",
    "result_type__label",
    "result_type__counts_as_loss",
)


class Todo(models.TextChoices):
    """The register's 待办 filter and the home page's queues of the same titles: which
    records of a lawsuit wait for someone."""

    APPEARANCE = "appearance", "待登记出庭应诉情况"
    DEFENCE = "defence", "待提交答辩状和证据"
    PERFORMANCE = "performance", "待履行的生效裁判"
    ANALYSIS = "analysis", "败诉待填报分析"


def pending_records(kind: str, *, today: date, agency_id: int | None = None) -> QuerySet:
    """The records of every lawsuit that wait for work of ``kind`` (the agency's own, for an
    agency contact): a home queue lists them, the register's 待办 filter lists their
    lawsuits, so that the queue's link shows what the queue counts."""
    records: QuerySet
    if kind == Todo.APPEARANCE:
        records = Appearance.objects.filter(head_appeared__isnull=True, hearing__held_on__lte=today)
    elif kind == Todo.DEFENCE:
        records = Defendant.objects.filter(
            part__in=SUED_PARTS, defence_due__isnull=False, defence_submitted_on__isnull=True
        )
    elif kind == Todo.PERFORMANCE:
        records = Performance.objects.filter(
            status__in=(Performance.Status.IN_PROGRESS, Performance.Status.OVERDUE)
        )
    elif kind == Todo.ANALYSIS:
        records = Defendant.objects.filter(
            part__in=SUED_PARTS, lawsuit__result_type__counts_as_loss=True
        ).exclude(
            Exists(
                LossAnalysis.objects.filter(lawsuit=OuterRef("lawsuit"), agency=OuterRef("agency"))
            )
        )
    else:
        raise ValueError(kind)
    if agency_id is not None:
        records = records.filter(agency_id=agency_id)
    return records


def _lawsuit_of(kind: str) -> str:
    return "hearing__lawsuit" if kind == Todo.APPEARANCE else "lawsuit"


def lawsuit_list(user: User, filters: dict[str, Any], *, today: date) -> QuerySet[Lawsuit]:
    """The litigation register: the user's lawsuits, filtered and searched, with the columns
    its rows show."""
    lawsuits = (
        lawsuits_visible_to(user)
        .select_related("court", "category", "result_type")
        .only(*LAWSUIT_ROW_COLUMNS)
    )
    if year := filters.get("year"):
        lawsuits = lawsuits.filter(filed_on__year=year)
    if court := filters.get("court"):
        lawsuits = lawsuits.filter(court=court)
    if agency := filters.get("agency"):
        lawsuits = lawsuits.filter(
            Exists(Defendant.objects.filter(lawsuit=OuterRef("pk"), agency=agency))
        )
    if instance := filters.get("instance"):
        lawsuits = lawsuits.filter(instance=instance)
    if status := filters.get("status"):
        lawsuits = lawsuits.filter(status=status)
    if result := filters.get("result"):
        lawsuits = lawsuits.filter(result_type=result)
    lost = filters.get("lost")
    if lost == "yes":
        lawsuits = lawsuits.filter(result_type__counts_as_loss=True)
    elif lost == "no":
        lawsuits = lawsuits.exclude(result_type__counts_as_loss=True)
    head = filters.get("head")
    open_court = Appearance.objects.filter(
        hearing__lawsuit=OuterRef("pk"), hearing__open_court=True
    )
    if head == "yes":
        lawsuits = lawsuits.filter(Exists(open_court.filter(_counting_appearance())))
    elif head == "no":
        lawsuits = lawsuits.filter(Exists(open_court.filter(head_appeared__isnull=False))).exclude(
            Exists(open_court.filter(_counting_appearance()))
        )
    elif head == "unrecorded":
        lawsuits = lawsuits.filter(
            Exists(open_court.filter(head_appeared__isnull=True, hearing__held_on__lte=today))
        )
    if performance := filters.get("performance"):
        lawsuits = lawsuits.filter(
            Exists(Performance.objects.filter(lawsuit=OuterRef("pk"), status=performance))
        )
    if filters.get("overdue") == "yes":
        lawsuits = lawsuits.filter(
            Exists(
                Defendant.objects.filter(
                    lawsuit=OuterRef("pk"),
                    defence_due__lt=today,
                    defence_submitted_on__isnull=True,
                )
            )
            | Exists(
                Performance.objects.filter(
                    lawsuit=OuterRef("pk"), status=Performance.Status.OVERDUE
                )
            )
        )
    if todo := filters.get("todo"):
        records = pending_records(todo, today=today, agency_id=own_agency_id(user))
        lawsuits = lawsuits.filter(Exists(records.filter(**{_lawsuit_of(todo): OuterRef("pk")})))
    if query := (filters.get("q") or "").strip():
        lawsuits = lawsuits.filter(_search(query))
    # Into lists (to_attr): Django otherwise builds a filtered queryset per row and relation
    # to hold what it read, some 40 µs each.
    return lawsuits.order_by("-filed_on", "-id").prefetch_related(
        _defendants(to_attr="defendant_list"),
        Prefetch(
            "plaintiffs",
            queryset=Plaintiff.objects.only("lawsuit_id", "name"),
            to_attr="plaintiff_list",
        ),
    )


def _numbers(query: str) -> Q:
    """Numbers containing ``query`` typed with any brackets, or none around the year."""
    key = number_key(query)
    found = Q(number_key__contains=key)
    if bracketed := with_year_bracketed(key):
        found |= Q(number_key__contains=bracketed)
    return found


def _search(query: str) -> Q:
    """Case numbers (any bracket), plaintiffs' names, agencies' names."""
    return (
        _numbers(query)
        | Q(pk__in=Plaintiff.objects.filter(name__icontains=query).values("lawsuit_id"))
        | Q(
            pk__in=Defendant.objects.filter(
                Q(agency__name__icontains=query) | Q(agency__short_name__icontains=query)
            ).values("lawsuit_id")
        )
    )


def lawsuit_detail(user: User, pk: int) -> Lawsuit:
    """One lawsuit with everything its page shows, or 404 outside the user's scope."""
    queryset = (
        lawsuits_visible_to(user)
        .select_related(
            "court",
            "category",
            "result_type",
            "lower_instance",
            "mediation_case",
            "created_by",
        )
        .prefetch_related(
            _defendants(),
            "plaintiffs",
            "higher_instances",
            Prefetch(
                "hearings",
                queryset=Hearing.objects.order_by("held_on", "id").prefetch_related(
                    Prefetch(
                        "appearances",
                        queryset=Appearance.objects.select_related("agency", "recorded_by"),
                    )
                ),
            ),
            Prefetch(
                "performances",
                queryset=Performance.objects.select_related("agency").prefetch_related("files"),
            ),
            Prefetch(
                "loss_analyses",
                queryset=LossAnalysis.objects.select_related(
                    "agency", "submitted_by"
                ).prefetch_related("causes", "files"),
            ),
            Prefetch("events", queryset=LiaisonEvent.objects.select_related("actor")),
            "suggestions",
        )
    )
    return get_object_or_404(queryset, pk=pk)


def lawsuit_for_update(user: User, pk: int) -> Lawsuit:
    return get_object_or_404(
        lawsuits_visible_to(user)
        .select_related("court", "result_type")
        .prefetch_related("defendants", "plaintiffs"),
        pk=pk,
    )


def appearance_for_update(user: User, pk: int) -> Appearance:
    return get_object_or_404(
        Appearance.objects.select_related("agency", "hearing__lawsuit").filter(
            hearing__lawsuit__in=lawsuits_visible_to(user)
        ),
        pk=pk,
    )


def hearing_for_update(user: User, pk: int) -> Hearing:
    return get_object_or_404(
        Hearing.objects.select_related("lawsuit").filter(lawsuit__in=lawsuits_visible_to(user)),
        pk=pk,
    )


def performance_for_update(user: User, pk: int) -> Performance:
    return get_object_or_404(
        Performance.objects.select_related("agency", "lawsuit").filter(
            lawsuit__in=lawsuits_visible_to(user)
        ),
        pk=pk,
    )


def defendant_for_update(user: User, lawsuit: Lawsuit, agency_pk: int) -> Defendant:
    return get_object_or_404(
        Defendant.objects.select_related("agency"), lawsuit=lawsuit, agency_id=agency_pk
    )


# --- Judicial suggestions -----------------------------------------------------------------


def _recipients(user: User) -> Prefetch:
    """The addressees a row of the suggestion register shows, with their reply's state."""
    return Prefetch(
        "recipients",
        queryset=recipients_visible_to(user)
        .select_related("agency")
        .only(
            "suggestion_id",
            "status",
            "reply_due",
            "replied_on",
            "adoption",
            "implementation",
            *AGENCY_NAMES,
        )
        .order_by("id"),
        to_attr="visible_recipients",
    )


def suggestion_list(
    user: User, filters: dict[str, Any], *, today: date
) -> QuerySet[JudicialSuggestion]:
    # The columns a row shows (liaison/suggestion_list.html): not the suggestion's text.
    suggestions = (
        suggestions_visible_to(user)
        .select_related("court")
        .only("number", "kind", "subject", "issued_on", "court__name")
    )
    if year := filters.get("year"):
        suggestions = suggestions.filter(issued_on__year=year)
    if court := filters.get("court"):
        suggestions = suggestions.filter(court=court)
    if kind := filters.get("kind"):
        suggestions = suggestions.filter(kind=kind)
    mine = recipients_visible_to(user).filter(suggestion=OuterRef("pk"))
    if agency := filters.get("agency"):
        mine = mine.filter(agency=agency)
        suggestions = suggestions.filter(Exists(mine))
    state = filters.get("state")
    if state == "overdue":
        suggestions = suggestions.filter(
            Exists(mine.filter(status=Recipient.Status.AWAITING, reply_due__lt=today))
        )
    elif state:
        suggestions = suggestions.filter(Exists(mine.filter(status=state)))
    if query := (filters.get("q") or "").strip():
        suggestions = suggestions.filter(
            _numbers(query)
            | Q(subject__icontains=query)
            # An agency it was sent to, by its name or short name (of those the user sees).
            | Exists(
                mine.filter(
                    Q(agency__name__icontains=query) | Q(agency__short_name__icontains=query)
                )
            )
        )
    return suggestions.order_by("-issued_on", "-id").prefetch_related(_recipients(user))


def suggestion_detail(user: User, pk: int) -> JudicialSuggestion:
    queryset = (
        suggestions_visible_to(user)
        .select_related("court", "hearing__lawsuit", "created_by")
        .prefetch_related(
            Prefetch(
                "recipients",
                queryset=recipients_visible_to(user)
                .select_related("agency", "replied_by", "checked_by")
                .prefetch_related("files"),
                to_attr="visible_recipients",
            ),
            "recipients",
            Prefetch("lawsuits", queryset=lawsuits_visible_to(user)),
            Prefetch("events", queryset=_events_for(user)),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def _events_for(user: User) -> QuerySet[LiaisonEvent]:
    """The history an agency contact sees leaves out other addressees' own changes."""
    events = LiaisonEvent.objects.select_related("actor")
    if (agency_id := own_agency_id(user)) is not None:
        events = events.filter(Q(agency__isnull=True) | Q(agency_id=agency_id))
    return events


def recipient_for_update(user: User, pk: int) -> Recipient:
    return get_object_or_404(
        recipients_visible_to(user).select_related("agency", "suggestion__court"), pk=pk
    )


# --- Supervision ---------------------------------------------------------------------------


def supervision_list(
    user: User, filters: dict[str, Any], *, today: date
) -> QuerySet[SupervisionItem]:
    # The columns a row shows (liaison/supervision_list.html), not the lawsuit's whole row.
    items = (
        supervision_visible_to(user)
        .select_related("agency", "lawsuit")
        .only(
            "year",
            "seq",
            "reason",
            "opened_on",
            "due_on",
            "status",
            "result",
            "lawsuit__court_case_no",
            *AGENCY_NAMES,
        )
    )
    if year := filters.get("year"):
        items = items.filter(year=year)
    if agency := filters.get("agency"):
        items = items.filter(agency=agency)
    if reason := filters.get("reason"):
        items = items.filter(reason=reason)
    state = filters.get("state")
    if state == "overdue":
        items = items.filter(status__in=AWAITING_RESPONSE, due_on__lt=today)
    elif state == "awaiting":
        items = items.filter(status__in=AWAITING_RESPONSE)
    elif state == "unclosed":
        items = items.filter(status__in=OPEN_SUPERVISION)
    elif state:
        items = items.filter(status=state)
    return items.order_by("-opened_on", "-id")


def supervision_detail(user: User, pk: int) -> SupervisionItem:
    queryset = (
        supervision_visible_to(user)
        .select_related(
            "agency",
            "lawsuit",
            "appearance__hearing",
            "performance",
            "recipient__suggestion",
            "opened_by",
            "responded_by",
        )
        .prefetch_related(
            "files", Prefetch("events", queryset=LiaisonEvent.objects.select_related("actor"))
        )
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass(frozen=True)
class SuggestedItem:
    """A shortfall the register found that is neither in supervision nor supervised and
    rectified."""

    reason: str
    agency_id: int
    agency_name: str
    title: str
    facts: str
    since: date
    lawsuit_id: int | None = None
    appearance_id: int | None = None
    performance_id: int | None = None
    recipient_id: int | None = None

    @property
    def query(self) -> str:
        from django.utils.http import urlencode

        params: dict[str, Any] = {"reason": self.reason, "agency": self.agency_id}
        for name in ("lawsuit", "appearance", "performance", "recipient"):
            if (value := getattr(self, f"{name}_id")) is not None:
                params[name] = value
        return urlencode(params)


def _supervised() -> QuerySet[SupervisionItem]:
    """The items whose shortfall is not to be suggested again: those in supervision, and
    those closed as rectified (closed as partly or not rectified, the shortfall may be
    supervised again). Each kind of suggestion leaves their subjects out in its query,
    before its limit, so that old rectified items do not take the places of new ones."""
    return SupervisionItem.objects.filter(
        Q(status__in=OPEN_SUPERVISION)
        | Q(status=SupervisionItem.Status.CLOSED, result=SupervisionItem.Result.RECTIFIED)
    )


def _supervised_ids(kind: str) -> QuerySet:
    """The ids of the ``kind`` records (appearance, performance, recipient) the supervised
    items are about: an item's subject_key names its most specific record first. (No
    empty id: NOT IN over a list with a NULL would leave every row out.)"""
    return (
        _supervised()
        .filter(subject_key__startswith=f"{kind}:", **{f"{kind}__isnull": False})
        .values(f"{kind}_id")
    )


SUGGESTION_LIMIT = 200


def suggested_supervision(today: date, *, since: date | None = None) -> list[SuggestedItem]:
    """What the register suggests supervising, most urgent kinds first (a bounded list):
    a hearing with no head and no accepted reason, a performance past due, a reply to a
    judicial suggestion past due or not implemented, a loss without an analysis. With
    ``since``, hearings and losses before that day are left out (what is still overdue
    stays, however old)."""
    Reason = SupervisionItem.Reason
    found: list[SuggestedItem] = []
    absences = (
        Appearance.objects.filter(
            hearing__open_court=True, head_appeared__isnull=False, hearing__held_on__lte=today
        )
        .exclude(_counting_appearance())
        .exclude(absence_reason__in=PROPER_REASONS, written_explanation=True)
        .exclude(pk__in=_supervised_ids("appearance"))
        .filter(hearing__held_on__gte=since or date.min)
        .select_related("agency", "hearing__lawsuit")
        .order_by("-hearing__held_on", "id")[:SUGGESTION_LIMIT]
    )
    for a in absences:
        why = a.get_absence_reason_display() if a.absence_reason else "出庭人员不属于负责人"
        found.append(
            SuggestedItem(
                Reason.HEAD_ABSENT,
                a.agency_id,
                a.agency.name,
                f"{a.hearing.lawsuit.court_case_no} {a.hearing.held_on:%Y-%m-%d}开庭",
                f"{cn_date(a.hearing.held_on)}{a.hearing.lawsuit.court_case_no}开庭审理，"
                f"{a.agency.name}负责人未出庭应诉（{why}"
                f"{'' if a.written_explanation else '，未提交书面说明'}）。",
                a.hearing.held_on,
                lawsuit_id=a.hearing.lawsuit_id,
                appearance_id=a.pk,
            )
        )
    overdue = (
        Performance.objects.filter(status=Performance.Status.OVERDUE)
        .exclude(pk__in=_supervised_ids("performance"))
        .select_related("agency", "lawsuit")
        .order_by("due_on", "id")[:SUGGESTION_LIMIT]
    )
    for p in overdue:
        found.append(
            SuggestedItem(
                Reason.NONPERFORMANCE,
                p.agency_id,
                p.agency.name,
                f"{p.lawsuit.court_case_no} 履行逾期",
                f"{p.lawsuit.court_case_no}生效裁判要求{p.agency.name}{p.duty}，"
                f"履行期限{cn_date(p.due_on)}已届满，尚未履行。",
                p.due_on,
                lawsuit_id=p.lawsuit_id,
                performance_id=p.pk,
            )
        )
    replies = (
        Recipient.objects.filter(
            Q(status=Recipient.Status.AWAITING, reply_due__lt=today)
            | Q(
                status=Recipient.Status.CHECKED,
                implementation__in=(
                    Recipient.Implementation.NOT_IMPLEMENTED,
                    Recipient.Implementation.PARTLY,
                ),
            )
        )
        .exclude(pk__in=_supervised_ids("recipient"))
        .select_related("agency", "suggestion")
        .order_by("reply_due", "id")[:SUGGESTION_LIMIT]
    )
    for r in replies:
        if r.status == Recipient.Status.AWAITING:
            facts = (
                f"{r.agency.name}收到司法建议{r.suggestion.number}（{r.suggestion.subject}）后，"
                f"答复期限{cn_date(r.reply_due)}已届满，尚未书面答复。"
            )
        else:
            facts = (
                f"{r.agency.name}对司法建议{r.suggestion.number}（{r.suggestion.subject}）"
                f"经核查{r.get_implementation_display()}。"
            )
        found.append(
            SuggestedItem(
                Reason.SUGGESTION,
                r.agency_id,
                r.agency.name,
                f"{r.suggestion.number} {r.get_status_display()}",
                facts,
                r.reply_due,
                recipient_id=r.pk,
            )
        )
    losses = (
        Defendant.objects.filter(
            part__in=SUED_PARTS,
            lawsuit__result_type__counts_as_loss=True,
            lawsuit__concluded_on__gte=since or date.min,
        )
        .exclude(
            Exists(
                LossAnalysis.objects.filter(lawsuit=OuterRef("lawsuit"), agency=OuterRef("agency"))
            )
        )
        .exclude(
            Exists(
                _supervised().filter(
                    subject_key__startswith="loss:",
                    lawsuit=OuterRef("lawsuit"),
                    agency=OuterRef("agency"),
                )
            )
        )
        .select_related("agency", "lawsuit__result_type")
        .order_by("lawsuit__concluded_on", "id")[:SUGGESTION_LIMIT]
    )
    for d in losses:
        concluded = d.lawsuit.concluded_on or today  # never empty: filtered on it
        found.append(
            SuggestedItem(
                Reason.LOSS,
                d.agency_id,
                d.agency.name,
                f"{d.lawsuit.court_case_no} 败诉未分析",
                f"{d.lawsuit.court_case_no}于{cn_date(concluded)}审结，"
                f"裁判结果为“{d.lawsuit.result_type.label if d.lawsuit.result_type else ''}”，"
                f"{d.agency.name}尚未填报败诉原因分析和整改措施。",
                concluded,
                lawsuit_id=d.lawsuit_id,
            )
        )
    return found


def hearings_without_head(user: User, *, today: date) -> QuerySet[Hearing]:
    """Open-court hearings of the user's lawsuits since three years ago where some sued
    agency's head did not appear (what a non-appearance suggestion can refer to)."""
    since = (
        today.replace(year=today.year - 3)
        if not (today.month == 2 and today.day == 29)
        else today.replace(year=today.year - 3, day=28)
    )
    absent = Appearance.objects.filter(hearing=OuterRef("pk"), head_appeared__isnull=False).exclude(
        _counting_appearance()
    )
    return (
        Hearing.objects.filter(
            lawsuit__in=lawsuits_visible_to(user), open_court=True, held_on__gte=since
        )
        .filter(Exists(absent))
        .select_related("lawsuit")
        .order_by("-held_on", "-id")
    )


# --- The home page -----------------------------------------------------------------------

HOME_ROWS = 5


@dataclass(frozen=True)
class QueueRow:
    label: str
    url: str
    detail: str
    due: date | None = None


@dataclass(frozen=True)
class Queue:
    key: str
    title: str
    rows: list[QueueRow]
    total: int
    link: str
    # What the link says when it does not list the queue's rows one for one.
    link_label: str = ""


# A queue of a lawsuit's records (an appearance, a defence, a duty) links to the register,
# which lists their lawsuits: a lawsuit with two sued agencies, or two hearings, is one row.
IN_REGISTER = "在诉讼案件台账中查看所涉案件"


def _queue(key: str, title: str, queryset: QuerySet, row, link: str, link_label="") -> Queue:
    """The queue's first rows; its total is counted only when there are more than those."""
    first = list(queryset[:HOME_ROWS])
    total = queryset.count() if len(first) == HOME_ROWS else len(first)
    return Queue(key, title, [row(x) for x in first], total, link, link_label)


def home_queues(user: User, *, today: date) -> list[Queue]:
    """The register work waiting for the user: what is due or overdue in their scope."""
    from django.urls import reverse

    from liaison.permissions import AGENCY, ALL, COURT, scope_of

    scope = scope_of(user)
    if scope is None:
        return []
    lawsuits = lawsuits_visible_to(user)
    agency_id = scope.value if scope.kind == AGENCY else None
    queues: list[Queue] = []
    register = reverse("liaison:lawsuits")

    def waiting(kind: str) -> QuerySet:
        return pending_records(kind, today=today, agency_id=agency_id).filter(
            **{f"{_lawsuit_of(kind)}__in": lawsuits}
        )

    if scope.kind in (ALL, AGENCY):
        queues.append(
            _queue(
                "appearances",
                Todo.APPEARANCE.label,
                waiting(Todo.APPEARANCE)
                .select_related("hearing__lawsuit", "agency")
                .only("hearing__held_on", "hearing__lawsuit__court_case_no", *AGENCY_NAMES)
                .order_by("hearing__held_on", "id"),
                lambda a: QueueRow(
                    a.hearing.lawsuit.court_case_no,
                    reverse("liaison:lawsuit", args=[a.hearing.lawsuit_id]),
                    f"{a.hearing.held_on:%Y-%m-%d}开庭 · {a.agency.short_name or a.agency.name}",
                ),
                f"{register}?todo={Todo.APPEARANCE.value}",
                IN_REGISTER,
            )
        )
        queues.append(
            _queue(
                "defences",
                Todo.DEFENCE.label,
                waiting(Todo.DEFENCE)
                .select_related("lawsuit", "agency")
                .only("defence_due", "lawsuit__court_case_no", *AGENCY_NAMES)
                .order_by("defence_due", "id"),
                lambda d: QueueRow(
                    d.lawsuit.court_case_no,
                    reverse("liaison:lawsuit", args=[d.lawsuit_id]),
                    d.agency.short_name or d.agency.name,
                    d.defence_due,
                ),
                f"{register}?todo={Todo.DEFENCE.value}",
                IN_REGISTER,
            )
        )
        replies = recipients_visible_to(user).filter(status=Recipient.Status.AWAITING)
        queues.append(
            _queue(
                "replies",
                "待答复的司法建议",
                replies.select_related("suggestion", "agency")
                .only("reply_due", "suggestion__number", *AGENCY_NAMES)
                .order_by("reply_due", "id"),
                lambda r: QueueRow(
                    r.suggestion.number,
                    reverse("liaison:suggestion", args=[r.suggestion_id]),
                    r.agency.short_name or r.agency.name,
                    r.reply_due,
                ),
                reverse("liaison:suggestions") + "?state=awaiting",
            )
        )
        queues.append(
            _queue(
                "performances",
                Todo.PERFORMANCE.label,
                waiting(Todo.PERFORMANCE)
                .select_related("lawsuit", "agency")
                .only("due_on", "duty", "lawsuit__court_case_no", *AGENCY_NAMES)
                .order_by("due_on", "id"),
                lambda p: QueueRow(
                    p.lawsuit.court_case_no,
                    reverse("liaison:lawsuit", args=[p.lawsuit_id]),
                    f"{p.agency.short_name or p.agency.name}：{p.duty}",
                    p.due_on,
                ),
                f"{register}?todo={Todo.PERFORMANCE.value}",
                IN_REGISTER,
            )
        )
        items = supervision_visible_to(user).filter(status__in=AWAITING_RESPONSE)
        queues.append(
            _queue(
                "supervision",
                "待反馈的督办事项",
                items.select_related("agency")
                .only("year", "seq", "reason", "due_on", *AGENCY_NAMES)
                .order_by("due_on", "id"),
                lambda i: QueueRow(
                    i.number,
                    reverse("liaison:supervision", args=[i.pk]),
                    f"{i.agency.short_name or i.agency.name}：{i.get_reason_display()}",
                    i.due_on,
                ),
                reverse("liaison:supervision_list") + "?state=awaiting",
            )
        )
    if scope.kind == AGENCY:
        queues.append(
            _queue(
                "losses",
                Todo.ANALYSIS.label,
                waiting(Todo.ANALYSIS)
                .select_related("lawsuit")
                .only("lawsuit__court_case_no", "lawsuit__concluded_on")
                .order_by("lawsuit__concluded_on", "id"),
                lambda d: QueueRow(
                    d.lawsuit.court_case_no,
                    reverse("liaison:lawsuit", args=[d.lawsuit_id]),
                    f"{d.lawsuit.concluded_on:%Y-%m-%d}审结",
                ),
                f"{register}?todo={Todo.ANALYSIS.value}",
                IN_REGISTER,
            )
        )
    if scope.kind == COURT:
        decided = lawsuits.filter(status=Lawsuit.Status.DECIDED)
        queues.append(
            _queue(
                "decided",
                "已裁判待登记生效",
                decided.only("court_case_no", "concluded_on").order_by("concluded_on", "id"),
                lambda x: QueueRow(
                    x.court_case_no,
                    reverse("liaison:lawsuit", args=[x.pk]),
                    f"{x.concluded_on:%Y-%m-%d}审结",
                ),
                f"{register}?status={Lawsuit.Status.DECIDED.value}",
            )
        )
        pending = lawsuits.filter(status=Lawsuit.Status.PENDING)
        queues.append(
            _queue(
                "pending",
                "审理中的案件",
                pending.only("court_case_no", "filed_on").order_by("filed_on", "id"),
                lambda x: QueueRow(
                    x.court_case_no,
                    reverse("liaison:lawsuit", args=[x.pk]),
                    f"{x.filed_on:%Y-%m-%d}立案",
                ),
                f"{register}?status={Lawsuit.Status.PENDING.value}",
            )
        )
    return queues
