"""The register's search: one key for every spelling of a number, terms kept current on
every write, and (on PostgreSQL) every kind of search served by indexes."""

import importlib
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from cases.identifiers import search_key
from cases.models import Party, SearchTerm
from cases.models.search import PARTIAL_KINDS
from cases.selectors import case_list
from cases.services import intake, records
from tests import factories
from tests.factories import VALID_ID, person, refer, register
from tests.helpers import credit_code

TODAY = date(2026, 11, 27)
ACT_NO = "潜政复〔2025〕3号"
LETTER_NO = "（2026）鄂0991行调12号"
PREFILING_NO = "（2026）鄂9005行诉前调7号"
CREDIT_CODE = credit_code("91429005MA49K3R7X")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(2026)鄂0991行调12号", "（2026）鄂0991行调12号"),
        ("［2026］鄂０９９１行调１２号", "（2026）鄂0991行调12号"),
        ("【2026】 鄂0991 行调 12 号", "（2026）鄂0991行调12号"),
        ("潜政复[2025]3号", "潜政复〔2025〕3号"),
        ("潜 政 复 [2025] 3 号", "潜政复〔2025〕3号"),
        ("潜政复﹝２０２５﹞３号", "潜政复〔2025〕3号"),
        ("91429005ma49k3r7xq", "91429005MA49K3R7XQ"),
    ],
)
def test_every_spelling_of_a_number_has_one_key(typed, stored):
    assert search_key(typed) == search_key(stored)


def test_the_key_has_half_width_round_brackets_no_spaces_and_upper_case():
    assert search_key(" 潜政复〔２０２５〕3号 ") == "潜政复(2025)3号"
    assert search_key("（2026）鄂0991行调12号") == "(2026)鄂0991行调12号"
    assert search_key("Ｗang　Ming") == "WANGMING"


@pytest.fixture
def found(office, clerk, head, court_liaison, frozen_today):
    """The numbers of the cases a search by ``q`` finds."""
    own = register(
        office,
        clerk,
        applicants=[person(name="欧阳明华", id_number=VALID_ID)],
        act_document_no=ACT_NO,
        agency=factories.AgencyFactory(name="潜江市住房和城乡建设局", short_name="市住建局"),
    )
    own = intake.case_accept(case=own, actor=head, accepted_on=TODAY)
    Party.objects.create(
        case=own,
        role=Party.Role.THIRD_PARTY,
        kind=Party.Kind.LEGAL_PERSON,
        name="潜江市江汉运输有限公司",
        uscc=CREDIT_CODE,
    )
    referred = refer(
        office,
        court_liaison,
        applicants=[person(name="诸葛亮", id_number="")],
        letter_no=LETTER_NO,
        act_document_no="鄂政复〔2025〕9号",
    )
    referred.referral.court_prefiling_no = PREFILING_NO
    referred.referral.save()

    def search(q: str) -> set[str]:
        user = factories.UserFactory(role=Role.CLERK, office=office)
        return {c.display_number for c in case_list(user, {"q": q}, today=TODAY)}

    search.own = own  # type: ignore[attr-defined]
    search.referred = referred  # type: ignore[attr-defined]
    return search


def test_a_number_typed_with_other_brackets_full_width_or_spaces_finds_its_case(found):
    own = found.own.case_no
    assert own == "（2026）潜行调字第1号"
    for typed in ("[2026]潜行调字第1号", "(２０２６)潜行调字第１号", " (2026) 潜行调字 第1号 "):
        assert found(typed) == {own}
    assert found("潜 政 复 [2025] 3 号") == {own}
    assert found(found.own.registration_no.replace("〔", "[").replace("〕", "]")) == {own}
    letter = f"委派函{LETTER_NO}"
    assert found("(2026)鄂0991行调12号") == {letter}
    assert found("[2026]鄂9005行诉前调7号") == {letter}


def test_a_number_typed_without_the_brackets_of_its_year_finds_its_case(found):
    own, letter = found.own.case_no, f"委派函{LETTER_NO}"
    assert found("2026潜行调字第1号") == {own}
    assert found("2026 潜行调") == {own}  # its beginning
    assert found("潜政复20253号") == {own}  # the act number's year inside
    assert found(found.own.registration_no.replace("〔", "").replace("〕", "")) == {own}
    assert found("2026鄂0991行调12号") == {letter}
    assert found("2025潜行调字第1号") == set()


