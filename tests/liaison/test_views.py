"""The register pages as their users see them: lists, filters, forms and their messages."""

import re
from datetime import date

import pytest
from django.urls import reverse

from liaison.models import Lawsuit, LiaisonEvent, Part, SupervisionItem
from liaison.selectors import home_queues
from liaison.services import hearings, judgments, lawsuits, supervision
from tests.helpers import html_of
from tests.liaison.conftest import decide, make_hearing, make_lawsuit, make_suggestion, reply

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _many(actor, court, agency, count, start=100):
    made = []
    for n in range(count):
        lawsuit = make_lawsuit(
            actor, court, agency, court_case_no=f"（2026）鄂9005行初{start + n}号"
        )
        hearing = make_hearing(actor, lawsuit)
        hearings.record_appearance(
            appearance=hearing.appearances.get(),
            actor=actor,
            data={
                "head_appeared": True,
                "head_name": "李",
                "head_title": "副局长",
                "head_rank": "deputy",
                "head_spoke": True,
            },
            expected_version=0,
        )
        decided = decide(actor, lawsuit, "revoked")
        effective = lawsuits.record_effective(
            lawsuit=decided, actor=actor, effective_on=date(2026, 11, 21)
        )
        judgments.performance_create(
            lawsuit=effective, agency=agency, actor=actor, duty="重作", days=30
        )
        made.append(effective)
    return made


@pytest.mark.parametrize("rows", [1, 6])
def test_lawsuit_list_query_count_stays_flat(
    client_as, gov_liaison, court, agency, rows, django_assert_num_queries
):
    _many(gov_liaison, court, agency, rows)
    client = client_as(gov_liaison)
    url = reverse("liaison:lawsuits") + "?lost=yes&head=yes&overdue=&todo=performance&q=鄂9005"
    with django_assert_num_queries(12):
        response = client.get(url)
    assert html_of(response).count("（2026）鄂9005行初1") == rows


@pytest.mark.parametrize("rows", [1, 6])
def test_lawsuit_page_query_count_stays_flat(
    client_as, gov_liaison, court, agency, rows, django_assert_num_queries
):
    [lawsuit] = _many(gov_liaison, court, agency, 1)
    for n in range(rows):
        make_hearing(gov_liaison, lawsuit, held_on=date(2026, 10, 1 + n))
    client = client_as(gov_liaison)
    with django_assert_num_queries(17):
        client.get(lawsuit.get_absolute_url())


