"""Reads for the case pages. Everything starts from the user's scope (cases.permissions)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber, TruncDate
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases import extensions
from cases.identifiers import (
    IdentifierError,
    parse_citizen_id,
    search_key,
    with_year_bracketed,
)
from cases.models import (
    Agency,
    Agent,
    Assignment,
    Attachment,
    Case,
    CaseEvent,
    CaseLink,
    CourtReport,
    Decision,
    DisputeCategory,
    Extension,
    Mediator,
    Party,
    SearchTerm,
    Session,
    Source,
    Status,
    Termination,
    TranscriptAccess,
    TransferItem,
    UndisputedFacts,
)
from cases.models.search import (
    EXACT_KINDS,
    NUMBER_KINDS,
    PARTIAL_KINDS,
    PREFIX_KINDS,
    TERM_LENGTH,
    TermKind,
)
from cases.permissions import cases_visible_to

NEAR_DAYS = 3
# The shortest key tried as a whole number first (the shortest number, 潜行调登(2026)1号, has 12).
MIN_NUMBER_LENGTH = 8
# At most this many cases found by a whole number are listed by their ids (_numbered). A
# small limit keeps PostgreSQL on the term's B-tree index for the lookup: asked for more
# rows, it estimates the trigram index cheaper for the equality, which reads 600 pages.
MAX_NUMBERED = 10
# At most this many cases found by any other search are listed by their ids (_listed): a
# person's ID number, a name. PostgreSQL plans the page's query in about 1 ms with fifty
# ids, 0.35 ms with one, and 2 ms with the terms' semi-join beside the page's joins.
MAX_LISTED = 50

# Cases without a deadline or number sort last on every database.
SORTS = {
    "-received": ("-received_date", "-id"),
    "received": ("received_date", "id"),
    "deadline": (F("next_deadline").asc(nulls_last=True), "-received_date", "-id"),
    "number": (F("registration_no").asc(nulls_last=True), "id"),
    "-updated": ("-updated_at", "-id"),
}


def _applicants_prefetch() -> Prefetch:
    return Prefetch(
        "parties",
        queryset=Party.objects.filter(role=Party.Role.APPLICANT).only(
            "id", "case_id", "name", "kind", "id_number", "order"
        ),
        to_attr="applicant_list",
    )


def case_list(user: User, filters: dict[str, Any], *, today: date) -> QuerySet[Case]:
    """The register: the user's cases, filtered, searched and sorted as asked, with the
    columns its rows show (REGISTER_ROW_COLUMNS)."""
    cases = (
        cases_visible_to(user)
        .select_related("category", "agency", "court", "referral")
        .only(*REGISTER_ROW_COLUMNS)
    )
    if status := filters.get("status"):
        cases = cases.filter(status=status)
    if source := filters.get("source"):
        cases = cases.filter(source=source)
    for name in ("category", "agency", "court"):
        if value := filters.get(name):
            cases = cases.filter(**{name: value})
    if start := filters.get("received_from"):
        cases = cases.filter(received_date__gte=start)
    if end := filters.get("received_to"):
        cases = cases.filter(received_date__lte=end)
    deadline = filters.get("deadline")
    if deadline == "overdue":
        cases = cases.filter(next_deadline__lt=today)
    elif deadline == "near":
        cases = cases.filter(
            next_deadline__gte=today, next_deadline__lte=today + timedelta(NEAR_DAYS)
        )
    elif deadline == "running":
        cases = cases.filter(next_deadline__isnull=False)
    if query := (filters.get("q") or "").strip():
        cases = cases.filter(_search(query))
    order = SORTS.get(filters.get("sort") or "-received", SORTS["-received"])
    return cases.order_by(*order).prefetch_related(_applicants_prefetch())


def _search(query: str) -> Q:
    """Case, registration, act, letter and pre-filing numbers and party names, typed with
    any brackets (or none around the year), full-width or spaced: their beginning, or any
    part of three characters or more; ID numbers and credit codes only in full.

    A read of the search terms (cases.models.search), each predicate served by an index
    of cases_searchterm: term = '…' and term LIKE '…%' by the term's B-tree indexes; on
    PostgreSQL LIKE '%…%' by the trigram index (on SQLite, the development database, it
    reads the term table). A number typed in full is looked up by equality first
    (``_numbered``). The cases found are listed by their ids when they are few, and
    through a semi-join on the terms when they are many (``_listed``)."""
    key = search_key(query)
    # A number typed without the brackets of its year is looked up with them too.
    keys = [key, *filter(None, [with_year_bracketed(key)])]
    try:
        id_number = parse_citizen_id(query, today=date.max).number
    except IdentifierError:
        id_number = None
    if id_number:
        terms = Q(kind=TermKind.ID_NUMBER, term=id_number)
    elif numbered := _numbered(keys):
        return numbered
    elif len(key) >= 3:
        terms = Q()
        for each in keys:
            terms |= Q(kind__in=PARTIAL_KINDS, term__contains=each)
    else:
        terms = Q(kind__in=PREFIX_KINDS) & _prefix(key)
    if names := _agency_names(key):
        # An agency typed by its short name (市住建局) or a part of it: the cases whose
        # party it is, by its full name (an agency party bears the directory's name).
        terms |= Q(kind=TermKind.NAME, term__in=names)
    if len(key) == 18 and not id_number:
        # A credit code or a non-resident ID document number, matched exactly.
        terms |= Q(kind__in=EXACT_KINDS, term=key)
    return _listed(SearchTerm.objects.filter(terms), MAX_LISTED) or Q(pk__in=[])


def _agency_names(key: str) -> list[str]:
    """The search keys of the full names of the agencies whose short name contains
    ``key``, a text of three characters or more without digits (the directory is a few
    dozen rows, read only for such a text)."""
    if len(key) < 3 or any(c.isdigit() for c in key):
        return []
    return sorted(
        {
            search_key(name)[:TERM_LENGTH]
            for name, short_name in Agency.objects.exclude(short_name="").values_list(
                "name", "short_name"
            )
            if key in search_key(short_name)
        }
    )


def _listed(terms: QuerySet[SearchTerm], limit: int) -> Q | None:
    """The cases carrying one of ``terms``: by their ids when there are at most ``limit``
    of them, through the terms when there are more; None when there are none.

    An ID number, a credit code, a whole number or most names belong to a case or a few.
    Read first, their ids let the register's count and page find the cases by primary
    key; as a semi-join beside the page's joins, PostgreSQL spends three times as long
    planning the page as reading it."""
    found = list(terms.values_list("case_id", flat=True)[: limit + 1])
    if not found:
        return None
    if len(found) > limit:  # more than were read: all of them, as a subquery
        return Q(pk__in=terms.values("case_id"))
    return Q(pk__in=sorted(set(found)))


def _numbered(keys: list[str]) -> Q | None:
    """The cases one of whose numbers is one of ``keys`` in full, when there are any.

    Every number ends with 号 after its issuer's mark and year, so a number typed in full
    stands for the cases that carry it. Equality is served by the term's B-tree index at a
    cost that does not grow with the register, where LIKE '%…%' reads the trigrams every
    number of the same issuer and year shares. Names are always searched by any part: a
    name may be part of a longer one.

    The cases are read first, as ids (``_listed``): as a subquery of the register's count
    and page, PostgreSQL looked the number up through the trigram index, in each of the
    two."""
    key = keys[0]  # as typed; the others are other spellings of it
    if len(key) < MIN_NUMBER_LENGTH or not any(c.isdigit() for c in key):
        return None
    return _listed(SearchTerm.objects.filter(kind__in=NUMBER_KINDS, term__in=keys), MAX_NUMBERED)


def _prefix(key: str) -> Q:
    """Terms beginning with ``key``, by an index: PostgreSQL serves LIKE '…%' with the
    varchar_pattern_ops index; SQLite's LIKE ignores case and uses no index, a range does."""
    if connection.vendor == "postgresql":
        return Q(term__startswith=key)
    return Q(term__gte=key, term__lt=key + "\U0010ffff")


