"""Demo data of the 府院联动 registers, entered through the services as the bureau would.

The figures of the joint meeting's source are reproduced exactly: in 2023, 51
first-instance lawsuits were filed against Qianjiang agencies, 36 were concluded and 1
lost (1/36, published as 2.77%); in 2022 the loss rate was 22% (11 of 50). The years
since are plausible: heads appearing (principals, deputies, some absences with and
without reasons), losses with their analyses, judgments being performed, judicial
suggestions (some overdue) and supervision items. Every name, number and code is invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from accounts.models import Court, Role, User
from cases.deadline_engine import Unit, cn_date
from cases.identifiers import citizen_id_check_char
from cases.models import Agency, Case, DisputeCategory, Status
from liaison.models import (
    AbsenceReason,
    HeadRank,
    Instance,
    Lawsuit,
    LossCause,
    Part,
    PlaintiffKind,
    Recipient,
    ResultType,
    SupervisionItem,
)
from liaison.models.suggestion import SuggestionKind
from liaison.services import hearings, judgments, lawsuits, suggestions, supervision
from liaison.services.reconsideration import save_volume

# Agency short name → (weight, the categories its lawsuits are about).
AGENCY_MIX = {
    "市人社局": (9, ["WORK_INJURY_SOCIAL", "INFO_DISCLOSURE"]),
    "市自然资源和规划局": (8, ["LAND_RESOURCE", "EXPROPRIATION", "REGISTRATION"]),
    "市住建局": (6, ["EXPROPRIATION", "ADMIN_AGREEMENT"]),
    "市城管执法委": (6, ["COERCION", "PENALTY"]),
    "市公安局": (6, ["PENALTY", "INFO_DISCLOSURE"]),
    "市市场监管局": (5, ["PENALTY", "LICENSING", "COMPLAINT_HANDLING"]),
    "市政府": (4, ["INFO_DISCLOSURE", "EXPROPRIATION", "INACTION"]),
    "市生态环境局": (2, ["PENALTY"]),
    "市交通运输局": (2, ["PENALTY", "LICENSING"]),
    "市医保局": (2, ["WORK_INJURY_SOCIAL"]),
    "园林街道": (2, ["COERCION", "EXPROPRIATION"]),
    "竹根滩镇": (2, ["EXPROPRIATION", "LAND_RESOURCE"]),
    "熊口镇": (1, ["EXPROPRIATION"]),
    "王场镇": (1, ["COERCION"]),
}
ACTS = {
    "WORK_INJURY_SOCIAL": ["不予认定工伤决定", "工伤认定决定", "停发养老保险待遇决定"],
    "INFO_DISCLOSURE": ["政府信息公开申请答复", "不予公开政府信息告知书"],
    "LAND_RESOURCE": ["土地权属争议处理决定", "不动产登记行为"],
    "EXPROPRIATION": ["房屋征收补偿决定", "征地补偿安置方案批复", "强制拆除行为"],
    "REGISTRATION": ["不动产权证书颁发行为"],
    "ADMIN_AGREEMENT": ["解除房屋征收补偿协议行为"],
    "COERCION": ["限期拆除决定", "强制拆除违法建筑行为", "查封扣押决定"],
    "PENALTY": ["行政处罚决定", "罚款决定", "责令停产停业决定"],
    "LICENSING": ["不予行政许可决定", "撤销许可决定"],
    "COMPLAINT_HANDLING": ["投诉举报处理答复"],
    "INACTION": ["不履行法定职责"],
}

# (year, filed, and per concluding year: [concluded that year, of which lost]).
# 2021's three reach 2022; 2022 concluded 3 + 47 = 50 with 11 lost (22%); 2023 concluded
# 8 + 28 = 36 with 1 lost (2.77%), from 51 filed in 2023.
PLAN: list[tuple[int, int, dict[int, tuple[int, int]]]] = [
    (2021, 3, {2022: (3, 1)}),
    (2022, 55, {2022: (47, 10), 2023: (8, 0)}),
    (2023, 51, {2023: (28, 1), 2024: (20, 1), 2025: (3, 0)}),
    (2024, 48, {2024: (30, 2), 2025: (18, 1)}),
    (2025, 44, {2025: (27, 1), 2026: (15, 1)}),
    (2026, 40, {2026: (18, 1)}),
]
WIN_RESULTS = [
    ("dismissed_claims", 10),
    ("suit_dismissed", 3),
    ("withdrawn_after_correction", 3),
    ("withdrawn_other", 3),
    ("mediated", 1),
]
LOSS_RESULTS = [
    ("revoked", 5),
    ("confirmed_illegal", 3),
    ("ordered_performance", 2),
    ("compensation", 1),
    ("varied", 1),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "建国秀英志强丽华明军红梅海燕桂兰春花文斌玉兰德胜小红永红金凤国庆新华学文"


@dataclass
class Ctx:
    rng: random.Random
    today: date
    gov: User
    agencies: dict[str, Agency]
    categories: dict[str, DisputeCategory]
    results: dict[str, ResultType]
    causes: list[LossCause]
    basic: Court
    appeal_court: Court
    numbers: dict[tuple[int, str], int]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))


def _id_number(rng: random.Random) -> str:
    born = date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
    body = f"429005{born:%Y%m%d}{rng.randint(100, 999)}"
    return body + citizen_id_check_char(body)


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in pairs], [w for _, w in pairs])[0]


def _number(ctx: Ctx, year: int, kind: str, court: Court) -> str:
    key = (year, f"{court.code}{kind}")
    ctx.numbers[key] = ctx.numbers.get(key, 0) + 1
    return f"（{year}）{court.code}{kind}{ctx.numbers[key]}号"


def _day(rng: random.Random, year: int, today: date, *, after: date | None = None) -> date:
    start = max(date(year, 1, 3), after + timedelta(days=1)) if after else date(year, 1, 3)
    end = min(date(year, 12, 28), today)
    if start >= end:
        return end
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _appearance(ctx: Ctx, appearance, agency: Agency) -> None:
    rng = ctx.rng
    roll = rng.random()
    if roll < 0.32:
        data = {
            "head_appeared": True,
            "head_name": agency.principal_name or _name(rng),
            "head_title": agency.principal_title or "局长",
            "head_rank": HeadRank.PRINCIPAL,
            "head_spoke": True,
        }
    elif roll < 0.80:
        data = {
            "head_appeared": True,
            "head_name": _name(rng),
            "head_title": "副" + (agency.principal_title or "局长"),
            "head_rank": rng.choice([HeadRank.DEPUTY, HeadRank.DEPUTY, HeadRank.IN_CHARGE]),
            "head_spoke": rng.random() < 0.85,
        }
    elif roll < 0.85:
        data = {
            "head_appeared": True,
            "head_name": _name(rng),
            "head_title": "所属事业单位负责人",
            "head_rank": HeadRank.SUBORDINATE,
            "head_spoke": True,
        }
    else:
        reason = rng.choice(
            [AbsenceReason.OFFICIAL_DUTY, AbsenceReason.OFFICIAL_DUTY, AbsenceReason.NONE]
        )
        data = {
            "head_appeared": False,
            "absence_reason": reason,
            "absence_note": "参加市政府常务会议" if reason == AbsenceReason.OFFICIAL_DUTY else "",
            "written_explanation": reason != AbsenceReason.NONE and rng.random() < 0.8,
        }
    data.setdefault("staff", f"{_name(rng)}（法制科科长）、湖北某律师事务所律师")
    hearings.record_appearance(
        appearance=appearance, actor=ctx.gov, data=data, expected_version=None
    )


def _filed(ctx: Ctx, year: int, concluded: tuple[int, bool] | None) -> date:
    """A filing date in ``year`` that leaves time to conclude in the year planned."""
    if concluded is None:
        return _day(ctx.rng, year, ctx.today)
    end_year = concluded[0]
    latest = date(end_year, 10, 31) if end_year > year else date(year, 9, 30)
    return _day(ctx.rng, year, min(latest, ctx.today - timedelta(days=40)))


def _lawsuit(
    ctx: Ctx,
    year: int,
    filed: date,
    concluded: tuple[int, bool] | None,
    mediation_case: Case | None,
) -> Lawsuit:
    """One first-instance lawsuit filed on ``filed``; concluded in the year planned (lost or
    not), or still pending."""
    rng, today = ctx.rng, ctx.today
    short = rng.choices(list(AGENCY_MIX), [w for w, _ in AGENCY_MIX.values()])[0]
    agency = ctx.agencies[short]
    code = rng.choice(AGENCY_MIX[short][1])
    defendants = [lawsuits.PartyRow(agency, Part.DEFENDANT)]
    if short != "市政府" and rng.random() < 0.08:
        defendants.append(lawsuits.PartyRow(ctx.agencies["市政府"], Part.CO_DEFENDANT))
    plaintiffs = []
    for _ in range(1 if rng.random() < 0.85 else 2):
        if rng.random() < 0.15:
            plaintiffs.append(
                {
                    "name": f"潜江市{rng.choice(['兴旺', '恒通', '楚天', '汉江'])}商贸有限公司",
                    "kind": PlaintiffKind.LEGAL_PERSON,
                    "id_number": "",
                    "uscc": "",
                }
            )
        else:
            plaintiffs.append(
                {
                    "name": _name(rng),
                    "kind": PlaintiffKind.NATURAL_PERSON,
                    "id_number": _id_number(rng),
                    "uscc": "",
                }
            )
    lawsuit = lawsuits.lawsuit_create(
        actor=ctx.gov,
        data={
            "court_case_no": _number(ctx, year, "行初", ctx.basic),
            "instance": Instance.FIRST,
            "court": ctx.basic,
            "category": ctx.categories[code],
            "act_in_dispute": f"{agency.short_name}作出的{rng.choice(ACTS[code])}",
            "act_document_no": "",
            "filed_on": filed,
            "mediation_case": mediation_case,
        },
        defendants=defendants,
        plaintiffs=plaintiffs,
    )
    received = min(filed + timedelta(days=rng.randint(2, 5)), today)
    late = rng.random() < 0.05
    submitted = received + timedelta(days=rng.randint(17, 22) if late else rng.randint(5, 13))
    for defendant in lawsuit.defendants.all():
        lawsuits.record_defence(
            defendant=defendant,
            actor=ctx.gov,
            complaint_received_on=received,
            defence_submitted_on=submitted if submitted <= today else None,
        )
    if concluded is None:
        if filed + timedelta(days=45) <= today + timedelta(days=30):
            held = filed + timedelta(days=rng.randint(35, 80))
            hearing, _ = hearings.hearing_create(
                lawsuit=lawsuit,
                actor=ctx.gov,
                data={"held_on": held, "open_court": True, "head_notified": False},
            )
            # Some agencies have not yet recorded who appeared: their contacts' work.
            if held <= today - timedelta(days=3) and rng.random() < 0.7:
                for appearance in hearing.appearances.select_related("agency"):
                    _appearance(ctx, appearance, appearance.agency)
        return lawsuit
    end_year, lost = concluded
    result = _weighted(rng, LOSS_RESULTS if lost else WIN_RESULTS)
    result_type = ctx.results[result]
    earliest = max(filed + timedelta(days=45), date(end_year, 1, 5))
    concluded_on = _day(
        rng, end_year, today - timedelta(days=2), after=earliest - timedelta(days=1)
    )
    heard = result_type.form == ResultType.Form.JUDGMENT or rng.random() < 0.5
    if heard:
        held = filed + timedelta(days=max(20, (concluded_on - filed).days - rng.randint(10, 30)))
        held = min(held, concluded_on)
        notified = lost and rng.random() < 0.5
        hearing, _ = hearings.hearing_create(
            lawsuit=lawsuit,
            actor=ctx.gov,
            data={
                "held_on": held,
                "open_court": rng.random() < 0.93,
                "head_notified": notified,
                "head_notice_on": held - timedelta(days=7) if notified else None,
            },
        )
        for appearance in hearing.appearances.select_related("agency"):
            _appearance(ctx, appearance, appearance.agency)
    served = min(concluded_on + timedelta(days=rng.randint(2, 6)), today)
    lawsuit = lawsuits.record_outcome(
        lawsuit=lawsuit,
        actor=ctx.gov,
        result_type=result_type,
        concluded_on=concluded_on,
        served_on=served,
        outcome_note=_outcome_note(result),
        expected_version=None,
    )
    appeal_days = result_type.appeal_days
    # The day after the appeal period, or the day it was served where no appeal lies.
    last_day = lawsuits.appeal_period_end(lawsuit)
    effective_on = last_day + timedelta(days=1) if last_day else served
    if appeal_days and rng.random() < 0.08 and effective_on <= today:
        _appeal(ctx, lawsuit, served)
        return lawsuit
    if effective_on <= today:
        lawsuit = lawsuits.record_effective(
            lawsuit=lawsuit, actor=ctx.gov, effective_on=effective_on
        )
        if lost:
            _after_loss(ctx, lawsuit, agency)
    return lawsuit


def _outcome_note(result: str) -> str:
    return {
        "revoked": "撤销被诉行政行为，责令被告于判决生效之日起六十日内重新作出行政行为。",
        "confirmed_illegal": "确认被诉行政行为违法。",
        "ordered_performance": "责令被告于判决生效之日起三十日内履行法定职责。",
        "compensation": "被告赔偿原告经济损失。",
        "varied": "变更罚款数额。",
        "dismissed_claims": "驳回原告的诉讼请求。",
        "suit_dismissed": "驳回原告的起诉。",
        "withdrawn_after_correction": "被告改变原行政行为后，原告申请撤诉，准予撤诉。",
        "withdrawn_other": "原告申请撤诉，准予撤诉。",
        "mediated": "经调解，双方当事人自愿达成协议。",
    }.get(result, "")


def _appeal(ctx: Ctx, lawsuit: Lawsuit, served: date) -> None:
    rng, today = ctx.rng, ctx.today
    appealed_on = served + timedelta(days=rng.randint(5, 14))
    lawsuits.record_appeal(
        lawsuit=lawsuit, actor=ctx.gov, appealed_on=appealed_on, appellant="plaintiff"
    )
    filed = appealed_on + timedelta(days=rng.randint(20, 40))
    if filed > today:
        return
    second = lawsuits.lawsuit_create(
        actor=ctx.gov,
        data={
            "court_case_no": _number(ctx, filed.year, "行终", ctx.appeal_court),
            "instance": Instance.SECOND,
            "lower_instance": lawsuit,
            "court": ctx.appeal_court,
            "category": lawsuit.category,
            "act_in_dispute": lawsuit.act_in_dispute,
            "act_document_no": "",
            "filed_on": filed,
        },
        defendants=[lawsuits.PartyRow(d.agency, d.part) for d in lawsuit.defendants.all()],
        plaintiffs=[
            {"name": p.name, "kind": p.kind, "id_number": p.id_number, "uscc": p.uscc}
            for p in lawsuit.plaintiffs.all()
        ],
    )
    decided = filed + timedelta(days=rng.randint(60, 120))
    if decided > today - timedelta(days=3):
        return
    second = lawsuits.record_outcome(
        lawsuit=second,
        actor=ctx.gov,
        result_type=ctx.results["other"],
        concluded_on=decided,
        served_on=decided + timedelta(days=2),
        outcome_note="驳回上诉，维持原判。",
        expected_version=None,
    )
    lawsuits.record_effective(
        lawsuit=second, actor=ctx.gov, effective_on=decided + timedelta(days=2)
    )
    lawsuits.record_effective(
        lawsuit=lawsuit, actor=ctx.gov, effective_on=decided + timedelta(days=2)
    )


def _after_loss(ctx: Ctx, lawsuit: Lawsuit, agency: Agency) -> None:
    """The agency analyses the loss (most do) and performs what the judgment requires."""
    rng, today = ctx.rng, ctx.today
    if rng.random() < 0.85 or lawsuit.effective_on.year <= 2024:
        causes = rng.sample(ctx.causes[:6], rng.randint(1, 2))
        judgments.save_loss_analysis(
            lawsuit=lawsuit,
            agency=agency,
            actor=ctx.gov,
            causes=causes,
            analysis="经复盘，执法人员对相关事实调查核实不够充分，作出决定前未充分听取当事人陈述、申辩意见，"
            "法制审核把关不严。",
            measures="一是组织执法人员专题学习《行政诉讼法》和相关法律规范；二是修订重大执法决定法制审核清单；"
            "三是对同类案件开展自查。",
            measures_due=lawsuit.effective_on + timedelta(days=90),
            rectified_on=min(lawsuit.effective_on + timedelta(days=80), today)
            if lawsuit.effective_on + timedelta(days=80) <= today
            else None,
            expected_version=None,
        )
    if lawsuit.result_type.code in ("revoked", "ordered_performance", "compensation"):
        duty = {
            "revoked": "判决生效之日起六十日内重新作出行政行为",
            "ordered_performance": "判决生效之日起三十日内履行法定职责",
            "compensation": "支付赔偿金",
        }[lawsuit.result_type.code]
        days = 30 if lawsuit.result_type.code != "revoked" else 60
        performance = judgments.performance_create(
            lawsuit=lawsuit, agency=agency, actor=ctx.gov, duty=duty, days=days
        )
        late = rng.random() < 0.25
        done_on = performance.due_on + timedelta(
            days=rng.randint(5, 30) if late else -rng.randint(3, 20)
        )
        recent = lawsuit.effective_on >= today - timedelta(days=240)
        if done_on <= today - timedelta(days=1) and (not recent or rng.random() < 0.8):
            judgments.record_performed(
                performance=performance,
                actor=ctx.gov,
                performed_on=max(done_on, lawsuit.effective_on),
                evidence="已重新作出决定并依法送达原告。"
                if lawsuit.result_type.code == "revoked"
                else "已依法履行，相关凭证附后。",
                expected_version=None,
            )


def _suggestions(ctx: Ctx) -> None:
    """Judicial suggestions of the years: some replied and checked, some overdue."""
    rng, today = ctx.rng, ctx.today
    lost = list(
        Lawsuit.objects.filter(result_type__counts_as_loss=True, instance=Instance.FIRST)
        .select_related("result_type")
        .order_by("concluded_on")
    )
    topics = [
        ("关于规范工伤认定调查程序的司法建议", "市人社局"),
        ("关于加强房屋征收补偿决定合法性审查的司法建议", "市住建局"),
        ("关于规范违法建筑强制拆除程序的司法建议", "市城管执法委"),
        ("关于落实行政机关负责人出庭应诉制度的司法建议", "市自然资源和规划局"),
        ("关于规范政府信息公开答复工作的司法建议", "市政府"),
        ("关于加强行政处罚案件证据收集的司法建议", "市公安局"),
        ("关于规范市场监管行政处罚自由裁量的司法建议", "市市场监管局"),
        ("关于依法履行社会保险监管职责的司法建议", "市人社局"),
        ("关于规范集体土地征收补偿安置工作的司法建议", "竹根滩镇"),
        ("关于及时履行生效行政裁判的司法建议", "市人社局"),
    ]
    for index, (subject, short) in enumerate(topics):
        year = 2022 + index // 2
        if year > today.year:
            break
        issued = _day(rng, year, today - timedelta(days=20))
        if index == len(topics) - 1:
            issued = today - timedelta(days=75)  # replied to nobody yet: overdue
        elif index == len(topics) - 2:
            issued = today - timedelta(days=30)  # the reply period still runs
        agency = ctx.agencies[short]
        related = [x for x in lost if any(d.agency_id == agency.pk for d in x.defendants.all())][:1]
        suggestion = suggestions.suggestion_create(
            actor=ctx.gov,
            data={
                "number": f"潜法建〔{issued.year}〕{index + 1}号",
                "court": ctx.basic,
                "kind": SuggestionKind.CASE if related else SuggestionKind.GOVERNANCE,
                "subject": subject,
                "content": "本院在审理行政案件中发现，贵单位在执法程序、证据收集和法律适用方面存在不规范的问题。"
                "为促进依法行政，建议：一、加强执法人员培训；二、完善法制审核机制；三、建立败诉案件分析通报制度。",
                "issued_on": issued,
                "reply_months": 2,
                "hearing": None,
            },
            addressees=[suggestions.Addressee(agency, issued + timedelta(days=3))],
            lawsuits=related,
        )
        recipient = suggestion.recipients.get()
        if index >= len(topics) - 2:
            continue
        replied = recipient.reply_due - timedelta(days=rng.randint(3, 25))
        if index == 3:
            replied = recipient.reply_due + timedelta(days=12)  # replied late
        suggestions.record_reply(
            recipient=recipient,
            actor=ctx.gov,
            replied_on=min(replied, today),
            reply="我单位高度重视贵院司法建议，经研究，现将有关情况答复如下。",
            adoption=rng.choice(
                [Recipient.Adoption.ADOPTED, Recipient.Adoption.ADOPTED, Recipient.Adoption.PARTLY]
            ),
            measures="已召开专题会议，修订执法程序规定，组织全体执法人员培训。",
            expected_version=None,
        )
        checked_on = min(replied + timedelta(days=40), today)
        if checked_on < today:
            suggestions.record_check(
                recipient=recipient,
                actor=ctx.gov,
                checked_on=checked_on,
                implementation=Recipient.Implementation.PARTLY
                if index == 2
                else Recipient.Implementation.IMPLEMENTED,
                check_note="经实地核查，整改措施已制定，执法案卷评查发现问题已整改。",
            )


def _supervision(ctx: Ctx) -> None:
    """Supervision items from what the register found, in several states."""
    from liaison.selectors import suggested_supervision

    rng, today = ctx.rng, ctx.today
    found = suggested_supervision(today)
    by_reason: dict[str, list] = {}
    for item in found:
        by_reason.setdefault(item.reason, []).append(item)
    picks = []
    for reason, count in (
        (SupervisionItem.Reason.HEAD_ABSENT, 4),
        (SupervisionItem.Reason.LOSS, 1),
        (SupervisionItem.Reason.NONPERFORMANCE, 1),
        (SupervisionItem.Reason.SUGGESTION, 1),
    ):
        picks += by_reason.get(reason, [])[:count]
    # Keep the newest shortfalls unsupervised, so the suggestions list has work in it.
    for index, item in enumerate(sorted(picks, key=lambda i: i.since)):
        opened = min(
            max(item.since + timedelta(days=10), date(2025, 1, 6)), today - timedelta(days=2)
        )
        record = supervision.supervision_open(
            actor=ctx.gov,
            agency=Agency.objects.get(pk=item.agency_id),
            reason=item.reason,
            facts=item.facts,
            required_action="请于期限内书面说明情况，提出整改措施并反馈整改结果。",
            opened_on=opened,
            period_amount=15,
            period_unit=Unit.WORKING_DAYS.value,
            lawsuit=Lawsuit.objects.filter(pk=item.lawsuit_id).first(),
            appearance=_get("Appearance", item.appearance_id),
            performance=_get("Performance", item.performance_id),
            recipient=_get("Recipient", item.recipient_id),
        )
        stage = index % 4
        recent = record.opened_on >= today - timedelta(days=90)
        if record.due_on >= today or (recent and stage == 3):
            continue  # still open
        if not recent:
            stage = 0  # settled long ago
        responded = min(record.due_on - timedelta(days=rng.randint(1, 5)), today)
        supervision.supervision_respond(
            item=record,
            actor=ctx.gov,
            responded_on=max(responded, opened),
            response="已责成相关科室整改，修订了负责人出庭应诉工作规程，明确由主要负责人带头出庭。",
            expected_version=None,
        )
        if stage == 0:
            supervision.supervision_close(
                item=record,
                actor=ctx.gov,
                closed_on=min(responded + timedelta(days=5), today),
                result=SupervisionItem.Result.RECTIFIED,
                result_note="整改措施具体，已落实。",
            )
        elif stage == 1:
            supervision.supervision_escalate(
                item=record,
                actor=ctx.gov,
                note="反馈流于形式，报市政府督查室提级督办。",
                period_amount=10,
                period_unit=Unit.WORKING_DAYS.value,
                on=min(responded + timedelta(days=3), today),
            )


def _contact_work(ctx: Ctx) -> None:
    """Current work of the demo agency contact's agency: a defence due, a hearing whose
    appearance is unrecorded, a loss to analyse with a judgment to perform, and an open
    supervision item on a head who did not appear."""
    today, gov = ctx.today, ctx.gov
    agency = ctx.agencies["市人社局"]
    category = ctx.categories["WORK_INJURY_SOCIAL"]

    def lawsuit(days_ago: int, act: str, plaintiff: str) -> Lawsuit:
        filed = today - timedelta(days=days_ago)
        return lawsuits.lawsuit_create(
            actor=gov,
            data={
                "court_case_no": _number(ctx, filed.year, "行初", ctx.basic),
                "instance": Instance.FIRST,
                "court": ctx.basic,
                "category": category,
                "act_in_dispute": f"市人社局作出的{act}",
                "act_document_no": "",
                "filed_on": filed,
            },
            defendants=[lawsuits.PartyRow(agency, Part.DEFENDANT)],
            plaintiffs=[
                {
                    "name": plaintiff,
                    "kind": PlaintiffKind.NATURAL_PERSON,
                    "id_number": _id_number(ctx.rng),
                    "uscc": "",
                }
            ],
        )

    def received(case: Lawsuit, days_ago: int, submitted: bool = True) -> None:
        on = today - timedelta(days=days_ago)
        lawsuits.record_defence(
            defendant=case.defendants.get(),
            actor=gov,
            complaint_received_on=on,
            defence_submitted_on=on + timedelta(days=8) if submitted else None,
        )

    fresh = lawsuit(12, "不予认定工伤决定", "袁立新")
    received(fresh, 6, submitted=False)
    heard = lawsuit(55, "停发养老保险待遇决定", "彭桂兰")
    received(heard, 50)
    hearings.hearing_create(
        lawsuit=heard, actor=gov, data={"held_on": today - timedelta(days=3), "open_court": True}
    )
    lost = lawsuit(130, "工伤认定决定", "曾德胜")
    received(lost, 125)
    hearing, _ = hearings.hearing_create(
        lawsuit=lost, actor=gov, data={"held_on": today - timedelta(days=70), "open_court": True}
    )
    hearings.record_appearance(
        appearance=hearing.appearances.get(),
        actor=gov,
        data={
            "head_appeared": True,
            "head_name": "陈志明",
            "head_title": "副局长",
            "head_rank": HeadRank.DEPUTY,
            "head_spoke": True,
            "staff": "工伤保险科 刘洋",
        },
        expected_version=None,
    )
    lost = lawsuits.record_outcome(
        lawsuit=lost,
        actor=gov,
        result_type=ctx.results["revoked"],
        concluded_on=today - timedelta(days=30),
        served_on=today - timedelta(days=27),
        outcome_note=_outcome_note("revoked"),
        expected_version=None,
    )
    lost = lawsuits.record_effective(
        lawsuit=lost, actor=gov, effective_on=today - timedelta(days=11)
    )
    judgments.performance_create(
        lawsuit=lost,
        agency=agency,
        actor=gov,
        duty="判决生效之日起六十日内重新作出工伤认定决定",
        days=60,
    )
    absent = lawsuit(90, "不予受理工伤认定申请决定", "罗春花")
    received(absent, 85)
    hearing, _ = hearings.hearing_create(
        lawsuit=absent, actor=gov, data={"held_on": today - timedelta(days=40), "open_court": True}
    )
    appearance = hearing.appearances.get()
    hearings.record_appearance(
        appearance=appearance,
        actor=gov,
        data={
            "head_appeared": False,
            "absence_reason": AbsenceReason.NONE,
            "staff": "法制科 张伟、湖北某律师事务所律师",
        },
        expected_version=None,
    )
    supervision.supervision_open(
        actor=gov,
        agency=agency,
        reason=SupervisionItem.Reason.HEAD_ABSENT,
        facts=f"{cn_date(hearing.held_on)}{absent.court_case_no}开庭审理，市人社局负责人无正当理由未出庭应诉，"
        "仅委托工作人员和律师出庭。",
        required_action="请书面说明负责人未出庭应诉的原因，提出落实负责人出庭应诉制度的措施，并于期限内反馈。",
        opened_on=today - timedelta(days=8),
        period_amount=15,
        period_unit=Unit.WORKING_DAYS.value,
        lawsuit=absent,
        appearance=appearance,
    )


MEETING_ATTENDEES = (
    "市人民政府：分管副市长\n"
    "市人民法院：院长、分管副院长、行政审判庭庭长\n"
    "市司法局：局长、行政复议与应诉科科长\n"
    "市人力资源和社会保障局、市自然资源和规划局、市住房和城乡建设局、市城市管理执法委员会、"
    "市公安局、市市场监督管理局：分管负责人"
)


def _meetings(ctx: Ctx) -> None:
    """A joint meeting each year, its tasks (the last year's still running), and the
    annual reports of 2023 and of last year issued."""
    from liaison.services import meetings

    today, gov = ctx.today, ctx.gov
    for year in range(2023, today.year + 1):
        held = min(date(year, 3, 28), today - timedelta(days=5))
        meeting = meetings.meeting_save(
            actor=gov,
            data={
                "title": f"{year}年度潜江市府院联席会议",
                "held_on": held,
                "place": "市人民政府第一会议室",
                "convenors": "市人民政府分管副市长、市人民法院院长",
                "attendees": MEETING_ATTENDEES,
                "agenda": f"通报{year - 1}年度全市行政诉讼和行政争议化解工作情况\n"
                "研究行政机关负责人出庭应诉和败诉案件整改工作\n"
                "部署本年度府院联动重点工作",
                "matters": "部分单位负责人出庭应诉仍由下属机构负责人代替\n"
                "工伤认定和房屋征收领域败诉案件相对集中\n"
                "个别司法建议答复不及时",
                "decisions": "各单位主要负责人每年至少出庭应诉一次\n"
                "败诉案件一律填报原因分析，一个月内提出整改措施\n"
                "司法建议在两个月内书面答复并抄送市司法局",
                "minutes_number": f"潜府院纪〔{year}〕1号",
            },
        )
        tasks = [
            ("规范工伤认定调查程序，修订工作规程", ctx.agencies["市人社局"], "", 90),
            ("开展房屋征收补偿决定合法性审查专项检查", ctx.agencies["市住建局"], "", 120),
            ("建立行政审判白皮书发布机制", None, "市人民法院", 180),
        ]
        for description, agency, unit, days in tasks:
            task = meetings.task_add(
                actor=gov,
                meeting=meeting,
                description=description,
                agency=agency,
                unit=unit,
                amount=days,
                unit_of_time=Unit.DAYS.value,
            )
            if task.due_on < today - timedelta(days=10):
                meetings.task_complete(
                    actor=gov,
                    task=task,
                    done_on=task.due_on - timedelta(days=ctx.rng.randint(3, 20)),
                    done_note="已按会议要求完成，相关制度文件已报市司法局备案。",
                )
    for year in sorted({2023, today.year - 1}):
        meetings.report_issue(actor=gov, year=year)


def _get(model: str, pk: int | None):
    if pk is None:
        return None
    from django.apps import apps

    return apps.get_model("liaison", model).objects.get(pk=pk)


def _reconsideration(ctx: Ctx) -> None:
    rng, today = ctx.rng, ctx.today
    for year in range(2022, today.year + 1):
        for quarter in (1, 2, 3, 4):
            if (year, quarter) > (today.year, (today.month - 1) // 3 + 1):
                break
            received = rng.randint(28, 55)
            accepted = received - rng.randint(2, 6)
            outcomes = {
                "upheld": rng.randint(10, 20),
                "revoked": rng.randint(1, 4),
                "changed": rng.randint(0, 1),
                "confirmed_illegal": rng.randint(0, 2),
                "ordered_performance": rng.randint(0, 2),
                "dismissed": rng.randint(2, 6),
                "mediated": rng.randint(1, 4),
                "settled_withdrawn": rng.randint(3, 8),
                "other": rng.randint(0, 1),
            }
            save_volume(
                actor=ctx.gov,
                year=year,
                quarter=quarter,
                values={
                    "received": received,
                    "accepted": accepted,
                    "concluded": sum(outcomes.values()),
                    **outcomes,
                    "note": "",
                },
                expected_version=None,
            )


def seed_registers(*, seed: int = 2023, today: date) -> int:
    """Fill the registers once; returns how many lawsuits were made (0 if there are some)."""
    if Lawsuit.objects.exists():
        return 0
    gov = User.objects.filter(role=Role.GOV_LIAISON, is_active=True).order_by("pk").first()
    if gov is None:
        return 0
    agencies = {a.short_name: a for a in Agency.objects.all()}
    ctx = Ctx(
        rng=random.Random(seed),
        today=today,
        gov=gov,
        agencies=agencies,
        categories={c.code: c for c in DisputeCategory.objects.all()},
        results={r.code: r for r in ResultType.objects.all()},
        causes=list(LossCause.objects.order_by("sort_order")),
        basic=Court.objects.get(code="鄂9005"),
        appeal_court=Court.objects.get(code="鄂96"),
        numbers={},
    )
    # The office's terminated or transferred referrals went to court: link a few.
    after_mediation = list(
        Case.objects.filter(status__in=(Status.TRANSFERRED_TO_FILING, Status.TERMINATED))
        .exclude(case_no__isnull=True)
        .order_by("pk")[:3]
    )
    made = 0
    with transaction.atomic():
        for year, filed, endings in PLAN:
            if year > today.year:
                continue
            plan: list[tuple[int, bool] | None] = []
            for end_year, (count, lost) in endings.items():
                if end_year > today.year:
                    count, lost = 0, 0
                plan += [(end_year, True)] * lost + [(end_year, False)] * (count - lost)
            plan += [None] * (filed - len(plan))
            ctx.rng.shuffle(plan)
            # The court numbers its cases in the order they were filed.
            dated = sorted(
                (
                    (_filed(ctx, year, concluded), index, concluded)
                    for index, concluded in enumerate(plan)
                ),
                key=lambda item: (item[0], item[1]),
            )
            for filed_on, _index, concluded in dated:
                link = after_mediation.pop() if year == today.year and after_mediation else None
                _lawsuit(ctx, year, filed_on, concluded, link)
                made += 1
        judgments.mark_overdue(today)
        _suggestions(ctx)
        _supervision(ctx)
        _contact_work(ctx)
        made += 4
        # Before the meetings, whose annual reports count the reconsideration figures.
        _reconsideration(ctx)
        _meetings(ctx)
    return made