@pytest.mark.parametrize("rows", [5, 8])
def test_the_liaison_home_query_count_stays_flat(
    client_as,
    gov_liaison,
    court_liaison,
    agency_contact,
    court,
    agency,
    rows,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    for n in range(rows):
        lawsuit = make_lawsuit(
            gov_liaison, court, agency, court_case_no=f"（2026）鄂9005行初{200 + n}号"
        )
        make_hearing(gov_liaison, lawsuit)
        _suggestion(court_liaison, court, [agency], n + 1)
    _many(gov_liaison, court, agency, rows, start=300)
    _supervise_absence(gov_liaison, agency, lawsuit, held_on=date(2026, 10, 21))
    client = client_as(gov_liaison)
    # Each queue's first rows with the columns they show, and the total of each full queue.
    with django_assert_num_queries(HOME_QUERIES):
        page = html_of(client.get(reverse("home")))
    assert "2026-10-20开庭 · " in page and "（2026）鄂9005行初200号" in page
    assert "潜法建〔2026〕1号" in page and "重作" in page
    assert f'data-testid="queue-replies-count">{rows}<' in page
    if rows > 5:  # a full queue links to the whole list or to the lawsuits of its rows
        assert f">查看全部 {rows} 项</a>" in page
        assert '?todo=appearance">在诉讼案件台账中查看所涉案件</a>' in page
    assert "督办〔2026〕1号" in page and "负责人未出庭" in page
    decide(gov_liaison, lawsuit, "revoked")
    court_client, agency_client = client_as(court_liaison), client_as(agency_contact)
    # The court's lawsuits awaiting their effective date and those still being heard.
    with django_assert_max_num_queries(COURT_HOME_QUERIES):
        page = html_of(court_client.get(reverse("home")))
    assert f"（2026）鄂9005行初{199 + rows}号" in page and "审结" in page
    assert "2026-09-01立案" in page
    # The agency's lost lawsuits without a loss analysis.
    with django_assert_num_queries(AGENCY_HOME_QUERIES):
        page = html_of(agency_client.get(reverse("home")))
    assert "败诉待填报分析" in page and "审结" in page


HOME_QUERIES = 13
COURT_HOME_QUERIES = 11  # one more once its queue of lawsuits being heard is full
AGENCY_HOME_QUERIES = 15


def _supervise_absence(actor, agency, heard, held_on=date(2026, 10, 20), **links):
    """A hearing of ``heard`` the agency's head missed without reason, and the supervision
    it opened (``links``: the lawsuit it also names, if any)."""
    absent = make_hearing(actor, heard, held_on=held_on).appearances.get()
    hearings.record_appearance(
        appearance=absent,
        actor=actor,
        data={"head_appeared": False, "absence_reason": "none", "staff": "张三"},
        expected_version=0,
    )
    return supervision.supervision_open(
        actor=actor,
        agency=agency,
        reason="head_absent",
        facts="未出庭。",
        required_action="说明。",
        opened_on=date(2026, 11, 2),
        period_amount=15,
        period_unit="working_days",
        appearance=absent,
        **links,
    )


def _suggestion(court_liaison, court, agencies, n):
    return make_suggestion(
        court_liaison,
        court,
        agencies,
        received_on=date(2026, 8, 3),
        number=f"潜法建〔2026〕{n}号",
        kind="governance",
        subject=f"关于第{n}项的建议",
        content="内容",
        issued_on=date(2026, 8, 1),
    )


@pytest.mark.parametrize("rows", [2, 7])
def test_the_suggestion_register_query_count_stays_flat(
    client_as,
    gov_liaison,
    court_liaison,
    agency_contact,
    court,
    agency,
    other_agency,
    rows,
    django_assert_num_queries,
):
    for n in range(1, rows + 1):
        suggestion = _suggestion(court_liaison, court, [agency, other_agency], n)
    reply(suggestion.recipients.get(agency=agency), agency_contact, "已整改")
    client = client_as(gov_liaison)
    # session, user, 2 permissions, unread notices, 2 filter drop-downs, count, page,
    # addressees
    with django_assert_num_queries(10):
        page = html_of(client.get(reverse("liaison:suggestions")))
    assert page.count("关于第") == rows and f"潜法建〔2026〕{rows}号" in page
    assert "2026-09-01答复，采纳" in page and "逾期未答复（期限2026-10-08）" in page


def test_the_suggestion_register_finds_an_agency_by_its_name_or_short_name(
    client_as, gov_liaison, court_liaison, agency_contact, court, agency, other_agency
):
    _suggestion(court_liaison, court, [agency], 1)
    _suggestion(court_liaison, court, [other_agency], 2)

    def found(user, q: str) -> list[int]:
        page = html_of(client_as(user).get(reverse("liaison:suggestions") + f"?q={q}"))
        return [n for n in (1, 2) if f"关于第{n}项的建议" in page]

    assert found(gov_liaison, "市人社局") == [1]
    assert found(gov_liaison, "人力资源") == [1]
    assert found(gov_liaison, "公安") == [2]
    assert found(gov_liaison, "关于第2项") == [2]  # the subject, as before
    assert found(gov_liaison, "潜法建20262号") == [2]  # the number, its year unbracketed
    # An agency contact finds no suggestion by another agency's name.
    assert found(agency_contact, "公安") == []


@pytest.mark.parametrize("rows", [2, 7])
def test_the_supervision_register_query_count_stays_flat(
    client_as, gov_liaison, agency_contact, court, agency, rows, django_assert_num_queries
):
    for n in range(rows):
        lawsuit = make_lawsuit(
            gov_liaison, court, agency, court_case_no=f"（2026）鄂9005行初{400 + n}号"
        )
        _supervise_absence(gov_liaison, agency, lawsuit, lawsuit=lawsuit)
    client = client_as(gov_liaison)
    # session, user, 2 permissions, unread notices, the agency drop-down, count, page
    with django_assert_num_queries(8):
        page = html_of(client.get(reverse("liaison:supervision_list")))
    assert f"督办〔2026〕{rows}号" in page and "（2026）鄂9005行初400号" in page
    assert page.count("负责人未出庭") >= rows


def test_the_supervision_states_are_filtered_apart_from_what_they_gather(
    client_as, gov_liaison, agency_contact, court, agency
):
    items = []
    for n in range(4):
        lawsuit = make_lawsuit(
            gov_liaison, court, agency, court_case_no=f"（2026）鄂9005行初{400 + n}号"
        )
        items.append(_supervise_absence(gov_liaison, agency, lawsuit, lawsuit=lawsuit))
    _, responded, escalated, closed = items  # the first stays 督办中
    supervision.supervision_respond(
        item=responded,
        actor=agency_contact,
        responded_on=date(2026, 11, 10),
        response="已书面说明。",
        expected_version=responded.version,
    )
    supervision.supervision_escalate(
        item=escalated, actor=gov_liaison, note="提请市政府督查室督办。", on=date(2026, 11, 20)
    )
    supervision.supervision_close(
        item=closed,
        actor=gov_liaison,
        closed_on=date(2026, 11, 20),
        result="rectified",
        result_note="已约谈。",
    )
    client = client_as(gov_liaison)

    def listed(state: str) -> set[str]:
        page = html_of(client.get(reverse("liaison:supervision_list") + f"?state={state}"))
        assert f'<option value="{state}" selected>' in page  # the choice stays chosen
        return {f"督办〔2026〕{n}号" for n in range(1, 5) if f"督办〔2026〕{n}号" in page}

    assert listed("open") == {"督办〔2026〕1号"}
    assert listed("awaiting") == {"督办〔2026〕1号", "督办〔2026〕3号"}
    assert listed("unclosed") == {"督办〔2026〕1号", "督办〔2026〕2号", "督办〔2026〕3号"}
    assert listed("closed") == {"督办〔2026〕4号"}
    # The home page's queue counts and links to what 待反馈 lists.
    (queue,) = [
        q for q in home_queues(gov_liaison, today=date(2026, 12, 1)) if q.key == "supervision"
    ]
    assert queue.total == 2
    assert queue.link == reverse("liaison:supervision_list") + "?state=awaiting"


def _reason_options(page: str) -> list[str]:
    select = re.search(r'<select name="reason".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="(\w+)"', select.group(0))


def test_supervision_opened_from_no_record_offers_only_other(client_as, gov_liaison, agency):
    client = client_as(gov_liaison)

    page = html_of(client.get(reverse("liaison:supervision_new")))

    assert _reason_options(page) == ["other"]
    assert "请从“应督办事项”或台账中的该条记录发起" in page
    response = client.post(
        reverse("liaison:supervision_new"),
        {
            "agency": agency.pk,
            "reason": "head_absent",
            "facts": "未出庭。",
            "required_action": "说明。",
            "opened_on": "2026-11-02",
            "period_amount": "15",
            "period_unit": "working_days",
        },
    )
    assert "选择一个有效的选项" in html_of(response)
    assert not SupervisionItem.objects.exists()


def test_supervision_opened_from_a_record_offers_its_reason(client_as, gov_liaison, court, agency):
    suggestion = make_suggestion(gov_liaison, court, [agency], received_on=date(2026, 9, 1))
    recipient = suggestion.recipients.get()
    url = reverse("liaison:supervision_new") + (
        f"?reason=suggestion&agency={agency.pk}&recipient={recipient.pk}"
    )

    page = html_of(client_as(gov_liaison).get(url))

    assert _reason_options(page) == ["suggestion", "other"]
    assert "请从“应督办事项”或台账中的该条记录发起" not in page


def test_supervision_of_an_absence_names_its_lawsuit_but_offers_no_loss(
    client_as, gov_liaison, agency, lawsuit
):
    absent = make_hearing(gov_liaison, lawsuit).appearances.get()
    url = reverse("liaison:supervision_new") + (
        f"?reason=head_absent&agency={agency.pk}&appearance={absent.pk}&lawsuit={lawsuit.pk}"
    )

    page = html_of(client_as(gov_liaison).get(url))

    assert _reason_options(page) == ["head_absent", "other"]


def test_the_agency_contact_sees_only_their_agencys_lawsuits(
    client_as, gov_liaison, agency_contact, court, agency, other_agency
):
    mine = make_lawsuit(gov_liaison, court, agency, court_case_no="（2026）鄂9005行初1号")
    make_lawsuit(gov_liaison, court, other_agency, court_case_no="（2026）鄂9005行初2号")
    page = html_of(client_as(agency_contact).get(reverse("liaison:lawsuits")))
    assert mine.court_case_no in page
    assert "（2026）鄂9005行初2号" not in page


def test_a_register_row_shows_each_cell_of_its_lawsuit(
    client_as, gov_liaison, court, agency, other_agency
):
    pending = make_lawsuit(
        gov_liaison,
        court,
        agency,
        court_case_no="（2026）鄂9005行初1号",
        parties=[
            lawsuits.PartyRow(agency, Part.DEFENDANT),
            lawsuits.PartyRow(other_agency, Part.THIRD_PARTY),
        ],
        plaintiffs=[
            {"name": "王建国", "kind": "natural_person", "id_number": "", "uscc": ""},
            {"name": "<b>李</b>", "kind": "natural_person", "id_number": "", "uscc": ""},
        ],
    )
    lost = decide(
        gov_liaison,
        make_lawsuit(gov_liaison, court, agency, court_case_no="（2026）鄂9005行初2号"),
        "revoked",
    )
    won = decide(
        gov_liaison,
        make_lawsuit(gov_liaison, court, agency, court_case_no="（2026）鄂9005行初3号"),
        "dismissed_claims",
    )
    page = html_of(client_as(gov_liaison).get(reverse("liaison:lawsuits")))

    def row(lawsuit) -> str:
        return page.split(f'<a href="{lawsuit.get_absolute_url()}">', 1)[1].split("</tr>", 1)[0]

    cells = row(pending)
    assert cells.startswith("（2026）鄂9005行初1号</a>")
    assert '<div class="small text-muted">一审</div>' in cells
    assert '<span class="badge text-bg-primary">审理中</span>' in cells
    assert f'<td class="small">{court.name}</td>' in cells
    third = other_agency.short_name or other_agency.name
    assert f'<td class="small">{agency.short_name or agency.name}、{third}（第三人）</td>' in cells
    assert '<td class="small">王建国、&lt;b&gt;李&lt;/b&gt;</td>' in cells
    assert '<td class="small">工伤认定/社会保障</td>' in cells
    assert '<td class="text-nowrap">2026-09-01</td>' in cells
    assert '<td class="small">—</td>' in cells
    assert '<td class="small">撤销 <span class="badge text-bg-danger">败诉</span></td>' in row(lost)
    assert '<td class="small">驳回诉讼请求</td>' in row(won)


def test_filters_and_search(client_as, gov_liaison, court, agency, other_agency):
    won = make_lawsuit(gov_liaison, court, agency, court_case_no="（2026）鄂9005行初1号")
    decide(gov_liaison, won, "dismissed_claims")
    lost = make_lawsuit(
        gov_liaison,
        court,
        other_agency,
        court_case_no="（2026）鄂9005行初2号",
        plaintiffs=[{"name": "欧阳娜娜", "kind": "natural_person", "id_number": "", "uscc": ""}],
    )
    decide(gov_liaison, lost, "revoked")
    client = client_as(gov_liaison)

    def numbers(query):
        page = html_of(client.get(reverse("liaison:lawsuits") + query))
        return [n for n in ("行初1号", "行初2号") if n in page]

    assert numbers("?lost=yes") == ["行初2号"]
    assert numbers("?lost=no") == ["行初1号"]
    assert numbers("?q=欧阳") == ["行初2号"]
    assert numbers("?q=(2026)鄂9005行初1") == ["行初1号"]
    assert numbers("?q=2026鄂9005行初1号") == ["行初1号"]  # the year without brackets
    assert numbers(f"?agency={agency.pk}") == ["行初1号"]
    assert numbers("?year=2025") == []
    assert numbers("?year=abc&lost=maybe") == ["行初1号", "行初2号"]


def test_todo_filter_lists_the_lawsuits_of_each_home_queue(
    client_as, gov_liaison, agency_contact, court, agency, other_agency
):
    """Each queue of the home page links to the register's 待办 filter, which lists the
    lawsuits of the records the queue counts, and for an agency contact its own only."""
    both = make_lawsuit(
        gov_liaison, court, agency, court_case_no="（2026）鄂9005行初1号", co_defendant=other_agency
    )
    heard = make_hearing(gov_liaison, both, held_on=date(2026, 11, 20), open_court=False)
    hearings.record_appearance(
        appearance=heard.appearances.get(agency=agency),
        actor=agency_contact,
        data={"head_appeared": False, "absence_reason": "none", "staff": "张三"},
        expected_version=0,
    )
    # Received a week ago: its defence is due but not overdue (?overdue=yes misses it).
    defending = make_lawsuit(gov_liaison, court, agency, court_case_no="（2026）鄂9005行初2号")
    lawsuits.record_defence(
        defendant=defending.defendants.get(),
        actor=agency_contact,
        complaint_received_on=date(2026, 11, 20),
        defence_submitted_on=None,
    )
    # Effective, its duty not yet due (?performance=overdue misses it), and lost without
    # the agency's analysis.
    performing = make_lawsuit(gov_liaison, court, agency, court_case_no="（2026）鄂9005行初3号")
    lawsuits.record_effective(
        lawsuit=decide(gov_liaison, performing, "revoked"),
        actor=gov_liaison,
        effective_on=date(2026, 11, 21),
    )
    judgments.performance_create(
        lawsuit=Lawsuit.objects.get(pk=performing.pk),
        agency=agency,
        actor=gov_liaison,
        duty="重作",
        days=30,
    )

    def listed(user, todo: str) -> list[str]:
        page = html_of(client_as(user).get(reverse("liaison:lawsuits") + f"?todo={todo}"))
        assert f'<option value="{todo}" selected>' in page
        return [n for n in ("行初1号", "行初2号", "行初3号") if f"鄂9005{n}</a>" in page]

    assert listed(gov_liaison, "appearance") == ["行初1号"]  # the co-defendant's, unheard
    assert listed(gov_liaison, "defence") == ["行初2号"]
    assert listed(gov_liaison, "performance") == ["行初3号"]
    assert listed(gov_liaison, "analysis") == ["行初3号"]
    # The agency recorded its own appearance; the co-defendant's is not its work.
    assert listed(agency_contact, "appearance") == []
    assert listed(agency_contact, "defence") == ["行初2号"]
    assert (
        listed(agency_contact, "performance") == listed(agency_contact, "analysis") == ["行初3号"]
    )

    queues = {q.key: q for q in home_queues(agency_contact, today=date(2026, 11, 27))}
    assert queues["appearances"].total == 0
    assert queues["defences"].total == queues["performances"].total == 1
    assert queues["losses"].total == 1
    for key, todo in (
        ("appearances", "appearance"),
        ("defences", "defence"),
        ("performances", "performance"),
        ("losses", "analysis"),
    ):
        assert queues[key].link == reverse("liaison:lawsuits") + f"?todo={todo}"
        assert queues[key].link_label == "在诉讼案件台账中查看所涉案件"
    assert home_queues(gov_liaison, today=date(2026, 11, 27))[0].total == 1


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("lawsuits", "?year=abc", "选择一个有效的选项"),
        ("lawsuits", "?agency=999999", "选择一个有效的选项"),
        ("lawsuits", "?q=" + "鄂" * 61, "搜索内容最多60个字（现为61个字）"),
        ("suggestions", "?state=maybe", "选择一个有效的选项"),
        ("suggestions", "?q=" + "鄂" * 61, "搜索内容最多60个字（现为61个字）"),
        ("supervision_list", "?agency=abc", "选择一个有效的选项"),
    ],
)
def test_a_filter_value_the_list_cannot_use_is_named_beside_its_field(
    client_as, gov_liaison, name, query, message
):
    page = html_of(client_as(gov_liaison).get(reverse(f"liaison:{name}") + query))
    assert message in page
    assert 'aria-invalid="true"' in page


