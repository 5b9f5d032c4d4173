"""The litigation register's writes: a lawsuit, its parties, the agencies' defence and the
court's outcome. Each runs in one transaction, locks the lawsuit, checks the actor
against liaison.permissions and writes one history event."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from accounts.models import User
from cases.deadline_engine import WorkCalendar, cn_date
from cases.deadlines import load_work_calendar
from cases.identifiers import number_key
from cases.models import Agency, Case
from cases.services.common import NUMBER_CONFIRM, check_court_number_shape
from cases.validators import normalise_court_case_number
from liaison.deadlines import DEFENCE, appeal_rule
from liaison.models import (
    SUED_PARTS,
    Appearance,
    Defendant,
    Instance,
    Lawsuit,
    LiaisonEvent,
    Part,
    Plaintiff,
    ResultType,
)
from liaison.permissions import agency_facts_refusal, court_facts_refusal
from liaison.services.common import (
    ServiceError,
    changes_of,
    check_version,
    ensure,
    lock,
    past_date,
    record_event,
    save_unique,
)
from liaison.workflow import LAWSUIT_STEPS, apply_step

# The fields of the lawsuit itself that the court's form edits.
LAWSUIT_FIELDS = (
    "court_case_no",
    "instance",
    "lower_instance",
    "court",
    "category",
    "act_in_dispute",
    "act_document_no",
    "filed_on",
)


@dataclass(frozen=True)
class PartyRow:
    agency: Agency
    part: str


def court_number(value: str, *, confirmed: bool, field: str = "court_case_no") -> tuple[str, bool]:
    """The normalised number and whether its unusual shape was confirmed; raises if not."""
    number = normalise_court_case_number(value)
    if not number:
        raise ServiceError("请填写案号。", field)
    return number, check_court_number_shape(number, confirmed=confirmed, field=field)


# The year a court case number begins with (a normalised number has full-width brackets).
NUMBER_YEAR = re.compile(r"^（(\d{4})）")


def year_differs(number: str, filed_on: date | None) -> int | None:
    """The number's year when it is not the filing date's, else None. A court numbers a
    case by the year it files it (收案年度), so a difference is most often a typing slip in
    one of the two."""
    match = NUMBER_YEAR.match(number)
    if match is None or filed_on is None or int(match.group(1)) == filed_on.year:
        return None
    return int(match.group(1))


def _year_confirmed(number: str, filed_on: date | None, *, confirmed: bool) -> bool:
    """Whether the number's year differs from the filing date's and that was confirmed;
    raises if it differs unconfirmed."""
    year = year_differs(number, filed_on)
    if year is None or filed_on is None:
        return False
    if not confirmed:
        raise ServiceError(
            f"案号的年度为{year}年，立案日期为{cn_date(filed_on)}；"
            "案号年度为人民法院收案年度，通常与立案日期的年份一致。" + NUMBER_CONFIRM,
            "court_case_no",
        )
    return True


def _ensure_unique(key: str, number: str, exclude: int | None = None) -> None:
    others = Lawsuit.objects.filter(number_key=key)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    existing = others.first()
    if existing is not None:
        raise ServiceError(
            f"案号为{existing.court_case_no}的案件已经登记，不能重复登记。", "court_case_no"
        )


def _check_instance(data: dict[str, Any], lawsuit: Lawsuit | None = None) -> None:
    lower: Lawsuit | None = data.get("lower_instance")
    instance = data["instance"]
    if instance == Instance.FIRST and lower is not None:
        raise ServiceError("一审案件没有原审案件。", "lower_instance")
    if lower is None:
        return
    if lawsuit is not None and lower.pk == lawsuit.pk:
        raise ServiceError("原审案件不能是本案自己。", "lower_instance")
    if instance == Instance.SECOND and lower.instance != Instance.FIRST:
        raise ServiceError("二审案件的原审案件应为一审案件。", "lower_instance")
    if lower.filed_on and data["filed_on"] and data["filed_on"] < lower.filed_on:
        raise ServiceError("立案日期不能早于原审案件的立案日期。", "filed_on")


def _check_parties(defendants: list[PartyRow], plaintiffs: list[dict[str, Any]]) -> None:
    if not any(row.part == Part.DEFENDANT for row in defendants):
        raise ServiceError("请至少填写一个被告机关。", "defendants")
    agencies = [row.agency.pk for row in defendants]
    if len(agencies) != len(set(agencies)):
        raise ServiceError("同一机关只能以一种诉讼地位列入。", "defendants")
    if not plaintiffs:
        raise ServiceError("请至少填写一个原告。", "plaintiffs")


def mediation_case_by_number(value: str) -> Case | None:
    """The office's case with this number (any spelling of its brackets), or None if blank."""
    value = (value or "").strip()
    if not value:
        return None
    half = number_key(value)
    spellings = {
        value,
        half,
        half.replace("(", "（").replace(")", "）"),
        half.replace("(", "〔").replace(")", "〕"),
    }
    case = Case.objects.filter(case_no__in=spellings).order_by("pk").first()
    if case is not None:
        return case
    raise ServiceError(f"没有找到案号为“{value}”的调解案件，请核对工作室的案号。", "mediation_case")


