"""The case register's search keys (cases.selectors._search).

Every case has a row per key it can be found by: the search key (``search_key``) of its
registration, case, act, letter and court pre-filing numbers, of each party's name,
the name's pieces of one and two characters, and the party's ID number and credit code
as saved. The register looks a query up here with one indexed predicate and joins
the cases it names, instead of matching patterns over every case and every party.

The rows are written when a case, referral or party is saved (their ``save`` calls
``replace_terms``), go with a deleted party or case (on_delete=CASCADE), are written in
bulk by demo.grow, and were filled for older cases by migration 0024 (``rebuild_terms``,
also the command ``rebuild_search_terms``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps as installed_apps
from django.apps.registry import Apps
from django.db import models

from cases.identifiers import search_key

TERM_LENGTH = 200


class TermKind(models.TextChoices):
    REGISTRATION_NO = "registration_no", "登记号"
    CASE_NO = "case_no", "案号"
    ACT_DOCUMENT_NO = "act_document_no", "行政行为文号"
    LETTER_NO = "letter_no", "委派函编号"
    PREFILING_NO = "prefiling_no", "法院诉前调解号"
    NAME = "name", "当事人名称"
    NAME_PIECE = "name_piece", "当事人名称中的一两个字"
    ID_NUMBER = "id_number", "证件号码"
    USCC = "uscc", "统一社会信用代码"


CASE_KINDS = (TermKind.REGISTRATION_NO, TermKind.CASE_NO, TermKind.ACT_DOCUMENT_NO)
REFERRAL_KINDS = (TermKind.LETTER_NO, TermKind.PREFILING_NO)
NUMBER_KINDS = (*CASE_KINDS, *REFERRAL_KINDS)
# Found by a part of the key (three characters or more) or its beginning.
PARTIAL_KINDS = (*NUMBER_KINDS, TermKind.NAME)
# Found by their beginning: a piece starts with each character of the name.
PREFIX_KINDS = (*PARTIAL_KINDS, TermKind.NAME_PIECE)
# Personal identifiers: found only when typed in full.
EXACT_KINDS = (TermKind.ID_NUMBER, TermKind.USCC)

# The fields whose change changes a row's keys (a save with other update_fields keeps them).
CASE_FIELDS = frozenset({"registration_no", "case_no", "act_document_no"})
REFERRAL_FIELDS = frozenset({"letter_no", "court_prefiling_no", "case"})
PARTY_FIELDS = frozenset({"name", "id_number", "uscc", "case"})


class SearchTerm(models.Model):
    """One key a case is found by in the register."""

    # No index of its own: searchterm_case_kind_idx starts with it.
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="search_terms",
        db_index=False,
        help_text="按此检索词查到的案件。",
    )
    # Indexed: a party's keys are replaced when it is saved and deleted with it.
    party = models.ForeignKey(
        "cases.Party",
        verbose_name="当事人",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="检索词取自当事人的，为该当事人；取自案件编号的为空。",
    )
    kind = models.CharField(
        "种类", max_length=20, choices=TermKind.choices, help_text="检索词取自哪个编号或名称。"
    )
    # Indexed by searchterm_term_idx; the trigram index for LIKE '%…%' is PostgreSQL's
    # only and made in migration 0024.
    term = models.CharField(
        "检索词",
        max_length=TERM_LENGTH,
        help_text="统一括号、半角、去空格、大写后的编号或名称。",
    )

    class Meta:
        verbose_name = "检索词"
        verbose_name_plural = "检索词"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=TermKind.values), name="searchterm_kind_valid"
            ),
        ]
        indexes = [
            # The register's search (cases.selectors._search): term = '…' and, on
            # PostgreSQL, term LIKE '…%' (varchar_pattern_ops serves both; SQLite ignores
            # the operator class and serves = and the range it asks for a beginning).
            models.Index(
                fields=["term"], name="searchterm_term_idx", opclasses=["varchar_pattern_ops"]
            ),
            # Replacing a case's number keys when the case or its referral is saved.
            models.Index(fields=["case", "kind"], name="searchterm_case_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.term


def _term(kind: str, text: str | None) -> tuple[str, str] | None:
    key = search_key(text or "")[:TERM_LENGTH]
    return (kind, key) if key else None


def case_terms(case: Any) -> list[tuple[str, str]]:
    """(kind, term) of a case's own numbers."""
    terms = [_term(kind, getattr(case, kind)) for kind in CASE_KINDS]
    return [t for t in terms if t]


