"""The work areas each user can open: one list feeds the top menu and the home page."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from accounts.models import User


@dataclass(frozen=True)
class WorkArea:
    key: str
    label: str
    url: str
    description: str


def work_areas(user: User) -> list[WorkArea]:
    """Work areas in menu order, each shown only to users holding its permission."""
    areas: list[WorkArea] = []
    if user.has_perm("cases.view_calendarday"):
        areas.append(
            WorkArea(
                "deadline_calculator",
                "期限计算",
                reverse("cases:deadline_calculator"),
                "按法定计算规则推算期限届满日，自动扣除节假日并说明依据。",
            )
        )
    if user.has_perm("cases.view_agency"):
        areas.append(
            WorkArea(
                "agencies",
                "行政机关名录",
                reverse("cases:agency_list"),
                "全市行政机关及其统一社会信用代码、主要负责人。",
            )
        )
    if user.has_perm("cases.view_calendarday"):
        areas.append(
            WorkArea(
                "calendar",
                "节假日安排",
                reverse("cases:calendar"),
                "国务院公布的放假和调休上班日期，期限计算以此为准。",
            )
        )
    if user.is_staff:
        areas.append(
            WorkArea(
                "admin",
                "系统管理",
                "/" + settings.ADMIN_URL,
                "用户、工作室、法院、行政机关、争议类别和节假日的维护。",
            )
        )
    return areas
