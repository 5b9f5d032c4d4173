"""The whole agreement stage through the services: from agreement to archive."""

from datetime import date

import pytest

from agreements.models import Agreement, Confirmation, Obligation
from agreements.services import confirmation, performance
from cases.models import Status
from cases.services import mediation
from tests.factories import effective_agreement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_agreement_to_archive(office, clerk, head, mediator, court, court_liaison, time_machine):
    agreement = effective_agreement(office, clerk, head, mediator)
    case = agreement.case
    assert agreement.status == Agreement.Status.EFFECTIVE
    assert agreement.effective_on == date(2026, 11, 27)
    case.refresh_from_db()
    # The confirmation window (30 days → Sunday 12-27 → Monday 12-28) competes with the
    # first obligation (12-10): the nearest wins.
    assert (case.next_deadline, case.next_deadline_label) == (
        date(2026, 12, 10),
        f"履行期限：第1项（{case.agency.name}）",
    )
    applied = confirmation.apply_for_confirmation(
        agreement=agreement,
        actor=clerk,
        court=court,
        applicants=list(case.parties.all()),
        applied_on=date(2026, 11, 27),
        materials=["agreement", "presiding_proof", "identity"],
    )
    assert not applied.late
    _, warnings = confirmation.record_outcome(
        confirmation=applied,
        actor=court_liaison,
        outcome="valid_ruling",
        court_case_no="(2026)鄂9005民特3号",
        filed_on=date(2026, 11, 27),
        decided_on=date(2026, 11, 27),
        served_on=date(2026, 11, 27),
    )
    applied.refresh_from_db()
    assert applied.status == Confirmation.Status.CONFIRMED
    assert applied.court_case_no == "（2026）鄂9005民特3号"
    assert warnings == []
    for obligation in agreement.obligations.all():
        performance.record_performance(
            obligation=obligation, actor=clerk, performed_on=date(2026, 11, 27), proof_note="已送达"
        )
    assert set(agreement.obligations.values_list("status", flat=True)) == {
        Obligation.Status.PERFORMED
    }
    case = mediation.close_case(case=case, actor=head, note="协议已履行完毕。")
    assert case.status == Status.CLOSED
    case = mediation.archive_case(case=case, actor=clerk, archive_no="2026-行调-001")
    assert case.status == Status.ARCHIVED