def test_registering_a_lawsuit_through_the_page(client_as, court_liaison, court, agency):
    client = client_as(court_liaison)
    form = {
        "court_case_no": "(2026)鄂9005行初30号",
        "instance": "first",
        "court": court.pk,
        "category": 1,
        "act_in_dispute": "不予认定工伤决定",
        "filed_on": "2026-09-01",
        "defendants": [agency.pk],
        "pl-TOTAL_FORMS": "2",
        "pl-INITIAL_FORMS": "0",
        "pl-MIN_NUM_FORMS": "0",
        "pl-MAX_NUM_FORMS": "50",
        "pl-0-name": "王建国",
        "pl-0-kind": "natural_person",
        "pl-0-id_number": "429005198001011233",
    }
    from cases.models import DisputeCategory

    form["category"] = DisputeCategory.objects.get(code="WORK_INJURY_SOCIAL").pk
    response = client.post(reverse("liaison:lawsuit_new"), form)
    lawsuit = Lawsuit.objects.get()
    assert response["Location"] == lawsuit.get_absolute_url()
    assert lawsuit.court_case_no == "（2026）鄂9005行初30号"
    page = html_of(client.get(lawsuit.get_absolute_url()))
    assert "已登记（2026）鄂9005行初30号。" in page
    assert "429005********1233" in page and "429005198001011233" not in page