def test_the_beginning_or_a_part_of_a_number_finds_its_case(found):
    own, letter = found.own.case_no, f"委派函{LETTER_NO}"
    assert found("(2026)潜行调") == {own}
    assert found("【2026】鄂0991") == {letter}
    assert found("潜政") == {own}  # the beginning of the act number
    # Three characters or more of the middle of a number: the trigram index on PostgreSQL.
    assert found("行调字第1") == {own}
    assert found("0991行调") == {letter}


def test_a_number_typed_in_full_is_looked_up_by_equality(
    found, office, monkeypatch, django_assert_num_queries
):
    user = factories.UserFactory(role=Role.CLERK, office=office)
    # One query reads the cases carrying the number; the register finds them by their ids.
    with django_assert_num_queries(1):
        whole = case_list(user, {"q": "[2026]潜行调字第1号"}, today=TODAY)
    assert {c.case_no for c in whole} == {found.own.case_no}
    sql = str(whole.query)
    assert "LIKE" not in sql.upper() and f'"cases_case"."id" IN ({found.own.pk})' in sql
    # A number more cases carry than are read as ids: all of them, through the terms.
    monkeypatch.setattr("cases.selectors.MAX_NUMBERED", 0)
    many = case_list(user, {"q": "鄂政复〔2025〕9号"}, today=TODAY)
    assert "cases_searchterm" in str(many.query)
    assert {c.display_number for c in many} == {f"委派函{LETTER_NO}"}
    # Not a whole number of any case: any part of it, as before.
    with CaptureQueriesContext(connection) as read:
        case_list(user, {"q": "潜行调字第1"}, today=TODAY)
    assert any("LIKE" in query["sql"].upper() for query in read.captured_queries)
    assert found("2026)潜行调字第1号") == {found.own.case_no}


@pytest.mark.parametrize(
    ("query", "reads"),
    [
        # And the agencies' short names, which three characters may be part of.
        pytest.param("阳明华", 2, id="3-character name"),
        pytest.param("阳明", 1, id="2-character name"),
        pytest.param(VALID_ID, 1, id="ID number"),
        # Tried as a whole number first.
        pytest.param(CREDIT_CODE, 2, id="credit code"),
    ],
)
def test_the_few_cases_a_search_finds_are_listed_by_their_ids(
    found, office, monkeypatch, django_assert_num_queries, query, reads
):
    user = factories.UserFactory(role=Role.CLERK, office=office)
    with django_assert_num_queries(reads):
        listed = case_list(user, {"q": query}, today=TODAY)
    sql = str(listed.query)
    assert f'"cases_case"."id" IN ({found.own.pk})' in sql and "cases_searchterm" not in sql
    assert list(listed) == [found.own]
    # More cases than are read as ids: all of them, through the terms.
    monkeypatch.setattr("cases.selectors.MAX_LISTED", 0)
    many = case_list(user, {"q": query}, today=TODAY)
    assert "cases_searchterm" in str(many.query)
    assert list(many) == [found.own]


def test_a_search_that_finds_nothing_reads_no_cases(found, office, django_assert_num_queries):
    user = factories.UserFactory(role=Role.CLERK, office=office)
    with django_assert_num_queries(1):  # the terms
        nothing = case_list(user, {"q": "明阳"}, today=TODAY)
    with django_assert_num_queries(0):
        assert nothing.count() == 0 and list(nothing) == []


def test_names_of_one_two_and_three_characters_find_their_case(found):
    own, letter = found.own.case_no, f"委派函{LETTER_NO}"
    assert found("欧") == {own}
    assert found("阳明") == {own}
    assert found("阳明华") == {own}
    assert found("欧阳明华") == {own}
    assert found("亮") == {letter}
    assert found("诸葛") == {letter}
    assert found("江汉运输") == {own}
    assert found("明阳") == set()


def test_id_numbers_and_credit_codes_match_in_full_only(found):
    own = found.own.case_no
    assert found(VALID_ID) == {own}
    assert found(VALID_ID[:12]) == set()
    assert found(CREDIT_CODE.lower()) == {own}
    assert found(CREDIT_CODE[:12]) == set()


def test_an_edited_name_is_found_under_the_new_name_only(found, clerk):
    case = found.own
    party = case.parties.get(name="欧阳明华")
    case.refresh_from_db()
    records.party_update(
        party=party, actor=clerk, data={"name": "司马光"}, expected_version=case.version
    )
    assert found("司马光") == found("马") == {case.case_no}
    assert found("欧阳") == found("明华") == set()


