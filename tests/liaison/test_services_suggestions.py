"""Judicial suggestions, their replies and checks; supervision items and circulars."""

from datetime import date

import pytest

from cases.services.common import ServiceError, StaleEdit
from cases.workflow import InvalidTransition, NotPermitted
from liaison.models import LiaisonEvent, Recipient, SupervisionItem
from liaison.selectors import suggested_supervision
from liaison.services import hearings, judgments, lawsuits, suggestions, supervision
from tests.helpers import first_check_misses
from tests.liaison.conftest import decide, make_hearing, suggestion_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def suggestion(court_liaison, court, agency, other_agency):
    return suggestions.suggestion_create(
        actor=court_liaison,
        data=suggestion_data(court),
        addressees=[
            suggestions.Addressee(agency, date(2026, 8, 1)),
            suggestions.Addressee(other_agency, date(2026, 8, 3)),
        ],
        lawsuits=[],
    )


def test_a_suggestion_numbers_normalise_and_reply_dues_follow_each_receipt(suggestion, agency):
    assert suggestion.number == "潜法建〔2026〕3号"
    dues = {r.agency.short_name: r.reply_due for r in suggestion.recipients.all()}
    # 1 Aug + 2 months = 1 Oct, a holiday → 8 Oct; 3 Aug + 2 months = 3 Oct → 8 Oct too.
    assert dues == {"市人社局": date(2026, 10, 8), "市公安局": date(2026, 10, 8)}
    recipient = suggestion.recipients.get(agency=agency)
    assert "顺延至其后第一个工作日2026年10月8日" in recipient.reply_due_explanation


def test_overdue_is_shown_from_the_due_date_never_stored(suggestion, agency):
    recipient = suggestion.recipients.get(agency=agency)
    assert recipient.status == Recipient.Status.AWAITING
    assert not recipient.is_overdue(date(2026, 10, 8))
    assert recipient.is_overdue(date(2026, 10, 9))


def test_an_irregular_number_needs_confirmation_and_a_duplicate_is_refused(
    court_liaison, court, agency, suggestion
):
    with pytest.raises(ServiceError) as exc:
        suggestions.suggestion_create(
            actor=court_liaison,
            data=suggestion_data(court, number="潜法建2026-4"),
            addressees=[suggestions.Addressee(agency, date(2026, 8, 1))],
            lawsuits=[],
        )
    assert "文号格式已核对" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        suggestions.suggestion_create(
            actor=court_liaison,
            data=suggestion_data(court, number="潜法建［2026］3号"),
            addressees=[suggestions.Addressee(agency, date(2026, 8, 1))],
            lawsuits=[],
        )
    assert exc.value.message == "文号为潜法建〔2026〕3号的司法建议已经登记，不能重复登记。"


def test_a_number_registered_by_another_user_at_the_same_instant_is_refused(
    court_liaison, court, agency, suggestion, monkeypatch
):
    first_check_misses(monkeypatch, suggestions, "_ensure_unique")
    with pytest.raises(ServiceError) as exc:
        suggestions.suggestion_create(
            actor=court_liaison,
            data=suggestion_data(court),
            addressees=[suggestions.Addressee(agency, date(2026, 8, 1))],
            lawsuits=[],
        )
    assert exc.value.message == "文号为潜法建〔2026〕3号的司法建议已经登记，不能重复登记。"
    other = suggestions.suggestion_create(
        actor=court_liaison,
        data=suggestion_data(court, number="潜法建〔2026〕4号"),
        addressees=[suggestions.Addressee(agency, date(2026, 8, 1))],
        lawsuits=[],
    )
    first_check_misses(monkeypatch, suggestions, "_ensure_unique")
    with pytest.raises(ServiceError) as exc:
        suggestions.suggestion_update(
            suggestion=other,
            actor=court_liaison,
            data=suggestion_data(court),
            addressees=[suggestions.Addressee(agency, date(2026, 8, 1))],
            lawsuits=[],
        )
    assert exc.value.field == "number"
    other.refresh_from_db()
    assert other.number == "潜法建〔2026〕4号"


def test_a_receipt_before_the_issue_date_is_refused(court_liaison, court, agency):
    with pytest.raises(ServiceError) as exc:
        suggestions.suggestion_create(
            actor=court_liaison,
            data=suggestion_data(court),
            addressees=[suggestions.Addressee(agency, date(2026, 7, 29))],
            lawsuits=[],
        )
    assert exc.value.message == "收到日期不能早于2026-07-30。"


def test_the_court_registers_only_its_own_suggestions(other_court_liaison, court, agency):
    with pytest.raises(NotPermitted):
        suggestions.suggestion_create(
            actor=other_court_liaison,
            data=suggestion_data(court),
            addressees=[suggestions.Addressee(agency, date(2026, 8, 1))],
            lawsuits=[],
        )


