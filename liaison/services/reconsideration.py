"""The reconsideration figures of a quarter, entered by the bureau."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from liaison.models import ReconsiderationVolume
from liaison.services.common import NotPermitted, ServiceError, check_version

COUNT_FIELDS = ("received", "accepted", "concluded", *ReconsiderationVolume.OUTCOME_FIELDS)


@transaction.atomic
def save_volume(
    *,
    actor: User,
    year: int,
    quarter: int,
    values: dict[str, Any],
    expected_version: int | None,
) -> tuple[ReconsiderationVolume, list[str]]:
    """Enter or correct a quarter's figures; they must add up. Returns warnings too."""
    if not actor.has_perm("liaison.change_reconsiderationvolume"):
        raise NotPermitted("只有司法局联络员可以填报行政复议收结案数。")
    today = timezone.localdate()
    if not 2000 <= year <= today.year or not 1 <= quarter <= 4:
        raise ServiceError("年度或季度不正确。")
    if (year, quarter) > (today.year, (today.month - 1) // 3 + 1):
        raise ServiceError(f"{year}年第{quarter}季度尚未开始，不能填报。")
    for name in COUNT_FIELDS:
        value = values.get(name)
        if value is None or value < 0:
            label = getattr(ReconsiderationVolume._meta.get_field(name), "verbose_name", name)
            raise ServiceError(f"{label}应为0或正整数。", name)
    outcomes = sum(values[name] for name in ReconsiderationVolume.OUTCOME_FIELDS)
    if outcomes != values["concluded"]:
        raise ServiceError(
            f"审结数为{values['concluded']}件，各类结果之和为{outcomes}件，二者应当相等。",
            "concluded",
        )
    warnings = []
    if values["accepted"] > values["received"]:
        warnings.append(
            "受理数大于本季度收到的申请数（可能含上季度收到、本季度受理的案件），请核对。"
        )
    volume = (
        ReconsiderationVolume.objects.select_for_update().filter(year=year, quarter=quarter).first()
    )
    fields = {name: values[name] for name in COUNT_FIELDS}
    fields["note"] = (values.get("note") or "").strip()
    if volume is None:
        if expected_version not in (None, 0):
            raise ServiceError("这个季度的数字已被删除，请刷新页面后重新填报。")
        volume = ReconsiderationVolume.objects.create(
            year=year, quarter=quarter, updated_by=actor, **fields
        )
        return volume, warnings
    check_version(volume, expected_version)
    for name, value in fields.items():
        setattr(volume, name, value)
    volume.updated_by = actor
    volume.version += 1
    volume.save()
    return volume, warnings