def _lawsuit_form(court, agency, **changes) -> dict:
    """The new-lawsuit form's data, one natural person suing ``agency``."""
    from cases.models import DisputeCategory

    form = {
        "court_case_no": "(2026)鄂9005行初30号",
        "instance": "first",
        "court": court.pk,
        "category": DisputeCategory.objects.get(code="WORK_INJURY_SOCIAL").pk,
        "act_in_dispute": "不予认定工伤决定",
        "filed_on": "2026-09-01",
        "defendants": [agency.pk],
        "pl-TOTAL_FORMS": "1",
        "pl-INITIAL_FORMS": "0",
        "pl-MIN_NUM_FORMS": "0",
        "pl-MAX_NUM_FORMS": "50",
        "pl-0-name": "王建国",
        "pl-0-kind": "natural_person",
        "pl-0-id_number": "",
    }
    form.update(changes)
    return form


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"court_case_no": "2026行初30"}, "court_case_no", "与人民法院案号的通常格式不符"),
        ({"court_case_no": "(2024)鄂9005行初30号"}, "court_case_no", "案号的年度为2024年"),
        ({"filed_on": "2026-13-01"}, "filed_on", "输入一个有效的日期"),
        ({"filed_on": "2027-01-01"}, "filed_on", "立案日期不能晚于今天。"),
        ({"act_in_dispute": "长" * 301}, "act_in_dispute", "最多300个字（现为301个字）"),
        ({"lower_case_no": "（2025）鄂9005行初1号"}, "lower_case_no", "台账中没有案号为"),
        ({"mediation_case_no": "（2026）潜行调字第999号"}, "mediation_case_no", "没有找到案号为"),
        ({"pl-0-id_number": "429005198001011230"}, "pl-0-id_number", "校验位不正确"),
        ({"defendants": []}, "defendants", "这个字段是必填项"),
    ],
)
def test_bad_input_is_answered_by_the_field_and_nothing_is_saved(
    client_as, court_liaison, court, agency, changes, field, message
):
    form = _lawsuit_form(court, agency, **changes)
    response = client_as(court_liaison).post(reverse("liaison:lawsuit_new"), form)
    assert response.status_code == 200
    page = html_of(response)
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert not Lawsuit.objects.exists()
    # What was typed is still there.
    assert "不予认定工伤决定" in page or "长长长" in page


