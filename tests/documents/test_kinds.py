"""Each of the ten documents, made from a realistic case: A4 PDF and DOCX saying the same things."""

import re
from datetime import date
from decimal import Decimal

import pytest

from agreements.services import agreement as agreement_services
from agreements.services import confirmation as confirmation_services
from cases.services import intake, mediation, referral
from cases.services.common import ServiceError
from tests.documents.helpers import (
    FULL_ID,
    MASKED_ID,
    TODAY,
    add_agent,
    assert_a4,
    assert_header,
    assert_texts,
    draft_with,
    held_session,
    make,
    output,
    pdf_upload,
    sign_all,
    signed_referral,
)
from tests.factories import (
    CaseFactory,
    agreement_for,
    passing_checklist,
    refer,
    register,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

# A case accepted (or a referral signed for) on 2026-11-27: 30 days from the next day end on
# Sunday 2026-12-27, so the period runs to Monday 2026-12-28.
MEDIATION_DUE = "2026年12月28日"
# The act was known on 2026-09-03: 60 days for reconsideration (expired), 6 months to sue.
RECONSIDERATION_DUE = "2026年11月2日"
LAWSUIT_DUE = "2027年3月3日"
DATE_LINE = "二〇二六年十一月二十七日"


def test_acceptance_notice_and_rights_notice(office, clerk, head, mediator):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, assigned=True)

    notice = output(make(case, clerk, "acceptance_notice"))
    assert_a4(notice)
    assert_header(notice, "受理通知书", case)
    assert_texts(
        notice,
        "王建国：",
        "你（单位）于2026年11月2日提出的调解申请",
        f"与{case.agency.name}之间因",
        "经审查，本工作室决定受理。",
        f"本案案号为{case.display_number}，争议类型为行政处罚。",
        f"调解期限为30日，至{MEDIATION_DUE}届满。",
        "特此通知。",
        "联系电话：0728-6201234",
        DATE_LINE,
    )

    rights = output(make(case, clerk, "rights_notice"))
    assert_a4(rights)
    assert_header(rights, "权利义务告知书", case)
    assert_texts(
        rights,
        "一、当事人的权利",
        "二、当事人的义务",
        "调解期限为30日，经各方当事人同意可以延长。",
        f"本案调解员：{mediator.get_full_name()}（主持）。",
        "申请人：王建国签名（盖章）：日期：",
        f"被申请人：{case.agency.name}签名（盖章）：日期：",
        DATE_LINE,
    )


def test_decline_notice_gives_the_reason_and_the_channels_with_their_due_dates(office, clerk, head):
    case = register(office, clerk)
    case = intake.case_decline(
        case=case,
        actor=head,
        reason="other",
        guidance="可以依法申请行政复议或者提起行政诉讼。",
        note="所涉事项系平等主体之间的民事纠纷。",
    )
    out = output(make(case, clerk, "decline_notice"))
    assert_a4(out)
    assert_header(out, "不予受理告知书", case)
    assert_texts(
        out,
        "王建国：",
        "经审查，本工作室决定不予受理。",
        "不予受理的理由",
        "其他。所涉事项系平等主体之间的民事纠纷。",
        "可以依法申请行政复议或者提起行政诉讼。",
        "救济途径期限届满日计算依据",
        f"申请行政复议期限{RECONSIDERATION_DUE}（已届满）",
        f"提起行政诉讼期限{LAWSUIT_DUE}",
        "特此告知。",
        DATE_LINE,
    )
    assert f"{LAWSUIT_DUE}（已届满）" not in out.pdf_flat