def case_detail(user: User, pk: int) -> Case:
    """One case with everything its page shows, in a fixed number of queries."""
    case = get_object_or_404(
        cases_visible_to(user).select_related(
            "office", "category", "agency", "court", "created_by", "referral"
        ),
        pk=pk,
    )
    prefetch_present(
        case,
        [
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("agency").prefetch_related(
                    Prefetch("agents", queryset=Agent.objects.order_by("id"))
                ),
            ),
            "claims",
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
            Prefetch(
                "links",
                queryset=CaseLink.objects.select_related("linked_case", "linked_case__referral"),
            ),
            Prefetch("assignments", queryset=Assignment.objects.select_related("mediator__user")),
            Prefetch("sessions", queryset=Session.objects.select_related("transcript_scan")),
            Prefetch(
                "extensions",
                queryset=Extension.objects.select_related(
                    "consent_form", "proposed_by", "decided_by"
                ),
            ),
            "suspensions",
            Prefetch(
                "terminations",
                queryset=Termination.objects.select_related("proposed_by", "decided_by"),
            ),
            Prefetch(
                "undisputed_facts", queryset=UndisputedFacts.objects.select_related("signed_scan")
            ),
            Prefetch("court_reports", queryset=CourtReport.objects.select_related("court")),
            Prefetch(
                "transcript_accesses",
                queryset=TranscriptAccess.objects.select_related("recorded_by", "withdrawn_by"),
            ),
            Prefetch(
                "transfer_items",
                queryset=TransferItem.objects.select_related("attachment", "chosen_by"),
            ),
            # Other apps' (cases.extensions): the agreements with what their panel shows,
            # which the workflow conditions and deadlines then read without a query.
            *extensions.case_page_prefetches(),
        ],
    )
    return case


