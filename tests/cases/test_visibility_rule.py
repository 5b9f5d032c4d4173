"""can_see_case and cases_visible_to are one rule: they agree for every role and scope."""

import pytest

from accounts.models import Role
from cases.models import Case
from cases.permissions import can_see_case, cases_visible_to
from tests import factories
from tests.factories import refer, register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_the_query_and_the_predicate_agree_for_every_role_and_scope(
    office, other_office, court, other_court, clerk, other_office_clerk, court_liaison
):
    cases = [
        register(office, clerk),
        register(other_office, other_office_clerk),
        refer(office, court_liaison),
        refer(other_office, factories.UserFactory(role=Role.COURT_LIAISON, court=other_court)),
    ]
    users = [
        factories.UserFactory(role=role, office=place_office, court=place_court, is_active=active)
        for role in Role.values
        for place_office, place_court in ((office, None), (other_office, None), (None, court),
                                          (None, other_court), (None, None))
        for active in (True, False)
    ]  # fmt: skip
    for user in users:
        visible = set(cases_visible_to(user).values_list("pk", flat=True))
        for case in Case.objects.filter(pk__in=[c.pk for c in cases]):
            assert (case.pk in visible) == can_see_case(user, case), (
                user.role,
                user.office,
                user.court,
            )
    assert any(cases_visible_to(u).exists() for u in users)