@transaction.atomic
def lawsuit_create(
    *,
    actor: User,
    data: dict[str, Any],
    defendants: list[PartyRow],
    plaintiffs: list[dict[str, Any]],
    number_confirmed: bool = False,
    note: str = "",
) -> Lawsuit:
    """Register a lawsuit the court filed, with its agencies and plaintiffs."""
    ensure(court_facts_refusal(actor, None, data["court"].pk))
    number, confirmed = court_number(data["court_case_no"], confirmed=number_confirmed)
    key = number_key(number)
    _ensure_unique(key, number)
    past_date(data["filed_on"], "立案日期", "filed_on")
    confirmed |= _year_confirmed(number, data["filed_on"], confirmed=number_confirmed)
    _check_instance(data)
    _check_parties(defendants, plaintiffs)
    lawsuit = Lawsuit(
        **{name: data[name] for name in LAWSUIT_FIELDS if name in data},
        mediation_case=data.get("mediation_case"),
        created_by=actor,
    )
    lawsuit.court_case_no = number
    lawsuit.number_key = key
    lawsuit.number_confirmed = confirmed
    save_unique(lawsuit, lambda: _ensure_unique(key, number))
    Defendant.objects.bulk_create(
        [Defendant(lawsuit=lawsuit, agency=row.agency, part=row.part) for row in defendants]
    )
    Plaintiff.objects.bulk_create(
        [
            Plaintiff(lawsuit=lawsuit, order=index, **_plaintiff(row))
            for index, row in enumerate(plaintiffs, start=1)
        ]
    )
    kind = LiaisonEvent.Kind.LAWSUIT_IMPORTED if note else LiaisonEvent.Kind.LAWSUIT_CREATED
    record_event(kind=kind, actor=actor, lawsuit=lawsuit, note=note)
    return lawsuit


@transaction.atomic
def lawsuit_update(
    *,
    lawsuit: Lawsuit,
    actor: User,
    data: dict[str, Any],
    defendants: list[PartyRow],
    plaintiffs: list[dict[str, Any]],
    expected_version: int | None,
    number_confirmed: bool = False,
) -> Lawsuit:
    """Correct the court's facts of a lawsuit and its parties."""
    lawsuit = lock(lawsuit)
    ensure(court_facts_refusal(actor, lawsuit))
    ensure(court_facts_refusal(actor, None, data["court"].pk))
    check_version(lawsuit, expected_version)
    number, confirmed = court_number(data["court_case_no"], confirmed=number_confirmed)
    key = number_key(number)
    _ensure_unique(key, number, exclude=lawsuit.pk)
    past_date(data["filed_on"], "立案日期", "filed_on")
    confirmed |= _year_confirmed(number, data["filed_on"], confirmed=number_confirmed)
    _check_instance(data, lawsuit)
    _check_parties(defendants, plaintiffs)
    values = {name: data[name] for name in LAWSUIT_FIELDS if name in data}
    values["court_case_no"] = number
    values["mediation_case"] = data.get("mediation_case")
    changes = changes_of(lawsuit, values)
    lawsuit.number_key = key
    lawsuit.number_confirmed = confirmed
    changes.update(_set_defendants(lawsuit, defendants))
    changes.update(_set_plaintiffs(lawsuit, plaintiffs))
    if not changes:
        return lawsuit
    lawsuit.version += 1
    save_unique(lawsuit, lambda: _ensure_unique(key, number, exclude=lawsuit.pk))
    record_event(
        kind=LiaisonEvent.Kind.LAWSUIT_UPDATED, actor=actor, lawsuit=lawsuit, changes=changes
    )
    return lawsuit