def test_an_empty_plaintiffs_table_is_said_with_the_other_errors(
    client_as, court_liaison, court, agency
):
    form = _lawsuit_form(court, agency, **{"pl-0-name": "", "filed_on": "2027-01-01"})
    page = html_of(client_as(court_liaison).post(reverse("liaison:lawsuit_new"), form))
    assert "立案日期不能晚于今天。" in page and "请至少填写一个原告。" in page
    assert not Lawsuit.objects.exists()


# 91429005MA4F2GPB1's check character is 5; a typist swapped in 0.
WRONG_CHECK = "91429005MA4F2GPB10"
COMPANY = {"pl-0-name": "潜江市某某建材有限公司", "pl-0-kind": "legal_person"}


def test_a_plaintiffs_credit_code_with_a_wrong_check_character_waits_for_confirmation(
    client_as, court_liaison, court, agency
):
    from cases.identifiers import parse_uscc

    assert not parse_uscc(WRONG_CHECK).checksum_ok
    client = client_as(court_liaison)
    form = _lawsuit_form(court, agency, **COMPANY, **{"pl-0-uscc_0": WRONG_CHECK})

    response = client.post(reverse("liaison:lawsuit_new"), form)

    page = html_of(response)
    assert "统一社会信用代码校验位与前17位不符" in page
    assert 'id="id_pl-0-uscc_error"' in page
    assert f'value="{WRONG_CHECK}"' in page  # what was typed is still there
    assert not Lawsuit.objects.exists()

    form["pl-0-uscc_1"] = "on"
    response = client.post(reverse("liaison:lawsuit_new"), form)

    lawsuit = Lawsuit.objects.get()
    assert response["Location"] == lawsuit.get_absolute_url()
    assert lawsuit.plaintiffs.get().uscc == WRONG_CHECK
    # Editing the lawsuit again keeps the code confirmed: saving it asks nothing more.
    edit = reverse("liaison:lawsuit_edit", args=[lawsuit.pk])
    page = html_of(client.get(edit))
    assert re.search(r'name="pl-0-uscc_1"[^>]*checked', page)
    form.update(
        {
            "act_in_dispute": "不予认定工伤决定书",
            "pl-INITIAL_FORMS": "1",
            "version": lawsuit.version,
        }
    )
    response = client.post(edit, form)
    assert response.status_code == 302
    lawsuit.refresh_from_db()
    assert lawsuit.act_in_dispute == "不予认定工伤决定书"
    assert lawsuit.plaintiffs.get().uscc == WRONG_CHECK


