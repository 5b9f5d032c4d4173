import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Role, User
from accounts.services import user_create
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_role_has_its_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.labels)


def test_office_roles_need_an_office(court):
    user = User(username="x", name="王五", role=Role.CLERK, court=court)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert exc.value.message_dict["office"] == ["“登记员”必须选择所属工作室。"]
    assert exc.value.message_dict["court"] == ["“登记员”不能同时属于法院。"]


def test_court_liaison_needs_a_court(office):
    user = User(username="x", name="王五", role=Role.COURT_LIAISON, office=office)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert exc.value.message_dict["court"] == ["法院联络员必须选择所属法院。"]
    assert exc.value.message_dict["office"] == ["法院联络员不能同时属于工作室。"]


@pytest.mark.parametrize("role", [Role.GOV_LIAISON, Role.ADMIN])
def test_liaison_and_admin_belong_to_no_organisation(role, office):
    user = User(username="x", name="王五", role=role, office=office)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert "office" in exc.value.message_dict


def test_database_refuses_a_user_in_both_an_office_and_a_court(office, court):
    with pytest.raises(IntegrityError):
        User.objects.create(username="x", name="王五", role=Role.CLERK, office=office, court=court)


def test_user_create_puts_the_user_in_exactly_their_role_group(office):
    user = user_create(
        username="wang", name="王五", role=Role.MEDIATOR, password="pw-123456789", office=office
    )
    assert list(user.groups.values_list("name", flat=True)) == ["调解员"]
    assert not user.is_staff
    assert user.check_password("pw-123456789")


def test_only_administrators_reach_the_admin(admin_user, clerk):
    assert admin_user.is_staff
    assert not clerk.is_staff


def test_role_permissions():
    clerk = factories.UserFactory(role=Role.CLERK, office=factories.OfficeFactory())
    admin = factories.UserFactory(role=Role.ADMIN)
    gov = factories.UserFactory(role=Role.GOV_LIAISON)
    assert clerk.has_perm("cases.view_agency")
    assert not clerk.has_perm("cases.change_agency")
    assert admin.has_perm("cases.change_agency")
    assert admin.has_perm("cases.add_calendarday")
    assert admin.has_perm("accounts.change_user")
    assert gov.has_perm("cases.view_agency")
    assert not gov.has_perm("accounts.view_user")


def test_agency_contact_needs_an_agency_and_nothing_else(office, agency):
    user = User(username="x", name="王五", role=Role.AGENCY_CONTACT, office=office)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert exc.value.message_dict["agency"] == ["机关应诉联络员必须选择所属行政机关。"]
    assert exc.value.message_dict["office"] == ["机关应诉联络员不能同时属于工作室。"]
    contact = user_create(
        username="contact",
        name="吴敏",
        role=Role.AGENCY_CONTACT,
        password="pw-123456789",
        agency=agency,
    )
    assert list(contact.groups.values_list("name", flat=True)) == ["机关应诉联络员"]
    assert contact.organisation == agency
    assert contact.is_agency_contact and not contact.is_staff


@pytest.mark.parametrize("role", [Role.CLERK, Role.COURT_LIAISON, Role.GOV_LIAISON])
def test_other_roles_belong_to_no_agency(role, office, court, agency):
    user = User(
        username="x",
        name="王五",
        role=role,
        office=office if role == Role.CLERK else None,
        court=court if role == Role.COURT_LIAISON else None,
        agency=agency,
    )
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert "agency" in exc.value.message_dict


def test_database_refuses_a_user_in_an_agency_and_a_court(court, agency):
    with pytest.raises(IntegrityError):
        User.objects.create(
            username="x", name="王五", role=Role.AGENCY_CONTACT, agency=agency, court=court
        )


def test_agency_contact_permissions(agency_contact, gov_liaison, court_liaison):
    assert agency_contact.has_perm("liaison.view_lawsuit")
    assert agency_contact.has_perm("liaison.record_agency_facts")
    assert agency_contact.has_perm("liaison.reply_suggestion")
    assert agency_contact.has_perm("liaison.respond_supervision")
    assert not agency_contact.has_perm("liaison.record_court_facts")
    assert not agency_contact.has_perm("liaison.open_supervision")
    assert not agency_contact.has_perm("cases.view_case")
    assert gov_liaison.has_perm("liaison.open_supervision")
    assert court_liaison.has_perm("liaison.record_court_facts")
    assert not court_liaison.has_perm("liaison.view_supervisionitem")