def prefetch_present(instance: Any, lookups: list[str | Prefetch]) -> None:
    """Prefetch onto one object the relations that have rows, and cache the rest as empty.

    A case page reads some twenty relations, and most cases have rows in a few of them
    (a case just registered has no sessions, extensions, reports or agreements). One
    query asks which of the object's one-to-many relations have any row; those without
    are cached empty, so neither the page nor the workflow queries them again, and the
    rest are prefetched as ``prefetch_related_objects`` would. A relation the query cannot
    ask about (many-to-many, or through another relation) is always prefetched. The query
    ignores a Prefetch's own filter: a relation without any row has none after filtering.
    """
    meta = instance._meta
    probed: list[tuple[str | Prefetch, Any]] = []
    prefetched: list[str | Prefetch] = []
    for lookup in lookups:
        path = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
        rel = meta.get_field(path.split("__")[0])
        if rel.one_to_many and rel.auto_created and "__" not in path:
            probed.append((lookup, rel))
        else:
            prefetched.append(lookup)
    if probed:
        quote = connection.ops.quote_name
        # One EXISTS per relation, each answered by the foreign key's index.
        sql = "SELECT " + ", ".join(
            f"EXISTS (SELECT 1 FROM {quote(rel.related_model._meta.db_table)} "
            f"WHERE {quote(rel.field.column)} = %s)"
            for _, rel in probed
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [instance.pk] * len(probed))
            present = cursor.fetchone()
        cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
        for (lookup, rel), has_rows in zip(probed, present, strict=True):
            if has_rows:
                prefetched.append(lookup)
            elif isinstance(lookup, Prefetch) and lookup.to_attr:
                setattr(instance, lookup.to_attr, [])
            else:
                # What Django's prefetch_one_level caches for a relation it found empty.
                empty = getattr(instance, rel.get_accessor_name()).get_queryset()
                empty._result_cache = []
                empty._prefetch_done = True
                cache[rel.cache_name] = empty
    prefetch_related_objects([instance], *prefetched)


def case_for_update(user: User, pk: int) -> Case:
    return get_object_or_404(
        cases_visible_to(user).select_related("office", "category", "agency", "court"), pk=pk
    )


def party_in_scope(user: User, case_pk: int, party_pk: int) -> Party:
    return get_object_or_404(
        Party.objects.select_related("case", "agency").filter(
            case__in=cases_visible_to(user), case_id=case_pk
        ),
        pk=party_pk,
    )