def _parties_text(rows: list[tuple[str, str]]) -> str:
    return "；".join(f"{name}（{part}）" for name, part in rows) or "（空）"


def _set_defendants(lawsuit: Lawsuit, rows: list[PartyRow]) -> dict[str, list[str]]:
    """Make the lawsuit's agencies these; an agency with records of its own stays."""
    current = {d.agency_id: d for d in lawsuit.defendants.select_related("agency")}
    before = _parties_text([(d.agency.name, d.get_part_display()) for d in current.values()])
    wanted = {row.agency.pk: row for row in rows}
    for agency_id, defendant in current.items():
        if agency_id in wanted:
            continue
        if (
            Appearance.objects.filter(
                hearing__lawsuit=lawsuit, agency_id=agency_id, head_appeared__isnull=False
            ).exists()
            or lawsuit.performances.filter(agency_id=agency_id).exists()
            or lawsuit.loss_analyses.filter(agency_id=agency_id).exists()
        ):
            raise ServiceError(
                f"{defendant.agency.name}已登记了出庭、履行或败诉分析，不能从本案移除。",
                "defendants",
            )
        Appearance.objects.filter(hearing__lawsuit=lawsuit, agency_id=agency_id).delete()
        defendant.delete()
    for agency_id, row in wanted.items():
        present = current.get(agency_id)
        if present is None:
            Defendant.objects.create(lawsuit=lawsuit, agency=row.agency, part=row.part)
        elif present.part != row.part:
            present.part = row.part
            present.save(update_fields=["part"])
    sued = [row.agency for row in rows if row.part in SUED_PARTS]
    for hearing in lawsuit.hearings.all():
        for agency in sued:
            Appearance.objects.get_or_create(hearing=hearing, agency=agency)
        Appearance.objects.filter(hearing=hearing, head_appeared__isnull=True).exclude(
            agency__in=sued
        ).delete()
    after = _parties_text([(row.agency.name, Part(row.part).label) for row in rows])
    return {} if before == after else {"被诉机关": [before, after]}


def _plaintiff(row: dict[str, Any]) -> dict[str, str]:
    return {
        "name": row["name"],
        "kind": row["kind"],
        "id_number": row.get("id_number", ""),
        "uscc": row.get("uscc", ""),
    }


def _plaintiffs_text(rows: list[dict[str, Any]]) -> str:
    return "、".join(row["name"] for row in rows) or "（空）"