def referral_terms(referral: Any) -> list[tuple[str, str]]:
    """(kind, term) of a referral's letter and pre-filing numbers."""
    terms = [
        _term(TermKind.LETTER_NO, referral.letter_no),
        _term(TermKind.PREFILING_NO, referral.court_prefiling_no),
    ]
    return [t for t in terms if t]


def party_terms(party: Any) -> list[tuple[str, str]]:
    """(kind, term) of a party: its name, the name's pieces, its ID number and credit code.

    The pieces are every two characters side by side and the last character, so each
    character of the name begins a piece: a search for one character is a prefix match
    on the pieces, for two an equality."""
    terms: list[tuple[str, str]] = []
    name = search_key(party.name or "")[:TERM_LENGTH]
    if name:
        terms.append((TermKind.NAME, name))
        pieces = {name[i : i + 2] for i in range(len(name) - 1)} | {name[-1]}
        terms += [(TermKind.NAME_PIECE, piece) for piece in sorted(pieces - {name})]
    for kind, value in ((TermKind.ID_NUMBER, party.id_number), (TermKind.USCC, party.uscc)):
        if term := _term(kind, value):
            terms.append(term)
    return terms


def term_rows(
    terms: Iterable[tuple[str, str]], *, case_id: int, party_id: int | None = None
) -> list[SearchTerm]:
    return [
        SearchTerm(case_id=case_id, party_id=party_id, kind=kind, term=term) for kind, term in terms
    ]


def replace_terms(
    terms: Iterable[tuple[str, str]],
    *,
    case_id: int,
    kinds: Iterable[str],
    party_id: int | None = None,
    fresh: bool = False,
) -> None:
    """Put ``terms`` in place of the case's (or the party's) terms of ``kinds``;
    ``fresh``: the row was just inserted and has none yet."""
    if not fresh:
        if party_id is not None:
            SearchTerm.objects.filter(party_id=party_id).delete()
        else:
            SearchTerm.objects.filter(case_id=case_id, kind__in=list(kinds)).delete()
    SearchTerm.objects.bulk_create(term_rows(terms, case_id=case_id, party_id=party_id))


def changes_terms(update_fields: Iterable[str] | None, fields: frozenset[str]) -> bool:
    return update_fields is None or not fields.isdisjoint(update_fields)


def rebuild_terms(apps: Apps = installed_apps, *, chunk: int = 2000) -> int:
    """Write every case's terms afresh, ``chunk`` cases a round; returns the rows written.
    ``apps`` is a migration's state in a data migration."""
    case_model = apps.get_model("cases", "Case")
    referral_model = apps.get_model("cases", "Referral")
    party_model = apps.get_model("cases", "Party")
    term_model = apps.get_model("cases", "SearchTerm")
    term_model.objects.all().delete()
    ids = list(case_model.objects.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        rows = []
        for case in case_model.objects.filter(pk__in=part).only(*CASE_FIELDS):
            rows += [term_model(case_id=case.pk, kind=k, term=t) for k, t in case_terms(case)]
        for referral in referral_model.objects.filter(case_id__in=part).only(
            "case_id", "letter_no", "court_prefiling_no"
        ):
            rows += [
                term_model(case_id=referral.case_id, kind=k, term=t)
                for k, t in referral_terms(referral)
            ]
        for party in party_model.objects.filter(case_id__in=part).only(
            "case_id", "name", "id_number", "uscc"
        ):
            rows += [
                term_model(case_id=party.case_id, party_id=party.pk, kind=k, term=t)
                for k, t in party_terms(party)
            ]
        written += len(term_model.objects.bulk_create(rows, batch_size=5000))
    return written