def test_a_plaintiffs_credit_code_is_saved_in_its_written_form(
    client_as, court_liaison, court, agency
):
    response = client_as(court_liaison).post(
        reverse("liaison:lawsuit_new"),
        _lawsuit_form(court, agency, **COMPANY, **{"pl-0-uscc_0": " 91429005ma4f2gpb15 "}),
    )

    assert response.status_code == 302
    assert Lawsuit.objects.get().plaintiffs.get().uscc == "91429005MA4F2GPB15"


def test_a_hearing_sent_twice_is_recorded_once(client_as, gov_liaison, lawsuit):
    client = client_as(gov_liaison)
    url = reverse("liaison:hearing_new", args=[lawsuit.pk])
    form = {"held_on": "2026-10-20", "open_court": "on", "note": "第一次开庭"}

    assert client.post(url, form).status_code == 302
    response = client.post(url, form)

    page = html_of(response)
    assert "本案已登记2026年10月20日的开庭，不再重复登记" in page
    assert 'id="id_held_on_error"' in page
    assert "第一次开庭" in page  # what was typed is still there
    assert lawsuit.hearings.count() == 1


def test_the_agency_contact_records_a_duty_of_their_own_agency_chosen_for_them(
    client_as, gov_liaison, agency_contact, court, agency, city_government
):
    lawsuit = make_lawsuit(gov_liaison, court, agency, co_defendant=city_government)
    url = reverse("liaison:performance_new", args=[lawsuit.pk])

    page = html_of(client_as(agency_contact).get(url))
    assert f'<option value="{agency.pk}" selected>' in page
    assert f'value="{city_government.pk}"' not in page
    # The bureau records either agency's duty: none is chosen for it.
    page = html_of(client_as(gov_liaison).get(url))
    assert '<option value="" selected>---------</option>' in page


