"""The case page and the workflow action pages."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import Case, Status
from cases.services import records
from tests.factories import VALID_ID, CaseFactory, record_paper_referral, refer, register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def detail(case):
    return reverse("cases:detail", args=[case.pk])


def action(case, name):
    return reverse("cases:action", args=[case.pk, name])


@pytest.fixture
def case(office, clerk):
    """A registered case written straight in; the registration itself is tested with the service."""
    return CaseFactory(office=office, created_by=clerk)


def test_permission_matrix(request, client, client_as, case):
    url = detail(case)
    assert client.get(url)["Location"].startswith(reverse("login"))
    for persona in ("clerk", "mediator", "head"):
        assert client_as(request.getfixturevalue(persona)).get(url).status_code == 200
    for persona in ("other_office_clerk", "court_liaison"):
        assert client_as(request.getfixturevalue(persona)).get(url).status_code == 404
    for persona in ("gov_liaison", "admin_user"):
        assert client_as(request.getfixturevalue(persona)).get(url).status_code == 403


def test_court_liaison_sees_their_courts_referrals_only(
    client_as, office, court_liaison, other_court_liaison
):
    referred = refer(office, court_liaison)
    assert client_as(court_liaison).get(detail(referred)).status_code == 200
    assert client_as(other_court_liaison).get(detail(referred)).status_code == 404


def test_malformed_and_unknown_ids(client_as, clerk):
    client = client_as(clerk)
    assert client.get("/cases/abc/").status_code == 404
    response = client.get("/cases/999999/")
    assert response.status_code == 404
    assert "不在您的查看范围内" in response.content.decode()


def test_page_shows_the_file_as_a_clerk_reads_it(client_as, clerk, case):
    html = client_as(clerk).get(detail(case)).content.decode()
    for text in (
        "潜行调登〔2026〕0001号",
        "已登记",
        "争议的行政行为",
        "潜市监罚〔2026〕12号",
        "王建国",
        "撤销行政处罚决定",
        "办理记录",
    ):
        assert text in html
    assert VALID_ID not in html
    assert "429005********1233" in html


def test_deadlines_are_shown_with_their_explanations(client_as, clerk, case):
    html = client_as(clerk).get(detail(case)).content.decode()
    # Act known on 2026-09-03: 60 days for reconsideration, 6 months to sue.
    assert "申请行政复议期限" in html and "2026年11月2日" in html and "已超期" in html
    assert "提起行政诉讼期限" in html and "2027年3月3日" in html
    assert "依据《行政诉讼法》第四十六条第一款，自2026年9月3日" in html
    assert "受理审查期限" in html and "2026年12月4日" in html


def test_referral_answer_deadline_is_highlighted_when_due(
    client_as, office, court_liaison, clerk, time_machine
):
    referred = refer(office, court_liaison)
    time_machine.move_to("2026-12-02 09:00+08:00", tick=False)
    html = client_as(clerk).get(detail(referred)).content.decode()
    assert "答复法院委派期限" in html
    assert "deadline-overdue" in html and "今日到期" in html
    assert "依据《人民法院在线调解规则》第十二条" in html


def test_only_permitted_actions_are_offered(client_as, clerk, head, mediator, case):
    assert "受理" not in _buttons(client_as(clerk).get(detail(case)))
    assert _buttons(client_as(head).get(detail(case))) == [
        "通知补正",
        "受理",
        "不予受理",
        "申请人撤回",
        "修改案件信息",
    ]
    assert _buttons(client_as(mediator).get(detail(case))) == []


def _buttons(response) -> list[str]:
    import re

    html = response.content.decode()
    return re.findall(
        r'href="/cases/\d+/(?:[a-z_]+)/">([^<]+)</a>',
        html.split("可以办理的事项")[1].split("</div>")[0],
    )


@pytest.mark.parametrize("parties", [1, 8])
def test_case_page_query_count_stays_flat(
    client_as, clerk, case, django_assert_num_queries, parties
):
    from tests.factories import person

    for index in range(parties):
        case.refresh_from_db()
        records.party_add(
            case=case,
            actor=clerk,
            role="third_party",
            data=person(name=f"第三人{index}", id_type="passport", id_number=f"E{index:07d}"),
            expected_version=case.version,
        )
    client = client_as(clerk)
    # The page reads the case, asks once which kinds of record it has, and reads each
    # kind it has once, however many there are: a case just registered has parties,
    # claims and events, and none of the twelve kinds a mediation adds.
    with django_assert_num_queries(13):
        client.get(detail(case))


def test_the_case_page_reads_only_the_kinds_of_record_the_case_has(
    clerk, mediator, head, office, django_assert_num_queries
):
    from cases.selectors import case_detail

    young = CaseFactory(office=office, created_by=clerk)
    agreed = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, agreed=True)
    names = [p.name for p in young.parties.all()]
    fresh = case_detail(clerk, young.pk)
    loaded = case_detail(clerk, agreed.pk)
    with django_assert_num_queries(0):
        # Kinds without rows are known empty, kinds with rows are loaded whole.
        assert list(fresh.sessions.all()) == [] and list(fresh.assignments.all()) == []
        assert [p.name for p in fresh.parties.all()] == names
        assert len(loaded.sessions.all()) == 1 and len(loaded.assignments.all()) >= 1
        assert list(loaded.terminations.all()) == []
    # A filtered read is a fresh query, as with any prefetched relation.
    with django_assert_num_queries(1):
        assert not fresh.sessions.filter(number=1).exists()


def test_accept_through_the_page(client_as, head, case):
    client = client_as(head)
    page = client.get(action(case, "accept")).content.decode()
    assert "受理后分配案号" in page and 'value="2026-11-27"' in page
    response = client.post(
        action(case, "accept"), {"accepted_on": "2026-11-27", "note": ""}, follow=True
    )
    assert "已受理，案号（2026）潜行调字第1号。" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_action_errors_keep_the_form(client_as, head, case):
    response = client_as(head).post(
        action(case, "accept"), {"accepted_on": "2026-12-30", "note": "保留的说明"}
    )
    html = response.content.decode()
    assert "受理日期不能晚于今天。" in html
    assert "保留的说明" in html


def test_decline_form_requires_guidance(client_as, head, case):
    response = client_as(head).post(
        action(case, "decline"), {"reason": "out_of_scope", "guidance": ""}
    )
    assert "这个字段是必填项" in response.content.decode()
    response = client_as(head).post(
        action(case, "decline"),
        {"reason": "out_of_scope", "guidance": "可以申请行政复议。"},
        follow=True,
    )
    assert "已决定不予受理" in response.content.decode()


def test_action_on_a_case_that_moved_on_explains_and_redirects(client_as, head, case):
    client = client_as(head)
    client.post(action(case, "accept"), {"accepted_on": "2026-11-27"})
    response = client.post(action(case, "accept"), {"accepted_on": "2026-11-27"}, follow=True)
    assert "案件当前状态为“已受理”，不能受理" in response.content.decode()


def test_action_permission_matrix(client, client_as, request, case):
    url = action(case, "accept")
    assert client.get(url).status_code == 302
    assert client_as(request.getfixturevalue("clerk")).get(url).status_code == 403
    assert client_as(request.getfixturevalue("other_office_clerk")).get(url).status_code == 404
    assert client_as(request.getfixturevalue("head")).get(url).status_code == 200
    assert (
        client_as(request.getfixturevalue("head")).get(action(case, "no_such_action")).status_code
        == 404
    )


def test_supplement_through_the_page(client_as, clerk, case):
    client = client_as(clerk)
    response = client.post(
        action(case, "request_supplement"),
        {"items": "身份证复印件\n- 处罚决定书\n\n", "due": "2026-12-11"},
        follow=True,
    )
    assert "已通知补正，补正期限为2026年12月11日。" in response.content.decode()
    case.refresh_from_db()
    assert case.supplement_items == ["身份证复印件", "处罚决定书"]


def test_court_confirms_a_paper_referral_then_the_office_signs_for_it(
    client_as, court, clerk, court_liaison
):
    paper = record_paper_referral(court, clerk)
    page = client_as(court_liaison).get(action(paper, "approve_referral")).content.decode()
    letter = paper.referral.letter_no
    assert f"<title>确认委派 · 委派函{letter} · 潜江市行政争议化解工作室</title>" in page
    response = client_as(court_liaison).post(action(paper, "approve_referral"), follow=True)
    assert "已确认委派，工作室应于2026年12月2日前答复。" in response.content.decode()
    response = client_as(clerk).post(
        action(paper, "sign_for"), {"signed_on": "2026-11-27"}, follow=True
    )
    assert "已签收委派，案号（2026）潜行调字第1号" in response.content.decode()


def test_return_referral_needs_a_written_note(client_as, office, court_liaison, head):
    referred = refer(office, court_liaison)
    response = client_as(head).post(
        action(referred, "return_referral"), {"reason": "conflict", "note": ""}
    )
    assert "这个字段是必填项" in response.content.decode()
    assert Case.objects.get(pk=referred.pk).status == Status.REFERRAL_PENDING
    assert date(2026, 11, 27) == referred.referral.pending_since


def test_action_confirmed_on_a_page_opened_before_a_change_is_held_back(
    client_as, clerk, head, case
):
    url = action(case, "accept")
    opened_version = case.version
    records.case_update(
        case=case, actor=clerk, data={"persons_affected": 3}, expected_version=case.version
    )
    html = (
        client_as(head)
        .post(url, {"v-version": str(opened_version), "accepted_on": "2026-11-27"})
        .content.decode()
    )
    assert "您打开本页后，本案信息已有变动" in html
    assert Case.objects.get(pk=case.pk).status == Status.REGISTERED


def test_decline_page_lists_the_computed_deadlines_for_the_guidance(client_as, head, case):
    html = client_as(head).get(action(case, "decline")).content.decode()
    assert "提起行政诉讼期限至2027年3月3日" in html
    assert "申请行政复议期限至2026年11月2日（已届满）" in html


def test_deadlines_in_a_year_without_holidays_entered_say_so(
    client_as, clerk, office, time_machine
):
    case = register(
        office,
        clerk,
        act_known_date=date(2026, 11, 20),
        act_date=date(2026, 11, 18),
        act_served_date=date(2026, 11, 19),
        received_date=date(2026, 11, 20),
    )
    html = client_as(clerk).get(detail(case)).content.decode()
    assert "2027年节假日安排尚未录入" in html


def test_the_opened_version_is_compared_with_the_case_as_locked(
    client_as, clerk, head, case, monkeypatch
):
    """A change between the page's read of the case and the action is caught too."""
    read_before_the_change = Case.objects.get(pk=case.pk)
    opened_version = case.version
    records.case_update(
        case=case, actor=clerk, data={"persons_affected": 3}, expected_version=case.version
    )
    monkeypatch.setattr("cases.views.case.case_for_update", lambda user, pk: read_before_the_change)
    html = (
        client_as(head)
        .post(
            action(case, "accept"), {"v-version": str(opened_version), "accepted_on": "2026-11-27"}
        )
        .content.decode()
    )
    assert "您打开本页后，本案信息已有变动" in html
    assert Case.objects.get(pk=case.pk).status == Status.REGISTERED