def agent_in_scope(user: User, case_pk: int, agent_pk: int) -> Agent:
    return get_object_or_404(
        Agent.objects.select_related("party__case").filter(
            party__case__in=cases_visible_to(user), party__case_id=case_pk
        ),
        pk=agent_pk,
    )


def attachment_in_scope(user: User, case_pk: int, attachment_pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.select_related("case").filter(
            case__in=cases_visible_to(user), case_id=case_pk
        ),
        pk=attachment_pk,
    )


# --- Home page queues --------------------------------------------------------------

QUEUE_LIMIT = 10
# The queues' badges count this far; beyond, they say 1000+.
QUEUE_COUNTED = 1000


QueueSpec = tuple[str, str, Status, tuple[str, ...]]  # key, title, state, order


def _queue_firsts(
    cases: QuerySet[Case], windows: list[tuple[Status, tuple[str, ...]]]
) -> list[list[Case]]:
    """The first QUEUE_LIMIT cases of each (state, order), one queue per state, each
    chosen in a subquery that reads only the index serving the state and the order, so
    that the joins of the rows (agency, referral) apply to those rows alone: joined first,
    PostgreSQL reads every row of the state, and the whole referral table, before it
    sorts and cuts.

    PostgreSQL takes the subqueries together (UNION ALL of each one's LIMIT) and the rows
    in one query, sorted into their queues here; SQLite allows no LIMIT in the parts of a
    compound statement, so there it is a query per queue."""
    firsts = [
        cases.filter(status=status).order_by(*order).values("pk")[:QUEUE_LIMIT]
        for status, order in windows
    ]
    columns = {name.lstrip("-") for _, order in windows for name in order}
    rows = Case.objects.select_related("agency", "referral").only(*HOME_ROW_COLUMNS, *columns)
    if not connection.features.supports_slicing_ordering_in_compound:
        return [
            list(rows.filter(pk__in=first).order_by(*order))
            for first, (_, order) in zip(firsts, windows, strict=True)
        ]
    by_status: dict[str, list[Case]] = {}
    for case in rows.filter(pk__in=firsts[0].union(*firsts[1:], all=True)):
        by_status.setdefault(case.status, []).append(case)
    return [_in_order(by_status.get(status, []), order) for status, order in windows]


def _in_order(cases: list[Case], order: tuple[str, ...]) -> list[Case]:
    """``cases`` in ``order`` as the database sorts them: ascending with empty values
    last, descending (``-name``) with empty values first."""
    for field in reversed(order):
        name = field.lstrip("-")

        def key(case: Case, name: str = name) -> tuple[bool, Any]:
            value = getattr(case, name)
            return (value is None, 0 if value is None else value)

        cases.sort(key=key, reverse=field.startswith("-"))
    return cases


def number_columns(via: str = "") -> tuple[str, ...]:
    """The columns Case.display_number reads, for ``.only()``; ``via`` is the path to the
    case ("case__", "agreement__case__") when the rows are another model's."""
    return tuple(
        via + name
        for name in (
            "source",
            "case_no",
            "registration_no",
            "referral__case_id",
            "referral__letter_no",
        )
    )


# The columns a case's row on the home page shows (home.html): its number, state, agency,
# next deadline and receipt date. Django's work per query grows with the columns selected,
# and a case's row with its agency and referral has about a hundred.
HOME_ROW_COLUMNS = (
    *number_columns(),
    "office_id",
    "status",
    "received_date",
    "next_deadline",
    "next_deadline_label",
    "agency__name",
    "agency__short_name",
)


# A row of the register (cases/case_list.html): a home row's columns, its category and the
# referring court.
REGISTER_ROW_COLUMNS = (*HOME_ROW_COLUMNS, "category__label", "court__name")


