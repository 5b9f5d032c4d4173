"""ID numbers: in full only where the law needs them (the agreement and the confirmation
application), masked to the first 6 and last 4 digits wherever else a document keeps them."""

import pytest

from cases.identifiers import mask_citizen_id
from cases.services import mediation, referral
from tests.documents.helpers import (
    FULL_ID,
    MASKED_ID,
    draft_with,
    held_session,
    make,
    output,
    sign_everything,
    signed_referral,
)
from tests.factories import obligation_data, refer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_the_masked_form_keeps_the_first_six_and_last_four_digits():
    assert mask_citizen_id(FULL_ID) == MASKED_ID


@pytest.fixture
def effective_referral(office, clerk, head, court_liaison, mediator):
    """A referral whose applicant (resident ID ``FULL_ID``) signed an effective agreement."""
    case = signed_referral(office, clerk, head, court_liaison, mediator)
    held_session(case, mediator, outcome="agreement")
    case = mediation.reach_agreement(case=case, actor=mediator)
    agreement = sign_everything(draft_with(case, mediator, obligation_data(case)), clerk, mediator)
    assert agreement.status == "effective"
    return agreement


def test_agreement_and_confirmation_application_print_the_full_number(effective_referral, clerk):
    agreement = effective_referral
    case = agreement.case
    for kind in ("agreement", "confirmation_application"):
        document = make(case, clerk, kind, f"agreement:{agreement.pk}")
        out = output(document)
        assert FULL_ID in out.pdf_flat, kind
        assert FULL_ID in out.docx_flat, kind
        assert MASKED_ID not in out.pdf_flat + out.docx_flat, kind
        people = document.data["parties" if kind == "agreement" else "applicants"]
        assert people[0]["name"] == "王建国"
        assert people[0]["id_number"] == FULL_ID
    # Made from the case's own court when no application was recorded yet.
    assert "此致潜江市人民法院" in out.pdf_flat


def test_acceptance_notice_keeps_only_the_masked_number(effective_referral, clerk):
    case = effective_referral.case
    document = make(case, clerk, "acceptance_notice")
    out = output(document)
    assert FULL_ID not in out.pdf_flat + out.docx_flat
    assert FULL_ID not in str(document.data)
    assert document.data["parties"][0]["id_number"] == MASKED_ID
    # The referral's acceptance notice tells how the court referred the case.
    assert f"潜江市人民法院于2026年11月20日以{case.referral.letter_no}委派调解函" in out.pdf_flat


def test_referral_return_prints_the_masked_number(office, clerk, head, court_liaison):
    case = refer(office, court_liaison)
    case = referral.referral_return(
        case=case, actor=head, reason="out_of_scope", note="不属受理范围。"
    )
    document = make(case, clerk, "referral_return")
    out = output(document)
    for text in (out.pdf_flat, out.docx_flat):
        assert f"居民身份证{MASKED_ID}" in text
        assert FULL_ID not in text
    assert document.data["parties"][0]["id_number"] == MASKED_ID
    assert FULL_ID not in str(document.data)
