"""Every indicator against figures computed by hand: the seed's 2023, the period's edges,
zero and small denominators, rounding, and the records each figure lists."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from liaison.indicators import CITY, Period, Scope, figure, percentage
from liaison.models import ResultType
from liaison.services import hearings, judgments, lawsuits, suggestions
from liaison.statistics import by_agency, sort_rows
from tests.helpers import html_of
from tests.liaison.conftest import decide, make_hearing, make_lawsuit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

Y2023 = Period.year(2023)


def suit(actor, court, agency, n, *, filed=date(2023, 3, 1), result=None, concluded=None):
    lawsuit = make_lawsuit(
        actor, court, agency, court_case_no=f"（{filed.year}）鄂9005行初{n}号", filed_on=filed
    )
    if result:
        lawsuit = decide(actor, lawsuit, result, concluded_on=concluded, served_on=None)
    return lawsuit


@pytest.fixture
def seed_2023(gov_liaison, court, agency):
    """51 filed in 2023; 36 concluded in 2023, one of them lost (the published figures)."""
    made = []
    for n in range(1, 52):
        if n == 1:
            made.append(
                suit(gov_liaison, court, agency, n, result="revoked", concluded=date(2023, 9, 1))
            )
        elif n <= 36:
            made.append(
                suit(
                    gov_liaison,
                    court,
                    agency,
                    n,
                    result="dismissed_claims",
                    concluded=date(2023, 10, 1),
                )
            )
        else:
            made.append(suit(gov_liaison, court, agency, n))
    return made


def test_the_2023_loss_rate_is_one_in_thirty_six_truncated(seed_2023, settings):
    loss = figure("loss_rate", Y2023, CITY)
    assert (loss.numerator, loss.denominator, loss.display) == (1, 36, "2.77%")
    assert figure("filed", Y2023, CITY).numerator == 51
    assert figure("concluded", Y2023, CITY).numerator == 36
    assert figure("lost", Y2023, CITY).numerator == 1
    settings.LIAISON_RATE_ROUNDING = "half_up"
    assert figure("loss_rate", Y2023, CITY).display == "2.78%"


def test_rounding_of_exact_and_repeating_fractions(settings):
    assert percentage(1, 36) == Decimal("2.77")
    assert percentage(11, 50) == Decimal("22.00")
    assert percentage(2, 3) == Decimal("66.66")
    settings.LIAISON_RATE_ROUNDING = "half_up"
    assert percentage(2, 3) == Decimal("66.67")
    assert percentage(1, 0) is None


def test_a_zero_denominator_shows_a_dash_never_zero_percent(db):
    loss = figure("loss_rate", Y2023, CITY)
    assert (loss.numerator, loss.denominator, loss.value, loss.display) == (0, 0, None, "—")


def test_a_small_sample_shows_its_fraction_and_is_not_ranked(
    gov_liaison, court, agency, other_agency, settings
):
    suit(gov_liaison, court, agency, 1, result="revoked", concluded=date(2023, 9, 1))
    for n in range(2, 4):
        suit(gov_liaison, court, agency, n, result="dismissed_claims", concluded=date(2023, 9, 1))
    for n in range(4, 10):
        suit(
            gov_liaison,
            court,
            other_agency,
            n,
            result="dismissed_claims",
            concluded=date(2023, 9, 1),
        )
    mine = figure("loss_rate", Y2023, Scope("agency", agency.pk))
    assert (mine.display, mine.small_sample, mine.rankable) == ("1/3", True, False)
    theirs = figure("loss_rate", Y2023, Scope("agency", other_agency.pk))
    assert (theirs.display, theirs.rankable) == ("0.00%", True)
    ranked = sort_rows(by_agency(Y2023, date(2026, 11, 27)), "loss_rate")
    # The agency with too few cases sorts last, whatever its rate.
    assert [r.label for r in ranked] == ["市公安局", "市人社局"]
    settings.LIAISON_MIN_SAMPLE = 3
    assert figure("loss_rate", Y2023, Scope("agency", agency.pk)).display == "33.33%"


def test_the_period_boundary_and_a_case_that_spans_two_years(gov_liaison, court, agency):
    suit(gov_liaison, court, agency, 1, result="revoked", concluded=date(2023, 12, 31))
    suit(
        gov_liaison,
        court,
        agency,
        2,
        filed=date(2023, 11, 1),
        result="revoked",
        concluded=date(2024, 1, 1),
    )
    assert figure("lost", Y2023, CITY).numerator == 1
    assert figure("lost", Period.year(2024), CITY).numerator == 1
    assert figure("filed", Y2023, CITY).numerator == 2
    assert figure("filed", Period.year(2024), CITY).numerator == 0
    assert figure("lost", Period.quarter(2023, 4), CITY).numerator == 1
    assert figure("lost", Period(date(2023, 12, 31), date(2024, 1, 1)), CITY).numerator == 2


def test_the_result_type_table_decides_what_is_a_loss(seed_2023):
    withdrawn = ResultType.objects.get(code="dismissed_claims")
    withdrawn.counts_as_loss = True
    withdrawn.save()
    assert figure("loss_rate", Y2023, CITY).display == "100.00%"
    withdrawn.counts_as_loss, withdrawn.counts_as_concluded = False, False
    withdrawn.save()
    loss = figure("loss_rate", Y2023, CITY)
    assert (loss.numerator, loss.denominator) == (1, 1)


def test_head_appearance_counts_deputies_not_heads_of_subordinate_bodies(
    gov_liaison, court, agency
):
    ranks = ["principal", "deputy", "in_charge", "subordinate", None]
    for n, rank in enumerate(ranks, start=1):
        lawsuit = suit(gov_liaison, court, agency, n)
        appearance = make_hearing(gov_liaison, lawsuit, held_on=date(2023, 5, n)).appearances.get()
        data = (
            {
                "head_appeared": True,
                "head_name": "李",
                "head_title": "局长",
                "head_rank": rank,
                "head_spoke": rank != "deputy",
            }
            if rank
            else {"head_appeared": False, "absence_reason": "none", "staff": "张三"}
        )
        hearings.record_appearance(
            appearance=appearance, actor=gov_liaison, data=data, expected_version=0
        )
    unrecorded = suit(gov_liaison, court, agency, 9)
    make_hearing(gov_liaison, unrecorded, held_on=date(2023, 6, 1))
    head = figure("head_rate", Y2023, CITY)
    assert (head.numerator, head.denominator) == (3, 5)
    principal = figure("principal_rate", Y2023, CITY)
    assert (principal.numerator, principal.denominator) == (1, 5)
    voice = figure("voice_rate", Y2023, CITY)
    assert (voice.numerator, voice.denominator) == (2, 3)


def test_performance_on_time_and_late(gov_liaison, court, agency):
    for n, performed in ((1, date(2023, 6, 30)), (2, date(2023, 8, 1)), (3, None)):
        decided = suit(gov_liaison, court, agency, n, result="revoked", concluded=date(2023, 5, 1))
        effective = lawsuits.record_effective(
            lawsuit=decided, actor=gov_liaison, effective_on=date(2023, 5, 20)
        )
        p = judgments.performance_create(
            lawsuit=effective,
            agency=agency,
            actor=gov_liaison,
            duty="重作",
            due_on=date(2023, 7, 1),
        )
        if performed:
            judgments.record_performed(
                performance=p,
                actor=gov_liaison,
                performed_on=performed,
                evidence="已履行",
                expected_version=None,
            )
    rate = figure("performance_rate", Y2023, CITY)
    assert (rate.numerator, rate.denominator) == (1, 3)


def test_reply_rate_counts_only_periods_that_have_ended(gov_liaison, court, agency, other_agency):
    for n, (issued, received) in enumerate(
        ((date(2026, 6, 1), date(2026, 6, 3)), (date(2026, 10, 1), date(2026, 10, 9))), start=1
    ):
        suggestions.suggestion_create(
            actor=gov_liaison,
            data={
                "number": f"潜法建〔2026〕{n}号",
                "court": court,
                "kind": "governance",
                "subject": "s",
                "content": "c",
                "issued_on": issued,
                "reply_months": 2,
                "hearing": None,
            },
            addressees=[
                suggestions.Addressee(agency, received),
                suggestions.Addressee(other_agency, received),
            ],
            lawsuits=[],
        )
    from liaison.models import Recipient

    first = Recipient.objects.filter(suggestion__number="潜法建〔2026〕1号")
    suggestions.record_reply(
        recipient=first.get(agency=agency),
        actor=gov_liaison,
        replied_on=date(2026, 7, 1),
        reply="r",
        adoption="adopted",
        measures="m",
        expected_version=None,
    )
    rate = figure("reply_rate", Period.year(2026), CITY)
    # Due 3 August: two addressees, one replied; the second suggestion is due in December.
    assert (rate.numerator, rate.denominator) == (1, 2)
    assert figure("late_replies", Period.year(2026), CITY).numerator == 1


@pytest.fixture
def volumes_2023(gov_liaison):
    """The justice bureau's returns of the first two quarters of 2023."""
    from liaison.services.reconsideration import save_volume

    for quarter, (revoked, mediated) in ((1, (3, 2)), (2, (1, 6))):
        values = {
            "received": 30,
            "accepted": 28,
            "concluded": 20,
            "upheld": 20 - revoked - mediated,
            "revoked": revoked,
            "changed": 0,
            "confirmed_illegal": 0,
            "ordered_performance": 0,
            "dismissed": 0,
            "mediated": mediated,
            "settled_withdrawn": 0,
            "other": 0,
        }
        save_volume(
            actor=gov_liaison, year=2023, quarter=quarter, values=values, expected_version=None
        )