def _queues(
    cases: QuerySet[Case], specs: list[QueueSpec], link: Callable[[Status], str]
) -> list[tuple[str, str, list[Case], str, bool, str]]:
    """(key, title, first cases, total, more, link) of each state's queue: its first cases
    through the state's index (the queue indexes of cases.models.Case), their applicants
    in one query for all the queues, and in one more the totals of the queues that have
    more than they show (``more``), each counted no further than QUEUE_COUNTED."""
    firsts = _queue_firsts(cases, [(status, (*order, "id")) for _, _, status, order in specs])
    prefetch_related_objects([case for first in firsts for case in first], _applicants_prefetch())
    full = [
        status
        for (_, _, status, _), first in zip(specs, firsts, strict=True)
        if len(first) == QUEUE_LIMIT
    ]
    counted = [(cases.filter(status=status), QUEUE_COUNTED) for status in full]
    totals = dict(zip(full, bounded_counts(counted), strict=True))
    queues = []
    for (key, title, status, _), first in zip(specs, firsts, strict=True):
        total = totals.get(status, len(first))
        queues.append(
            (key, title, first, badge_text(total, QUEUE_COUNTED), total > len(first), link(status))
        )
    return queues


def office_queues(user: User) -> list[tuple[str, str, list[Case], str, bool, str]]:
    """The office's work waiting on someone."""
    register = reverse("cases:list")
    specs: list[QueueSpec] = [
        ("referrals", "待签收的法院委派", Status.REFERRAL_PENDING, ("next_deadline",)),
        ("registered", "待受理审查", Status.REGISTERED, ("next_deadline",)),
        ("supplement", "待补正", Status.AWAITING_SUPPLEMENT, ("supplement_due",)),
        ("unconfirmed", "待法院确认的纸质委派函", Status.REFERRAL_UNCONFIRMED, ("received_date",)),
    ]
    return _queues(
        cases_visible_to(user), specs, lambda status: f"{register}?status={status}&sort=deadline"
    )


def court_queues(user: User) -> list[tuple[str, str, list[Case], str, bool, str]]:
    """The referrals waiting on the court or on the office."""
    referrals = reverse("cases:referrals")
    specs: list[QueueSpec] = [
        ("to_confirm", "待确认的纸质委派函", Status.REFERRAL_UNCONFIRMED, ("received_date",)),
        ("pending", "工作室待签收", Status.REFERRAL_PENDING, ("next_deadline",)),
        ("returned", "被退回的委派", Status.REFERRAL_RETURNED, ("-updated_at",)),
    ]
    # Only a court referral is ever in a referral state; naming the source lets the queues
    # and their counts read case_court_referral_idx.
    cases = cases_visible_to(user).filter(source=Source.COURT_REFERRAL)
    return _queues(cases, specs, lambda status: f"{referrals}?status={status}")


def category_hints() -> dict[str, dict]:
    """What the intake form tells the clerk about each category (Art. 60, Art. 23)."""
    return {
        str(c.pk): {
            "art60": c.art60_mediable,
            "art60_note": c.art60_note,
            "recon_first": c.reconsideration_first,
            "recon_note": c.reconsideration_note,
        }
        for c in DisputeCategory.objects.filter(is_active=True)
    }


def court_referral_count(user: User, status: str | None) -> QuerySet[Case]:
    """The cases court_referrals lists, to count: without its join to the referral, the
    COUNT is an index-only scan of case_court_referral_idx."""
    cases = cases_visible_to(user).filter(source="court_referral")
    if status == "signed":
        return cases.filter(referral__signed_for_on__isnull=False)
    if status:
        return cases.filter(status=status)
    return cases


# A row of the court's referral list (cases/referral_list.html).
REFERRAL_ROW_COLUMNS = (
    "status",
    "case_no",
    "office__short_name",
    "agency__name",
    "agency__short_name",
    "referral__letter_no",
    "referral__letter_date",
    "referral__answer_due",
    "referral__return_reason",
    "referral__return_note",
    "referral__signed_for_on",
)


def court_referrals(user: User, status: str | None) -> QuerySet[Case]:
    """The court liaison's referrals, newest first, optionally in one state."""
    # A court referral is made with its referral (services.referral), so the inner join
    # loses nothing and lets referral_letter_idx give the newest letters first: the page
    # reads its 25 rows instead of sorting all of the court's referrals.
    cases = court_referral_count(user, status).filter(referral__isnull=False)
    return (
        cases.select_related("office", "agency", "referral")
        .only(*REFERRAL_ROW_COLUMNS)
        .prefetch_related(_applicants_prefetch())
        .order_by("-referral__letter_date", "-referral__case_id")
    )


