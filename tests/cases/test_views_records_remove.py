"""Removing parties and agents: who may, and why one who signed an agreement cannot go."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from agreements.services import agreement as agreement_services
from cases.models import Agent, CaseEvent, Party
from cases.services import records
from tests.factories import agreed_case, obligation_data, passing_checklist, person, register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

THIRD_PARTY = person(name="李四", id_type="passport", id_number="E1234567")
AGENT = {"name": "李小红", "kind": "close_relative", "authority": "special", "phone": "13700000000"}


def add_third_party(case, clerk) -> Party:
    case.refresh_from_db()
    return records.party_add(
        case=case,
        actor=clerk,
        role=Party.Role.THIRD_PARTY,
        data=dict(THIRD_PARTY),
        expected_version=case.version,
    )


def add_agent(party, clerk) -> Agent:
    party.case.refresh_from_db()
    return records.agent_add(
        party=party, actor=clerk, data=dict(AGENT), expected_version=party.case.version
    )


def remove_party(client, party):
    party.case.refresh_from_db()
    return client.post(
        reverse("cases:party_delete", args=[party.case_id, party.pk]),
        {"v-version": str(party.case.version)},
        follow=True,
    )


def remove_agent(client, agent):
    case = agent.party.case
    case.refresh_from_db()
    return client.post(
        reverse("cases:agent_delete", args=[case.pk, agent.pk]),
        {"v-version": str(case.version)},
        follow=True,
    )


@pytest.fixture
def case(office, clerk):
    return register(office, clerk)


@pytest.fixture
def third_party(case, clerk):
    return add_third_party(case, clerk)


@pytest.fixture
def agent(third_party, clerk):
    return add_agent(third_party, clerk)


@pytest.fixture
def signed(office, clerk, head, mediator):
    """A third party owing an obligation who signed the draft through a specially authorised
    agent (the applicant and respondent have not signed yet)."""
    case = agreed_case(office, clerk, head, mediator)
    third = add_third_party(case, clerk)
    agent = add_agent(third, clerk)
    agreement = agreement_services.draft_agreement(case=case, actor=mediator)
    agreement = agreement_services.update_agreement(
        agreement=agreement,
        actor=mediator,
        data={"result": "被申请人撤销处罚决定，申请人撤回复议申请。"},
        obligations=obligation_data(case, obligor=third),
        expected_version=agreement.edit_version,
    )
    agreement_services.answer_checklist(
        agreement=agreement, actor=mediator, answers=passing_checklist()
    )
    agreement_services.record_signature(
        agreement=agreement,
        actor=clerk,
        party=third,
        agent=agent,
        signer_name=agent.name,
        capacity="special_agent",
        method="signature",
        signed_on=date(2026, 11, 27),
    )
    return third, agent


# --- Parties ------------------------------------------------------------------------------


def test_anonymous_removing_a_party_is_sent_to_login(client, third_party):
    url = reverse("cases:party_delete", args=[third_party.case_id, third_party.pk])
    response = client.post(url, {"v-version": "0"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert Party.objects.filter(pk=third_party.pk).exists()


def test_removing_a_party_needs_the_right_role_and_office(
    client_as, mediator, other_office_clerk, third_party
):
    url = reverse("cases:party_delete", args=[third_party.case_id, third_party.pk])
    data = {"v-version": str(third_party.case.version)}
    assert client_as(mediator).post(url, data).status_code == 403
    assert client_as(other_office_clerk).post(url, data).status_code == 404
    assert client_as(mediator).get(url).status_code == 405
    assert Party.objects.filter(pk=third_party.pk).exists()


def test_clerk_removes_a_party(client_as, clerk, third_party):
    case = third_party.case
    response = remove_party(client_as(clerk), third_party)
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert "已删除第三人 李四。" in response.content.decode()
    assert not Party.objects.filter(pk=third_party.pk).exists()
    assert case.events.filter(kind=CaseEvent.Kind.PARTY_REMOVED, note="第三人 李四").exists()


def test_a_party_who_signed_and_owes_an_obligation_is_not_removed(client_as, clerk, signed):
    third, _agent = signed
    case = third.case
    case.refresh_from_db()
    version = case.version
    response = remove_party(client_as(clerk), third)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    html = response.content.decode()
    assert (
        "不能删除第三人 李四：该当事人已在调解协议上签字或负有协议义务"
        "（协议义务1条、签字记录1条），协议记录须完整保留。"
        "当事人信息有误的，请改为修改其信息。"
    ) in html
    assert "已删除" not in html
    assert Party.objects.filter(pk=third.pk).exists()
    assert third.agents.exists()
    case.refresh_from_db()
    assert case.version == version
    assert not case.events.filter(kind=CaseEvent.Kind.PARTY_REMOVED).exists()


def test_a_party_who_only_owes_an_obligation_is_not_removed(
    office, clerk, head, mediator, client_as
):
    case = agreed_case(office, clerk, head, mediator)
    third = add_third_party(case, clerk)
    agreement = agreement_services.draft_agreement(case=case, actor=mediator)
    agreement_services.update_agreement(
        agreement=agreement,
        actor=mediator,
        data={"result": "第三人配合办理。"},
        obligations=obligation_data(case, obligor=third),
        expected_version=agreement.edit_version,
    )
    html = remove_party(client_as(clerk), third).content.decode()
    assert "不能删除第三人 李四：" in html and "（协议义务1条）" in html
    assert Party.objects.filter(pk=third.pk).exists()


# --- Agents -------------------------------------------------------------------------------


def test_anonymous_removing_an_agent_is_sent_to_login(client, agent):
    url = reverse("cases:agent_delete", args=[agent.party.case_id, agent.pk])
    response = client.post(url, {"v-version": "0"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert Agent.objects.filter(pk=agent.pk).exists()


def test_removing_an_agent_needs_the_right_role_and_office(
    client_as, mediator, other_office_clerk, agent
):
    url = reverse("cases:agent_delete", args=[agent.party.case_id, agent.pk])
    data = {"v-version": str(agent.party.case.version)}
    assert client_as(mediator).post(url, data).status_code == 403
    assert client_as(other_office_clerk).post(url, data).status_code == 404
    assert client_as(mediator).get(url).status_code == 405
    assert Agent.objects.filter(pk=agent.pk).exists()


def test_clerk_removes_an_agent(client_as, clerk, agent):
    case = agent.party.case
    response = remove_agent(client_as(clerk), agent)
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert "已删除代理人 李小红。" in response.content.decode()
    assert not Agent.objects.filter(pk=agent.pk).exists()
    assert case.events.filter(kind=CaseEvent.Kind.AGENT_REMOVED).exists()


def test_an_agent_who_signed_for_the_party_is_not_removed(client_as, clerk, signed):
    _third, agent = signed
    case = agent.party.case
    response = remove_agent(client_as(clerk), agent)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "不能删除代理人 李小红：该代理人已代李四在调解协议上签字（签字记录1条），"
        "协议记录须完整保留。代理人信息有误的，请改为修改其信息。"
    ) in html
    assert Agent.objects.filter(pk=agent.pk).exists()
    assert not case.events.filter(kind=CaseEvent.Kind.AGENT_REMOVED).exists()


def test_the_service_refuses_with_the_same_message(clerk, signed):
    third, agent = signed
    third.case.refresh_from_db()
    with pytest.raises(records.ServiceError) as exc:
        records.agent_remove(agent=agent, actor=clerk, expected_version=third.case.version)
    assert exc.value.message.startswith("不能删除代理人 李小红：")
    with pytest.raises(records.ServiceError) as exc:
        records.party_remove(party=third, actor=clerk, expected_version=third.case.version)
    assert exc.value.message.startswith("不能删除第三人 李四：")