def test_reconsideration_rates_from_the_quarters(volumes_2023):
    assert figure("reconsideration_correction_rate", Y2023, CITY).display == "10.00%"
    assert figure("reconsideration_settlement_rate", Y2023, CITY).display == "20.00%"
    assert (
        figure("reconsideration_correction_rate", Period.quarter(2023, 1), CITY).fraction == "3/20"
    )
    assert not figure("reconsideration_correction_rate", Y2023, Scope("agency", 1)).applicable


def test_every_figure_of_the_statistics_page_opens_what_it_counts(
    client_as, gov_liaison, seed_2023, volumes_2023
):
    client = client_as(gov_liaison)
    page = html_of(client.get(reverse("liaison:statistics") + "?period=year&year=2023"))
    records = reverse("liaison:statistics_records")
    drills = set(re.findall(rf'href="({records}\?[^"]+)"', page))
    assert len(drills) > 20
    for link in drills:
        assert client.get(unescape(link)).status_code == 200, link
    # The reconsideration rates add up the quarterly returns: they open that year's returns.
    returns = reverse("liaison:reconsideration") + "?year=2023"
    assert page.count(f'href="{returns}"') == 4
    assert "行政复议收结案数 · 2023年" in html_of(client.get(returns))
    across_years = "?period=custom&start=2022-12-01&end=2023-03-31"
    page = html_of(client.get(reverse("liaison:statistics") + across_years))
    assert reverse("liaison:reconsideration") + "?year=" not in page