def test_appearance_form_and_the_stale_edit_message(
    client_as, gov_liaison, agency_contact, lawsuit
):
    appearance = make_hearing(gov_liaison, lawsuit).appearances.get()
    client = client_as(agency_contact)
    url = reverse("liaison:appearance", args=[appearance.pk])
    page = html_of(client.get(url))
    assert "下级或所属机构、受委托组织的负责人出庭的，不视为行政机关负责人出庭" in page
    # Each part is headed once: the absence's fields under 负责人未出庭, its reason labelled.
    assert '<legend class="h6">负责人未出庭</legend>' in page and page.count("未出庭原因") == 1
    response = client.post(url, {"head_appeared": "true", "version": "0"})
    assert "负责人出庭的，请填写出庭负责人的姓名。" in html_of(response)
    response = client.post(
        url,
        {
            "head_appeared": "true",
            "head_name": "李红梅",
            "head_title": "局长",
            "head_rank": "principal",
            "head_spoke": "true",
            "version": "0",
        },
        follow=True,
    )
    assert "已登记潜江市人力资源和社会保障局的出庭应诉情况。" in html_of(response)
    response = client.post(
        url,
        {"head_appeared": "false", "absence_reason": "none", "staff": "张三", "version": "0"},
    )
    assert "其他人已修改了这条记录" in html_of(response)


def test_the_effective_date_page_names_the_end_of_the_appeal_period(
    client_as, court_liaison, gov_liaison, lawsuit
):
    decide(gov_liaison, lawsuit)  # served on 5 November
    client = client_as(court_liaison)
    url = reverse("liaison:effective", args=[lawsuit.pk])
    assert "本案上诉期限至2026年11月20日届满。" in html_of(client.get(url))
    page = html_of(client.post(url, {"effective_on": "2026-11-20"}))
    assert "上诉期限至2026年11月20日届满；一审裁判在上诉期满无人上诉后才生效" in page
    assert 'id="id_effective_on_error"' in page
    assert Lawsuit.objects.get(pk=lawsuit.pk).status == Lawsuit.Status.DECIDED


def test_the_outcome_page_says_it_is_a_loss(client_as, court_liaison, lawsuit):
    from liaison.models import ResultType

    response = client_as(court_liaison).post(
        reverse("liaison:outcome", args=[lawsuit.pk]),
        {
            "result_type": ResultType.objects.get(code="revoked").pk,
            "concluded_on": "2026-11-02",
            "served_on": "2026-11-05",
            "version": lawsuit.version,
        },
        follow=True,
    )
    assert "已登记裁判结果：撤销（计为行政机关败诉，请被告机关填报败诉分析）。" in html_of(response)


def test_the_loss_analysis_form_does_not_open_for_a_lawsuit_not_lost(
    client_as, agency_contact, gov_liaison, agency, lawsuit
):
    url = reverse("liaison:loss_analysis", args=[lawsuit.pk, agency.pk])
    response = client_as(agency_contact).get(url, follow=True)
    assert response.redirect_chain == [(lawsuit.get_absolute_url(), 302)]
    assert "本案的裁判结果不计为败诉，无需填报败诉分析。" in html_of(response)
    decide(gov_liaison, lawsuit, "dismissed_claims")
    assert client_as(agency_contact).get(url).status_code == 302
    decide(gov_liaison, Lawsuit.objects.get(pk=lawsuit.pk), "revoked")
    assert "败诉分析 · " in html_of(client_as(agency_contact).get(url))


