"""Plausibility rules of the case records, shared by the models (so forms, the admin and
the services all apply them) and by the services that ask for a confirmation.

A value that cannot be true is refused; a value that is unusual but can be true (a
session more than a year ahead) is shown as a warning the user confirms.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone

from cases.deadline_engine import cn_date

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
EARLIEST_RECORD_DATE = date(1950, 1, 1)
# A session further ahead than this needs the user's confirmation; beyond the second
# limit it is refused (mediation lasts weeks; a date years ahead is a typing error).
SESSION_CONFIRM_AFTER = timedelta(days=366)
SESSION_REFUSE_AFTER = timedelta(days=2 * 366)

not_negative = MinValueValidator(Decimal("0"), message="金额不能为负数。")


def validate_birth_date(value: date | None) -> None:
    if value is None:
        return
    if value > timezone.localdate():
        raise ValidationError("出生日期不能晚于今天。", code="future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError("出生日期早于1900年，请核对。", code="too_early")


def past_date_error(value: date | None, label: str) -> str | None:
    """Dates of things that have happened cannot lie ahead, nor absurdly far back."""
    if value is None:
        return None
    if value > timezone.localdate():
        return f"{label}不能晚于今天。"
    if value < EARLIEST_RECORD_DATE:
        return f"{label}早于1950年，请核对。"
    return None


def not_before_error(value: date | None, label: str, earlier: date | None, what: str) -> str | None:
    if value and earlier and value < earlier:
        return f"{label}不能早于{what}。"
    return None


def session_time_problem(
    scheduled_at: datetime, mediation_due: date | None = None, *, extension_pending: bool = False
) -> tuple[str, bool] | None:
    """(message, can be confirmed) for a session time too far ahead, or after the case's
    mediation period (``mediation_due``, none while suspended; ``extension_pending`` when
    a longer one awaits approval), else None."""
    now = timezone.now()
    when = timezone.localtime(scheduled_at)
    if scheduled_at > now + SESSION_REFUSE_AFTER:
        return (
            f"调解会时间 {when:%Y-%m-%d} 在两年以后，不能安排，请核对年份。",
            False,
        )
    if scheduled_at > now + SESSION_CONFIRM_AFTER:
        return (
            f"调解会时间 {when:%Y-%m-%d} 在一年以后，请核对；确需如此安排的，"
            "请勾选“确认时间无误”后再保存。",
            True,
        )
    if mediation_due is not None and when.date() > mediation_due:
        more_time = (
            "延长调解期限的申请尚待审批"
            if extension_pending
            else "需要延长的，请先经各方当事人同意后提出延长调解期限"
        )
        return (
            f"调解会时间（{cn_date(when.date())}）晚于调解期限届满日（{cn_date(mediation_due)}）。"
            f"{more_time}；确需如此安排的，请勾选“确认时间无误”后再保存。",
            True,
        )
    return None