@pytest.mark.parametrize(
    ("indicator", "part"),
    [
        ("filed", "numerator"),
        ("concluded", "numerator"),
        ("lost", "numerator"),
        ("loss_rate", "numerator"),
        ("loss_rate", "denominator"),
        ("loss_rate", "rest"),
    ],
)
def test_each_list_has_as_many_rows_as_its_number(
    client_as, gov_liaison, seed_2023, indicator, part
):
    f = figure(indicator, Y2023, CITY)
    expected = {
        "numerator": f.numerator,
        "denominator": f.denominator,
        "rest": (f.denominator or 0) - f.numerator,
    }[part]
    url = (
        reverse("liaison:statistics_records")
        + f"?period=year&year=2023&indicator={indicator}&part={part}"
    )
    response = client_as(gov_liaison).get(url)
    assert response.context["page_obj"].paginator.count == expected
    page = html_of(response)
    assert f'data-testid="record-count">{expected}<' in page


def test_the_lost_case_opens_from_its_figure(client_as, gov_liaison, seed_2023):
    url = (
        reverse("liaison:statistics_records")
        + "?period=year&year=2023&indicator=loss_rate&part=numerator"
    )
    page = html_of(client_as(gov_liaison).get(url))
    assert f'href="{seed_2023[0].get_absolute_url()}"' in page
    assert "（2023）鄂9005行初1号" in page


def test_the_statistics_page_shows_the_2023_figure_and_the_change_on_the_year(
    client_as, gov_liaison, court, agency, seed_2023
):
    for n in range(60, 70):
        suit(
            gov_liaison,
            court,
            agency,
            n,
            filed=date(2022, 3, 1),
            result="revoked" if n < 62 else "dismissed_claims",
            concluded=date(2022, 9, 1),
        )
    response = client_as(gov_liaison).get(reverse("liaison:statistics") + "?period=year&year=2023")
    rows = {r["figure"].code: r for r in response.context["government_rows"]}
    assert rows["loss_rate"]["figure"].display == "2.77%"
    assert rows["loss_rate"]["before"].display == "20.00%"
    assert rows["loss_rate"]["change"] == "-17.23个百分点"
    page = html_of(response)
    assert "2.77%" in page and "行政机关败诉率" in page
    assert 'id="chart-data"' in page