def test_referral_return_is_addressed_to_the_court(office, clerk, head, court_liaison):
    case = refer(office, court_liaison)
    case = referral.referral_return(
        case=case, actor=head, reason="conflict", note="本工作室调解员与申请人系近亲属。"
    )
    out = output(make(case, clerk, "referral_return"))
    assert_a4(out)
    assert_header(out, "退回委派调解函", case)
    letter = case.referral.letter_no
    assert_texts(
        out,
        "潜江市人民法院：",
        f"贵院于2026年11月20日以{letter}委派调解函委派本工作室调解",
        "本工作室不能接受委派，现将委派材料退回。",
        f"申请人：王建国，男，汉族，居民身份证{MASKED_ID}",
        f"被申请人：{case.agency.name}",
        "存在利益冲突。本工作室调解员与申请人系近亲属。",
        "退回的材料",
        "起诉状副本",
        "此致潜江市人民法院",
        DATE_LINE,
    )
    assert FULL_ID not in out.pdf_flat
    assert FULL_ID not in out.docx_flat


def test_transcript_has_the_session_the_text_and_a_signature_line_for_everyone(
    office, clerk, head, mediator
):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, assigned=True)
    applicant = case.parties.get(role="applicant")
    agent = add_agent(case, applicant, clerk)
    session = held_session(
        case,
        mediator,
        transcript="申请人陈述：处罚过重，请求撤销。\n被申请人答辩：处罚事实清楚，但同意协商。",
        agents=[agent],
        agency_attendee="法制科科长刘洋",
        invited_persons="人民调解员陈某",
    )
    out = output(make(case, clerk, "transcript", f"session:{session.pk}"))
    assert_a4(out)
    assert_header(out, "调解笔录", case)
    assert_texts(
        out,
        "次序第1次调解时间2026年11月27日08:00",
        "地点工作室调解室方式现场调解",
        f"调解员{mediator.get_full_name()}",
        f"申请人王建国；被申请人{case.agency.name}",
        "钱律师（王建国的特别授权代理人）",
        "法制科科长刘洋",
        "人民调解员陈某",
        "申请人陈述：处罚过重，请求撤销。",
        "被申请人答辩：处罚事实清楚，但同意协商。",
        "本次调解结果：取得进展，继续调解。",
        "以上笔录已经本人阅读（或者向本人宣读），与所述一致。",
        "王建国签名：日期：",
        f"{case.agency.name}签名：日期：",
        "钱律师签名：日期：",
        "法制科科长刘洋签名：日期：",
        "调解员签名：日期：",
        "记录人签名：日期：",
    )


def test_extension_consent_blank_form_and_for_a_proposed_extension(office, clerk, head, mediator):
    case = CaseFactory(
        office=office, created_by=clerk, head=head, mediator=mediator, mediating=True
    )
    blank = output(make(case, clerk, "extension_consent"))
    assert_a4(blank)
    assert_header(blank, "延长调解期限同意书", case)
    assert_texts(
        blank,
        f"调解期限为30日，至{MEDIATION_DUE}届满。",
        "申请人：王建国□同意□不同意",
        f"被申请人：{case.agency.name}□同意□不同意",
    )
    # Reason and days are lines to write on, and the date is left for the hand too.
    assert re.search(r"调解员提议将调解期限延长\s+日", blank.pdf_text)
    assert "调解员提议将调解期限延长\u3000\u3000\u3000\u3000\u3000日" in blank.docx_text
    assert not re.search(r"延长\d+日", blank.pdf_flat + blank.docx_flat)
    assert "二〇二六年" not in blank.pdf_flat

    extension = mediation.propose_extension(
        case=case,
        actor=mediator,
        days=15,
        reason="等待鉴定意见",
        consenting_parties=list(case.parties.all()),
        consent_form=pdf_upload(),
    )
    out = output(make(case, clerk, "extension_consent", f"extension:{extension.pk}"))
    assert_a4(out)
    assert_texts(
        out,
        f"调解期限为30日，至{MEDIATION_DUE}届满。",
        # 12-28 plus 15 days: 2027-01-12.
        "因等待鉴定意见，调解员提议将调解期限延长15日，至2027年1月12日届满。",
        "下列当事人同意将本案调解期限延长15日",
        "申请人：王建国□同意□不同意",
        f"被申请人：{case.agency.name}□同意□不同意",
        DATE_LINE,
    )


