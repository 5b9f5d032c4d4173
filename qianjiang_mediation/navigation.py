"""The work areas each user can open: one list feeds the top menu and the home page."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.models import User


class Membership(enum.Enum):
    """The organisation a user must belong to for an area to have anything to show."""

    NONE = enum.auto()
    OFFICE = enum.auto()
    COURT = enum.auto()


_URLS: dict[tuple[str, str, str], str] = {}


@dataclass(frozen=True)
class WorkArea:
    key: str
    label: str
    url_name: str
    description: str
    # Reference tools sit in one menu; the daily work areas each get a menu entry.
    tool: bool = False
    # Who sees the area: the permission (if any), the membership, then the rule (if any).
    permission: str = ""
    member_of: Membership = Membership.NONE
    rule: Callable[[User], bool] | None = None

    @property
    def url(self) -> str:
        # Every page's menu shows these links: reversed once per URL configuration and
        # script prefix (the same in every request of a deployment), not on every page.
        key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), self.url_name)
        url = _URLS.get(key)
        if url is None:
            url = _URLS[key] = reverse(self.url_name)
        return url

    def is_open_to(self, user: User) -> bool:
        if self.member_of is Membership.OFFICE and not user.office_id:
            return False
        if self.member_of is Membership.COURT and not user.court_id:
            return False
        if self.permission and not user.has_perm(self.permission):
            return False
        return self.rule is None or self.rule(user)


def _is_staff(user: User) -> bool:
    return user.is_staff


def _sees_statistics(user: User) -> bool:
    from liaison.permissions import sees_government_figures, sees_office_figures

    return sees_government_figures(user) or sees_office_figures(user)


# Menu order. The home page lists the same areas in the same order.
WORK_AREAS: tuple[WorkArea, ...] = (
    WorkArea(
        "cases",
        "案件登记簿",
        "cases:list",
        "按状态、来源、类别、机关、期限筛选，按案号、当事人、身份证号码、文号查找案件。",
        permission="cases.view_case",
        member_of=Membership.OFFICE,
    ),
    WorkArea(
        "deadlines",
        "期限提醒",
        "deadlines",
        "已超期和7日内到期的调解期限、委派答复期限等，按紧迫程度排列。",
        permission="cases.view_dashboard",
        member_of=Membership.OFFICE,
    ),
    WorkArea(
        "agenda",
        "调解日程",
        "cases:agenda",
        "按周、按调解员查看工作室的调解会安排。",
        permission="cases.view_dashboard",
        member_of=Membership.OFFICE,
    ),
    WorkArea(
        "performance",
        "协议履行",
        "agreements:performance",
        "调解协议中逾期未履行和7日内到期的义务，记录履行情况。",
        permission="agreements.view_obligation",
        member_of=Membership.OFFICE,
    ),
    WorkArea(
        "register",
        "登记新案件",
        "cases:register",
        "登记当面、来信申请的行政争议，分配登记号，提示可调解范围和已在运行的法定期限。",
        permission="cases.register_case",
        member_of=Membership.OFFICE,
    ),
    WorkArea(
        "referral_record",
        "录入委派函",
        "cases:referral_record",
        "录入法院送达的纸质委派调解函，经法院联络员确认后签收。",
        permission="cases.record_referral",
        member_of=Membership.OFFICE,
    ),
    WorkArea(
        "referrals",
        "委派案件",
        "cases:referrals",
        "本院委派的案件及其状态，确认工作室录入的纸质委派函。",
        permission="cases.create_referral",
        member_of=Membership.COURT,
    ),
    WorkArea(
        "confirmations",
        "司法确认申请",
        "agreements:confirmations",
        "工作室报送本院的司法确认申请，记录确认裁定、诉前调解书或驳回等结果。",
        permission="cases.create_referral",
        member_of=Membership.COURT,
    ),
    WorkArea(
        "court_reports",
        "终止调解报告",
        "cases:court_reports",
        "工作室报送的终止、撤回调解情况报告和移送材料，登记转立案案号。",
        permission="cases.create_referral",
        member_of=Membership.COURT,
    ),
    WorkArea(
        "referral_new",
        "新建委派",
        "cases:referral_new",
        "经当事人同意，将诉前行政争议委派工作室调解。",
        permission="cases.create_referral",
        member_of=Membership.COURT,
    ),
    WorkArea(
        "lawsuits",
        "行政诉讼台账",
        "liaison:lawsuits",
        "行政机关被诉案件：负责人出庭应诉、裁判结果和败诉分析、生效裁判履行。",
        permission="liaison.view_lawsuit",
    ),
    WorkArea(
        "suggestions",
        "司法建议",
        "liaison:suggestions",
        "法院司法建议的答复期限、采纳和落实情况。",
        permission="liaison.view_judicialsuggestion",
    ),
    WorkArea(
        "supervision",
        "督察督办",
        "liaison:supervision_list",
        "负责人未出庭、败诉、未履行裁判、司法建议逾期等事项的督办和通报。",
        permission="liaison.view_supervisionitem",
    ),
    WorkArea(
        "statistics",
        "统计分析",
        "liaison:statistics",
        "败诉率、负责人出庭应诉率、司法建议回复率和调解成功率等指标，逐项可查计入的记录，可导出。",
        rule=_sees_statistics,
    ),
    WorkArea(
        "meetings",
        "联席会议",
        "liaison:meetings",
        "府院联席会议的议定事项、任务分工和落实情况，会议纪要和年度通报。",
        permission="liaison.view_jointmeeting",
    ),
    WorkArea(
        "reconsideration",
        "行政复议数据",
        "liaison:reconsideration",
        "按季度填报的行政复议收案、受理和审结情况。",
        permission="liaison.view_reconsiderationvolume",
    ),
    WorkArea(
        "deadline_calculator",
        "期限计算",
        "cases:deadline_calculator",
        "按法定计算规则推算期限届满日，自动扣除节假日并说明依据。",
        tool=True,
        permission="cases.view_calendarday",
    ),
    WorkArea(
        "agencies",
        "行政机关名录",
        "cases:agency_list",
        "全市行政机关及其统一社会信用代码、主要负责人。",
        tool=True,
        permission="cases.view_agency",
    ),
    WorkArea(
        "calendar",
        "节假日安排",
        "cases:calendar",
        "国务院公布的放假和调休上班日期，期限计算以此为准。",
        tool=True,
        permission="cases.view_calendarday",
    ),
    WorkArea(
        "audit_log",
        "审计日志",
        "audit_log",
        "用户、机构和基础数据的每一次修改：谁、何时、从哪里、改了什么，可导出。",
        tool=True,
        permission="accounts.view_audit_log",
    ),
    WorkArea(
        "admin",
        "系统管理",
        "admin:index",
        "用户、工作室、法院、行政机关、争议类别和节假日的维护。",
        rule=_is_staff,
    ),
)


def work_areas(user: User) -> list[WorkArea]:
    """Work areas in menu order, each shown only to users it is open to."""
    return [area for area in WORK_AREAS if area.is_open_to(user)]