def test_reply_then_check(suggestion, agency, agency_contact, gov_liaison):
    recipient = suggestion.recipients.get(agency=agency)
    replied = suggestions.record_reply(
        recipient=recipient,
        actor=agency_contact,
        replied_on=date(2026, 9, 20),
        reply="已研究。",
        adoption=Recipient.Adoption.PARTLY,
        measures="修订程序规定。",
        expected_version=0,
    )
    assert replied.status == Recipient.Status.REPLIED
    with pytest.raises(NotPermitted):
        suggestions.record_check(
            recipient=replied,
            actor=agency_contact,
            checked_on=date(2026, 11, 1),
            implementation="implemented",
            check_note="核查",
        )
    checked = suggestions.record_check(
        recipient=replied,
        actor=gov_liaison,
        checked_on=date(2026, 11, 1),
        implementation=Recipient.Implementation.IMPLEMENTED,
        check_note="已落实。",
    )
    assert checked.status == Recipient.Status.CHECKED
    with pytest.raises(InvalidTransition):
        suggestions.record_reply(
            recipient=checked,
            actor=agency_contact,
            replied_on=date(2026, 9, 20),
            reply="改",
            adoption="adopted",
            measures="改",
            expected_version=checked.version,
        )
    event = suggestion.events.get(kind=LiaisonEvent.Kind.REPLIED)
    assert event.agency == agency


def test_an_agency_replies_only_for_itself(suggestion, other_agency_contact, agency):
    with pytest.raises(NotPermitted) as exc:
        suggestions.record_reply(
            recipient=suggestion.recipients.get(agency=agency),
            actor=other_agency_contact,
            replied_on=date(2026, 9, 20),
            reply="x",
            adoption="adopted",
            measures="y",
            expected_version=0,
        )
    assert exc.value.message == "只能登记本机关的答复。"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"replied_on": date(2026, 7, 31)}, "答复日期不能早于2026-08-01。"),
        ({"reply": " "}, "请填写答复内容。"),
        ({"adoption": ""}, "请选择采纳情况。"),
        ({"measures": ""}, "请填写整改措施；未采纳的，请说明理由。"),
    ],
)
def test_an_incomplete_reply_is_refused(suggestion, agency, agency_contact, changes, message):
    data = {
        "replied_on": date(2026, 9, 20),
        "reply": "已研究。",
        "adoption": "adopted",
        "measures": "措施",
    }
    data.update(changes)
    with pytest.raises(ServiceError) as exc:
        suggestions.record_reply(
            recipient=suggestion.recipients.get(agency=agency),
            actor=agency_contact,
            expected_version=0,
            **data,
        )
    assert exc.value.message == message


def test_a_stale_reply_form_is_refused(suggestion, agency, agency_contact, gov_liaison):
    recipient = suggestion.recipients.get(agency=agency)
    args = {"replied_on": date(2026, 9, 20), "adoption": "adopted", "measures": "措施"}
    suggestions.record_reply(
        recipient=recipient, actor=agency_contact, reply="一", expected_version=0, **args
    )
    with pytest.raises(StaleEdit):
        suggestions.record_reply(
            recipient=recipient, actor=gov_liaison, reply="二", expected_version=0, **args
        )


def test_a_replied_addressee_cannot_be_removed(
    suggestion, agency, other_agency, agency_contact, court_liaison, court
):
    suggestions.record_reply(
        recipient=suggestion.recipients.get(agency=agency),
        actor=agency_contact,
        replied_on=date(2026, 9, 20),
        reply="r",
        adoption="adopted",
        measures="m",
        expected_version=0,
    )
    with pytest.raises(ServiceError) as exc:
        suggestions.suggestion_update(
            suggestion=suggestion,
            actor=court_liaison,
            data=suggestion_data(court),
            addressees=[suggestions.Addressee(other_agency, date(2026, 8, 3))],
            lawsuits=[],
        )
    assert exc.value.message == "潜江市人力资源和社会保障局已经答复，不能从建议对象中移除。"


# --- Supervision --------------------------------------------------------------------------


def _absent_head(gov_liaison, agency_contact, lawsuit):
    appearance = make_hearing(gov_liaison, lawsuit).appearances.get()
    return hearings.record_appearance(
        appearance=appearance,
        actor=agency_contact,
        data={"head_appeared": False, "absence_reason": "none", "staff": "张三"},
        expected_version=0,
    )


def open_item(actor, agency, **subject):
    return supervision.supervision_open(
        actor=actor,
        agency=agency,
        reason=subject.pop("reason", "head_absent"),
        facts="负责人无正当理由未出庭应诉。",
        required_action="书面说明并整改。",
        opened_on=date(2026, 11, 2),
        period_amount=15,
        period_unit="working_days",
        **subject,
    )


