"""Hearings (the court's) and who appeared for each sued agency (the agency's)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.deadline_engine import cn_date
from liaison.deadlines import HEAD_NOTICE_DAYS
from liaison.models import (
    SUED_PARTS,
    AbsenceReason,
    Appearance,
    Hearing,
    Lawsuit,
    LiaisonEvent,
)
from liaison.permissions import agency_facts_refusal, court_facts_refusal
from liaison.services.common import (
    ServiceError,
    changes_of,
    check_version,
    ensure,
    lock,
    record_event,
)

# A hearing is scheduled weeks ahead, not years: a date further off is a typing error.
LATEST_HEARING = timedelta(days=366)


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "held_on": data["held_on"],
        "open_court": bool(data.get("open_court", True)),
        "head_notified": bool(data.get("head_notified")),
        "head_notice_on": data.get("head_notice_on"),
        "note": (data.get("note") or "").strip(),
    }


def _check_hearing(
    lawsuit: Lawsuit, data: dict[str, Any], hearing: Hearing | None = None
) -> list[str]:
    """Refuse impossible dates and a second hearing of the lawsuit on one day (the form sent
    twice; each hearing counts in the heads' appearance rate); return warnings about unusual
    but possible ones. The caller holds the lawsuit's lock, so two posts of one hearing
    are checked one after the other."""
    held_on: date = data["held_on"]
    if held_on < lawsuit.filed_on:
        raise ServiceError("开庭日期不能早于立案日期。", "held_on")
    if held_on > timezone.localdate() + LATEST_HEARING:
        raise ServiceError("开庭日期在一年以后，请核对年份。", "held_on")
    # An edit that keeps its day is checked no further: two hearings recorded on one day
    # before this check stay editable.
    moved = hearing is None or hearing.held_on != held_on
    if moved and lawsuit.hearings.filter(held_on=held_on).exists():
        raise ServiceError(
            f"本案已登记{cn_date(held_on)}的开庭，不再重复登记；需要更正的，请打开该次开庭修改。"
            if hearing is None
            else f"本案{cn_date(held_on)}已有一次开庭，不能把本次开庭改到同一天。",
            "held_on",
        )
    notice: date | None = data.get("head_notice_on")
    warnings = []
    if data.get("head_notified"):
        if notice is None:
            raise ServiceError("法院通知负责人出庭的，请填写通知日期。", "head_notice_on")
        if notice > held_on:
            raise ServiceError("通知日期不能晚于开庭日期。", "head_notice_on")
        if (held_on - notice).days < HEAD_NOTICE_DAYS:
            warnings.append(
                "通知负责人出庭的日期距开庭不足三日（法释〔2020〕3号第五条要求在开庭三日前通知）。"
            )
    elif notice is not None:
        raise ServiceError("未通知负责人出庭的，不填写通知日期。", "head_notice_on")
    return warnings


@transaction.atomic
def hearing_create(
    *, lawsuit: Lawsuit, actor: User, data: dict[str, Any]
) -> tuple[Hearing, list[str]]:
    """Record a hearing; each sued agency gets a row for its appearance, to be filled in."""
    lawsuit = lock(lawsuit)
    ensure(court_facts_refusal(actor, lawsuit))
    warnings = _check_hearing(lawsuit, data)
    hearing = Hearing.objects.create(lawsuit=lawsuit, created_by=actor, **_values(data))
    for defendant in lawsuit.defendants.filter(part__in=SUED_PARTS):
        Appearance.objects.create(hearing=hearing, agency_id=defendant.agency_id)
    record_event(
        kind=LiaisonEvent.Kind.HEARING_RECORDED,
        actor=actor,
        lawsuit=lawsuit,
        note=f"{hearing.held_on:%Y-%m-%d}{'开庭审理' if hearing.open_court else '（非开庭）'}",
    )
    return hearing, warnings


@transaction.atomic
def hearing_update(
    *, hearing: Hearing, actor: User, data: dict[str, Any]
) -> tuple[Hearing, list[str]]:
    lawsuit = lock(hearing.lawsuit)
    hearing = Hearing.objects.get(pk=hearing.pk)
    ensure(court_facts_refusal(actor, lawsuit))
    warnings = _check_hearing(lawsuit, data, hearing)
    moved_ahead = hearing.held_on != data["held_on"] and data["held_on"] > timezone.localdate()
    if moved_ahead and hearing.appearances.filter(head_appeared__isnull=False).exists():
        raise ServiceError("已登记出庭情况的开庭，不能改到今天以后。", "held_on")
    changes = changes_of(hearing, _values(data))
    if changes:
        hearing.save()
        record_event(
            kind=LiaisonEvent.Kind.HEARING_UPDATED,
            actor=actor,
            lawsuit=lawsuit,
            note=f"{hearing.held_on:%Y-%m-%d}开庭",
            changes=changes,
        )
    return hearing, warnings


APPEARANCE_FIELDS = (
    "head_appeared",
    "head_name",
    "head_title",
    "head_rank",
    "head_spoke",
    "staff",
    "absence_reason",
    "absence_note",
    "written_explanation",
)


def _clean_appearance(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in APPEARANCE_FIELDS}
    for name in ("head_name", "head_title", "head_rank", "staff", "absence_reason", "absence_note"):
        values[name] = (values[name] or "").strip()
    values["written_explanation"] = bool(values["written_explanation"])
    if values["head_appeared"] is None:
        raise ServiceError("请选择负责人是否出庭。", "head_appeared")
    if values["head_appeared"]:
        for name, label in (
            ("head_name", "姓名"),
            ("head_title", "职务"),
            ("head_rank", "负责人类别"),
        ):
            if not values[name]:
                raise ServiceError(f"负责人出庭的，请填写出庭负责人的{label}。", name)
        if values["head_spoke"] is None:
            raise ServiceError("请选择出庭负责人是否发言。", "head_spoke")
        values.update(absence_reason="", absence_note="", written_explanation=False)
    else:
        if not values["absence_reason"]:
            raise ServiceError("负责人未出庭的，请选择未出庭原因。", "absence_reason")
        if values["absence_reason"] == AbsenceReason.OTHER_PROPER and not values["absence_note"]:
            raise ServiceError("选择“其他正当事由”的，请说明具体情况。", "absence_note")
        values.update(head_name="", head_title="", head_rank="", head_spoke=None)
    if not values["staff"] and not values["head_appeared"]:
        raise ServiceError("请填写出庭的工作人员（不能只委托律师出庭）。", "staff")
    return values


@transaction.atomic
def record_appearance(
    *, appearance: Appearance, actor: User, data: dict[str, Any], expected_version: int | None
) -> Appearance:
    """Who appeared for the agency at the hearing, or why its head did not."""
    hearing = Hearing.objects.select_related("lawsuit").get(pk=appearance.hearing_id)
    lawsuit = lock(hearing.lawsuit)
    appearance = lock(appearance)
    ensure(agency_facts_refusal(actor, lawsuit, appearance.agency_id))
    check_version(appearance, expected_version)
    if hearing.held_on > timezone.localdate():
        raise ServiceError(
            f"开庭日期为{hearing.held_on:%Y-%m-%d}，开庭后才能登记出庭情况。", "head_appeared"
        )
    values = _clean_appearance(data)
    changes = changes_of(appearance, values)
    if not changes and appearance.recorded_at is not None:
        return appearance
    appearance.recorded_by = actor
    appearance.recorded_at = timezone.now()
    appearance.version += 1
    appearance.save()
    record_event(
        kind=LiaisonEvent.Kind.APPEARANCE_RECORDED,
        actor=actor,
        lawsuit=lawsuit,
        note=f"{hearing.held_on:%Y-%m-%d}开庭 · {appearance.agency.name}",
        changes=changes,
    )
    return appearance