# --- Mediation: dashboard, workload, approvals ------------------------------------------


def _effective_assignments(lookup: str = "assignments") -> Prefetch:
    """The mediators a list names beside each case: their names only, not whole
    assignments, mediators and user accounts."""
    return Prefetch(
        lookup,
        queryset=Assignment.objects.filter(status=Assignment.Status.EFFECTIVE)
        .select_related("mediator__user")
        .only("case_id", "mediator__user__name", "mediator__user__username"),
        to_attr="effective_assignments",
    )


def agenda_sessions(
    user: User,
    *,
    start: datetime,
    end: datetime,
    mediator: Mediator | None = None,
    per_day: int | None = None,
) -> list[Session]:
    """The sessions from ``start`` to ``end`` of the cases the user sees, not cancelled, of
    one mediator's cases when given; with ``per_day``, only each day's first that many,
    each carrying ``day_total``, the number of its day's sessions.

    session_agenda_idx (scheduled_at, status) finds the window; the columns read are those
    the agenda shows."""
    sessions = Session.objects.filter(
        case__in=cases_visible_to(user), scheduled_at__gte=start, scheduled_at__lt=end
    ).exclude(status=Session.Status.CANCELLED)
    if mediator is not None:
        sessions = sessions.filter(
            case__in=Assignment.objects.filter(
                mediator=mediator, status=Assignment.Status.EFFECTIVE
            ).values("case_id")
        )
    if per_day is not None:
        day = TruncDate("scheduled_at")  # the day in the office's time zone
        sessions = sessions.annotate(
            day_rank=Window(RowNumber(), partition_by=[day], order_by=["scheduled_at", "id"]),
            day_total=Window(Count("id"), partition_by=[day]),
        ).filter(day_rank__lte=per_day)
    return list(
        sessions.select_related("case__referral")
        .only(
            "case_id",
            "number",
            "scheduled_at",
            "place",
            "mode",
            "status",
            *number_columns("case__"),
        )
        .prefetch_related(_effective_assignments("case__assignments"))
        .order_by("scheduled_at", "id")
    )


DASHBOARD_ORDER = ("next_deadline", "id")


def deadline_dashboard(user: User, *, today: date, horizon_days: int, mine: bool) -> QuerySet[Case]:
    """Open deadlines of the user's office due within the horizon or overdue, most urgent
    first: the cases alone, to count and to page through (deadline_rows loads a page)."""
    cases = cases_visible_to(user).filter(
        next_deadline__isnull=False, next_deadline__lte=today + timedelta(days=horizon_days)
    )
    if mine:
        cases = cases.filter(
            pk__in=Assignment.objects.filter(
                mediator__user=user, status=Assignment.Status.EFFECTIVE
            ).values("case_id")
        )
    # case_office_deadline_idx reads the office's deadlines in order up to the horizon.
    return cases.order_by(*DASHBOARD_ORDER)


def deadline_rows(ids: list[int]) -> list[Case]:
    """The dashboard's rows of these cases (a page of deadline_dashboard), in its order."""
    return list(
        Case.objects.filter(pk__in=ids)
        .order_by(*DASHBOARD_ORDER)
        .select_related("agency", "referral", "court")
        # The columns _deadline_table.html shows, not whole cases and referrals.
        .only(
            *number_columns(),
            "office_id",
            "status",
            "next_deadline",
            "next_deadline_label",
            "agency__name",
            "agency__short_name",
            "court__name",
        )
        .prefetch_related(_applicants_prefetch(), _effective_assignments())
    )


def bounded_count(rows: QuerySet, limit: int) -> int:
    """How many ``rows`` there are, counted no further than ``limit + 1``: a total shown
    beside a list costs the same however many rows the office has gathered."""
    return bounded_counts([(rows, limit)])[0]


