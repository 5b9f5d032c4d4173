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
    # Reference tools sit in one menu; the daily work areas each get a menu entry.
    tool: bool = False


def work_areas(user: User) -> list[WorkArea]:
    """Work areas in menu order, each shown only to users holding its permission."""
    areas: list[WorkArea] = []
    if user.has_perm("cases.view_case") and user.office_id:
        areas.append(
            WorkArea(
                "cases",
                "案件登记簿",
                reverse("cases:list"),
                "按状态、来源、类别、机关、期限筛选，按案号、当事人、身份证号码、文号查找案件。",
            )
        )
    if user.has_perm("cases.view_dashboard") and user.office_id:
        areas.append(
            WorkArea(
                "deadlines",
                "期限提醒",
                reverse("deadlines"),
                "已超期和7日内到期的调解期限、委派答复期限等，按紧迫程度排列。",
            )
        )
        areas.append(
            WorkArea(
                "agenda",
                "调解日程",
                reverse("cases:agenda"),
                "按周、按调解员查看工作室的调解会安排。",
            )
        )
    if user.has_perm("agreements.view_obligation") and user.office_id:
        areas.append(
            WorkArea(
                "performance",
                "协议履行",
                reverse("agreements:performance"),
                "调解协议中逾期未履行和7日内到期的义务，记录履行情况。",
            )
        )
    if user.has_perm("cases.register_case") and user.office_id:
        areas.append(
            WorkArea(
                "register",
                "登记新案件",
                reverse("cases:register"),
                "登记当面、来信申请的行政争议，分配登记号，提示可调解范围和已在运行的法定期限。",
            )
        )
    if user.has_perm("cases.record_referral") and user.office_id:
        areas.append(
            WorkArea(
                "referral_record",
                "录入委派函",
                reverse("cases:referral_record"),
                "录入法院送达的纸质委派调解函，经法院联络员确认后签收。",
            )
        )
    if user.has_perm("cases.create_referral") and user.court_id:
        areas.append(
            WorkArea(
                "referrals",
                "委派案件",
                reverse("cases:referrals"),
                "本院委派的案件及其状态，确认工作室录入的纸质委派函。",
            )
        )
        areas.append(
            WorkArea(
                "confirmations",
                "司法确认申请",
                reverse("agreements:confirmations"),
                "工作室报送本院的司法确认申请，记录确认裁定、诉前调解书或驳回等结果。",
            )
        )
        areas.append(
            WorkArea(
                "court_reports",
                "终止调解报告",
                reverse("cases:court_reports"),
                "工作室报送的终止、撤回调解情况报告和移送材料，登记转立案案号。",
            )
        )
        areas.append(
            WorkArea(
                "referral_new",
                "新建委派",
                reverse("cases:referral_new"),
                "经当事人同意，将诉前行政争议委派工作室调解。",
            )
        )
    if user.has_perm("cases.view_calendarday"):
        areas.append(
            WorkArea(
                "deadline_calculator",
                "期限计算",
                reverse("cases:deadline_calculator"),
                "按法定计算规则推算期限届满日，自动扣除节假日并说明依据。",
                tool=True,
            )
        )
    if user.has_perm("cases.view_agency"):
        areas.append(
            WorkArea(
                "agencies",
                "行政机关名录",
                reverse("cases:agency_list"),
                "全市行政机关及其统一社会信用代码、主要负责人。",
                tool=True,
            )
        )
    if user.has_perm("cases.view_calendarday"):
        areas.append(
            WorkArea(
                "calendar",
                "节假日安排",
                reverse("cases:calendar"),
                "国务院公布的放假和调休上班日期，期限计算以此为准。",
                tool=True,
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
