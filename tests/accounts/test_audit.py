"""The audit trail: a history row for every change to users and reference data, with
who, when, from which address and the old and new values; the 审计日志 page and its
export for administrators."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts import audit
from accounts.models import Court, Office, Role, User
from cases.models import Agency, CalendarDay, DisputeCategory, Mediator
from documents.models import DocumentTemplate
from liaison.models import LossCause, ResultType
from tests import factories
from tests.helpers import html_of

pytestmark = pytest.mark.django_db

URL = reverse("audit_log")


def role_change(client, user, role=Role.MEDIATOR, **extra):
    data = {
        "username": user.username,
        "name": user.name,
        "email": "",
        "phone": "",
        "role": role,
        "office": user.office_id or "",
        "court": "",
        "is_active": "on",
        **extra,
    }
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def test_every_model_edited_in_the_admin_is_audited():
    audited = {model.instance_type for model in audit.audited_models()}
    assert audited == {
        User,
        Office,
        Court,
        Agency,
        DisputeCategory,
        CalendarDay,
        Mediator,
        DocumentTemplate,
        ResultType,
        LossCause,
    }


def test_the_password_hash_is_never_copied_into_the_history():
    fields = {f.name for f in User.history.model._meta.fields}
    assert "password" not in fields and "last_login" not in fields


def test_a_role_change_in_the_admin_records_who_when_where_and_the_values(
    client_as, admin_user, clerk, time_machine
):
    time_machine.move_to(datetime.datetime(2027, 3, 2, 9, 30, tzinfo=datetime.UTC), tick=False)
    response = role_change(client_as(admin_user), clerk)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:accounts_user_changelist")
    latest = clerk.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == admin_user
    assert latest.history_address == "127.0.0.1"
    assert latest.history_date == datetime.datetime(2027, 3, 2, 9, 30, tzinfo=datetime.UTC)
    [entry] = audit.entries(audit.Filters(subject="accounts.user"), limit=1)
    assert [(c.field, c.old, c.new) for c in entry.changes] == [("角色", "登记员", "调解员")]


def test_the_admin_shows_the_history_of_a_role_change(client_as, admin_user, clerk):
    client = client_as(admin_user)
    role_change(client, clerk)
    page = html_of(client.get(reverse("admin:accounts_user_history", args=[clerk.pk])))
    assert "<strong>角色：</strong>登记员 → 调解员" in page
    assert "127.0.0.1" in page and str(admin_user) in page
    assert "还原" not in page  # a record, not an undo


def test_signing_in_writes_no_history_row(clerk, client):
    before = clerk.history.count()
    assert (
        client.post(
            reverse("login"), {"username": clerk.username, "password": factories.PASSWORD}
        ).status_code
        == 302
    )
    assert clerk.history.count() == before


@pytest.mark.parametrize(
    "make, change",
    [
        (lambda: factories.OfficeFactory(), lambda o: setattr(o, "phone", "0728-1234567")),
        (lambda: factories.CourtFactory(), lambda c: setattr(c, "phone", "0728-7654321")),
        (lambda: factories.AgencyFactory(), lambda a: setattr(a, "short_name", "新简称")),
        (lambda: DisputeCategory.objects.first(), lambda d: setattr(d, "name", "新类别名")),
        (lambda: CalendarDay.objects.first(), lambda d: setattr(d, "note", "调整")),
        (lambda: DocumentTemplate.objects.first(), lambda t: setattr(t, "note", "新版")),
        (
            lambda: ResultType.objects.first(),
            lambda r: setattr(r, "counts_as_loss", not r.counts_as_loss),
        ),
        (lambda: LossCause.objects.first(), lambda c: setattr(c, "label", "新原因")),
    ],
)
def test_each_audited_model_keeps_a_row_per_change(make, change):
    record = make()
    assert record is not None, "reference data seeded by migrations"
    before = record.history.count()
    change(record)
    record.save()
    assert record.history.count() == before + 1
    assert record.history.first().history_type == "~"
    pk = record.pk
    record.delete()
    assert type(record).history.filter(id=pk).first().history_type == "-"


def test_the_mediator_roster_is_audited(office, mediator):
    roster = Mediator.objects.create(user=mediator, office=office, specialities="征收补偿")
    assert roster.history.count() == 1


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "fixture", ["clerk", "mediator", "head", "court_liaison", "gov_liaison", "agency_contact"]
)
def test_only_administrators_read_the_audit_log(request, client_as, fixture):
    user = request.getfixturevalue(fixture)
    assert client_as(user).get(URL).status_code == 403
    assert client_as(user).get(URL + "?export=xlsx").status_code == 403


def test_the_page_lists_changes_newest_first_with_old_and_new_values(client_as, admin_user, clerk):
    client = client_as(admin_user)
    role_change(client, clerk)
    page = html_of(client.get(URL))
    assert "审计日志" in page
    assert "用户" in page and str(clerk) in page
    assert "<del>登记员</del> → 调解员" in page
    assert "127.0.0.1" in page


def test_filters_by_who_what_and_when(client_as, admin_user, clerk, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 5, 2, 0, tzinfo=datetime.UTC), tick=False)
    role_change(client_as(admin_user), clerk)
    time_machine.move_to(datetime.datetime(2027, 2, 5, 2, 0, tzinfo=datetime.UTC), tick=False)
    client = client_as(admin_user)
    agency = factories.AgencyFactory(short_name="市测试局")
    agency.short_name = "市测试二局"
    agency.save()
    by_subject = html_of(client.get(URL, {"subject": "cases.agency"}))
    clerk_row = f"<br>{clerk}"
    assert "市测试二局" in by_subject and clerk_row not in by_subject
    by_user = html_of(client.get(URL, {"user": admin_user.pk}))
    assert clerk_row in by_user and "市测试二局" not in by_user
    january = html_of(client.get(URL, {"date_from": "2027-01-01", "date_to": "2027-01-31"}))
    assert clerk_row in january and "市测试二局" not in january


@pytest.mark.parametrize(
    "params, message",
    [
        ({"date_from": "2026-13-45"}, "请输入有效的日期，如 2026-01-31。"),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "截止日期不能早于起始日期。"),
        ({"user": "abc"}, "没有这个用户，请从列表中选择。"),
        ({"subject": "cases.case"}, "没有这个对象类别，请从列表中选择。"),
    ],
)
def test_bad_filters_get_a_chinese_message(client_as, admin_user, params, message):
    response = client_as(admin_user).get(URL, params)
    assert response.status_code == 200
    assert message in html_of(response)


def test_the_export_holds_the_filtered_rows_and_says_which_filter(client_as, admin_user, clerk):
    client = client_as(admin_user)
    role_change(client, clerk)
    response = client.get(URL, {"subject": "accounts.user", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "审计日志（用户与基础数据的修改记录）"
    assert rows[1][0] == "筛选条件：对象类别：用户"
    header = rows.index(
        ["时间", "操作人", "来源地址", "对象类别", "对象", "操作", "修改内容（原值 → 新值）"]
    )
    changed = [row for row in rows[header + 1 :] if row[5] == "修改"]
    assert changed[0][1] == str(admin_user) and changed[0][2] == "127.0.0.1"
    assert changed[0][6] == "角色：登记员 → 调解员"


def test_the_page_reads_a_constant_number_of_queries_as_changes_grow(client_as, admin_user):
    client = client_as(admin_user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    for _ in range(2):
        factories.AgencyFactory().save()
    few = queries()
    for n in range(30):
        agency = factories.AgencyFactory()
        agency.short_name = f"改名{n}"
        agency.save()
    # Bounded by the number of audited tables (a count, a window and the predecessors of
    # each), never by the number of rows: fewer when fewer tables are on the page.
    assert queries() <= few


def test_records_named_through_a_relation_cost_no_query_each(client_as, admin_user, office):
    """A mediator is named by its user: the names come in one query, not one per row."""
    client = client_as(admin_user)
    url = URL + "?subject=cases.mediator"

    def roster(n):
        for _ in range(n):
            user = factories.UserFactory(role=Role.MEDIATOR, office=office)
            Mediator.objects.create(user=user, office=office, specialities="征收补偿")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = html_of(client.get(url))
        return len(captured), page

    roster(1)
    few, _ = queries()
    roster(6)
    many, page = queries()
    assert many == few
    assert page.count("<br>") >= 7