def test_the_register_suggests_what_to_supervise_and_not_what_is_supervised(
    gov_liaison, agency_contact, agency, lawsuit, suggestion, time_machine
):
    appearance = _absent_head(gov_liaison, agency_contact, lawsuit)
    decided = decide(gov_liaison, lawsuit, "revoked")
    effective = lawsuits.record_effective(
        lawsuit=decided, actor=gov_liaison, effective_on=date(2026, 11, 21)
    )
    performance = judgments.performance_create(
        lawsuit=effective,
        agency=agency,
        actor=gov_liaison,
        duty="重新作出决定",
        due_on=date(2026, 11, 25),
    )
    judgments.mark_overdue(date(2026, 11, 27))
    found = {(s.reason, s.agency_id) for s in suggested_supervision(date(2026, 11, 27))}
    assert found >= {
        ("head_absent", agency.pk),
        ("nonperformance", agency.pk),
        ("suggestion", agency.pk),
        ("loss", agency.pk),
    }
    open_item(gov_liaison, agency, appearance=appearance, lawsuit=lawsuit)
    open_item(gov_liaison, agency, reason="nonperformance", performance=performance)
    reasons = {
        s.reason for s in suggested_supervision(date(2026, 11, 27)) if s.agency_id == agency.pk
    }
    assert reasons == {"suggestion", "loss"}


@pytest.mark.parametrize(
    ("result", "suggested_again"),
    [("rectified", False), ("partly", True), ("not_rectified", True)],
)
def test_a_closed_supervision_is_suggested_again_only_if_not_rectified(
    gov_liaison, agency_contact, agency, lawsuit, result, suggested_again
):
    appearance = _absent_head(gov_liaison, agency_contact, lawsuit)
    item = open_item(gov_liaison, agency, appearance=appearance, lawsuit=lawsuit)
    supervision.supervision_close(
        item=item,
        actor=gov_liaison,
        closed_on=date(2026, 11, 27),
        result=result,
        result_note="已约谈。",
    )

    found = [
        s.appearance_id
        for s in suggested_supervision(date(2026, 11, 27))
        if s.reason == "head_absent"
    ]

    assert (appearance.pk in found) is suggested_again


def test_rectified_shortfalls_take_no_place_of_the_suggestions_limit(
    gov_liaison, agency_contact, agency, lawsuit, monkeypatch
):
    from liaison import selectors

    monkeypatch.setattr(selectors, "SUGGESTION_LIMIT", 1)
    older = _absent_head(gov_liaison, agency_contact, lawsuit)  # heard on 20 October
    newer = make_hearing(gov_liaison, lawsuit, held_on=date(2026, 10, 27)).appearances.get()
    newer = hearings.record_appearance(
        appearance=newer,
        actor=agency_contact,
        data={"head_appeared": False, "absence_reason": "none", "staff": "张三"},
        expected_version=0,
    )
    item = open_item(gov_liaison, agency, appearance=newer, lawsuit=lawsuit)
    supervision.supervision_close(
        item=item,
        actor=gov_liaison,
        closed_on=date(2026, 11, 27),
        result="rectified",
        result_note="已约谈。",
    )

    found = [s.appearance_id for s in suggested_supervision(date(2026, 11, 27))]

    # The newest absence comes first, but it is rectified: the one place goes to the other.
    assert older.pk in found and newer.pk not in found


def test_an_accepted_absence_is_not_suggested(gov_liaison, agency_contact, lawsuit):
    appearance = make_hearing(gov_liaison, lawsuit).appearances.get()
    hearings.record_appearance(
        appearance=appearance,
        actor=agency_contact,
        data={
            "head_appeared": False,
            "absence_reason": "official_duty",
            "written_explanation": True,
            "staff": "张三",
        },
        expected_version=0,
    )
    assert not [s for s in suggested_supervision(date(2026, 11, 27)) if s.reason == "head_absent"]


def test_one_open_item_per_shortfall(gov_liaison, agency_contact, agency, lawsuit):
    appearance = _absent_head(gov_liaison, agency_contact, lawsuit)
    item = open_item(gov_liaison, agency, appearance=appearance)
    assert item.number == "督办〔2026〕1号"
    assert item.due_on == date(2026, 11, 23)  # 15 working days from Monday 2 November
    with pytest.raises(ServiceError) as exc:
        open_item(gov_liaison, agency, appearance=appearance)
    assert exc.value.message == "该事项已在督办中（督办〔2026〕1号），不能重复督办。"


