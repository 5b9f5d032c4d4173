"""The transitions tables of the records around a case, the roster's changes and lapses."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import (
    Assignment,
    Case,
    CaseEvent,
    Decision,
    Extension,
    Mediator,
    MediatorStatusChange,
    Session,
    Termination,
)
from cases.services import mediation
from cases.services.common import ServiceError
from cases.services.roster import change_mediator_status
from cases.states import TABLES, allows, available
from cases.workflow import InvalidTransition, NotPermitted
from tests import factories
from tests.factories import MediatorFactory, mediating_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_every_table_names_only_states_of_its_record():
    for model, table in TABLES.items():
        values = {value for value, _ in model._meta.get_field("status").choices}
        for action, step in table.items():
            assert step.sources <= values, (model, action)
            assert step.target in values, (model, action)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (Case.Status.TERMINATED, True),
        (Case.Status.WITHDRAWN, True),
        (Case.Status.IN_MEDIATION, False),
        (Case.Status.TRANSFERRED_TO_FILING, False),
    ],
)
def test_a_case_allows_what_its_transitions_table_starts_from_its_state(status, allowed):
    # What the court's report queue shows the "登记转立案" button for.
    assert allows(Case(status=status), "transfer_to_filing") is allowed


@pytest.mark.parametrize(
    ("model", "bad"),
    [(Session, "held_twice"), (Assignment, "maybe"), (Extension, "perhaps"), (Termination, "?")],
)
def test_the_database_refuses_a_status_outside_the_enum(office, clerk, head, mediator, model, bad):
    case = mediating_case(office, clerk, head, mediator)
    mediation.propose_termination(
        case=case, actor=mediator, reason="gap_too_wide", note="双方分歧大"
    )
    mediation.propose_extension(
        case=case,
        actor=mediator,
        days=3,
        reason="继续协商",
        consenting_parties=list(case.parties.all()),
        consent_form=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(case=case).update(status=bad)


def test_the_mediator_status_is_not_written_directly_by_the_admin_form():
    from cases.admin import MediatorAdminForm

    assert "status" not in MediatorAdminForm.base_fields
    assert not Mediator._meta.get_field("status").editable


# --- The roster ----------------------------------------------------------------------------


def test_suspending_and_reinstating_a_mediator_leave_a_record(office, mediator, admin_user):
    profile = MediatorFactory(user=mediator)
    change = change_mediator_status(
        mediator=profile, actor=admin_user, action="suspend", reason="受到投诉，正在核查"
    )
    profile.refresh_from_db()
    assert profile.status == Mediator.Status.SUSPENDED
    assert profile.status_reason == "受到投诉，正在核查"
    assert (change.from_status, change.to_status, change.actor) == (
        Mediator.Status.ACTIVE,
        Mediator.Status.SUSPENDED,
        admin_user,
    )
    assert [a for a, _ in available(profile)] == ["reinstate", "remove"]
    change_mediator_status(
        mediator=profile, actor=admin_user, action="reinstate", reason="核查无问题"
    )
    profile.refresh_from_db()
    assert profile.status == Mediator.Status.ACTIVE
    assert MediatorStatusChange.objects.filter(mediator=profile).count() == 2


def test_a_roster_change_needs_a_reason_the_table_and_the_permission(
    office, mediator, clerk, admin_user
):
    profile = MediatorFactory(user=mediator)
    with pytest.raises(ServiceError, match="请写明暂停、恢复或除名的原因"):
        change_mediator_status(mediator=profile, actor=admin_user, action="suspend", reason=" ")
    with pytest.raises(InvalidTransition, match="当前状态为“在册”，不能恢复在册"):
        change_mediator_status(mediator=profile, actor=admin_user, action="reinstate", reason="x")
    with pytest.raises(NotPermitted, match="您没有权限暂停"):
        change_mediator_status(mediator=profile, actor=clerk, action="suspend", reason="x")
    assert not MediatorStatusChange.objects.exists()


@pytest.fixture
def root_client(client, db):
    client.force_login(factories.UserFactory(role="admin", is_superuser=True, username="root"))
    return client


def _mediator_form(profile, **changes):
    return {
        "user": str(profile.user_id),
        "specialities": profile.specialities,
        "certificate_no": profile.certificate_no,
        "trained_on": "",
        "status_reason": profile.status_reason,
        "status_action": "",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
        **changes,
    }


def test_the_admin_suspends_a_mediator_through_the_table(root_client, office, mediator):
    profile = MediatorFactory(user=mediator)
    url = reverse("admin:cases_mediator_change", args=[profile.pk])
    page = root_client.get(url).content.decode()
    assert '<option value="suspend">暂停</option>' in page
    assert '<option value="reinstate">' not in page
    response = root_client.post(
        url, _mediator_form(profile, status_action="suspend", status_reason="年度考核不合格")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    profile.refresh_from_db()
    assert profile.status == Mediator.Status.SUSPENDED
    change = MediatorStatusChange.objects.get()
    assert change.reason == "年度考核不合格" and change.action == "suspend"
    assert "年度考核不合格" in root_client.get(url).content.decode()


def test_the_admin_asks_for_the_reason_of_a_change(root_client, office, mediator):
    profile = MediatorFactory(user=mediator)
    url = reverse("admin:cases_mediator_change", args=[profile.pk])
    response = root_client.post(url, _mediator_form(profile, status_action="suspend"))
    assert "暂停、恢复或除名的，请写明原因。" in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == Mediator.Status.ACTIVE


def test_editing_other_fields_leaves_the_status(root_client, office, mediator):
    profile = MediatorFactory(user=mediator)
    url = reverse("admin:cases_mediator_change", args=[profile.pk])
    response = root_client.post(url, _mediator_form(profile, certificate_no="TY-2026-001"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.certificate_no, profile.status) == ("TY-2026-001", Mediator.Status.ACTIVE)
    assert not MediatorStatusChange.objects.exists()


# --- Requests that lapse ------------------------------------------------------------------


def test_a_pending_extension_lapses_with_an_event_when_mediation_is_terminated(
    office, clerk, head, mediator
):
    case = mediating_case(office, clerk, head, mediator)
    extension = mediation.propose_extension(
        case=case,
        actor=mediator,
        days=3,
        reason="继续协商",
        consenting_parties=list(case.parties.all()),
        consent_form=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    assert allows(extension, "approve")
    termination = mediation.propose_termination(
        case=case, actor=mediator, reason="gap_too_wide", note="双方分歧大"
    )
    mediation.decide_termination(termination=termination, actor=head, approve=True, note="")
    extension.refresh_from_db()
    assert extension.status == Decision.REJECTED
    assert extension.decision_note == "调解已终止，不再审批。"
    assert not allows(extension, "approve")
    event = case.events.filter(kind=CaseEvent.Kind.EXTENSION_REJECTED).get()
    assert event.note == "延长调解期限申请不再审批：调解已终止。"
    assert event.data == {"extension": extension.pk, "lapsed": True}
