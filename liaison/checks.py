"""System checks: the statistics settings hold values the indicators understand."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

ROUNDING_MODES = ("truncate", "half_up")


@checks.register()
def statistics_settings(app_configs, **kwargs):
    problems = []
    if settings.LIAISON_RATE_ROUNDING not in ROUNDING_MODES:
        problems.append(
            checks.Error(
                f"DJANGO_LIAISON_RATE_ROUNDING 的值“{settings.LIAISON_RATE_ROUNDING}”无效，"
                "统计比率无法按约定取舍。",
                hint="填写 truncate（截尾，默认）或 half_up（四舍五入）。",
                id="liaison.E001",
            )
        )
    if settings.LIAISON_MIN_SAMPLE < 1:
        problems.append(
            checks.Error(
                f"DJANGO_LIAISON_MIN_SAMPLE 的值 {settings.LIAISON_MIN_SAMPLE} 无效。",
                hint="填写不小于 1 的整数，默认 5。",
                id="liaison.E002",
            )
        )
    return problems