def bounded_counts(counted: list[tuple[QuerySet, int]]) -> list[int]:
    """``bounded_count(rows, limit)`` of each (rows, limit), all in one query of one bounded
    count each. Rows that cannot match (``none()``, ``pk__in=[]``) count 0 in it."""
    if not counted:
        return []
    parts: list[str] = []
    params: list[Any] = []
    for rows, limit in counted:
        try:
            sql, rows_params = rows.order_by().values("pk")[: limit + 1].query.sql_with_params()
        except EmptyResultSet:
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
        params.extend(rows_params)
    if all(part == "0" for part in parts):
        return [0] * len(parts)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return list(cursor.fetchone())


def badge_text(count: int, limit: int) -> str:
    """A count as a badge shows it: "1000+" beyond ``limit``."""
    return f"{limit}+" if count > limit else str(count)


def mediator_workload(user: User, *, today: date) -> tuple[list[Case], list[Session]]:
    """The mediator's own open cases and upcoming sessions: first the cases whose
    assignment waits for the mediator's declaration on conflicts of interest (no
    mediation before it), each with ``awaiting_declaration`` set; then the most urgent."""
    # A subquery rather than a join to the assignments: no DISTINCT, which sorted every
    # joined row of the mediator's open cases by all their columns to keep ten.
    assigned = Q(
        pk__in=Assignment.objects.filter(
            mediator__user=user,
            status__in=[Assignment.Status.EFFECTIVE, Assignment.Status.PENDING],
        ).values("case_id")
    )
    cases: list[Case] = list(
        cases_visible_to(user)
        .filter(
            assigned,
            status__in=[
                Status.ACCEPTED,
                Status.ASSIGNED,
                Status.IN_MEDIATION,
                Status.SUSPENDED,
                Status.AGREED,
            ],
        )
        .annotate(
            awaiting_declaration=Exists(
                Assignment.objects.filter(
                    case=OuterRef("pk"),
                    mediator__user=user,
                    status=Assignment.Status.PENDING,
                )
            )
        )
        .select_related("agency", "referral")
        .only(*HOME_ROW_COLUMNS)
        .prefetch_related(_applicants_prefetch())
        .order_by(F("awaiting_declaration").desc(), F("next_deadline").asc(nulls_last=True), "id")[
            :QUEUE_LIMIT
        ]
    )
    start = timezone.make_aware(datetime.combine(today, time.min))
    sessions = list(
        Session.objects.filter(
            case__in=cases_visible_to(user).filter(assigned).values("pk"),
            status=Session.Status.SCHEDULED,
            scheduled_at__gte=start,
        )
        .select_related("case", "case__referral")
        .only("case_id", "number", "scheduled_at", "place", "mode", *number_columns("case__"))
        .order_by("scheduled_at")[:QUEUE_LIMIT]
    )
    return cases, sessions


def pending_approvals(user: User) -> list[tuple[str, Case, object]]:
    """Extensions, terminations and conflict declarations waiting for the head."""
    scope = cases_visible_to(user)
    extensions_ = Extension.objects.filter(case__in=scope, status=Decision.PROPOSED)
    terminations = Termination.objects.filter(case__in=scope, status=Decision.PROPOSED)
    conflicts = Assignment.objects.filter(case__in=scope, status=Assignment.Status.CONFLICT)
    # Mostly nothing waits: one query asks which of the three has any, and only those are
    # read (the head's home otherwise spends three round trips on empty lists).
    has_extensions, has_terminations, has_conflicts = (
        User.objects.filter(pk=user.pk)
        .values_list(Exists(extensions_), Exists(terminations), Exists(conflicts))
        .get()
    )
    items: list[tuple[str, Case, object]] = []
    case = number_columns("case__")
    if has_extensions:
        for extension in extensions_.select_related("case", "case__referral").only(
            "case_id", "days", *case
        ):
            items.append((f"延长调解期限{extension.days}日", extension.case, extension))
    if has_terminations:
        for termination in terminations.select_related("case", "case__referral").only(
            "case_id", "reason", *case
        ):
            items.append(
                (f"终止调解：{termination.get_reason_display()}", termination.case, termination)
            )
    if has_conflicts:
        for assignment in conflicts.select_related("case", "case__referral", "mediator__user").only(
            "case_id", "mediator__user__name", "mediator__user__username", *case
        ):
            items.append(
                (f"调解员{assignment.mediator}声明存在利害关系", assignment.case, assignment)
            )
    return items