def test_a_lawsuit_against_two_agencies_counts_for_each_and_the_page_says_so(
    client_as, gov_liaison, court, agency, city_government
):
    make_lawsuit(gov_liaison, court, agency, co_defendant=city_government)
    response = client_as(gov_liaison).get(reverse("liaison:statistics") + "?period=year&year=2026")
    filed = {row.label: row.counts["filed"] for row in response.context["agency_rows"]}
    assert filed == {agency.short_name: 1, city_government.short_name: 1}
    rows = {r["figure"].code: r for r in response.context["government_rows"]}
    assert rows["filed"]["figure"].numerator == 1
    assert "分别计入每个机关，各机关之和可能大于全市数" in html_of(response)


@pytest.mark.parametrize("rows", [2, 8])
def test_the_statistics_page_query_count_stays_flat(
    client_as, gov_liaison, court, agency, other_agency, rows, django_assert_num_queries
):
    for n in range(rows):
        suit(
            gov_liaison,
            court,
            agency if n % 2 else other_agency,
            n + 1,
            result="revoked",
            concluded=date(2023, 9, 1),
        )
    client = client_as(gov_liaison)
    with django_assert_num_queries(65):
        client.get(reverse("liaison:statistics") + "?period=year&year=2023")


def test_the_agency_contact_sees_only_their_agency_whatever_the_url(
    client_as, gov_liaison, agency_contact, court, agency, other_agency
):
    suit(gov_liaison, court, agency, 1, result="revoked", concluded=date(2023, 9, 1))
    suit(gov_liaison, court, other_agency, 2, result="revoked", concluded=date(2023, 9, 1))
    client = client_as(agency_contact)
    for query in (
        "",
        f"&scope=agency&id={other_agency.pk}",
        "&scope=city",
        f"&scope=court&id={court.pk}",
    ):
        response = client.get(reverse("liaison:statistics") + "?period=year&year=2023" + query)
        assert response.context["scope"] == Scope("agency", agency.pk, agency.name)
        rows = {r["figure"].code: r["figure"] for r in response.context["government_rows"]}
        assert rows["lost"].numerator == 1
        assert [r.label for r in response.context["agency_rows"]] == ["市人社局"]
        assert "office_rows" not in response.context
    url = (
        reverse("liaison:statistics_records")
        + f"?period=year&year=2023&indicator=lost&scope=agency&id={other_agency.pk}"
    )
    page = html_of(client.get(url))
    assert "（2023）鄂9005行初1号" in page and "（2023）鄂9005行初2号" not in page


def test_the_office_head_sees_the_office_figures_only(client_as, head, office, other_office):
    response = client_as(head).get(
        reverse("liaison:statistics") + f"?scope=office&id={other_office.pk}"
    )
    assert response.context["scope"].kind == "office" and response.context["scope"].pk == office.pk
    assert "government_rows" not in response.context
    codes = [r["figure"].code for r in response.context["office_rows"]]
    assert codes[0] == "mediation_success_rate"
    url = reverse("liaison:statistics_records") + "?indicator=loss_rate"
    assert client_as(head).get(url).status_code == 403


def test_others_see_no_statistics(client_as, clerk, court_liaison, admin_user):
    for user in (clerk, court_liaison, admin_user):
        assert client_as(user).get(reverse("liaison:statistics")).status_code == 403


def test_a_bad_period_shows_this_year_with_a_message(client_as, gov_liaison):
    response = client_as(gov_liaison).get(
        reverse("liaison:statistics") + "?period=quarter&year=2023&quarter=7"
    )
    assert response.context["period"] == Period.year(2026)
    assert "统计期间不正确，已显示2026年。" in html_of(response)
    response = client_as(gov_liaison).get(
        reverse("liaison:statistics") + "?period=custom&start=2026-05-01&end=2026-01-01"
    )
    assert response.context["period"] == Period.year(2026)
    page = html_of(response)
    assert "截止日期早于起始日期，已显示2026年。" in page
    assert "统计期间不正确" not in page  # one message for one mistake
    assert (
        client_as(gov_liaison).get(reverse("liaison:statistics") + "?scope=planet").status_code
        == 404
    )


