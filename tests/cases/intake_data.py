"""POST data of the intake pages, as a browser submits them."""

from tests.factories import VALID_ID


def intake_post(agency, category, *, applicants=None, claims=None, **case_overrides) -> dict:
    data = {
        "case-source": "self",
        "case-received_date": "2026-11-26",
        "case-category": str(category.pk),
        "case-act_type": "penalty",
        "case-agency": str(agency.pk),
        "case-act_document_no": "潜市监罚[2026]12号",
        "case-act_date": "2026-09-01",
        "case-act_served_date": "2026-09-03",
        "case-act_known_date": "2026-09-03",
        "case-remedy_notified": "on",
        "case-facts_and_reasons": "申请人认为处罚过重。",
        "case-persons_affected": "1",
    }
    data.update({f"case-{k}": v for k, v in case_overrides.items()})
    applicants = applicants if applicants is not None else [applicant()]
    data["applicant-TOTAL_FORMS"] = str(len(applicants))
    data["applicant-INITIAL_FORMS"] = "0"
    for index, values in enumerate(applicants):
        data.update({f"applicant-{index}-{k}": v for k, v in values.items()})
    claims = claims if claims is not None else ["撤销行政处罚决定"]
    data["claim-TOTAL_FORMS"] = str(len(claims))
    data["claim-INITIAL_FORMS"] = "0"
    for index, text in enumerate(claims):
        data[f"claim-{index}-text"] = text
    return data


def applicant(**overrides) -> dict:
    values = {
        "kind": "natural_person",
        "name": "王建国",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13800000000",
        "service_address": "湖北省潜江市园林街道1号",
        "willing_to_mediate": "true",
    }
    values.update(overrides)
    return values
