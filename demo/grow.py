"""Grow the demo office to N cases in bulk, for benchmarks.

The demo cases (``seed_demo``) were made through the services, so together they hold
every state and stage with everything that goes with it: parties, claims, referrals,
assignments, sessions and their attendance, extensions, suspensions, terminations,
agreements with their checklist, obligations, signatures and confirmations, the
documents' records and attachments, and the timeline. Growing copies them: each new
case is a copy of one demo case with all its rows, written with ``bulk_create``, its
dates moved back (open cases by up to a few months, finished ones by up to six years),
new registration, case, letter and act numbers, and new parties' names, citizen ID
numbers and credit codes (valid check characters, from ``cases.identifiers``), and the
register's search terms of the copies (``cases.models.search``).

Running it again to the same N adds nothing; to a larger N it adds the difference.
"""

from __future__ import annotations

import random
import re
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.db import connection, models, transaction

from accounts.models import Office
from agreements.models import Agreement, ChecklistAnswer, Confirmation, Obligation, Signature
from cases.identifiers import citizen_id_check_char, org_code_check_char, uscc_check_char
from cases.models import (
    Agent,
    Assignment,
    Attachment,
    Case,
    CaseEvent,
    Claim,
    CourtReport,
    Extension,
    Party,
    Referral,
    SearchTerm,
    Session,
    Suspension,
    Termination,
    UndisputedFacts,
)
from cases.models.case import OPEN_STATUSES
from cases.models.search import case_terms, party_terms, referral_terms, term_rows
from demo.cases import GIVEN, PLAN, SURNAMES
from documents.models import Document

# Parents before children; every foreign key among these points to an earlier model (or,
# for Agreement.previous, to the model itself, set in a second pass).
MODELS: tuple[type[models.Model], ...] = (
    Case,
    Referral,
    Claim,
    Party,
    Agent,
    Attachment,
    CaseEvent,
    Suspension,
    Termination,
    Extension,
    CourtReport,
    Assignment,
    UndisputedFacts,
    Session,
    Agreement,
    Document,
    ChecklistAnswer,
    Obligation,
    Signature,
    Confirmation,
)
# The office's first cases are copied: those seed_demo makes (or fewer, if there are fewer).
TEMPLATES = sum(count for _, _, count, _ in PLAN)
BATCH = 1000  # cases written per bulk_create round
OPEN_SHARE = 0.1  # share of the copies made from a still-open demo case
NUMBER_BASE = 10_000  # grown sequence numbers start here, clear of the services' own
DOCUMENTS = 16  # documents printed once, through the documents service, to be copied
_YEAR_NUMBER = re.compile(r"([〔（(\[])\d{4}([〕）)\]])(.*?)\d+号")


def grow_cases(
    target: int,
    *,
    office: Office | None = None,
    open_share: float = OPEN_SHARE,
    documents: int = DOCUMENTS,
) -> int:
    """Copy demo cases until ``office`` (the demo office) has ``target`` cases; returns
    how many were added."""
    if office is None:
        office = Office.objects.order_by("pk").first()
    if office is None:
        raise ValueError("没有工作室：请先运行 seed_demo。")
    existing = Case.objects.filter(office=office).count()
    if not existing:
        raise ValueError("该工作室还没有案件：请先运行 seed_demo 生成演示案件。")
    if target <= existing:
        return 0
    print_documents(office, documents)
    templates = Templates(office)
    added = 0
    while existing + added < target:
        count = min(BATCH, target - existing - added)
        with transaction.atomic():
            templates.copy(range(existing + added, existing + added + count), open_share)
        added += count
    if connection.vendor == "postgresql":
        # The planner's statistics, and the visibility map that lets a count read an index
        # alone, as autovacuum keeps them for rows this old. VACUUM cannot run inside a
        # transaction (a test's): there, the statistics only.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    return added


