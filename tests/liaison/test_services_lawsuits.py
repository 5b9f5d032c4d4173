"""The litigation register's services: what they record, refuse and write in the history."""

import threading
from datetime import date

import pytest
from django.db import connection

from cases.deadlines import load_work_calendar
from cases.services.common import ServiceError, StaleEdit
from cases.workflow import InvalidTransition, NotPermitted
from liaison.deadlines import lawsuit_deadlines
from liaison.models import Appearance, Defendant, Hearing, Lawsuit, LiaisonEvent, Part
from liaison.services import hearings, judgments, lawsuits
from tests.helpers import first_check_misses
from tests.liaison.conftest import (
    PLAINTIFF,
    decide,
    lawsuit_data,
    make_hearing,
    make_lawsuit,
    result,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_a_lawsuit_is_registered_with_its_parties_and_a_history_event(gov_liaison, court, agency):
    lawsuit = make_lawsuit(gov_liaison, court, agency, court_case_no="(2026)鄂9005行初12号")
    assert lawsuit.court_case_no == "（2026）鄂9005行初12号"
    assert lawsuit.number_key == "(2026)鄂9005行初12号"
    assert lawsuit.status == Lawsuit.Status.PENDING
    assert [(d.agency, d.part) for d in lawsuit.defendants.all()] == [(agency, Part.DEFENDANT)]
    assert [p.masked_id_number for p in lawsuit.plaintiffs.all()] == ["429005********1233"]
    assert list(lawsuit.events.values_list("kind", flat=True)) == [
        LiaisonEvent.Kind.LAWSUIT_CREATED
    ]


def test_the_same_number_in_another_spelling_is_not_registered_twice(gov_liaison, court, agency):
    make_lawsuit(gov_liaison, court, agency)
    with pytest.raises(ServiceError) as exc:
        make_lawsuit(gov_liaison, court, agency, court_case_no="〔2026〕鄂9005行初12 号")
    assert exc.value.message == "案号为（2026）鄂9005行初12号的案件已经登记，不能重复登记。"
    assert exc.value.field == "court_case_no"


def test_a_number_registered_by_another_bureau_at_the_same_instant_is_refused(
    gov_liaison, court, agency, monkeypatch
):
    first = make_lawsuit(gov_liaison, court, agency)
    first_check_misses(monkeypatch, lawsuits, "_ensure_unique")
    with pytest.raises(ServiceError) as exc:
        make_lawsuit(gov_liaison, court, agency)
    assert exc.value.message == "案号为（2026）鄂9005行初12号的案件已经登记，不能重复登记。"
    second = make_lawsuit(gov_liaison, court, agency, court_case_no="（2026）鄂9005行初13号")
    first_check_misses(monkeypatch, lawsuits, "_ensure_unique")
    with pytest.raises(ServiceError) as exc:
        lawsuits.lawsuit_update(
            lawsuit=second,
            actor=gov_liaison,
            data=lawsuit_data(court),
            defendants=[lawsuits.PartyRow(agency, Part.DEFENDANT)],
            plaintiffs=[PLAINTIFF],
            expected_version=second.version,
        )
    assert exc.value.field == "court_case_no"
    assert list(Lawsuit.objects.values_list("pk", flat=True).order_by("pk")) == [
        first.pk,
        second.pk,
    ]


def test_an_unusual_number_needs_confirmation(gov_liaison, court, agency):
    with pytest.raises(ServiceError) as exc:
        make_lawsuit(gov_liaison, court, agency, court_case_no="2026行初12")
    assert "与人民法院案号的通常格式不符" in exc.value.message
    assert "案号格式已核对" in exc.value.message
    lawsuit = make_lawsuit(
        gov_liaison, court, agency, court_case_no="2026行初12", number_confirmed=True
    )
    assert lawsuit.number_confirmed


def test_a_number_of_another_year_than_the_filing_needs_confirmation(gov_liaison, court, agency):
    with pytest.raises(ServiceError) as exc:
        make_lawsuit(gov_liaison, court, agency, court_case_no="（2024）鄂9005行初12号")
    assert exc.value.message == (
        "案号的年度为2024年，立案日期为2026年9月1日；案号年度为人民法院收案年度，"
        "通常与立案日期的年份一致。核对无误的，请勾选“案号格式已核对”后再保存。"
    )
    assert exc.value.field == "court_case_no"
    assert not Lawsuit.objects.exists()
    lawsuit = make_lawsuit(
        gov_liaison, court, agency, court_case_no="（2024）鄂9005行初12号", number_confirmed=True
    )
    assert lawsuit.number_confirmed
    # Moving the filing date into the number's year needs no confirmation any more.
    updated = lawsuits.lawsuit_update(
        lawsuit=lawsuit,
        actor=gov_liaison,
        data=lawsuit_data(court, court_case_no="（2024）鄂9005行初12号", filed_on=date(2024, 9, 2)),
        defendants=[lawsuits.PartyRow(agency, Part.DEFENDANT)],
        plaintiffs=[{"name": "王建国", "kind": "natural_person", "id_number": "", "uscc": ""}],
        expected_version=lawsuit.version,
    )
    assert updated.filed_on == date(2024, 9, 2) and not updated.number_confirmed


def test_a_lawsuit_needs_a_defendant_and_a_plaintiff(gov_liaison, court, agency):
    with pytest.raises(ServiceError) as exc:
        make_lawsuit(
            gov_liaison, court, agency, parties=[lawsuits.PartyRow(agency, Part.THIRD_PARTY)]
        )
    assert exc.value.message == "请至少填写一个被告机关。"
    with pytest.raises(ServiceError) as exc:
        lawsuits.lawsuit_create(
            actor=gov_liaison,
            data=lawsuit_data(court),
            defendants=[lawsuits.PartyRow(agency, Part.DEFENDANT)],
            plaintiffs=[],
        )
    assert exc.value.message == "请至少填写一个原告。"


def test_a_filing_date_in_the_future_is_refused(gov_liaison, court, agency):
    with pytest.raises(ServiceError) as exc:
        make_lawsuit(gov_liaison, court, agency, filed_on=date(2026, 11, 28))
    assert (exc.value.message, exc.value.field) == ("立案日期不能晚于今天。", "filed_on")


def test_a_second_instance_points_at_a_first_instance(gov_liaison, court, agency):
    first = make_lawsuit(gov_liaison, court, agency)
    with pytest.raises(ServiceError) as exc:
        make_lawsuit(
            gov_liaison, court, agency, court_case_no="（2026）鄂96行终1号", lower_instance=first
        )
    assert exc.value.message == "一审案件没有原审案件。"
    second = make_lawsuit(
        gov_liaison,
        court,
        agency,
        court_case_no="（2026）鄂96行终1号",
        instance="second",
        lower_instance=first,
        filed_on=date(2026, 10, 1),
    )
    assert list(first.higher_instances.all()) == [second]


def test_the_court_liaison_registers_only_in_their_own_court(
    court_liaison, other_court, court, agency
):
    with pytest.raises(NotPermitted) as exc:
        make_lawsuit(court_liaison, other_court, agency)
    assert exc.value.message == "只能登记本院审理的案件。"
    assert make_lawsuit(court_liaison, court, agency).court == court


def test_the_agency_contact_cannot_register_lawsuits(agency_contact, court, agency):
    with pytest.raises(NotPermitted):
        make_lawsuit(agency_contact, court, agency)


def test_defence_dates_and_the_deadline_over_the_holiday(agency_contact, lawsuit, agency):
    defendant = lawsuit.defendants.get()
    lawsuits.record_defence(
        defendant=defendant,
        actor=agency_contact,
        complaint_received_on=date(2026, 9, 20),
        defence_submitted_on=date(2026, 10, 9),
    )
    defendant.refresh_from_db()
    assert defendant.defence_due == date(2026, 10, 8)
    event = lawsuit.events.get(kind=LiaisonEvent.Kind.DEFENCE_RECORDED)
    assert event.actor == agency_contact
    assert event.changes["收到起诉状副本日期"] == ["（空）", "2026-09-20"]


@pytest.mark.parametrize(
    ("received", "submitted", "message", "field"),
    [
        (date(2026, 8, 31), None, "收到起诉状副本日期不能早于立案日期。", "complaint_received_on"),
        (
            date(2026, 9, 5),
            date(2026, 9, 4),
            "提交答辩状日期不能早于收到起诉状副本日期。",
            "defence_submitted_on",
        ),
        (None, date(2026, 9, 4), "请先填写收到起诉状副本的日期。", "complaint_received_on"),
        (date(2026, 12, 1), None, "收到起诉状副本日期不能晚于今天。", "complaint_received_on"),
    ],
)
def test_impossible_defence_dates_are_refused(
    gov_liaison, lawsuit, received, submitted, message, field
):
    with pytest.raises(ServiceError) as exc:
        lawsuits.record_defence(
            defendant=lawsuit.defendants.get(),
            actor=gov_liaison,
            complaint_received_on=received,
            defence_submitted_on=submitted,
        )
    assert (exc.value.message, exc.value.field) == (message, field)


def test_another_agencys_contact_cannot_record_the_defence(other_agency_contact, lawsuit):
    with pytest.raises(NotPermitted) as exc:
        lawsuits.record_defence(
            defendant=lawsuit.defendants.get(),
            actor=other_agency_contact,
            complaint_received_on=date(2026, 9, 3),
            defence_submitted_on=None,
        )
    assert exc.value.message == "只能登记本机关的应诉信息。"


def test_outcome_appeal_and_effect_go_through_the_table(court_liaison, lawsuit):
    decided = decide(court_liaison, lawsuit, "revoked")
    assert decided.status == Lawsuit.Status.DECIDED
    assert decided.is_lost
    appealed = lawsuits.record_appeal(
        lawsuit=decided, actor=court_liaison, appealed_on=date(2026, 11, 10), appellant="agency"
    )
    assert appealed.status == Lawsuit.Status.APPEALED
    effective = lawsuits.record_effective(
        lawsuit=appealed, actor=court_liaison, effective_on=date(2026, 11, 20)
    )
    assert effective.status == Lawsuit.Status.EFFECTIVE
    with pytest.raises(InvalidTransition) as exc:
        lawsuits.record_appeal(
            lawsuit=effective,
            actor=court_liaison,
            appealed_on=date(2026, 11, 21),
            appellant="agency",
        )
    assert exc.value.message == "当前状态为“已生效”，不能登记上诉。页面可能已过期，请刷新后查看。"
    kinds = list(lawsuit.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["outcome_recorded", "appealed", "took_effect"]


def test_an_effective_date_before_the_judgment_is_refused(gov_liaison, lawsuit):
    decided = decide(gov_liaison, lawsuit)
    with pytest.raises(ServiceError) as exc:
        lawsuits.record_effective(
            lawsuit=decided, actor=gov_liaison, effective_on=date(2026, 11, 1)
        )
    assert exc.value.message == "生效日期不能早于2026-11-02。"


def test_a_first_instance_judgment_takes_effect_only_after_the_appeal_period(
    gov_liaison, court, agency, lawsuit
):
    decided = decide(gov_liaison, lawsuit)  # served on Thursday 5 November
    assert lawsuits.appeal_period_end(decided) == date(2026, 11, 20)
    with pytest.raises(ServiceError) as exc:
        lawsuits.record_effective(
            lawsuit=decided, actor=gov_liaison, effective_on=date(2026, 11, 20)
        )
    assert exc.value.message == (
        "本案2026年11月5日送达，上诉期限至2026年11月20日届满；一审裁判在上诉期满无人上诉后"
        "才生效，生效日期应晚于该日。已经上诉的，请登记上诉。"
    )
    assert exc.value.field == "effective_on"
    effective = lawsuits.record_effective(
        lawsuit=decided, actor=gov_liaison, effective_on=date(2026, 11, 21)
    )
    assert effective.status == Lawsuit.Status.EFFECTIVE
    # A second-instance judgment is final: effective the day it is served.
    second = make_lawsuit(
        gov_liaison,
        court,
        agency,
        court_case_no="（2026）鄂96行终2号",
        instance="second",
        lower_instance=effective,
        filed_on=date(2026, 11, 23),
    )
    second = decide(
        gov_liaison, second, concluded_on=date(2026, 11, 25), served_on=date(2026, 11, 26)
    )
    assert lawsuits.appeal_period_end(second) is None
    assert [d.code for d in lawsuit_deadlines(second, load_work_calendar())] == []
    with pytest.raises(ServiceError) as exc:
        lawsuits.record_appeal(
            lawsuit=second, actor=gov_liaison, appealed_on=date(2026, 11, 26), appellant="原告"
        )
    assert exc.value.message == "二审裁判是终审裁判，不能上诉。"
    lawsuits.record_effective(lawsuit=second, actor=gov_liaison, effective_on=date(2026, 11, 26))


def test_a_withdrawal_ruling_takes_effect_when_served_and_cannot_be_appealed(gov_liaison, lawsuit):
    decided = decide(gov_liaison, lawsuit, "withdrawn_other")
    assert lawsuits.appeal_period_end(decided) is None
    codes = [d.code for d in lawsuit_deadlines(decided, load_work_calendar())]
    assert "appeal" not in codes
    with pytest.raises(ServiceError) as exc:
        lawsuits.record_appeal(
            lawsuit=decided, actor=gov_liaison, appealed_on=date(2026, 11, 10), appellant="原告"
        )
    assert exc.value.message == "“原告撤诉（其他）”不能上诉。"
    effective = lawsuits.record_effective(
        lawsuit=decided, actor=gov_liaison, effective_on=date(2026, 11, 5)
    )
    assert effective.status == Lawsuit.Status.EFFECTIVE


def test_a_mediation_document_cannot_be_appealed(gov_liaison, lawsuit):
    decided = decide(gov_liaison, lawsuit, "mediated")
    with pytest.raises(ServiceError) as exc:
        lawsuits.record_appeal(
            lawsuit=decided,
            actor=gov_liaison,
            appealed_on=date(2026, 11, 10),
            appellant="plaintiff",
        )
    assert exc.value.message == "“调解结案”不能上诉。"


def test_correcting_the_outcome_keeps_the_state_and_records_what_changed(gov_liaison, lawsuit):
    decided = decide(gov_liaison, lawsuit, "revoked")
    corrected = lawsuits.record_outcome(
        lawsuit=decided,
        actor=gov_liaison,
        result_type=result("dismissed_claims"),
        concluded_on=date(2026, 11, 2),
        served_on=date(2026, 11, 5),
        outcome_note="",
        expected_version=decided.version,
    )
    assert corrected.status == Lawsuit.Status.DECIDED
    assert not corrected.is_lost
    event = lawsuit.events.get(kind=LiaisonEvent.Kind.OUTCOME_CORRECTED)
    assert event.changes == {"裁判结果": ["撤销", "驳回诉讼请求"]}


def test_a_stale_outcome_form_is_refused(gov_liaison, court_liaison, lawsuit):
    decided = decide(gov_liaison, lawsuit)
    with pytest.raises(StaleEdit):
        lawsuits.record_outcome(
            lawsuit=decided,
            actor=court_liaison,
            result_type=result("dismissed_claims"),
            concluded_on=date(2026, 11, 2),
            served_on=None,
            outcome_note="",
            expected_version=decided.version - 1,
        )


def test_withdrawing_an_outcome_needs_a_reason_and_returns_to_pending(gov_liaison, lawsuit):
    decided = decide(gov_liaison, lawsuit)
    with pytest.raises(ServiceError):
        lawsuits.withdraw_outcome(lawsuit=decided, actor=gov_liaison, note=" ")
    pending = lawsuits.withdraw_outcome(lawsuit=decided, actor=gov_liaison, note="登记错了案件")
    assert pending.status == Lawsuit.Status.PENDING
    assert pending.result_type is None


def test_a_hearing_gives_each_sued_agency_an_appearance_to_record(
    gov_liaison, court, agency, city_government, other_agency
):
    lawsuit = make_lawsuit(
        gov_liaison,
        court,
        agency,
        parties=[
            lawsuits.PartyRow(agency, Part.DEFENDANT),
            lawsuits.PartyRow(city_government, Part.CO_DEFENDANT),
            lawsuits.PartyRow(other_agency, Part.THIRD_PARTY),
        ],
    )
    hearing = make_hearing(gov_liaison, lawsuit)
    assert {a.agency for a in hearing.appearances.all()} == {agency, city_government}


def test_a_second_hearing_of_the_lawsuit_on_one_day_is_refused(gov_liaison, lawsuit):
    first = make_hearing(gov_liaison, lawsuit, held_on=date(2026, 10, 20))

    with pytest.raises(ServiceError) as exc:
        make_hearing(gov_liaison, lawsuit, held_on=date(2026, 10, 20))

    assert exc.value.message == (
        "本案已登记2026年10月20日的开庭，不再重复登记；需要更正的，请打开该次开庭修改。"
    )
    assert exc.value.field == "held_on"
    assert list(lawsuit.hearings.all()) == [first]
    assert first.appearances.count() == 1  # no second row for the agency to fill in


def test_a_hearing_is_not_moved_onto_another_hearings_day(gov_liaison, lawsuit):
    first = make_hearing(gov_liaison, lawsuit, held_on=date(2026, 10, 20))
    second = make_hearing(gov_liaison, lawsuit, held_on=date(2026, 10, 27))

    with pytest.raises(ServiceError) as exc:
        hearings.hearing_update(
            hearing=second,
            actor=gov_liaison,
            data={"held_on": date(2026, 10, 20), "open_court": True},
        )
    assert exc.value.message == "本案2026年10月20日已有一次开庭，不能把本次开庭改到同一天。"
    assert exc.value.field == "held_on"
    # Saving a hearing on its own day again is no duplicate.
    hearings.hearing_update(
        hearing=first, actor=gov_liaison, data={"held_on": date(2026, 10, 20), "open_court": True}
    )

    second.refresh_from_db()
    assert second.held_on == date(2026, 10, 27)


def test_two_hearings_recorded_on_one_day_before_the_check_stay_editable(gov_liaison, lawsuit):
    first = make_hearing(gov_liaison, lawsuit, held_on=date(2026, 10, 20))
    twice = Hearing.objects.create(
        lawsuit=lawsuit, held_on=date(2026, 10, 20), open_court=True, created_by=gov_liaison
    )

    hearings.hearing_update(
        hearing=twice,
        actor=gov_liaison,
        data={"held_on": date(2026, 10, 20), "open_court": False, "note": "询问"},
    )

    twice.refresh_from_db()
    assert twice.open_court is False
    assert first.held_on == twice.held_on


def test_a_head_notice_less_than_three_days_ahead_is_a_warning(gov_liaison, lawsuit):
    _, warnings = hearings.hearing_create(
        lawsuit=lawsuit,
        actor=gov_liaison,
        data={
            "held_on": date(2026, 10, 20),
            "open_court": True,
            "head_notified": True,
            "head_notice_on": date(2026, 10, 19),
        },
    )
    assert warnings == [
        "通知负责人出庭的日期距开庭不足三日（法释〔2020〕3号第五条要求在开庭三日前通知）。"
    ]


def test_the_agency_contact_records_who_appeared(agency_contact, gov_liaison, lawsuit):
    appearance = make_hearing(gov_liaison, lawsuit).appearances.get()
    recorded = hearings.record_appearance(
        appearance=appearance,
        actor=agency_contact,
        data={
            "head_appeared": True,
            "head_name": "李红梅",
            "head_title": "副局长",
            "head_rank": "deputy",
            "head_spoke": True,
            "staff": "法制科 张三",
        },
        expected_version=0,
    )
    assert recorded.head_counts
    assert recorded.recorded_by == agency_contact
    assert lawsuit.events.filter(kind=LiaisonEvent.Kind.APPEARANCE_RECORDED).exists()


@pytest.mark.parametrize(
    ("data", "message", "field"),
    [
        ({}, "请选择负责人是否出庭。", "head_appeared"),
        ({"head_appeared": True}, "负责人出庭的，请填写出庭负责人的姓名。", "head_name"),
        (
            {
                "head_appeared": True,
                "head_name": "李",
                "head_title": "局长",
                "head_rank": "principal",
            },
            "请选择出庭负责人是否发言。",
            "head_spoke",
        ),
        ({"head_appeared": False}, "负责人未出庭的，请选择未出庭原因。", "absence_reason"),
        (
            {"head_appeared": False, "absence_reason": "other_proper", "staff": "张三"},
            "选择“其他正当事由”的，请说明具体情况。",
            "absence_note",
        ),
        (
            {"head_appeared": False, "absence_reason": "none"},
            "请填写出庭的工作人员（不能只委托律师出庭）。",
            "staff",
        ),
    ],
)
def test_an_incomplete_appearance_is_refused_by_the_field(
    gov_liaison, lawsuit, data, message, field
):
    appearance = make_hearing(gov_liaison, lawsuit).appearances.get()
    with pytest.raises(ServiceError) as exc:
        hearings.record_appearance(
            appearance=appearance, actor=gov_liaison, data=data, expected_version=0
        )
    assert (exc.value.message, exc.value.field) == (message, field)
    assert Appearance.objects.get(pk=appearance.pk).head_appeared is None


def test_no_appearance_before_the_hearing(gov_liaison, lawsuit):
    appearance = make_hearing(gov_liaison, lawsuit, held_on=date(2026, 12, 10)).appearances.get()
    with pytest.raises(ServiceError) as exc:
        hearings.record_appearance(
            appearance=appearance,
            actor=gov_liaison,
            data={"head_appeared": False, "absence_reason": "none", "staff": "张三"},
            expected_version=0,
        )
    assert exc.value.message == "开庭日期为2026-12-10，开庭后才能登记出庭情况。"


def test_two_people_editing_one_appearance(gov_liaison, agency_contact, lawsuit):
    appearance = make_hearing(gov_liaison, lawsuit).appearances.get()
    data = {"head_appeared": False, "absence_reason": "none", "staff": "张三"}
    hearings.record_appearance(
        appearance=appearance, actor=agency_contact, data=data, expected_version=0
    )
    with pytest.raises(StaleEdit):
        hearings.record_appearance(
            appearance=appearance,
            actor=gov_liaison,
            data={**data, "staff": "李四"},
            expected_version=0,
        )
    assert Appearance.objects.get(pk=appearance.pk).staff == "张三"


def test_an_agency_with_records_cannot_be_removed_from_the_lawsuit(
    gov_liaison, court, agency, other_agency, lawsuit
):
    appearance = make_hearing(gov_liaison, lawsuit).appearances.get()
    hearings.record_appearance(
        appearance=appearance,
        actor=gov_liaison,
        data={"head_appeared": False, "absence_reason": "none", "staff": "张三"},
        expected_version=0,
    )
    with pytest.raises(ServiceError) as exc:
        lawsuits.lawsuit_update(
            lawsuit=lawsuit,
            actor=gov_liaison,
            data=lawsuit_data(court),
            defendants=[lawsuits.PartyRow(other_agency, Part.DEFENDANT)],
            plaintiffs=[dict(PLAINTIFF)],
            expected_version=lawsuit.version,
        )
    assert (
        exc.value.message
        == "潜江市人力资源和社会保障局已登记了出庭、履行或败诉分析，不能从本案移除。"
    )
    assert Defendant.objects.get(lawsuit=lawsuit).agency == agency


def test_a_loss_analysis_only_for_a_lost_case(agency_contact, gov_liaison, agency, lawsuit):
    decided = decide(gov_liaison, lawsuit, "dismissed_claims")
    with pytest.raises(ServiceError) as exc:
        judgments.save_loss_analysis(
            lawsuit=decided,
            agency=agency,
            actor=agency_contact,
            causes=[],
            analysis="分析",
            measures="措施",
            measures_due=None,
            rectified_on=None,
            expected_version=None,
        )
    assert exc.value.message == "本案的裁判结果不计为败诉，无需填报败诉分析。"


def test_the_loss_analysis_is_saved_and_corrected(agency_contact, gov_liaison, agency, lawsuit):
    from liaison.models import LossCause

    decided = decide(gov_liaison, lawsuit, "revoked")
    causes = list(LossCause.objects.filter(code__in=["procedure", "facts_unclear"]))
    record = judgments.save_loss_analysis(
        lawsuit=decided,
        agency=agency,
        actor=agency_contact,
        causes=causes,
        analysis="未听取陈述申辩。",
        measures="修订程序规定。",
        measures_due=date(2027, 2, 1),
        rectified_on=None,
        expected_version=0,
    )
    assert {c.code for c in record.causes.all()} == {"procedure", "facts_unclear"}
    with pytest.raises(ServiceError) as exc:
        judgments.save_loss_analysis(
            lawsuit=decided,
            agency=agency,
            actor=agency_contact,
            causes=[],
            analysis="x",
            measures="y",
            measures_due=None,
            rectified_on=None,
            expected_version=record.version,
        )
    assert exc.value.message == "请至少选择一项败诉原因。"
    with pytest.raises(StaleEdit):
        judgments.save_loss_analysis(
            lawsuit=decided,
            agency=agency,
            actor=agency_contact,
            causes=causes,
            analysis="改",
            measures="y",
            measures_due=None,
            rectified_on=None,
            expected_version=record.version + 1,
        )


def _effective(actor, lawsuit, effective_on=date(2026, 11, 21)):
    decided = decide(actor, lawsuit, "revoked")
    return lawsuits.record_effective(lawsuit=decided, actor=actor, effective_on=effective_on)


def test_a_performance_due_is_counted_from_the_effective_date(gov_liaison, agency, lawsuit):
    effective = _effective(gov_liaison, lawsuit)
    performance = judgments.performance_create(
        lawsuit=effective, agency=agency, actor=gov_liaison, duty="重新作出工伤认定决定", days=60
    )
    assert performance.due_on == date(2027, 1, 20)
    assert "2026年11月21日" in performance.due_explanation
    assert "期间为60日" in performance.due_explanation


def test_no_performance_before_the_judgment_takes_effect(gov_liaison, agency, lawsuit):
    with pytest.raises(ServiceError) as exc:
        judgments.performance_create(
            lawsuit=decide(gov_liaison, lawsuit),
            agency=agency,
            actor=gov_liaison,
            duty="重新作出",
            days=60,
        )
    assert exc.value.message == "裁判生效后才能登记履行事项，请先登记生效日期。"


def test_overdue_marking_and_performance(
    gov_liaison, agency_contact, agency, lawsuit, time_machine
):
    effective = _effective(gov_liaison, lawsuit)
    performance = judgments.performance_create(
        lawsuit=effective,
        agency=agency,
        actor=gov_liaison,
        duty="支付赔偿金",
        due_on=date(2026, 11, 26),
    )
    assert judgments.mark_overdue(date(2026, 11, 27)) == 1
    assert judgments.mark_overdue(date(2026, 11, 27)) == 0
    performance.refresh_from_db()
    assert performance.status == performance.Status.OVERDUE
    done = judgments.record_performed(
        performance=performance,
        actor=agency_contact,
        performed_on=date(2026, 11, 27),
        evidence="已支付，转账凭证附后。",
        expected_version=performance.version,
    )
    assert done.status == done.Status.PERFORMED
    kinds = list(lawsuit.events.values_list("kind", flat=True))
    assert kinds[-2:] == ["performance_overdue", "performed"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are only exercised on PostgreSQL; SQLite serialises all writers",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_bureaus_recording_an_outcome_at_once_record_one(court, agency, gov_liaison):
    from tests.factories import UserFactory

    lawsuit = make_lawsuit(gov_liaison, court, agency)
    second = UserFactory(role="gov_liaison", username="gov2")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def record(user):
        from django.db import connections

        barrier.wait()
        try:
            lawsuits.record_outcome(
                lawsuit=lawsuit,
                actor=user,
                result_type=result("revoked"),
                concluded_on=date(2026, 11, 2),
                served_on=None,
                outcome_note="",
                expected_version=lawsuit.version,
            )
            outcomes.append("saved")
        except StaleEdit:
            outcomes.append("stale")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(u,)) for u in (gov_liaison, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["saved", "stale"]
    assert lawsuit.events.filter(kind="outcome_recorded").count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are only exercised on PostgreSQL; SQLite serialises all writers",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_hearing_sent_twice_at_once_is_recorded_once(court, agency, gov_liaison):
    lawsuit = make_lawsuit(gov_liaison, court, agency)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def record():
        from django.db import connections

        barrier.wait()
        try:
            make_hearing(gov_liaison, lawsuit, held_on=date(2026, 10, 20))
            outcomes.append("saved")
        except ServiceError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert lawsuit.hearings.count() == 1
    assert Appearance.objects.filter(hearing__lawsuit=lawsuit).count() == 1
