"""No value in the query string gives a server error.

Each page is visited once with a query dictionary that records which parameters
the view (and its forms) read; then each parameter it read is sent malformed,
negative, huge and out of range, once for the first role whose page reads it. Every answer must be a page (with a message),
a redirect or a 404, never a 5xx.
"""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from tests.factories import agreed_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

BAD_VALUES = (
    "",
    "abc",
    "-5",
    "0",
    "99999999999999999999",
    "1e309",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "2026-13-01",
    "99999-01-01",
    "-0001-01-01",
    "２０２６",
    "' OR 1=1 --",
    "%00",
    "\x00",
    "x" * 3000,
)

# Pages with no query parameter still get one probe, so a new parameter is found.
PAGES = (
    "home",
    "deadlines",
    "notifications",
    "cases:deadline_calculator",
    "cases:agency_list",
    "cases:calendar",
    "cases:list",
    "cases:register",
    "cases:agenda",
    "cases:court_reports",
    "cases:referrals",
    "cases:referral_new",
    "cases:referral_record",
    "agreements:confirmations",
    "agreements:performance",
)


class RecordingQueryDict(QueryDict):
    read: set[str] = set()

    def __getitem__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        RecordingQueryDict.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        RecordingQueryDict.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__contains__(key)


def _parameters_read(client, url, monkeypatch) -> set[str]:
    """What the view reads; sent again with those set, until it reads nothing new (a form
    read only once its first field is there, like the deadline calculator's)."""
    from django.core.handlers import wsgi

    found: set[str] = set()
    with monkeypatch.context() as patch:
        patch.setattr(wsgi, "QueryDict", RecordingQueryDict)
        for _ in range(3):
            RecordingQueryDict.read = set()
            client.get(url, {"probe": "1", **dict.fromkeys(found, "1")})
            if RecordingQueryDict.read - {"probe"} <= found:
                break
            found |= RecordingQueryDict.read - {"probe"}
    return found


@pytest.fixture
def users(office, clerk, head, mediator, court_liaison, gov_liaison):
    agreed_case(office, clerk, head, mediator)
    return {
        "clerk": clerk,
        "head": head,
        "mediator": mediator,
        "court": court_liaison,
        "gov": gov_liaison,
    }


def test_every_query_parameter_survives_bad_values(users, monkeypatch):
    case = users["clerk"].office.cases.get()
    urls = [reverse(name) for name in PAGES] + [case.get_absolute_url()]
    tried = {}
    failures = []
    for role, user in users.items():
        client = Client(raise_request_exception=False)  # a 500 is an answer, not an exception
        client.force_login(user)
        for url in urls:
            if client.get(url).status_code != 200:
                continue
            # A parameter another role's visit has already sent malformed goes through
            # the same parsing: only what this role's page reads besides is sent again.
            parameters = _parameters_read(client, url, monkeypatch) - tried.get(url, set())
            tried.setdefault(url, set()).update(parameters)
            for parameter in sorted(parameters):
                for value in BAD_VALUES:
                    response = client.get(url, {parameter: value})
                    if response.status_code >= 500:
                        failures.append(f"{role} {url}?{parameter}={value[:30]!r}")
    assert not failures, "\n".join(failures)
    # The walk did reach the parameters this test was written for.
    assert {"week", "day", "mediator"} <= tried[reverse("cases:agenda")]
    assert "year" in tried[reverse("cases:calendar")]
    assert {"start", "rule", "amount", "unit"} <= tried[reverse("cases:deadline_calculator")]


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2026-02-30", "下周"])
def test_agenda_out_of_range_week_shows_this_week_with_a_message(client_as, clerk, week):
    response = client_as(clerk).get(reverse("cases:agenda"), {"week": week})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "要查看的周应为 2000-01-01 至 2099-12-31 之间的日期（如 2026-11-27），已显示本周。" in page
    )
    assert response.context["monday"].isoformat() == "2026-11-23"


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-30", "明天", "x" * 3000])
def test_agenda_out_of_range_day_shows_today_with_a_message(client_as, clerk, day):
    response = client_as(clerk).get(reverse("cases:agenda"), {"day": day})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "要查看的日期应为 2000-01-01 至 2099-12-31 之间的日期（如 2026-11-27），已显示今天的日程。"
        in page
    )
    assert "调解日程 · 2026年11月27日 星期五" in page


def test_agenda_week_at_the_edge_of_the_range_is_shown(client_as, clerk):
    response = client_as(clerk).get(reverse("cases:agenda"), {"week": "2099-12-31"})
    assert response.status_code == 200
    assert response.context["monday"].isoformat() == "2099-12-28"
    assert not list(response.context["messages"])


@pytest.mark.parametrize("year", ["-5", "0", "99999999999999999999", "1999", "２０２６", "20x6"])
def test_calendar_out_of_range_year_shows_this_year_with_a_message(client_as, clerk, year):
    response = client_as(clerk).get(reverse("cases:calendar"), {"year": year})
    assert response.status_code == 200
    assert "年份应为 2000 至 2099 之间的四位数字，已显示2026年。" in response.content.decode()
    assert response.context["year"] == 2026


def test_search_text_with_control_characters_is_searched_without_them(client_as, clerk):
    from tests import factories

    factories.AgencyFactory(name="潜江市市场监督管理局")
    response = client_as(clerk).get(reverse("cases:agency_list"), {"q": "市场\x00监督\x07"})
    assert response.status_code == 200
    assert response.context["query"] == "市场监督"
    assert "潜江市市场监督管理局" in response.content.decode()
