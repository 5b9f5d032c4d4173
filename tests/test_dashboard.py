"""The office-wide pages of the mediation work: deadlines, agenda, notifications, home."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.models import Notification
from cases.services import mediation
from cases.services.notify import notify
from cases.services.schedule import refresh_next_deadline
from cases.templatetags.case_ui import agenda_entry
from cases.views.mediation import AGENDA_DAY_LIMIT
from tests import factories
from tests.factories import (
    CaseFactory,
    MediatorFactory,
    accepted_case,
    person,
    register,
)
from tests.helpers import check, html_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

SHANGHAI = timezone.get_fixed_timezone(8 * 60)


_ids = iter(range(1, 10_000))


def applicant(name: str) -> dict:
    """A distinct applicant (passport number), so registrations are not taken for duplicates."""
    return person(name=name, id_type="passport", id_number=f"E{next(_ids):07d}")


def case_accepted_on(
    time_machine, office, clerk, head, accepted_on: date, name: str, mediator_user=None
):
    """A self-accepted case registered and accepted on ``accepted_on`` (its period then starts),
    assigned to ``mediator_user`` when given; written straight in (the pages read it)."""
    time_machine.move_to(datetime.combine(accepted_on, datetime.min.time(), SHANGHAI))
    case = CaseFactory(
        office=office,
        created_by=clerk,
        head=head,
        mediator=mediator_user,
        stage="accepted" if mediator_user is None else "assigned",
        accepted_on=accepted_on,
        received_date=date(2026, 10, 1),
        applicants=[applicant(name)],
    )
    time_machine.move_to("2026-11-27 10:00+08:00", tick=False)
    refresh_next_deadline(case)  # as of today, as the assignment today would have left it
    case.refresh_from_db()
    return case


def at(day: str, hm: str = "09:30") -> datetime:
    return datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=SHANGHAI)


# --- Who may open the office-wide pages ------------------------------------------------------


OFFICE_ONLY = {
    "clerk": 200,
    "mediator": 200,
    "head": 200,
    "other_office_clerk": 200,
    "court_liaison": 403,
    "gov_liaison": 403,
    "admin_user": 403,
}


@pytest.mark.parametrize("name", ["deadlines", "cases:agenda"])
def test_office_pages_permissions(request, client, client_as, name):
    check(request, client, client_as, reverse(name), OFFICE_ONLY)


@pytest.mark.parametrize("name", ["notifications", "home"])
def test_personal_pages_open_to_every_signed_in_user(request, client, client_as, name):
    everyone = dict.fromkeys(
        ("clerk", "mediator", "head", "court_liaison", "gov_liaison", "admin_user"), 200
    )
    check(request, client, client_as, reverse(name), everyone)


# --- The deadline dashboard ------------------------------------------------------------------


@pytest.fixture
def dashboard_cases(
    time_machine,
    office,
    other_office,
    clerk,
    head,
    mediator,
    mediator2,
    other_office_clerk,
    other_head,
):
    """Two overdue, two due within 7 days and one later case; one overdue case elsewhere."""
    tm = time_machine
    return {
        # 30 days after 10-25 is Tuesday 11-24: overdue by three days.
        "overdue_3": case_accepted_on(
            tm, office, clerk, head, date(2026, 10, 25), "陈超期三", mediator
        ),
        # 30 days after 10-20 is Thursday 11-19: overdue by eight days.
        "overdue_8": case_accepted_on(
            tm, office, clerk, head, date(2026, 10, 20), "李超期八", mediator2
        ),
        # 30 days after 11-04 is Friday 12-04: seven days left.
        "left_7": case_accepted_on(tm, office, clerk, head, date(2026, 11, 4), "周剩七", mediator2),
        # 30 days after 11-03 is Thursday 12-03: six days left.
        "left_6": case_accepted_on(tm, office, clerk, head, date(2026, 11, 3), "吴剩六", mediator),
        # 30 days after 11-20 is Sunday 12-20, moved to Monday 12-21: not yet shown.
        "later": case_accepted_on(tm, office, clerk, head, date(2026, 11, 20), "郑不急", mediator),
        "elsewhere": case_accepted_on(
            tm, other_office, other_office_clerk, other_head, date(2026, 10, 20), "外所申请人"
        ),
    }


def section(html: str, title: str) -> str:
    return html.split(title, 1)[1].split("</table>", 1)[0]


def test_dashboard_sorts_overdue_and_upcoming_by_urgency(client_as, clerk, dashboard_cases):
    html = html_of(client_as(clerk).get(reverse("deadlines")))
    assert 'data-testid="overdue-count">2<' in html
    assert 'data-testid="upcoming-count">2<' in html
    overdue, upcoming = section(html, "已超期"), section(html, "7日内到期")
    assert overdue.index("李超期八") < overdue.index("陈超期三")
    assert "调解期限 2026-11-19（已超期8日）" in overdue
    assert "调解期限 2026-11-24（已超期3日）" in overdue
    assert upcoming.index("吴剩六") < upcoming.index("周剩七")
    assert "调解期限 2026-12-03（剩6日）" in upcoming
    for name in ("郑不急", "外所申请人"):
        assert name not in html


def test_dashboard_pages_through_the_deadlines_with_the_totals_on_each_page(
    client_as, clerk, dashboard_cases, monkeypatch
):
    monkeypatch.setattr("qianjiang_mediation.views.DASHBOARD_PAGE_SIZE", 2)
    client = client_as(clerk)
    first = html_of(client.get(reverse("deadlines")))
    assert 'data-testid="overdue-count">2<' in first
    assert 'data-testid="upcoming-count">2<' in first
    assert "李超期八" in first and "陈超期三" in first
    assert "吴剩六" not in first and "在后面的页中。" in first
    assert "第 1 / 2 页，共 4 条" in first
    second = html_of(client.get(reverse("deadlines"), {"page": 2}))
    assert 'data-testid="overdue-count">2<' in second
    assert "吴剩六" in second and "周剩七" in second
    assert "李超期八" not in second and "在前面的页中。" in second
    # The page links keep the scope chosen.
    mine = html_of(client_as(clerk).get(reverse("deadlines"), {"mine": "1", "page": "x"}))
    assert "没有。" in mine


def test_dashboard_totals_beyond_what_is_counted_say_so(
    client_as, clerk, dashboard_cases, monkeypatch
):
    monkeypatch.setattr("qianjiang_mediation.views.DASHBOARD_COUNTED", 1)
    html = html_of(client_as(clerk).get(reverse("deadlines")))
    assert 'data-testid="overdue-count">1+<' in html
    assert 'data-testid="upcoming-count">1+<' in html


def test_dashboard_of_someone_in_no_office_is_empty(client_as, django_assert_num_queries):
    head = factories.UserFactory(role=Role.HEAD, office=None)
    client = client_as(head)
    client.get(reverse("deadlines"))
    # Nothing to count or read: the session, the user, the permissions, the notices.
    with django_assert_num_queries(5):
        html = html_of(client.get(reverse("deadlines")))
    assert 'data-testid="overdue-count">0<' in html
    assert 'data-testid="upcoming-count">0<' in html


def test_dashboard_shows_the_mediators(client_as, head, mediator, mediator2, dashboard_cases):
    html = html_of(client_as(head).get(reverse("deadlines")))
    row = html.split("李超期八", 1)[1].split("</tr>", 1)[0]
    assert mediator2.get_full_name() in row


def test_dashboard_mine_shows_only_the_mediators_own_cases(client_as, mediator, dashboard_cases):
    html = html_of(client_as(mediator).get(reverse("deadlines"), {"mine": "1"}))
    assert 'data-testid="overdue-count">1<' in html
    assert 'data-testid="upcoming-count">1<' in html
    assert "陈超期三" in html and "吴剩六" in html
    assert "李超期八" not in html and "周剩七" not in html


def test_other_office_sees_only_its_own_deadlines(client_as, other_office_clerk, dashboard_cases):
    html = html_of(client_as(other_office_clerk).get(reverse("deadlines")))
    assert 'data-testid="overdue-count">1<' in html and "外所申请人" in html
    for name in ("李超期八", "陈超期三", "吴剩六", "周剩七"):
        assert name not in html


def test_suspended_and_terminated_cases_leave_the_dashboard(
    client_as, clerk, mediator, mediator2, head, dashboard_cases
):
    overdue_3, overdue_8 = dashboard_cases["overdue_3"], dashboard_cases["overdue_8"]
    mediation.begin_mediation(case=overdue_3, actor=mediator)
    mediation.suspend(
        case=overdue_3, actor=mediator, reason="appraisal", note="", started_on=date(2026, 11, 27)
    )
    termination = mediation.propose_termination(
        case=overdue_8, actor=mediator2, reason="period_expired", note="期限届满，不同意延长。"
    )
    mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    html = html_of(client_as(clerk).get(reverse("deadlines")))
    assert 'data-testid="overdue-count">0<' in html
    assert "陈超期三" not in html and "李超期八" not in html


@pytest.mark.parametrize("rows", [3, 20])
def test_dashboard_query_count_stays_flat(
    client_as, office, clerk, head, mediator, django_assert_num_queries, rows, time_machine
):
    for index in range(rows):
        case_accepted_on(
            time_machine,
            office,
            clerk,
            head,
            date(2026, 10, 20) + timedelta(days=index % 15),
            f"申请人{index}",
            mediator,
        )
    client = client_as(head)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        html = html_of(client.get(reverse("deadlines")))
    assert html.count(mediator.get_full_name()) >= rows


# session, user, permissions, unread notices, the page's count and the two sections' totals
# (one query), its ids, its cases, their applicants and mediators
DASHBOARD_QUERIES = 10
AGENDA_QUERIES = 8
NOTIFICATIONS_QUERIES = 7
MEDIATOR_HOME_QUERIES = 8
# The office's four queues: one query on PostgreSQL, one each on SQLite (_queue_firsts).
QUEUE_QUERIES = 1 if connection.features.supports_slicing_ordering_in_compound else 4
HEAD_HOME_QUERIES = 10 + QUEUE_QUERIES


# --- The agenda ------------------------------------------------------------------------------


def assigned(office, clerk, head, mediator_user, **overrides):
    """An assigned case written straight in; the sessions are then scheduled through the service."""
    return CaseFactory(
        office=office,
        created_by=clerk,
        head=head,
        mediator=mediator_user,
        assigned=True,
        **overrides,
    )


def schedule(case, actor, when: datetime, place="工作室调解室"):
    return mediation.schedule_session(
        case=case, actor=actor, scheduled_at=when, place=place, mode="in_person"
    )


@pytest.fixture
def agenda_sessions(
    office,
    other_office,
    clerk,
    head,
    mediator,
    mediator2,
    other_office_clerk,
    other_head,
    other_mediator,
):
    mine = assigned(office, clerk, head, mediator)
    theirs = assigned(office, clerk, head, mediator2, applicants=[applicant("另一申请人")])
    elsewhere = assigned(other_office, other_office_clerk, other_head, other_mediator)
    sessions = {
        "this_week": schedule(mine, mediator, at("2026-11-28", "14:00"), "本周调解室"),
        "monday": schedule(mine, mediator, at("2026-11-30", "09:30"), "一号调解室"),
        "sunday_night": schedule(theirs, mediator2, at("2026-12-06", "23:30"), "二号调解室"),
        "cancelled": schedule(theirs, mediator2, at("2026-12-02", "10:00"), "取消的调解室"),
        "next_week": schedule(mine, mediator, at("2026-12-07", "00:30"), "下下周调解室"),
        "elsewhere": schedule(elsewhere, other_mediator, at("2026-12-01", "10:00"), "外所调解室"),
    }
    mediation.cancel_session(session=sessions["cancelled"], actor=mediator2, reason="当事人请假")
    return sessions


def test_agenda_shows_the_current_week_by_default(client_as, clerk, agenda_sessions):
    html = html_of(client_as(clerk).get(reverse("cases:agenda")))
    assert "调解日程 · 2026年11月23日—11月29日" in html
    assert "本周调解室" in html
    assert "一号调解室" not in html


def test_agenda_of_a_chosen_week(client_as, clerk, mediator, mediator2, agenda_sessions):
    html = html_of(client_as(clerk).get(reverse("cases:agenda"), {"week": "2026-11-30"}))
    assert "调解日程 · 2026年11月30日—12月6日" in html
    assert "一号调解室" in html and "二号调解室" in html
    monday = html.split("11月30日", 1)[1].split("</section>", 1)[0]
    assert "09:30" in monday and "一号调解室" in monday
    assert f"调解员：{mediator.get_full_name()}" in monday
    sunday = html.split("12月6日", 2)[2].split("</section>", 1)[0]
    assert "23:30" in sunday and "二号调解室" in sunday
    for absent in ("本周调解室", "取消的调解室", "下下周调解室", "外所调解室"):
        assert absent not in html
    # Any day of the week shows that week.
    assert "一号调解室" in html_of(
        client_as(clerk).get(reverse("cases:agenda"), {"week": "2026-12-03"})
    )


def test_an_agenda_entry_shows_the_session_its_case_and_mediators(
    client_as, clerk, mediator, agenda_sessions
):
    monday = agenda_sessions["monday"]  # its case's second session, after this week's
    case = monday.case
    html = html_of(client_as(clerk).get(reverse("cases:agenda"), {"day": "2026-11-30"}))
    entry = html.split('<li class="list-group-item">', 1)[1].split("</li>", 1)[0]
    session_url = reverse("cases:session", args=[case.pk, monday.pk])
    assert (
        f'<strong>09:30</strong> <a href="{session_url}">{case.display_number} 第2次</a>' in entry
    )
    assert "一号调解室 · 现场调解 · 已安排" in entry
    assert f"调解员：{mediator.get_full_name()}</div>" in entry
    # What a clerk typed is shown as text; a case without an effective mediator says so.
    monday.place = "<b>二楼</b>"
    monday.case.effective_assignments = []
    entry = agenda_entry(monday)
    assert "&lt;b&gt;二楼&lt;/b&gt; · 现场调解" in entry and "调解员：—</div>" in entry


def test_agenda_filtered_by_mediator(client_as, head, mediator, mediator2, agenda_sessions):
    profile = mediator.mediator_profile
    html = html_of(
        client_as(head).get(reverse("cases:agenda"), {"week": "2026-11-30", "mediator": profile.pk})
    )
    assert "一号调解室" in html and "二号调解室" not in html
    assert re.search(rf'<option value="{profile.pk}" selected>', html)
    # Another office's mediators are not offered, and a malformed choice shows everyone.
    other = agenda_sessions["elsewhere"].case.assignments.get().mediator
    assert f'<option value="{other.pk}"' not in html
    for bad in ("abc", str(other.pk)):
        html = html_of(
            client_as(head).get(reverse("cases:agenda"), {"week": "2026-11-30", "mediator": bad})
        )
        assert "一号调解室" in html and "二号调解室" in html and "外所调解室" not in html


def test_agenda_with_a_malformed_week_shows_this_week(client_as, clerk, agenda_sessions):
    html = html_of(client_as(clerk).get(reverse("cases:agenda"), {"week": "2026-13-40"}))
    assert "调解日程 · 2026年11月23日—11月29日" in html


def test_other_office_agenda_shows_only_its_sessions(
    client_as, other_office_clerk, agenda_sessions
):
    html = html_of(
        client_as(other_office_clerk).get(reverse("cases:agenda"), {"week": "2026-11-30"})
    )
    assert "外所调解室" in html
    assert "一号调解室" not in html and "二号调解室" not in html


@pytest.mark.parametrize("sessions", [3, 15])
def test_agenda_query_count_stays_flat(
    client_as, office, clerk, head, mediator, django_assert_num_queries, sessions
):
    for index in range(sessions):
        case = assigned(office, clerk, head, mediator, applicants=[applicant(f"申请人{index}")])
        schedule(case, mediator, at(f"2026-12-0{1 + index % 5}", f"{8 + index % 9:02d}:00"))
    client = client_as(clerk)
    with django_assert_num_queries(AGENDA_QUERIES):
        html = html_of(client.get(reverse("cases:agenda"), {"week": "2026-11-30"}))
    assert html.count(f"调解员：{mediator.get_full_name()}") == sessions


def busy_day(office, clerk, head, mediator, count: int) -> list:
    """``count`` sessions on Tuesday 1 December, one an hour from 08:00, of distinct cases."""
    return [
        schedule(
            assigned(office, clerk, head, mediator, applicants=[applicant(f"忙碌{index}")]),
            mediator,
            at("2026-12-01", f"{8 + index:02d}:00"),
            place=f"第{index + 1}调解室",
        )
        for index in range(count)
    ]


def test_a_busy_day_shows_its_first_sessions_in_the_week_and_all_on_its_own_page(
    client_as, office, clerk, head, mediator
):
    busy_day(office, clerk, head, mediator, AGENDA_DAY_LIMIT + 2)
    client = client_as(clerk)
    html = html_of(client.get(reverse("cases:agenda"), {"week": "2026-11-30"}))
    tuesday = html.split("12月1日", 1)[1].split("</section>", 1)[0]
    assert f"{AGENDA_DAY_LIMIT + 2} 场" in tuesday
    assert tuesday.count("调解员：") == AGENDA_DAY_LIMIT
    # The first six, in time order.
    assert f"第{AGENDA_DAY_LIMIT}调解室" in tuesday
    assert f"第{AGENDA_DAY_LIMIT + 1}调解室" not in tuesday
    assert "另有 2 场，查看当日全部" in tuesday
    assert 'href="?day=2026-12-01"' in tuesday

    html = html_of(client.get(reverse("cases:agenda"), {"day": "2026-12-01"}))
    assert "调解日程 · 2026年12月1日 星期二" in html
    assert html.count("调解员：") == AGENDA_DAY_LIMIT + 2
    assert f"第{AGENDA_DAY_LIMIT + 2}调解室" in html and "另有" not in html
    assert 'href="?day=2026-11-30">前一天' in html
    assert 'href="?day=2026-12-02">后一天' in html
    assert 'href="?week=2026-11-30">返回该周' in html


def test_the_day_page_of_one_mediator(client_as, head, mediator, mediator2, agenda_sessions):
    profile = mediator2.mediator_profile
    client = client_as(head)
    html = html_of(client.get(reverse("cases:agenda"), {"day": "2026-12-06"}))
    assert "二号调解室" in html and "一号调解室" not in html  # that Sunday only
    html = html_of(
        client.get(reverse("cases:agenda"), {"day": "2026-11-30", "mediator": profile.pk})
    )
    assert "一号调解室" not in html and "无安排" in html
    assert f'href="?day=2026-12-01&amp;mediator={profile.pk}">后一天' in html


def test_the_day_page_is_closed_to_whom_the_agenda_is(request, client, client_as):
    check(request, client, client_as, reverse("cases:agenda") + "?day=2026-12-01", OFFICE_ONLY)


@pytest.mark.parametrize("sessions", [3, AGENDA_DAY_LIMIT + 5])
def test_the_day_page_query_count_stays_flat(
    client_as, office, clerk, head, mediator, django_assert_num_queries, sessions
):
    busy_day(office, clerk, head, mediator, sessions)
    client = client_as(clerk)
    for params in ({"day": "2026-12-01"}, {"week": "2026-11-30"}):
        with django_assert_num_queries(AGENDA_QUERIES):
            client.get(reverse("cases:agenda"), params)


# --- Notifications ---------------------------------------------------------------------------


def send(user, count, case=None, prefix="n"):
    for index in range(count):
        notify(
            [user], case=case, key=f"{prefix}:{index}", title=f"提醒{prefix}{index}", body="请处理"
        )


def mark_page_read(client, html: str):
    """Press 本页全部标为已读 on the page whose HTML is given, as a browser would."""
    action = reverse("notifications_read")
    form = re.search(f'<form method="post" action="{action}">(.*?)</form>', html, re.S)
    assert form, "no 本页全部标为已读 button"
    fields = re.findall(r'<input type="hidden" name="(ids|page)" value="([^"]*)">', form[1])
    data = {"ids": [v for k, v in fields if k == "ids"], "page": dict(fields)["page"]}
    response = client.post(action, data)
    assert response.status_code == 302
    return response


def test_unread_count_in_the_menu_and_the_page_marks_them_read(
    client_as, office, clerk, head, mediator
):
    case = register(office, clerk)
    send(mediator, 3, case)
    send(head, 2, case, prefix="h")
    client = client_as(mediator)
    assert 'data-testid="unread-count">3<' in html_of(client.get(reverse("home")))

    html = html_of(client.get(reverse("notifications")))
    assert html.count(">新<") == 3
    assert "提醒n0" in html and "提醒h0" not in html
    assert case.get_absolute_url() in html
    # Opening the page marks nothing; its button does (a POST).
    assert Notification.objects.filter(recipient=mediator, read_at__isnull=True).count() == 3
    mark_page_read(client, html)
    assert not Notification.objects.filter(recipient=mediator, read_at__isnull=True).exists()
    # Other people's notices are untouched.
    assert Notification.objects.filter(recipient=head, read_at__isnull=True).count() == 2

    html = html_of(client.get(reverse("home")))
    assert 'data-testid="unread-count"' not in html
    assert ">新<" not in html_of(client.get(reverse("notifications")))


def test_only_the_page_shown_is_marked_read(client_as, mediator):
    send(mediator, 32)
    client = client_as(mediator)
    response = mark_page_read(client, html_of(client.get(reverse("notifications"))))
    assert response["Location"] == reverse("notifications") + "?page=1"
    assert Notification.objects.filter(recipient=mediator, read_at__isnull=True).count() == 2
    assert 'data-testid="unread-count">2<' in html_of(client.get(reverse("home")))
    html = html_of(client.get(reverse("notifications"), {"page": "2"}))
    assert html.count(">新<") == 2
    response = mark_page_read(client, html)
    assert response["Location"] == reverse("notifications") + "?page=2"
    assert not Notification.objects.filter(recipient=mediator, read_at__isnull=True).exists()


def test_assignment_notifies_the_mediator(client_as, office, clerk, head, mediator):
    case = accepted_case(office, clerk, head)
    profile = MediatorFactory(user=mediator)
    client_as(head).post(reverse("cases:assign", args=[case.pk]), {"mediators": [profile.pk]})
    html = html_of(client_as(mediator).get(reverse("notifications")))
    assert f"您被指派调解{case.case_no}" in html


@pytest.mark.parametrize("count", [3, 30])
def test_notifications_query_count_stays_flat(
    client_as, office, clerk, mediator, django_assert_num_queries, count
):
    cases = [
        register(office, clerk, applicants=[applicant(f"申请人{i}")], confirm=True)
        for i in range(3)
    ]
    for index in range(count):
        notify([mediator], case=cases[index % 3], key=f"k{index}", title=f"提醒{index}")
    client = client_as(mediator)
    with django_assert_num_queries(NOTIFICATIONS_QUERIES):
        html = html_of(client.get(reverse("notifications")))
    assert html.count(">新<") == count


# --- Home ------------------------------------------------------------------------------------


def test_mediator_home_lists_own_cases_and_upcoming_sessions(
    client_as, office, clerk, head, mediator, mediator2
):
    mine = CaseFactory(
        office=office, created_by=clerk, head=head, mediator=mediator, mediating=True
    )
    theirs = CaseFactory(
        office=office,
        created_by=clerk,
        head=head,
        mediator=mediator2,
        mediating=True,
        applicants=[applicant("别人的申请人")],
    )
    html = html_of(client_as(mediator).get(reverse("home")))
    cases = html.split("我承办的案件", 1)[1].split("</section>", 1)[0]
    assert mine.case_no in cases and "王建国" in cases
    assert "调解期限 2026-12-28" in cases
    assert theirs.case_no not in cases
    sessions = html.split("我即将召开的调解会", 1)[1].split("</section>", 1)[0]
    session = mine.sessions.get()
    assert reverse("cases:session", args=[mine.pk, session.pk]) in sessions
    assert "11月28日 10:00" in sessions
    assert reverse("cases:session", args=[theirs.pk, theirs.sessions.get().pk]) not in sessions
    assert "待我审批" not in html


def _mediating_cases(office, clerk, head, mediator, count):
    """``count`` cases in mediation with ``mediator``, each with its own applicant."""
    for index in range(count):
        CaseFactory(
            office=office,
            created_by=clerk,
            head=head,
            mediator=mediator,
            mediating=True,
            applicants=[applicant(f"申请人{index}")],
        )


def test_mediator_home_puts_a_new_assignment_awaiting_the_declaration_first(
    client_as, office, clerk, head, mediator
):
    _mediating_cases(office, clerk, head, mediator, 12)
    new = accepted_case(office, clerk, head)
    profile = MediatorFactory(user=mediator)
    mediation.assign_mediators(case=new, actor=head, mediators=[profile], presiding=profile)
    html = html_of(client_as(mediator).get(reverse("home")))
    cases = html.split("我承办的案件", 1)[1].split("</section>", 1)[0]
    # Ten rows of thirteen cases: the one waiting for the mediator comes first, marked.
    first = cases.split("</li>", 1)[0]
    assert new.get_absolute_url() in first and "待声明回避情况" in first
    assert cases.count("待声明回避情况") == 1


def test_head_home_lists_what_waits_for_approval(
    client_as, office, clerk, head, mediator, django_assert_num_queries
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = CaseFactory(
        office=office, created_by=clerk, head=head, mediator=mediator, mediating=True
    )
    mediation.propose_extension(
        case=case,
        actor=mediator,
        days=15,
        reason="等待鉴定",
        consenting_parties=list(case.parties.all()),
        consent_form=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    mediation.propose_termination(case=case, actor=mediator, reason="gap_too_wide", note="分歧较大")
    client = client_as(head)
    client.get(reverse("home"))
    # The approvals read the columns they show, and nothing more row by row.
    with django_assert_num_queries(HEAD_HOME_QUERIES):
        html = html_of(client.get(reverse("home")))
    approvals = html.split("待我审批", 1)[1].split("</section>", 1)[0]
    assert 'data-testid="approvals-count">2<' in approvals
    assert "延长调解期限15日" in approvals
    assert "终止调解：当事人分歧较大，难以达成协议" in approvals
    assert case.get_absolute_url() in approvals
    assert "待我审批" not in html_of(client_as(mediator).get(reverse("home")))


def test_head_home_with_nothing_to_approve_asks_once(
    client_as, office, clerk, head, mediator, django_assert_num_queries
):
    CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, mediating=True)
    client = client_as(head)
    client.get(reverse("home"))
    # One query finds the three approval lists empty, instead of reading each of them.
    with django_assert_num_queries(HEAD_HOME_QUERIES - 2):
        html = html_of(client.get(reverse("home")))
    assert "待我审批" not in html


@pytest.mark.parametrize("cases", [2, 10])
def test_mediator_home_query_count_stays_flat(
    client_as, office, clerk, head, mediator, django_assert_num_queries, cases
):
    _mediating_cases(office, clerk, head, mediator, cases)
    client = client_as(mediator)
    with django_assert_num_queries(MEDIATOR_HOME_QUERIES):
        html = html_of(client.get(reverse("home")))
    assert html.count("调解期限 2026-12-28") == cases
