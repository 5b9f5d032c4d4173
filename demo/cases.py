"""A few hundred fictitious cases in every state the workflow reaches, made through the services.

The services stamp "today" on what they do; afterwards the generator moves a
few dates (received, referral, deadlines) back in time so the register looks
like a year of work. Every name and number is invented; the ID numbers are
well-formed so that validation and search behave as with real data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Court, Office, Role, User
from cases.identifiers import citizen_id_check_char
from cases.models import (
    Agency,
    Art60Basis,
    Case,
    Decision,
    DeclineReason,
    DisputeCategory,
    Party,
    Session,
    Status,
)
from cases.models.case import ActType, ReferralReturnReason, Source
from cases.services import intake, referral
from cases.services.schedule import refresh_next_deadline

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = [
    "建国",
    "秀英",
    "桂英",
    "志强",
    "海燕",
    "明",
    "丽",
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "超",
    "霞",
    "平",
    "刚",
    "辉",
    "玲",
    "华",
    "红",
    "鑫",
    "斌",
    "宇",
    "浩",
    "凯",
    "健",
    "俊",
    "帆",
    "帅",
    "旭",
    "宁",
    "龙",
    "林",
    "欢",
    "阳",
    "建华",
    "建平",
    "晓东",
    "春梅",
    "国强",
    "文华",
    "永红",
    "德胜",
    "玉兰",
    "金凤",
]
STREETS = [
    "园林街道",
    "杨市街道",
    "周矶街道",
    "广华街道",
    "泰丰街道",
    "高场街道",
    "竹根滩镇",
    "渔洋镇",
    "王场镇",
    "高石碑镇",
    "熊口镇",
    "老新镇",
    "浩口镇",
    "积玉口镇",
    "张金镇",
    "龙湾镇",
]
COMPANIES = [
    "潜江市楚韵建材有限公司",
    "潜江市虾乡餐饮管理有限公司",
    "潜江市江汉运输有限公司",
    "湖北潜江绿源农业专业合作社",
    "潜江市曹禺印务有限公司",
    "潜江市东荆河砂石有限公司",
]

# category code → (act type, claims, facts)
SCENARIOS = {
    "EXPROPRIATION": (
        ActType.EXPROPRIATION,
        ["依法提高房屋征收补偿标准", "支付搬迁费和临时安置费"],
        "申请人房屋位于征收范围内，对补偿决定确定的评估价格有异议，认为未考虑装修和经营损失。",
    ),
    "LAND_RESOURCE": (
        ActType.CONFIRMATION,
        ["撤销土地权属处理决定"],
        "申请人与邻组就一块宅基地的使用权发生争议，认为处理决定认定事实不清。",
    ),
    "PENALTY": (
        ActType.PENALTY,
        ["撤销或变更行政处罚决定", "退还已缴纳的罚款"],
        "申请人因经营行为被处以罚款，认为处罚过重，且已及时整改。",
    ),
    "COERCION": (
        ActType.COERCIVE_ENFORCEMENT,
        ["确认强制拆除行为违法", "赔偿财产损失"],
        "行政机关以违法建设为由强制拆除申请人附属用房，申请人认为程序违法。",
    ),
    "WORK_INJURY_SOCIAL": (
        ActType.CONFIRMATION,
        ["撤销不予认定工伤决定，重新作出认定"],
        "申请人在上班途中发生交通事故受伤，社会保险行政部门不予认定为工伤。",
    ),
    "INFO_DISCLOSURE": (
        ActType.INFO_DISCLOSURE,
        ["公开征收补偿安置方案及相关批文"],
        "申请人申请公开征地相关文件，行政机关答复不予公开。",
    ),
    "LICENSING": (
        ActType.LICENSING,
        ["撤销不予许可决定，准予许可"],
        "申请人申请经营许可被拒，认为申请材料齐全、符合法定条件。",
    ),
    "INACTION": (
        ActType.INACTION,
        ["责令行政机关依法履行查处职责"],
        "申请人多次举报邻近企业噪声扰民，行政机关未予查处。",
    ),
    "ADMIN_AGREEMENT": (
        ActType.AGREEMENT,
        ["继续履行安置补偿协议", "支付逾期安置补助"],
        "双方签订安置补偿协议后，行政机关未按约定时间交付安置房。",
    ),
    "COMPENSATION": (
        ActType.COMPENSATION,
        ["赔偿因违法扣押造成的经营损失"],
        "申请人车辆被扣押三个月后退还，认为扣押违法并造成经营损失。",
    ),
    "COMPLAINT_HANDLING": (
        ActType.HANDLING,
        ["重新作出投诉处理决定"],
        "申请人投诉商户销售不合格商品，行政机关作出不予立案决定。",
    ),
    "REGISTRATION": (
        ActType.REGISTRATION,
        ["撤销不动产登记"],
        "申请人认为他人提交虚假材料办理了不动产登记，侵害其继承权益。",
    ),
}

# (final state, source, how many, age of the case in days: (min, max)). The services
# date every step today, so a case whose mediation has ended ended today: its age keeps
# most of them within the 30-day mediation period, as the office's statistics expect.
PLAN = [
    ("registered", "self", 35, (0, 12)),
    ("awaiting_supplement", "self", 15, (3, 20)),
    ("declined", "self", 20, (20, 300)),
    ("accepted", "self", 10, (1, 6)),
    ("assigned", "self", 10, (3, 12)),
    ("in_mediation", "self", 35, (5, 40)),
    ("suspended", "self", 6, (10, 40)),
    ("agreed", "self", 20, (10, 32)),
    ("terminated", "self", 12, (12, 32)),
    ("withdrawn", "self", 6, (8, 30)),
    ("closed", "self", 16, (15, 36)),
    ("referral_unconfirmed", "court", 6, (0, 5)),
    ("referral_pending", "court", 12, (0, 6)),
    ("referral_rejected", "court", 3, (10, 100)),
    ("referral_returned", "court", 8, (10, 200)),
    ("accepted", "court", 4, (1, 5)),
    ("assigned", "court", 4, (3, 10)),
    ("in_mediation", "court", 18, (5, 35)),
    ("suspended", "court", 3, (10, 35)),
    ("agreed", "court", 10, (10, 32)),
    ("terminated", "court", 8, (12, 32)),
    ("withdrawn", "court", 3, (8, 30)),
    ("transferred_to_filing", "court", 6, (15, 36)),
    ("closed", "court", 6, (15, 36)),
]
MEDIATION_STATES = {
    "assigned",
    "in_mediation",
    "suspended",
    "agreed",
    "terminated",
    "withdrawn",
    "transferred_to_filing",
    "closed",
}
PDF = b"%PDF-1.4\n% demo document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TRANSCRIPTS = [
    "调解员介绍调解规则和当事人的权利义务，双方陈述意见。申请人坚持原请求，被申请人表示将研究后答复。",
    "双方就补偿金额进一步协商，被申请人同意重新核查评估报告，申请人同意在评估后再次协商。",
    "被申请人出示现场勘验记录，申请人对部分事实无异议，对处理结果仍有分歧。",
]


def _person(rng: random.Random, year_from: int = 1950, year_to: int = 2000) -> dict:
    birth = date(rng.randint(year_from, year_to), rng.randint(1, 12), rng.randint(1, 28))
    seq = rng.randint(1, 999)
    body = f"429005{birth:%Y%m%d}{seq:03d}"
    number = body + citizen_id_check_char(body)
    surname = rng.choice(SURNAMES)
    street = rng.choice(STREETS)
    return {
        "kind": Party.Kind.NATURAL_PERSON,
        "name": surname + rng.choice(GIVEN),
        "gender": Party.Gender.MALE if seq % 2 else Party.Gender.FEMALE,
        "birth_date": birth,
        "ethnicity": "汉族",
        "id_type": "resident_id",
        "id_number": number,
        "domicile": f"湖北省潜江市{street}{rng.randint(1, 40)}组",
        "occupation": rng.choice(["农民", "个体工商户", "职工", "退休人员", "无业", ""]),
        "uscc": "",
        "uscc_checksum_confirmed": False,
        "legal_representative": "",
        "legal_representative_title": "",
        "agency": None,
        "contact_person": "",
        "phone": f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}",
        "service_address": f"湖北省潜江市{street}{rng.randint(1, 200)}号",
        "service_address_confirmed": rng.random() < 0.7,
        "e_service_consent": False,
        "e_service_channel": "",
        "e_service_address": "",
        "willing_to_mediate": True,
    }


def _company(rng: random.Random, index: int) -> dict:
    from cases.identifiers import org_code_check_char, uscc_check_char

    body8 = f"MA4{index:05d}"
    body17 = "91429005" + body8 + org_code_check_char(body8)
    data = _person(rng)
    data.update(
        kind=Party.Kind.LEGAL_PERSON,
        name=COMPANIES[index % len(COMPANIES)],
        id_type="",
        id_number="",
        gender="",
        birth_date=None,
        ethnicity="",
        occupation="",
        domicile="",
        uscc=body17 + uscc_check_char(body17),
        legal_representative=rng.choice(SURNAMES) + rng.choice(GIVEN),
        legal_representative_title="执行董事",
    )
    return data


def _case_data(rng: random.Random, category: DisputeCategory, agency: Agency, received: date):
    act_type, claims, facts = SCENARIOS.get(category.code, SCENARIOS["PENALTY"])
    act_date = received - timedelta(days=rng.randint(20, 150))
    known = act_date + timedelta(days=rng.randint(0, 10))
    basis = ""
    if not category.art60_mediable:
        basis = rng.choice([Art60Basis.DISCRETION, Art60Basis.COORDINATION])
    short = (agency.short_name or agency.name).removeprefix("市")[:4]
    data = {
        "source": Source.SELF,
        "received_date": received,
        "category": category,
        "act_type": act_type,
        "agency": agency,
        "act_document_no": f"潜{short}〔{act_date.year}〕{rng.randint(1, 300)}号",
        "act_date": act_date,
        "act_served_date": known,
        "act_known_date": known,
        "remedy_notified": rng.random() < 0.85,
        "involves_real_property": category.code
        in ("EXPROPRIATION", "LAND_RESOURCE", "REGISTRATION"),
        "is_inaction": category.code == "INACTION",
        "duty_requested_date": act_date if category.code == "INACTION" else None,
        "facts_and_reasons": facts,
        "persons_affected": rng.choice([1, 1, 1, 2, 3, 12, 36]),
        "amount_in_dispute": Decimal(rng.randint(5, 800) * 1000) if rng.random() < 0.5 else None,
        "risk_mass_dispute": rng.random() < 0.05,
        "risk_public_attention": rng.random() < 0.05,
        "risk_public_interest": rng.random() < 0.03,
        "art60_basis": basis,
        "art60_note": "协调行政机关自行纠正，申请人撤回申请"
        if basis == Art60Basis.COORDINATION
        else "",
        "reconsideration_first_notified": category.reconsideration_first,
    }
    return data, [{"text": text, "amount": None} for text in claims]


def _backdate_referral(case: Case, letter: date, pending_since: date | None) -> None:
    from cases.deadlines import REFERRAL_ANSWER, load_work_calendar

    ref = case.referral
    ref.letter_date = letter
    ref.complaint_received_date = letter - timedelta(days=3)
    if pending_since:
        ref.pending_since = pending_since
        ref.answer_due = REFERRAL_ANSWER.compute(pending_since, load_work_calendar()).due
    ref.save()
    refresh_next_deadline(Case.objects.get(pk=case.pk))


def _pdf(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _mediate(case: Case, target: str, rng: random.Random, people: dict, today: date) -> None:
    """Drive an accepted case on to ``target`` through the mediation services."""
    from datetime import datetime, time

    from cases.services import mediation

    head, clerk, liaison = people["head"], people["clerk"], people["liaison"]
    roster = people["roster"]
    mediator = rng.choice(roster)
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[mediator], presiding=mediator
    )
    mediation.declare_conflict_check(assignment=assignment, actor=mediator.user, no_conflict=True)
    case.refresh_from_db()
    if target == "assigned":
        return
    if target == "withdrawn" and rng.random() < 0.5:
        mediation.withdraw(
            case=case, actor=clerk, withdrawn_on=today, note="申请人书面申请撤回调解申请。"
        )
        return
    held_on = min(case.accepted_on + timedelta(days=rng.randint(2, 6)), today - timedelta(days=1))
    held_on = max(held_on, case.accepted_on)
    when = timezone.make_aware(datetime.combine(held_on, time(9 + rng.randint(0, 6), 30)))
    if when > timezone.now():
        when = timezone.now() - timedelta(hours=1)
    session = mediation.schedule_session(
        case=case, actor=mediator.user, scheduled_at=when, place="工作室调解室", mode="in_person"
    )
    applicants = list(case.parties.all())
    mediation.record_session(
        session=session,
        actor=mediator.user,
        expected_version=0,
        transcript=rng.choice(TRANSCRIPTS),
        outcome="progress",
        parties=applicants,
        mediators=[mediator],
        agency_attendee="法制科科长",
        agency_principal_attended=rng.random() < 0.2,
    )
    case.refresh_from_db()
    if target == "in_mediation":
        # The next session, within the mediation period (none for a case already past it).
        days_left = (case.mediation_due - today).days if case.mediation_due else 0
        if days_left >= 1 and rng.random() < 0.5:
            day = today + timedelta(days=rng.randint(1, min(10, days_left)))
            upcoming = timezone.make_aware(datetime.combine(day, time(9 + rng.randint(0, 6))))
            mediation.schedule_session(
                case=case,
                actor=mediator.user,
                scheduled_at=upcoming,
                place=rng.choice(["工作室调解室", "市法院诉前调解室", "视频会议"]),
                mode=rng.choice(["in_person", "in_person", "video"]),
            )
        if rng.random() < 0.25:
            mediation.propose_extension(
                case=case,
                actor=head,
                days=rng.choice([10, 15, 30]),
                reason="需等待补偿评估报告，双方同意延长调解期限。",
                consenting_parties=list(case.parties.all()),
                consent_form=_pdf("延长调解期限同意书.pdf"),
            )
        return
    if target == "suspended":
        mediation.suspend(
            case=case,
            actor=mediator.user,
            reason="appraisal",
            note="委托评估机构对房屋价值进行评估。",
            started_on=max(today - timedelta(days=rng.randint(1, 10)), case.accepted_on),
        )
        return
    if target == "agreed":
        mediation.reach_agreement(
            case=case, actor=mediator.user, note="双方就补偿金额和履行期限达成一致。"
        )
        case.refresh_from_db()
        stage = AGREEMENT_STAGES[people["agreed_count"] % len(AGREEMENT_STAGES)]
        people["agreed_count"] += 1
        _agreement(case, stage, rng, people, mediator.user, today)
        return
    if target == "withdrawn":
        mediation.withdraw(
            case=case, actor=clerk, withdrawn_on=today, note="申请人在调解笔录上签字撤回调解申请。"
        )
    else:
        termination = mediation.propose_termination(
            case=case,
            actor=mediator.user,
            reason=rng.choice(["gap_too_wide", "party_refused", "period_expired"]),
            note="经两次调解，双方对补偿标准分歧较大，无法达成一致。",
        )
        if termination.status == Decision.PROPOSED:
            mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    case.refresh_from_db()
    if target == "transferred_to_filing" or (
        target == "closed" and case.is_referral and rng.random() < 0.5
    ):
        mediation.transfer_to_filing(
            case=case,
            actor=liaison,
            filed_case_no=f"（{today.year}）鄂9005行初{rng.randint(10, 300)}号",
            filed_on=today,
        )
        case.refresh_from_db()
    if target == "closed":
        mediation.close_case(case=case, actor=head, note="调解不成，已告知当事人其他救济途径。")


AGREEMENT_STAGES = [
    "draft",
    "signing",
    "effective",
    "applied",
    "confirmed",
    "failed",
    "overdue",
    "performed_closed",
    "archived",
    "handled_closed",
    "revised",
    "abandoned",
]


def _agreement(case: Case, stage: str, rng: random.Random, people: dict, mediator, today: date):
    """Take an agreed case to one stage of its agreement, through the agreement services."""
    from agreements.models import ChecklistItem, Obligation
    from agreements.services import agreement as agreements
    from agreements.services import confirmation, performance
    from cases.services import mediation

    clerk, head, liaison = people["clerk"], people["head"], people["liaison"]
    draft = agreements.draft_agreement(case=case, actor=mediator)
    applicant = case.parties.filter(role=Party.Role.APPLICANT).first()
    respondent = case.parties.filter(role=Party.Role.RESPONDENT).first()
    amount = Decimal(rng.randint(2, 60) * 1000)
    obligations = [
        {
            "obligor": respondent,
            "kind": "payment",
            "description": f"向申请人支付补偿款{amount}元",
            "amount": amount,
            "due_date": today + timedelta(days=rng.randint(5, 40)),
            "method": "转账至申请人指定账户",
        },
        {
            "obligor": applicant,
            "kind": "withdraw_complaint",
            "description": "收到款项后撤回就本争议提出的行政复议申请",
            "amount": None,
            "due_date": today + timedelta(days=rng.randint(41, 60)),
            "method": "向复议机关提交书面撤回申请",
        },
    ]
    draft = agreements.update_agreement(
        agreement=draft,
        actor=mediator,
        data={
            "result": f"一、被申请人向申请人支付补偿款{amount}元；二、申请人撤回行政复议申请；"
            "三、双方就本争议再无其他争议。",
            "confirmation_intended": stage
            in ("applied", "confirmed", "failed", "archived", "revised"),
        },
        obligations=obligations,
        expected_version=draft.edit_version,
    )
    if stage == "draft":
        return
    if stage == "abandoned":
        # The applicant would not sign this text: back to mediation, the draft is kept.
        mediation.remediate(
            case=case, actor=head, note="申请人对补偿金额反悔，拒绝签署协议，重新调解。"
        )
        return
    agreements.answer_checklist(
        agreement=draft,
        actor=mediator,
        answers=dict.fromkeys(ChecklistItem.values, ("pass", "", "")),
    )
    parties = list(case.parties.filter(role__in=["applicant", "respondent", "third_party"]))
    for index, party in enumerate(parties):
        if stage == "signing" and index > 0:
            return
        agency = party.kind == Party.Kind.AGENCY
        organisation = party.kind in (Party.Kind.LEGAL_PERSON, Party.Kind.OTHER_ORG)
        if agency:
            capacity = "agency_seal"
        elif organisation:
            capacity = "legal_representative"
        else:
            capacity = "in_person"
        agreements.record_signature(
            agreement=draft,
            actor=clerk,
            party=party,
            signer_name=party.legal_representative if organisation else party.name,
            capacity=capacity,
            method="seal" if agency else "signature",
            signed_on=today,
        )
    agreements.record_mediator_signature(agreement=draft, actor=mediator, signed_on=today)
    agreements.record_office_seal(agreement=draft, actor=clerk, sealed_on=today)
    draft.refresh_from_db()
    if case.is_referral:
        agreements.record_court_filing(
            agreement=draft, actor=clerk, filed_on=today, note="已将协议送交委派法院立案庭。"
        )
    if stage in ("applied", "confirmed", "failed", "archived", "revised"):
        applied = confirmation.apply_for_confirmation(
            agreement=draft,
            actor=clerk,
            court=case.court or people["court"],
            applicants=parties,
            applied_on=today,
            materials=["agreement", "presiding_proof", "identity"],
        )
        if stage != "applied":
            if stage in ("failed", "revised"):
                outcome = "dismissed"
            else:
                outcome = rng.choice(["valid_ruling", "pre_litigation_document"])
            confirmation.record_outcome(
                confirmation=applied,
                actor=liaison,
                outcome=outcome,
                court_case_no=f"（{today.year}）鄂9005民特{rng.randint(1, 200)}号",
                filed_on=today,
                decided_on=today,
                served_on=today,
                note="协议第三条表述不清" if stage in ("failed", "revised") else "",
            )
        if stage == "revised":
            agreements.new_version(
                agreement=draft,
                actor=mediator,
                reason="法院认为协议第三条表述不清，双方同意修改后重新签署。",
            )
    if stage in ("performed_closed", "archived"):
        for obligation in draft.obligations.all():
            performance.record_performance(
                obligation=obligation,
                actor=clerk,
                performed_on=today,
                proof_note="转账凭证、撤回申请回执",
            )
        mediation.close_case(case=case, actor=head, note="调解协议已履行完毕。")
        if stage == "archived":
            case.refresh_from_db()
            mediation.archive_case(
                case=case, actor=clerk, archive_no=f"{today.year}-行调-{case.pk:04d}"
            )
    if stage in ("overdue", "handled_closed"):
        # The first obligation fell due a week ago and was not met.
        Obligation.objects.filter(agreement=draft, number=1).update(
            due_date=today - timedelta(days=7)
        )
        performance.mark_overdue(today)
        refresh_next_deadline(case)
        if stage == "handled_closed":
            performance.handle_nonperformance(
                agreement=draft,
                actor=head,
                handled_on=today,
                note="已告知申请人可以就协议履行向人民法院提起诉讼。",
            )
            second = draft.obligations.get(number=2)
            performance.record_performance(
                obligation=second, actor=clerk, performed_on=today, proof_note="撤回申请回执"
            )
            mediation.close_case(case=case, actor=head, note="义务人未履行，已告知救济途径。")


def seed_cases(office: Office, court: Court, *, seed: int = 2026) -> int:
    """Create the demo cases once; returns how many were made (0 if the office has cases)."""
    from cases.models import Mediator

    if Case.objects.filter(office=office).exists():
        return 0
    rng = random.Random(seed)
    staff = {u.username: u for u in User.objects.filter(office=office)}
    clerk, head = staff["clerk"], staff["head"]
    liaison = User.objects.filter(role=Role.COURT_LIAISON, court=court).first()
    people = {
        "clerk": clerk,
        "head": head,
        "liaison": liaison,
        "roster": list(Mediator.objects.filter(office=office).select_related("user")),
        "court": court,
        "agreed_count": 0,
    }
    categories = list(DisputeCategory.objects.filter(is_active=True).exclude(code="OTHER"))
    agencies = list(Agency.objects.filter(is_active=True))
    today = timezone.localdate()
    start = date(today.year, 1, 2)
    dated = []
    for state, source, count, (young, old) in PLAN:
        for _ in range(count):
            received = today - timedelta(days=rng.randint(young, old))
            dated.append((max(received, start), state, source))
    # Numbers are handed out in order of receipt, as in the office.
    dated.sort(key=lambda item: item[0])
    made = 0
    for index, (received, state, source) in enumerate(dated):
        category = rng.choice(categories)
        agency = rng.choice(agencies)
        case_data, claims = _case_data(rng, category, agency, received)
        applicants = [_company(rng, index) if rng.random() < 0.12 else _person(rng)]
        if rng.random() < 0.1:
            applicants.append(_person(rng))
        with transaction.atomic():
            if source == "court":
                case_data["source"] = Source.COURT_REFERRAL
                letter = received
                referral_data = {
                    "letter_no": f"（{letter.year}）鄂9005委调{index + 1}号",
                    "letter_date": letter,
                    "court_prefiling_no": f"（{letter.year}）鄂9005行诉前调{index + 1}号",
                    "complaint_received_date": letter - timedelta(days=3),
                    "parties_consent": True,
                    "consent_note": "原告在诉前调解告知书上签字同意",
                    "materials": "起诉状副本、行政行为文书复印件、原告身份证复印件",
                }
                common = {
                    "case_data": case_data,
                    "referral_data": referral_data,
                    "applicants": applicants,
                    "respondents": [agency],
                    "claims": claims,
                }
                if state in ("referral_unconfirmed", "referral_rejected") or rng.random() < 0.3:
                    case = referral.referral_record_paper(actor=clerk, court=court, **common)
                    if state == "referral_unconfirmed":
                        made += 1
                        continue
                    if state == "referral_rejected":
                        referral.referral_reject(
                            case=case, actor=liaison, reason="本院未作出该委派，委派函编号有误。"
                        )
                        made += 1
                        continue
                    referral.referral_approve(case=case, actor=liaison)
                else:
                    case = referral.referral_create(actor=liaison, office=office, **common)
                pending_since = min(received + timedelta(days=1), today)
                _backdate_referral(case, letter, pending_since)
                case.refresh_from_db()
                if state == "referral_returned":
                    referral.referral_return(
                        case=case,
                        actor=head,
                        reason=ReferralReturnReason.OUT_OF_EXPERTISE,
                        note="该争议涉及专业技术鉴定，超出本工作室调解员的专业领域。",
                    )
                elif state != "referral_pending":
                    case = referral.referral_sign_for(
                        case=case,
                        actor=clerk,
                        signed_on=min(pending_since + timedelta(days=rng.randint(0, 2)), today),
                        art60_basis=case.art60_basis or Art60Basis.COORDINATION,
                        art60_note=case.art60_note or "协调行政机关自行纠正",
                        reconsideration_first_notified=True,
                    )
            else:
                case = intake.case_register(
                    office=office,
                    actor=clerk,
                    case_data=case_data,
                    applicants=applicants,
                    respondents=[agency],
                    claims=claims,
                    confirm_not_duplicate=True,
                )
                # Registered on the day it arrived, as the office does.
                Case.objects.filter(pk=case.pk).update(review_started_on=received)
                case.refresh_from_db()
                refresh_next_deadline(case)
                if state == "registered" and rng.random() < 0.3:
                    # Some applicants have not yet said whether they agree to mediate.
                    Party.objects.filter(case=case, role=Party.Role.APPLICANT).update(
                        willing_to_mediate=None
                    )
                elif state == "awaiting_supplement":
                    intake.case_request_supplement(
                        case=case,
                        actor=clerk,
                        items=["行政行为决定书原件或复印件", "申请人身份证复印件"],
                        due=today + timedelta(days=rng.randint(1, 15)),
                    )
                elif state == "declined":
                    intake.case_decline(
                        case=case,
                        actor=head,
                        reason=rng.choice(
                            [DeclineReason.PENDING_ELSEWHERE, DeclineReason.OUT_OF_SCOPE]
                        ),
                        guidance="申请人可以自知道该行政行为之日起六十日内申请行政复议，"
                        "或者六个月内向人民法院提起行政诉讼。",
                    )
                elif state in MEDIATION_STATES or state == "accepted":
                    case = intake.case_accept(
                        case=case,
                        actor=head,
                        accepted_on=min(received + timedelta(days=rng.randint(1, 4)), today),
                    )
            if state in MEDIATION_STATES and case.status == Status.ACCEPTED:
                _mediate(case, state, rng, people, today)
        made += 1
    _court_access(office, people, today)
    return made


def _court_access(office: Office, people: dict, today: date) -> None:
    """One terminated referral with its transfer package, one in mediation whose parties
    consented to the court reading the transcripts (what the court liaison sees of them)."""
    from cases.services import court_access, records

    head, clerk = people["head"], people["clerk"]
    referrals = Case.objects.filter(office=office, source=Source.COURT_REFERRAL).order_by("id")
    ended = referrals.filter(status=Status.TERMINATED, court_reports__isnull=False).first()
    if ended is not None:
        with transaction.atomic():
            evidence = records.attachment_add(
                case=ended,
                actor=clerk,
                kind="evidence",
                title="行政处罚决定书（复印件）",
                upload=_pdf("行政处罚决定书.pdf"),
            )
            court_access.choose_transfer_package(case=ended, actor=head, attachments=[evidence])
    mediating = referrals.filter(
        status=Status.IN_MEDIATION, sessions__status=Session.Status.HELD
    ).first()
    if mediating is not None:
        court_access.grant_transcript_access(
            case=mediating,
            actor=head,
            basis="consent",
            dated_on=today,
            reference="双方当事人在调解笔录上签字同意委派法院查阅",
        )