def test_extension_consent_made_after_approval_states_the_period_before_the_extension(
    office, clerk, head, mediator
):
    case = CaseFactory(
        office=office, created_by=clerk, head=head, mediator=mediator, mediating=True
    )
    extension = mediation.propose_extension(
        case=case,
        actor=head,  # the head's own proposal is approved at once
        days=15,
        reason="等待鉴定意见",
        consenting_parties=list(case.parties.all()),
        consent_form=pdf_upload(),
    )
    out = output(make(case, clerk, "extension_consent", f"extension:{extension.pk}"))
    assert_texts(
        out,
        f"调解期限为30日，至{MEDIATION_DUE}届满。",
        "调解员提议将调解期限延长15日，至2027年1月12日届满。",
    )


def agreement_obligations(case):
    applicant = case.parties.get(role="applicant")
    respondent = case.parties.get(role="respondent")
    return [
        {
            "obligor": respondent,
            "kind": "payment",
            "description": "支付行政补偿款",
            "amount": Decimal("12345.50"),
            "due_date": date(2026, 12, 10),
            "method": "银行转账至申请人账户",
        },
        {
            "obligor": applicant,
            "kind": "withdraw_complaint",
            "description": "撤回对该处罚决定的行政复议申请",
            "amount": None,
            "due_date": date(2026, 12, 15),
            "method": "向复议机关提交撤回申请",
        },
    ]


def test_agreement_draft_then_frozen_once_signed(office, clerk, head, mediator):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, agreed=True)
    agreement = draft_with(case, mediator, agreement_obligations(case))
    agreement_services.answer_checklist(
        agreement=agreement, actor=mediator, answers=passing_checklist()
    )

    draft_document = make(case, clerk, "agreement", f"agreement:{agreement.pk}")
    draft = output(draft_document)
    assert_a4(draft)
    assert_header(draft, "调解协议书", case)
    assert_texts(draft, "（第1版·起草中）", "申请人：王建国签名或捺印：", "年月日")
    assert "已签署" not in draft.pdf_flat

    # Once signed, the paper the parties signed is the agreement: no new version.
    sign_all(agreement, clerk, mediator)
    with pytest.raises(ServiceError) as exc:
        make(case, clerk, "agreement", f"agreement:{agreement.pk}")
    assert exc.value.message == (
        "调解协议第1版已生效，调解协议书以已制作的第1版为准，不再重新制作。"
    )
    assert case.documents.filter(kind="agreement").count() == 1


def test_agreement_made_after_it_took_effect_records_the_signatures(office, clerk, head, mediator):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, agreed=True)
    applicant = case.parties.get(role="applicant")
    add_agent(case, applicant, clerk, name="钱律师", authority="special")
    add_agent(case, applicant, clerk, name="孙律师", authority="general")
    agency = case.agency.name
    agreement = draft_with(case, mediator, agreement_obligations(case))
    agreement_services.answer_checklist(
        agreement=agreement, actor=mediator, answers=passing_checklist()
    )
    sign_all(agreement, clerk, mediator)
    document = make(case, clerk, "agreement", f"agreement:{agreement.pk}")
    assert document.version == 1
    out = output(document)
    assert_a4(out)
    assert_header(out, "调解协议书", case)
    mediator_name = mediator.get_full_name()
    assert_texts(
        out,
        "当事人基本情况",
        f"申请人：王建国居民身份证{FULL_ID}湖北省潜江市园林街道1号13800000000",
        "王建国的委托代理人：钱律师，律师，湖北某某律师事务所，特别授权代理",
        "王建国的委托代理人：孙律师，律师，湖北某某律师事务所，一般授权代理",
        "调解结果",
        "被申请人撤销处罚决定，申请人撤回复议申请。",
        "序号义务人义务内容金额（元）履行期限履行方式",
        f"1{agency}支付行政补偿款（支付款项）12,345.502026年12月10日前银行转账至申请人账户",
        "2王建国撤回对该处罚决定的行政复议申请（申请人撤回复议、起诉或信访）—"
        "2026年12月15日前向复议机关提交撤回申请",
        "本协议一式三份",
        # A signature block for every party, the special agent and the mediator.
        "申请人：王建国签名或捺印：",
        "委托代理人（钱律师）签名：",
        "已签署：王建国，本人，签名，2026年11月27日",
        f"被申请人：{agency}（盖章）负责人或法定代表人签名：",
        f"调解员：{mediator_name}签字：",
        f"已签署：{mediator_name}，2026年11月27日",
        DATE_LINE,
    )
    # Only an agent with special authority may sign the agreement.
    assert "委托代理人（孙律师）签名" not in out.pdf_flat
    assert "委托代理人（孙律师）签名" not in out.docx_flat
    assert "起草中" not in out.pdf_flat