def print_documents(office: Office, limit: int) -> int:
    """Print up to ``limit`` documents of the demo cases once, a few of each type, through
    the documents service, so the copies carry real documents' records and files.
    Returns how many were made (none if the demo cases already have documents, or when
    documents cannot be printed here)."""
    from accounts.models import Role, User
    from documents.services import available, generate

    cases = list(Case.objects.filter(office=office).order_by("pk")[:TEMPLATES])
    if not limit or Document.objects.filter(case__in=cases).exists():
        return 0
    clerk = User.objects.filter(office=office, role=Role.CLERK).order_by("pk").first()
    made: dict[str, int] = defaultdict(int)
    for case in cases:
        for spec, subjects in available(case):
            if sum(made.values()) >= limit or made[spec.kind] >= 2:
                continue
            try:
                generate(case=case, actor=clerk, kind=spec.kind, subject=subjects[0].key)
            except Exception:  # a document this case cannot have yet, or no PDF library here
                continue
            made[spec.kind] += 1
    return sum(made.values())


class Templates:
    """The demo cases with every row that belongs to them, read once."""

    def __init__(self, office: Office) -> None:
        cases = list(Case.objects.filter(office=office).order_by("pk")[:TEMPLATES])
        self.office = office
        self.open = [c.pk for c in cases if c.status in OPEN_STATUSES]
        self.finished = [c.pk for c in cases if c.status not in OPEN_STATUSES]
        # rows[model][case pk] = that case's rows of the model, in pk order
        self.rows: dict[type[models.Model], dict[int, list[models.Model]]] = {}
        self.root: dict[tuple[type[models.Model], int], int] = {}
        for case in cases:
            self.root[Case, case.pk] = case.pk
        self.rows[Case] = {c.pk: [c] for c in cases}
        for model in MODELS[1:]:
            parent = _parent_field(model)
            ids = {pk for (m, pk) in self.root if m is parent.related_model}
            grouped: dict[int, list[models.Model]] = defaultdict(list)
            for row in model._default_manager.filter(**{f"{parent.name}__in": ids}).order_by("pk"):
                root = self.root[parent.related_model, getattr(row, parent.attname)]
                self.root[model, row.pk] = root
                grouped[root].append(row)
            self.rows[model] = grouped
        # Many-to-many rows: (through model, its two foreign keys) -> rows by source pk.
        self.m2m = []
        for model in MODELS:
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                source = field.m2m_field_name()
                target = field.m2m_reverse_field_name()
                ids = [pk for (m, pk) in self.root if m is model]
                by_source: dict[int, list[int]] = defaultdict(list)
                for a, b in through.objects.filter(**{f"{source}_id__in": ids}).values_list(
                    f"{source}_id", f"{target}_id"
                ):
                    by_source[a].append(b)
                self.m2m.append((through, source, target, field.related_model, model, by_source))

    def copy(self, serials: range, open_share: float) -> None:
        """Write one copy of a demo case for each serial number, with all its rows."""
        plan = []
        for serial in serials:
            rng = random.Random(serial)
            if self.open and rng.random() < open_share:
                template, offset = rng.choice(self.open), rng.randint(0, 90)
            elif self.finished:
                template, offset = rng.choice(self.finished), rng.randint(0, 6 * 365)
            else:
                template, offset = rng.choice(self.open), rng.randint(0, 90)
            plan.append((serial, template, timedelta(days=offset), rng))
        new: dict[tuple[type[models.Model], int, int], int] = {}  # (model, serial, old) -> pk
        terms: list[SearchTerm] = []  # the register's search terms of the copies
        with _keep_timestamps():
            for model in MODELS:
                made, origin = [], []
                for serial, template, shift, rng in plan:
                    for row in self.rows[model].get(template, ()):
                        made.append(self._clone(row, serial, shift, rng, new))
                        origin.append((serial, row))
                if not made:
                    continue
                created = model._default_manager.bulk_create(made)
                for (serial, row), copy in zip(origin, created, strict=True):
                    new[model, serial, row.pk] = copy.pk
                if model is Agreement:
                    _link_versions(created, origin, new)
                terms += _search_terms(created)
        SearchTerm.objects.bulk_create(terms, batch_size=5000)
        for through, source, target, target_model, model, by_source in self.m2m:
            links = []
            for serial, template, _, _ in plan:
                for row in self.rows[model].get(template, ()):
                    for other in by_source.get(row.pk, ()):
                        other_pk = new.get((target_model, serial, other), other)
                        links.append(
                            through(
                                **{
                                    f"{source}_id": new[model, serial, row.pk],
                                    f"{target}_id": other_pk,
                                }
                            )
                        )
            through.objects.bulk_create(links)

    def _clone(
        self,
        row: models.Model,
        serial: int,
        shift: timedelta,
        rng: random.Random,
        new: dict[tuple[type[models.Model], int, int], int],
    ) -> models.Model:
        model = type(row)
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            value = getattr(row, field.attname)
            if field.is_relation and value is not None:
                related = field.related_model
                if related is model:
                    value = None  # Agreement.previous: linked after the insert
                elif related in MODELS:
                    value = new[related, serial, value]
            elif isinstance(value, datetime | date) and value is not None:
                value = value - shift
            values[field.attname] = value
        copy = model(**values)
        _renumber(copy, serial, rng, self.office)
        return copy