def test_a_bad_start_of_a_custom_period_says_what_is_counted_instead(client_as, gov_liaison):
    response = client_as(gov_liaison).get(
        reverse("liaison:statistics") + "?period=custom&start=2026-02-30&end=2026-03-01"
    )

    assert response.context["period"] == Period(date(2026, 1, 1), date(2026, 3, 1))
    page = html_of(response)
    assert "起始日期应为 2000-01-01 至 2099-12-31 之间的日期（如 2026-01-01），" in page
    assert "已显示本年1月1日起的数据。" in page


def test_a_bad_start_after_the_end_is_the_only_message(client_as, gov_liaison):
    response = client_as(gov_liaison).get(
        reverse("liaison:statistics") + "?period=custom&start=2026-02-30&end=2025-12-31"
    )

    assert response.context["period"] == Period.year(2026)
    page = html_of(response)
    assert "起始日期应为 2000-01-01 至 2099-12-31 之间的日期" in page
    assert "截止日期早于起始日期" not in page  # the end the user typed was not wrong


def test_office_indicators_from_the_cases(
    gov_liaison, office, clerk, head, mediator, court, agency
):
    from agreements.services import performance
    from cases.models import CaseEvent
    from cases.services import mediation
    from tests import factories

    agreement = factories.effective_agreement(office, clerk, head, mediator, agency=agency)
    for obligation in agreement.obligations.all():
        performance.record_performance(
            obligation=obligation, actor=clerk, performed_on=date(2026, 11, 27), proof_note="凭证"
        )
    case = agreement.case
    case.refresh_from_db()
    mediation.close_case(case=case, actor=head, note="已履行完毕。")
    ended = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.AGREEMENT_REACHED)
    assert ended.data["mediation_due"] == "2026-12-28"
    scope, period = Scope("office", office.pk), Period.year(2026)
    assert figure("mediation_success_rate", period, scope).fraction == "1/1"
    assert figure("confirmation_application_rate", period, scope).fraction == "0/1"
    assert figure("overdue_rate", period, scope).fraction == "0/1"
    days = figure("resolution_days", period, scope)
    assert (days.numerator, days.value, days.median) == (1, Decimal("0.0"), Decimal("0.0"))
    assert figure("litigated_after", period, scope).fraction == "0/1"
    make_lawsuit(gov_liaison, court, agency, mediation_case=case)
    assert figure("litigated_after", period, scope).fraction == "1/1"
    assert not figure("mediation_success_rate", period, Scope("agency", agency.pk)).applicable


def test_a_misspelt_rounding_setting_fails_the_system_check(settings):
    from liaison.checks import statistics_settings

    assert statistics_settings(None) == []
    settings.LIAISON_RATE_ROUNDING = "half-up"
    settings.LIAISON_MIN_SAMPLE = 0
    assert [e.id for e in statistics_settings(None)] == ["liaison.E001", "liaison.E002"]


def test_resolution_days_take_out_finished_suspensions_by_closing_date(office, clerk):
    """Average and median days from acceptance to closing, of the cases closed in the year."""
    from cases.models import Case, Status, Suspension
    from tests import factories

    def closed(accepted_on, closed_on, *pauses):
        case = factories.register(office, clerk)
        Case.objects.filter(pk=case.pk).update(
            status=Status.CLOSED, accepted_on=accepted_on, closed_on=closed_on
        )
        for started_on, ended_on in pauses:
            Suspension.objects.create(
                case=case,
                reason=Suspension.Reason.APPRAISAL,
                started_on=started_on,
                ended_on=ended_on,
                started_by=clerk,
            )

    closed(date(2026, 1, 5), date(2026, 2, 4), (date(2026, 1, 10), date(2026, 1, 15)))  # 30 - 5
    closed(date(2026, 3, 1), date(2026, 3, 11), (date(2026, 3, 2), None))  # 10: still paused
    closed(date(2026, 4, 1), date(2026, 5, 1))  # 30
    closed(date(2025, 12, 20), date(2026, 1, 9))  # 20: accepted the year before
    closed(date(2025, 11, 1), date(2025, 12, 31))  # closed the year before: not counted
    days = figure("resolution_days", Period.year(2026), Scope("office", office.pk))
    # (25 + 10 + 30 + 20) / 4 = 21.25; the median of 10, 20, 25, 30 is 22.5.
    assert (days.numerator, days.value, days.median) == (4, Decimal("21.3"), Decimal("22.5"))
    assert days.display == "21.3日"