def test_confirmation_application_to_the_court_with_applicants_and_materials(
    office, clerk, head, mediator, court
):
    agreement = agreement_for(
        CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, agreed=True),
        mediator,
        clerk,
    )
    case = agreement.case
    confirmation_services.apply_for_confirmation(
        agreement=agreement,
        actor=clerk,
        court=court,
        applicants=list(case.parties.all()),
        applied_on=TODAY,
        materials=["agreement", "presiding_proof", "identity"],
    )
    out = output(make(case, clerk, "confirmation_application", f"agreement:{agreement.pk}"))
    assert_a4(out)
    agency = case.agency.name
    assert_texts(
        out,
        "司法确认申请书",
        f"（调解案号：{case.display_number}）",
        f"申请人：王建国，男，汉族，居民身份证{FULL_ID}，住所地湖北省潜江市园林街道，"
        "送达地址湖北省潜江市园林街道1号，联系电话13800000000。",
        f"申请人：{agency}",
        f"请求确认申请人于2026年11月27日经{office.name}主持调解达成的调解协议（第1版）有效。",
        f"{agency}撤销潜市监罚〔2026〕12号行政处罚决定，于2026年12月10日前书面送达撤销决定",
        "王建国撤回对该处罚决定的行政复议申请，于2026年12月15日前向复议机关提交撤回申请",
        "此致潜江市人民法院",
        "附：提交的材料",
        "调解协议书",
        "调解组织主持调解的证明",
        "双方当事人的身份、住所、联系方式等证明材料",
        "申请人：王建国签名或捺印：",
        f"申请人：{agency}盖章，负责人或法定代表人签名：",
        DATE_LINE,
    )
    assert "与调解协议相关的财产权利证明" not in out.pdf_flat


@pytest.fixture
def terminated_referral(office, clerk, head, court_liaison, mediator):
    """A referral with one held session, terminated by the head: reported to the court."""
    case = signed_referral(office, clerk, head, court_liaison, mediator)
    held_session(case, mediator)
    termination = mediation.propose_termination(
        case=case, actor=mediator, reason="gap_too_wide", note="双方对补偿数额分歧较大。"
    )
    mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    case.refresh_from_db()
    return case