def _search_terms(created: list[models.Model]) -> list[SearchTerm]:
    """The search terms of bulk-created cases, referrals and parties (which bulk_create
    writes without calling their save())."""
    rows: list[SearchTerm] = []
    for row in created:
        if isinstance(row, Case):
            rows += term_rows(case_terms(row), case_id=row.pk)
        elif isinstance(row, Referral):
            rows += term_rows(referral_terms(row), case_id=row.case_id)
        elif isinstance(row, Party):
            rows += term_rows(party_terms(row), case_id=row.case_id, party_id=row.pk)
    return rows


def _parent_field(model: type[models.Model]) -> models.ForeignKey:
    """The foreign key that ties a row to its case: ``case`` or its first copied parent."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model in MODELS and f.related_model is not model
    ]
    for field in fields:
        if field.related_model is Case:
            return field
    return fields[0]


def _renumber(row: models.Model, serial: int, rng: random.Random, office: Office) -> None:
    """New numbers and identities for a copy, so searches find one case, not hundreds."""
    seq = NUMBER_BASE + serial
    if isinstance(row, Case):
        year = row.received_date.year
        if row.registration_no:
            row.registration_no = office.registration_number_pattern.format(year=year, seq=seq)
        if row.case_no:
            row.case_no = office.case_number_pattern.format(year=year, seq=seq)
        if row.submission_token:
            row.submission_token = uuid.uuid4()
        if row.act_document_no:
            row.act_document_no = _number(
                row.act_document_no, row.act_date or row.received_date, seq
            )
    elif isinstance(row, Referral):
        row.letter_no = _number(row.letter_no, row.letter_date, seq)
        row.court_prefiling_no = _number(row.court_prefiling_no, row.letter_date, seq)
    elif isinstance(row, Party) and row.kind != Party.Kind.AGENCY:
        if row.kind == Party.Kind.NATURAL_PERSON:
            row.name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if row.id_number and row.id_type == "resident_id":
            row.birth_date = date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
            body = f"429005{row.birth_date:%Y%m%d}{seq % 1000:03d}"
            row.id_number = body + citizen_id_check_char(body)
        if row.uscc:
            body8 = f"MA{seq % 1_000_000:06d}"
            body17 = "91429005" + body8 + org_code_check_char(body8)
            row.uscc = body17 + uscc_check_char(body17)
    elif isinstance(row, Agent) and row.name:
        row.name = rng.choice(SURNAMES) + rng.choice(GIVEN)


def _number(text: str, day: date, seq: int) -> str:
    """``潜人社罚〔2024〕12号`` -> the same with the year of ``day`` and ``seq``."""
    if not text:
        return text
    replaced = _YEAR_NUMBER.sub(lambda m: f"{m[1]}{day.year}{m[2]}{m[3]}{seq}号", text, count=1)
    return replaced if replaced != text else f"{text}-{seq}"


def _link_versions(
    created: list[models.Model],
    origin: list[tuple[int, models.Model]],
    new: dict[tuple[type[models.Model], int, int], int],
) -> None:
    later = []
    for (serial, row), copy in zip(origin, created, strict=True):
        if row.previous_id:
            copy.previous_id = new[Agreement, serial, row.previous_id]
            later.append(copy)
    if later:
        Agreement.objects.bulk_update(later, ["previous"])


@contextmanager
def _keep_timestamps() -> Iterator[None]:
    """Let bulk_create write the moved ``auto_now``/``auto_now_add`` times as given."""
    saved = []
    for model in MODELS:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, now, now_add in saved:
            field.auto_now, field.auto_now_add = now, now_add
