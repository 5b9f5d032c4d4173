"""The work areas each role sees, in menu order: the menu and the home page read this list."""

import pytest

from qianjiang_mediation.navigation import work_areas

pytestmark = pytest.mark.django_db

OFFICE_DAILY_WORK = ["cases", "deadlines", "agenda", "performance"]
OFFICE_INTAKE = ["register", "referral_record"]
COURT_WORK = ["referrals", "confirmations", "court_reports", "referral_new"]
REFERENCE_TOOLS = ["deadline_calculator", "agencies", "calendar"]
REGISTERS = ["lawsuits", "suggestions"]

AREAS_BY_PERSONA = {
    "clerk": [*OFFICE_DAILY_WORK, *OFFICE_INTAKE, *REFERENCE_TOOLS],
    "mediator": [*OFFICE_DAILY_WORK, *REFERENCE_TOOLS],
    "head": [*OFFICE_DAILY_WORK, *OFFICE_INTAKE, "statistics", *REFERENCE_TOOLS],
    "other_office_clerk": [*OFFICE_DAILY_WORK, *OFFICE_INTAKE, *REFERENCE_TOOLS],
    # The court keeps no register of agencies.
    "court_liaison": [*COURT_WORK, *REGISTERS, "deadline_calculator", "calendar"],
    "other_court_liaison": [*COURT_WORK, *REGISTERS, "deadline_calculator", "calendar"],
    "gov_liaison": [
        *REGISTERS,
        "supervision",
        "statistics",
        "meetings",
        "reconsideration",
        *REFERENCE_TOOLS,
    ],
    "agency_contact": [
        *REGISTERS,
        "supervision",
        "statistics",
        "meetings",
        "deadline_calculator",
        "agencies",
        "calendar",
    ],
    "admin_user": [*REFERENCE_TOOLS, "audit_log", "admin"],
}


@pytest.mark.parametrize(("persona", "keys"), AREAS_BY_PERSONA.items())
def test_each_persona_sees_exactly_its_work_areas_in_menu_order(request, persona, keys):
    user = request.getfixturevalue(persona)
    assert [area.key for area in work_areas(user)] == keys


def test_reference_tools_sit_in_the_tools_menu(clerk):
    tools = [area.key for area in work_areas(clerk) if area.tool]
    assert tools == REFERENCE_TOOLS


def test_an_office_role_without_an_office_sees_no_office_areas(office):
    from accounts.models import Role
    from tests import factories

    clerk = factories.UserFactory(role=Role.CLERK, office=office, username="clerk")
    clerk.office = None
    assert [area.key for area in work_areas(clerk)] == REFERENCE_TOOLS


def test_urls_and_labels(clerk, admin_user, settings):
    areas = {area.key: area for area in work_areas(clerk)}
    assert (areas["cases"].label, areas["cases"].url) == ("案件登记簿", "/cases/")
    assert areas["calendar"].description == "国务院公布的放假和调休上班日期，期限计算以此为准。"
    admin = work_areas(admin_user)[-1]
    assert (admin.key, admin.label, admin.url) == ("admin", "系统管理", "/" + settings.ADMIN_URL)
    assert not admin.tool