def test_termination_notice_and_report_to_the_court(terminated_referral, clerk, mediator):
    case = terminated_referral
    termination = case.terminations.get()
    agency = case.agency.name

    notice = output(make(case, clerk, "termination_notice", f"termination:{termination.pk}"))
    assert_a4(notice)
    assert_header(notice, "终止调解告知书", case)
    assert_texts(
        notice,
        f"王建国、{agency}：",
        "由潜江市人民法院委派，本工作室于2026年11月27日受理并组织调解。",
        "因当事人分歧较大，难以达成协议，本工作室决定终止调解。",
        "双方对补偿数额分歧较大。",
        "其他解决途径和期限",
        f"申请行政复议期限{RECONSIDERATION_DUE}（已届满）",
        f"提起行政诉讼期限{LAWSUIT_DUE}",
        "本工作室已将终止调解的情况报告委派法院",
        DATE_LINE,
    )

    report = case.court_reports.get()
    out = output(make(case, clerk, "termination_report", f"report:{report.pk}"))
    assert_a4(out)
    assert_header(out, "终止调解情况报告", case)
    assert_texts(
        out,
        "潜江市人民法院：",
        f"贵院于2026年11月20日以{case.referral.letter_no}委派调解函委派本工作室调解的行政争议",
        f"本工作室于2026年11月27日签收，指派调解员{mediator.get_full_name()}主持调解，"
        "共召开调解会1次。",
        f"申请人：王建国，男，汉族，居民身份证{MASKED_ID}",
        "基本情况和理由",
        "终止调解原因：当事人分歧较大，难以达成协议。",
        "双方对补偿数额分歧较大。",
        "移送的材料",
        "调解笔录1份",
        "此致潜江市人民法院",
        DATE_LINE,
    )
    assert FULL_ID not in out.pdf_flat
    assert FULL_ID not in out.docx_flat


def test_termination_report_sentence_does_not_repeat_itself(terminated_referral, clerk):
    report = terminated_referral.court_reports.get()
    out = output(make(terminated_referral, clerk, "termination_report", f"report:{report.pk}"))
    assert "情况报告的情况报告" not in out.pdf_flat


def test_termination_report_does_not_list_the_documents_made_earlier(
    office, clerk, head, court_liaison, mediator
):
    case = signed_referral(office, clerk, head, court_liaison, mediator)
    session = held_session(case, mediator)
    make(case, clerk, "transcript", f"session:{session.pk}")
    termination = mediation.propose_termination(
        case=case, actor=mediator, reason="gap_too_wide", note="双方对补偿数额分歧较大。"
    )
    mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    report = case.court_reports.get()
    document = make(case, clerk, "termination_report", f"report:{report.pk}")
    # The office's own documents are not materials handed over; the transcripts are
    # counted once.
    assert document.data["materials"] == ["调解笔录1份"]


def test_acceptance_notice_made_after_agreement_still_gives_the_due_date(
    office, clerk, head, mediator
):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, agreed=True)
    out = output(make(case, clerk, "acceptance_notice"))
    assert "，。" not in out.pdf_flat
    assert f"调解期限为30日，至{MEDIATION_DUE}届满。" in out.pdf_flat


def test_report_of_a_withdrawn_referral_is_titled_as_a_withdrawal(
    office, clerk, head, court_liaison, mediator
):
    case = signed_referral(office, clerk, head, court_liaison, mediator)
    mediation.withdraw(case=case, actor=clerk, withdrawn_on=TODAY, note="申请人书面申请撤回。")
    report = case.court_reports.get()
    assert report.kind == "withdrawal"
    out = output(make(case, clerk, "termination_report", f"report:{report.pk}"))
    assert_texts(out, "申请人撤回调解申请。", "申请人书面申请撤回。")
    assert f"{office.name}撤回调解情况报告{case.display_number}" in out.pdf_flat
    assert "终止调解" not in out.pdf_flat


def test_extension_consent_for_a_second_extension_starts_from_the_first(
    office, clerk, head, mediator
):
    case = CaseFactory(
        office=office, created_by=clerk, head=head, mediator=mediator, mediating=True
    )
    for reason in ("等待鉴定意见", "等待评估报告"):
        second = mediation.propose_extension(
            case=case,
            actor=head,  # approved at once
            days=15,
            reason=reason,
            consenting_parties=list(case.parties.all()),
            consent_form=pdf_upload(),
        )
    out = output(make(case, clerk, "extension_consent", f"extension:{second.pk}"))
    # 12-28 + 15 = 2027-01-12; + 15 = 2027-01-27.
    assert_texts(
        out,
        "调解期限为30日，已经各方当事人同意延长1次，至2027年1月12日届满。",
        "因等待评估报告，调解员提议将调解期限延长15日，至2027年1月27日届满。",
    )