def _set_plaintiffs(lawsuit: Lawsuit, rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    current = list(lawsuit.plaintiffs.all())
    old = [
        {"name": p.name, "kind": p.kind, "id_number": p.id_number, "uscc": p.uscc} for p in current
    ]
    new = [_plaintiff(row) for row in rows]
    if old == new:
        return {}
    lawsuit.plaintiffs.all().delete()
    Plaintiff.objects.bulk_create(
        [Plaintiff(lawsuit=lawsuit, order=index, **row) for index, row in enumerate(new, start=1)]
    )
    if not current:
        return {}
    return {"原告": [_plaintiffs_text(old), _plaintiffs_text(new)]}


@transaction.atomic
def record_defence(
    *,
    defendant: Defendant,
    actor: User,
    complaint_received_on: date | None,
    defence_submitted_on: date | None,
) -> Defendant:
    """When the agency received the complaint copy and when it submitted its defence."""
    lawsuit = lock(defendant.lawsuit)
    defendant = Defendant.objects.select_related("agency").get(pk=defendant.pk)
    ensure(agency_facts_refusal(actor, lawsuit, defendant.agency_id))
    past_date(complaint_received_on, "收到起诉状副本日期", "complaint_received_on")
    past_date(defence_submitted_on, "提交答辩状和证据日期", "defence_submitted_on")
    if complaint_received_on and complaint_received_on < lawsuit.filed_on:
        raise ServiceError("收到起诉状副本日期不能早于立案日期。", "complaint_received_on")
    if defence_submitted_on and not complaint_received_on:
        raise ServiceError("请先填写收到起诉状副本的日期。", "complaint_received_on")
    if (
        defence_submitted_on
        and complaint_received_on
        and defence_submitted_on < complaint_received_on
    ):
        raise ServiceError("提交答辩状日期不能早于收到起诉状副本日期。", "defence_submitted_on")
    changes = changes_of(
        defendant,
        {
            "complaint_received_on": complaint_received_on,
            "defence_submitted_on": defence_submitted_on,
        },
    )
    if changes:
        defendant.defence_due = (
            DEFENCE.compute(complaint_received_on, load_work_calendar()).due
            if complaint_received_on
            else None
        )
        defendant.save(
            update_fields=["complaint_received_on", "defence_submitted_on", "defence_due"]
        )
        record_event(
            kind=LiaisonEvent.Kind.DEFENCE_RECORDED,
            actor=actor,
            lawsuit=lawsuit,
            note=defendant.agency.name,
            changes=changes,
        )
    return defendant


def _check_outcome_dates(lawsuit: Lawsuit, concluded_on: date, served_on: date | None) -> None:
    past_date(concluded_on, "审结日期", "concluded_on", earliest=lawsuit.filed_on)
    past_date(served_on, "送达日期", "served_on", earliest=concluded_on)


@transaction.atomic
def record_outcome(
    *,
    lawsuit: Lawsuit,
    actor: User,
    result_type: ResultType,
    concluded_on: date,
    served_on: date | None,
    outcome_note: str,
    expected_version: int | None,
) -> Lawsuit:
    """The court's judgment, ruling or mediation document; again to correct it."""
    lawsuit = lock(lawsuit)
    ensure(court_facts_refusal(actor, lawsuit))
    check_version(lawsuit, expected_version)
    if not result_type.is_active and result_type.pk != lawsuit.result_type_id:
        raise ServiceError("该裁判结果类型已停用，请选择其他类型。", "result_type")
    _check_outcome_dates(lawsuit, concluded_on, served_on)
    changes = changes_of(
        lawsuit,
        {
            "result_type": result_type,
            "concluded_on": concluded_on,
            "served_on": served_on,
            "outcome_note": outcome_note,
        },
    )
    fields = ["result_type", "concluded_on", "served_on", "outcome_note", "version", "updated_at"]
    lawsuit.version += 1
    if lawsuit.status == Lawsuit.Status.PENDING:
        apply_step(LAWSUIT_STEPS, lawsuit, "record_outcome", actor=actor, fields=fields)
        kind = LiaisonEvent.Kind.OUTCOME_RECORDED
    elif not changes:
        return lawsuit
    else:
        lawsuit.save(update_fields=fields)
        kind = LiaisonEvent.Kind.OUTCOME_CORRECTED
    record_event(kind=kind, actor=actor, lawsuit=lawsuit, changes=changes)
    return lawsuit


@transaction.atomic
def withdraw_outcome(*, lawsuit: Lawsuit, actor: User, note: str) -> Lawsuit:
    """The outcome was recorded in error: the lawsuit is pending again."""
    lawsuit = lock(lawsuit)
    ensure(court_facts_refusal(actor, lawsuit))
    if not note.strip():
        raise ServiceError("请说明撤销裁判登记的原因。", "note")
    changes = changes_of(
        lawsuit, {"result_type": None, "concluded_on": None, "served_on": None, "outcome_note": ""}
    )
    lawsuit.version += 1
    apply_step(
        LAWSUIT_STEPS,
        lawsuit,
        "withdraw_outcome",
        actor=actor,
        fields=[
            "result_type",
            "concluded_on",
            "served_on",
            "outcome_note",
            "version",
            "updated_at",
        ],
    )
    record_event(
        kind=LiaisonEvent.Kind.OUTCOME_CORRECTED,
        actor=actor,
        lawsuit=lawsuit,
        note=f"撤销裁判登记：{note.strip()}",
        changes=changes,
    )
    return lawsuit


@transaction.atomic
def record_appeal(*, lawsuit: Lawsuit, actor: User, appealed_on: date, appellant: str) -> Lawsuit:
    lawsuit = lock(lawsuit)
    ensure(court_facts_refusal(actor, lawsuit))
    if lawsuit.is_final_instance:
        raise ServiceError("二审裁判是终审裁判，不能上诉。", "appealed_on")
    if lawsuit.result_type and lawsuit.result_type.appeal_days is None:
        raise ServiceError(f"“{lawsuit.result_type.label}”不能上诉。", "appealed_on")
    past_date(appealed_on, "上诉日期", "appealed_on", earliest=lawsuit.concluded_on)
    if not appellant:
        raise ServiceError("请选择上诉人。", "appellant")
    changes = changes_of(lawsuit, {"appealed_on": appealed_on, "appellant": appellant})
    lawsuit.version += 1
    apply_step(
        LAWSUIT_STEPS,
        lawsuit,
        "appeal",
        actor=actor,
        fields=["appealed_on", "appellant", "version", "updated_at"],
    )
    record_event(kind=LiaisonEvent.Kind.APPEALED, actor=actor, lawsuit=lawsuit, changes=changes)
    return lawsuit


def appeal_last_day(
    result_type: ResultType | None,
    instance: str | None,
    served_on: date | None,
    calendar: WorkCalendar | None = None,
) -> date | None:
    """The last day to appeal a first-instance judgment or ruling (行政诉讼法第八十五条),
    counted from its service on the agency (the other parties' may end later, never
    earlier); None where no appeal lies or it was not served."""
    rule = appeal_rule(result_type, instance)
    if rule is None or served_on is None:
        return None
    return rule.compute(served_on, calendar or load_work_calendar()).due


def appeal_period_end(lawsuit: Lawsuit) -> date | None:
    """The last day to appeal the lawsuit's decision while nobody has appealed it and it is
    not effective; None otherwise."""
    if lawsuit.status != Lawsuit.Status.DECIDED:
        return None
    return appeal_last_day(lawsuit.result_type, lawsuit.instance, lawsuit.served_on)


def _check_appeal_period_over(lawsuit: Lawsuit, effective_on: date) -> None:
    """Nobody appealed: the decision takes effect only after the appeal period."""
    due = appeal_period_end(lawsuit)
    if due is not None and lawsuit.served_on is not None and effective_on <= due:
        raise ServiceError(
            f"本案{cn_date(lawsuit.served_on)}送达，上诉期限至{cn_date(due)}届满；"
            "一审裁判在上诉期满无人上诉后才生效，生效日期应晚于该日。已经上诉的，请登记上诉。",
            "effective_on",
        )


@transaction.atomic
def record_effective(*, lawsuit: Lawsuit, actor: User, effective_on: date) -> Lawsuit:
    lawsuit = lock(lawsuit)
    ensure(court_facts_refusal(actor, lawsuit))
    past_date(effective_on, "生效日期", "effective_on", earliest=lawsuit.concluded_on)
    _check_appeal_period_over(lawsuit, effective_on)
    changes = changes_of(lawsuit, {"effective_on": effective_on})
    lawsuit.version += 1
    apply_step(
        LAWSUIT_STEPS,
        lawsuit,
        "take_effect",
        actor=actor,
        fields=["effective_on", "version", "updated_at"],
    )
    record_event(kind=LiaisonEvent.Kind.TOOK_EFFECT, actor=actor, lawsuit=lawsuit, changes=changes)
    return lawsuit