def test_a_removed_party_no_longer_matches(found, clerk):
    case = found.own
    company = case.parties.get(uscc=CREDIT_CODE)
    case.refresh_from_db()
    records.party_remove(party=company, actor=clerk, expected_version=case.version)
    assert found("江汉运输") == found(CREDIT_CODE) == set()
    assert not SearchTerm.objects.filter(term=CREDIT_CODE).exists()


def test_an_edited_act_number_is_found_under_the_new_number_only(found, clerk):
    case = found.own
    case.refresh_from_db()
    records.case_update(
        case=case,
        actor=clerk,
        data={"act_document_no": "潜政复〔2025〕4号"},
        expected_version=case.version,
    )
    assert found("潜政复[2025]4号") == {case.case_no}
    assert found("潜政复[2025]3号") == set()


# --- PostgreSQL: every kind of search is served by indexes ---------------------------------

SEQ_SCANS = ("Seq Scan on cases_case", "Seq Scan on cases_party", "Seq Scan on cases_searchterm")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans of PostgreSQL")
@pytest.mark.parametrize(
    "query",
    [
        pytest.param("（2026）潜行调字第1号", id="case number"),
        pytest.param("2026潜行调字第1号", id="case number without brackets"),
        pytest.param("2026潜行调", id="beginning of a number without brackets"),
        pytest.param("(2026)潜行调", id="beginning of a case number"),
        pytest.param("潜行调登[2026]0001号", id="registration number"),
        pytest.param("(2026)鄂0991行调12号", id="letter number"),
        pytest.param("潜政复[2025]3号", id="act number"),
        pytest.param("(2026)鄂9005行诉前调7号", id="prefiling number"),
        pytest.param("行调字第1", id="middle of a number"),
        pytest.param(VALID_ID, id="ID number"),
        pytest.param(CREDIT_CODE, id="credit code"),
        pytest.param("阳明华", id="3-character name"),
        pytest.param("阳明", id="2-character name"),
        pytest.param("欧", id="1-character name"),
        pytest.param("市住建局", id="agency's short name"),
    ],
)
@pytest.mark.parametrize("listed", [True, False], ids=["by ids", "through the terms"])
def test_no_search_scans_the_cases_or_the_parties(found, office, monkeypatch, query, listed):
    user = factories.UserFactory(role=Role.CLERK, office=office)
    if not listed:
        monkeypatch.setattr("cases.selectors.MAX_NUMBERED", 0)
        monkeypatch.setattr("cases.selectors.MAX_LISTED", 0)
    with CaptureQueriesContext(connection) as read:  # the terms, read first
        queryset = case_list(user, {"q": query}, today=TODAY)
    assert queryset.exists()
    # The planner may prefer a scan of the few test rows: forbid it where an index serves.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = [queryset.explain(), queryset.order_by().values("pk").explain()]
        for terms in read.captured_queries:
            cursor.execute(f"EXPLAIN {terms['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    for plan in plans:
        for scan in SEQ_SCANS:
            assert scan not in plan, plan


def test_rebuilding_the_terms_writes_the_same_terms(found):
    def terms() -> list[tuple]:
        rows = SearchTerm.objects.values_list("case_id", "party_id", "kind", "term")
        return sorted(rows, key=str)

    before = terms()
    call_command("rebuild_search_terms", stdout=StringIO())
    after = terms()
    assert after == before and len(before) > 20


def test_the_trigram_index_covers_the_kinds_searched_by_a_part():
    migration = importlib.import_module("cases.migrations.0024_register_search_terms")
    assert tuple(PARTIAL_KINDS) == migration.PARTIAL_KINDS


def test_an_agency_is_found_by_its_short_name_or_a_part_of_it(office, clerk, frozen_today):
    housing = factories.AgencyFactory(name="潜江市住房和城乡建设局", short_name="市住建局")
    police = factories.AgencyFactory(name="潜江市公安局", short_name="市公安局")
    sued = register(office, clerk, agency=housing)
    register(office, clerk, agency=police)
    user = factories.UserFactory(role=Role.CLERK, office=office)

    def found(q: str) -> set[str]:
        return {c.registration_no for c in case_list(user, {"q": q}, today=TODAY)}

    assert found("市住建局") == {sued.registration_no}
    assert found("住建局") == {sued.registration_no}  # three characters of the short name
    assert found("潜江市住房和城乡建设局") == {sued.registration_no}  # the full name, as before
    assert found("住建") == set()  # two characters: names of parties only