def test_the_agency_contacts_home_lists_their_work(
    client_as, gov_liaison, agency_contact, court, agency, other_agency
):
    mine = make_lawsuit(gov_liaison, court, agency, court_case_no="（2026）鄂9005行初1号")
    theirs = make_lawsuit(gov_liaison, court, other_agency, court_case_no="（2026）鄂9005行初2号")
    make_hearing(gov_liaison, mine)
    make_hearing(gov_liaison, theirs)
    page = html_of(client_as(agency_contact).get(reverse("home")))
    assert "府院联动待办" in page and "待登记出庭应诉情况" in page
    assert "行初1号" in page and "行初2号" not in page


def test_the_suggestion_page_shows_an_agency_only_its_own_reply(
    client_as, court_liaison, agency_contact, other_agency_contact, court, agency, other_agency
):
    suggestion = _suggestion(court_liaison, court, [agency, other_agency], 3)
    reply(
        suggestion.recipients.get(agency=other_agency), other_agency_contact, "公安局的答复秘密内容"
    )
    page = html_of(client_as(agency_contact).get(suggestion.get_absolute_url()))
    assert "潜江市人力资源和社会保障局" in page
    assert "潜江市公安局" not in page
    assert "公安局的答复秘密内容" not in page
    assert LiaisonEvent.objects.filter(kind="replied").count() == 1


def test_one_click_supervision_from_the_suggestions(
    client_as, gov_liaison, agency_contact, lawsuit
):
    appearance = make_hearing(gov_liaison, lawsuit).appearances.get()
    hearings.record_appearance(
        appearance=appearance,
        actor=agency_contact,
        data={"head_appeared": False, "absence_reason": "none", "staff": "张三"},
        expected_version=0,
    )
    client = client_as(gov_liaison)
    page = html_of(client.get(reverse("liaison:supervision_suggested")))
    assert "负责人未出庭应诉（无正当理由，未提交书面说明）" in page
    response = client.post(
        reverse("liaison:supervision_quick"),
        {"reason": "head_absent", "lawsuit": lawsuit.pk, "appearance": appearance.pk},
        follow=True,
    )
    assert "已发起督办督办〔2026〕1号，办理期限至2026年12月18日。" in html_of(response)
    again = client.post(
        reverse("liaison:supervision_quick"),
        {"reason": "head_absent", "lawsuit": lawsuit.pk, "appearance": appearance.pk},
        follow=True,
    )
    assert "该事项已经督办或已不需要督办" in html_of(again)


def test_circular_downloads(client_as, gov_liaison, agency, lawsuit):
    _supervise_absence(gov_liaison, agency, lawsuit)
    client = client_as(gov_liaison)
    response = client.post(
        reverse("liaison:circulars"),
        {
            "number": "潜司通〔2026〕5号",
            "title": "关于负责人出庭应诉督办情况的通报",
            "period_start": "2026-01-01",
            "period_end": "2026-11-27",
            "action": "issue",
        },
        follow=True,
    )
    assert "已制发通报潜司通〔2026〕5号。" in html_of(response)
    from liaison.models import Circular

    circular = Circular.objects.get()
    docx = client.get(reverse("liaison:circular_file", args=[circular.pk, "docx"]))
    assert docx.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "关于负责人出庭应诉督办情况的通报" in xml and "潜江市人力资源和社会保障局" in xml
    assert "潜江市司法局" in xml


def test_reconsideration_figures_must_add_up(client_as, gov_liaison):
    client = client_as(gov_liaison)
    url = reverse("liaison:reconsideration_edit", args=[2026, 3])
    form = {
        "received": 40,
        "accepted": 38,
        "concluded": 30,
        "upheld": 15,
        "revoked": 2,
        "changed": 0,
        "confirmed_illegal": 1,
        "ordered_performance": 0,
        "dismissed": 4,
        "mediated": 2,
        "settled_withdrawn": 5,
        "other": 0,
        "version": 0,
    }
    response = client.post(url, form)
    assert "审结数为30件，各类结果之和为29件，二者应当相等。" in html_of(response)
    response = client.post(url, {**form, "other": -1})
    assert "不能小于0。" in html_of(response)
    response = client.post(url, {**form, "other": 1}, follow=True)
    assert "已保存2026年第3季度的行政复议收结案数。" in html_of(response)
    assert client.get(reverse("liaison:reconsideration_edit", args=[2027, 1])).status_code == 404