def test_the_subject_must_be_the_agencys_own(gov_liaison, agency_contact, other_agency, lawsuit):
    appearance = _absent_head(gov_liaison, agency_contact, lawsuit)
    with pytest.raises(ServiceError) as exc:
        open_item(gov_liaison, other_agency, appearance=appearance)
    assert exc.value.message == "所涉记录不属于被督办的机关。"


def test_respond_return_escalate_close(
    gov_liaison, agency_contact, other_agency_contact, agency, lawsuit
):
    item = open_item(
        gov_liaison, agency, appearance=_absent_head(gov_liaison, agency_contact, lawsuit)
    )
    with pytest.raises(NotPermitted):
        supervision.supervision_respond(
            item=item,
            actor=other_agency_contact,
            responded_on=date(2026, 11, 20),
            response="x",
            expected_version=item.version,
        )
    with pytest.raises(NotPermitted):
        supervision.supervision_close(
            item=item,
            actor=agency_contact,
            closed_on=date(2026, 11, 20),
            result="rectified",
            result_note="",
        )
    item = supervision.supervision_respond(
        item=item,
        actor=agency_contact,
        responded_on=date(2026, 11, 20),
        response="已整改。",
        expected_version=item.version,
    )
    assert item.status == SupervisionItem.Status.RESPONDED
    item = supervision.supervision_return(item=item, actor=gov_liaison, note="请补充整改材料。")
    assert item.status == SupervisionItem.Status.OPEN
    item = supervision.supervision_escalate(
        item=item,
        actor=gov_liaison,
        note="报市政府督查室。",
        period_amount=5,
        period_unit="working_days",
        on=date(2026, 11, 24),
    )
    assert (item.status, item.due_on) == (SupervisionItem.Status.ESCALATED, date(2026, 12, 1))
    item = supervision.supervision_respond(
        item=item,
        actor=agency_contact,
        responded_on=date(2026, 11, 26),
        response="已全部整改。",
        expected_version=item.version,
    )
    item = supervision.supervision_close(
        item=item,
        actor=gov_liaison,
        closed_on=date(2026, 11, 27),
        result="rectified",
        result_note="",
    )
    assert item.status == SupervisionItem.Status.CLOSED
    assert list(item.events.values_list("kind", flat=True)) == [
        "supervision_opened",
        "supervision_responded",
        "supervision_returned",
        "supervision_escalated",
        "supervision_responded",
        "supervision_closed",
    ]
    with pytest.raises(InvalidTransition):
        supervision.supervision_return(item=item, actor=gov_liaison, note="x")


def test_closing_without_a_response_needs_a_note(gov_liaison, agency_contact, agency, lawsuit):
    item = open_item(
        gov_liaison, agency, appearance=_absent_head(gov_liaison, agency_contact, lawsuit)
    )
    with pytest.raises(ServiceError) as exc:
        supervision.supervision_close(
            item=item,
            actor=gov_liaison,
            closed_on=date(2026, 11, 27),
            result="not_rectified",
            result_note="",
        )
    assert exc.value.message == "机关尚未反馈的，办结时请说明情况。"


def test_a_closed_item_allows_a_new_one_for_the_same_shortfall(
    gov_liaison, agency_contact, agency, lawsuit
):
    appearance = _absent_head(gov_liaison, agency_contact, lawsuit)
    item = open_item(gov_liaison, agency, appearance=appearance)
    supervision.supervision_close(
        item=item,
        actor=gov_liaison,
        closed_on=date(2026, 11, 27),
        result="not_rectified",
        result_note="未反馈。",
    )
    again = open_item(gov_liaison, agency, appearance=appearance)
    assert again.number == "督办〔2026〕2号"


def test_a_circular_freezes_the_items_of_its_period(gov_liaison, agency_contact, agency, lawsuit):
    item = open_item(
        gov_liaison, agency, appearance=_absent_head(gov_liaison, agency_contact, lawsuit)
    )
    circular = supervision.circular_issue(
        actor=gov_liaison,
        number="潜司通〔2026〕1号",
        title="通报",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 11, 27),
        remarks="",
        today=date(2026, 11, 27),
    )
    assert circular.data["total"] == 1
    [row] = circular.data["agencies"][0]["items"]
    assert (row["number"], row["status"]) == ("督办〔2026〕1号", "督办中（逾期）")
    supervision.supervision_close(
        item=item,
        actor=gov_liaison,
        closed_on=date(2026, 11, 27),
        result="rectified",
        result_note="已整改",
    )
    circular.refresh_from_db()
    assert circular.data["agencies"][0]["items"][0]["status"] == "督办中（逾期）"
    with pytest.raises(ServiceError) as exc:
        supervision.circular_issue(
            actor=gov_liaison,
            number="x",
            title="y",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            remarks="",
            today=date(2026, 11, 27),
        )
    assert exc.value.message == "该期间没有督办事项，无需通报。"
