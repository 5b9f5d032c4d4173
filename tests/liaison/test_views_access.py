"""Every register page for every persona: anonymous users sign in, other roles are refused
(403), records of another court or agency are not found (404), the rest may work."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison.models import ImportBatch, LossCause, Recipient
from liaison.services import hearings, judgments, lawsuits, suggestions, supervision
from tests.helpers import PDF, check
from tests.liaison.conftest import decide, make_hearing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PERSONAS = (
    "gov_liaison",
    "court_liaison",
    "other_court_liaison",
    "agency_contact",
    "other_agency_contact",
    "clerk",
    "admin_user",
)


@pytest.fixture
def world(gov_liaison, agency_contact, court, agency, lawsuit):
    """One record of each kind, in the court ``court`` and of the agency ``agency``."""
    hearing = make_hearing(gov_liaison, lawsuit)
    appearance = hearing.appearances.get()
    hearings.record_appearance(
        appearance=appearance,
        actor=agency_contact,
        data={"head_appeared": False, "absence_reason": "none", "staff": "张三"},
        expected_version=0,
    )
    decided = decide(gov_liaison, lawsuit, "revoked")
    effective = lawsuits.record_effective(
        lawsuit=decided, actor=gov_liaison, effective_on=date(2026, 11, 21)
    )
    performance = judgments.performance_create(
        lawsuit=effective, agency=agency, actor=gov_liaison, duty="重新作出决定", days=60
    )
    judgments.save_loss_analysis(
        lawsuit=effective,
        agency=agency,
        actor=agency_contact,
        causes=list(LossCause.objects.filter(code="procedure")),
        analysis="分析",
        measures="措施",
        measures_due=None,
        rectified_on=None,
        expected_version=None,
        uploads=[SimpleUploadedFile("整改.pdf", PDF, content_type="application/pdf")],
    )
    suggestion = suggestions.suggestion_create(
        actor=gov_liaison,
        data={
            "number": "潜法建〔2026〕3号",
            "court": court,
            "kind": "case",
            "subject": "关于规范工伤认定程序的司法建议",
            "content": "建议规范调查程序。",
            "issued_on": date(2026, 9, 1),
            "reply_months": 2,
            "hearing": None,
        },
        addressees=[suggestions.Addressee(agency, date(2026, 9, 3))],
        lawsuits=[lawsuit],
    )
    recipient = suggestion.recipients.get()
    replied = suggestions.record_reply(
        recipient=recipient,
        actor=agency_contact,
        replied_on=date(2026, 10, 20),
        reply="已研究。",
        adoption=Recipient.Adoption.ADOPTED,
        measures="已整改。",
        expected_version=0,
    )
    item = supervision.supervision_open(
        actor=gov_liaison,
        agency=agency,
        reason="head_absent",
        facts="负责人无正当理由未出庭。",
        required_action="书面说明。",
        opened_on=date(2026, 11, 1),
        period_amount=15,
        period_unit="working_days",
        appearance=appearance,
    )
    circular = supervision.circular_issue(
        actor=gov_liaison,
        number="潜司通〔2026〕1号",
        title="督办情况通报",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 11, 27),
        remarks="",
        today=date(2026, 11, 27),
    )
    batch = ImportBatch.objects.create(
        file_name="a.xlsx", sha256="0" * 64, rows=[], created_by=gov_liaison
    )
    return {
        "lawsuit": effective,
        "hearing": hearing,
        "appearance": appearance,
        "performance": performance,
        "file": effective.loss_analyses.get().files.get(),
        "suggestion": suggestion,
        "recipient": replied,
        "item": item,
        "circular": circular,
        "batch": batch,
        "agency": agency,
    }


def _url(world, name, kind=None):
    args = {
        None: [],
        "lawsuit": [world["lawsuit"].pk],
        "lawsuit_agency": [world["lawsuit"].pk, world["agency"].pk],
        "hearing": [world["hearing"].pk],
        "appearance": [world["appearance"].pk],
        "performance": [world["performance"].pk],
        "file": [world["file"].pk],
        "suggestion": [world["suggestion"].pk],
        "recipient": [world["recipient"].pk],
        "item": [world["item"].pk],
        "circular": [world["circular"].pk],
        "circular_pdf": [world["circular"].pk, "docx"],
        "batch": [world["batch"].pk],
        "quarter": [2026, 3],
    }[kind]
    return reverse(f"liaison:{name}", args=args)


def expect(gov, court, other_court, contact, other_contact, clerk=403, admin=403):
    return dict(
        zip(PERSONAS, (gov, court, other_court, contact, other_contact, clerk, admin), strict=True)
    )


GET_PAGES = [
    ("lawsuits", None, expect(200, 200, 200, 200, 200)),
    ("lawsuit", "lawsuit", expect(200, 200, 404, 200, 404)),
    ("lawsuit_new", None, expect(200, 200, 200, 403, 403)),
    ("lawsuit_edit", "lawsuit", expect(200, 200, 404, 403, 403)),
    ("defence", "lawsuit_agency", expect(200, 403, 403, 200, 404)),
    ("hearing_new", "lawsuit", expect(200, 200, 404, 403, 403)),
    ("hearing_edit", "hearing", expect(200, 200, 404, 403, 403)),
    ("appearance", "appearance", expect(200, 403, 403, 200, 404)),
    ("outcome", "lawsuit", expect(200, 200, 404, 403, 403)),
    ("appeal", "lawsuit", expect(200, 200, 404, 403, 403)),
    ("effective", "lawsuit", expect(200, 200, 404, 403, 403)),
    ("loss_analysis", "lawsuit_agency", expect(200, 403, 403, 200, 404)),
    ("performance_new", "lawsuit", expect(200, 200, 404, 200, 404)),
    ("performed", "performance", expect(200, 403, 403, 200, 404)),
    ("enforcement", "performance", expect(200, 200, 404, 403, 403)),
    ("file", "file", expect(200, 200, 404, 200, 404, 404, 404)),
    ("import", None, expect(200, 200, 200, 403, 403)),
    ("import_template", None, expect(200, 200, 200, 403, 403)),
    ("import_batch", "batch", expect(200, 404, 404, 403, 403)),
    ("suggestions", None, expect(200, 200, 200, 200, 200)),
    ("suggestion", "suggestion", expect(200, 200, 404, 200, 404)),
    ("suggestion_new", None, expect(200, 200, 200, 403, 403)),
    ("suggestion_edit", "suggestion", expect(200, 200, 404, 403, 403)),
    ("reply", "recipient", expect(200, 403, 403, 200, 404)),
    ("check", "recipient", expect(200, 403, 403, 403, 403)),
    ("supervision_list", None, expect(200, 403, 403, 200, 200)),
    ("supervision_suggested", None, expect(200, 403, 403, 403, 403)),
    ("supervision_new", None, expect(200, 403, 403, 403, 403)),
    ("supervision", "item", expect(200, 403, 403, 200, 404)),
    ("supervision_respond", "item", expect(200, 403, 403, 200, 404)),
    ("supervision_escalate", "item", expect(200, 403, 403, 403, 403)),
    ("supervision_close", "item", expect(200, 403, 403, 403, 403)),
    ("circulars", None, expect(200, 403, 403, 403, 403)),
    ("circular", "circular", expect(200, 403, 403, 403, 403)),
    ("circular_file", "circular_pdf", expect(200, 403, 403, 403, 403)),
    ("reconsideration", None, expect(200, 403, 403, 403, 403)),
    ("reconsideration_edit", "quarter", expect(200, 403, 403, 403, 403)),
]


@pytest.mark.parametrize(("name", "kind", "expected"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_every_register_page_for_every_persona(
    request, client, client_as, world, name, kind, expected
):
    check(request, client, client_as, _url(world, name, kind), expected)


POSTS = [
    ("outcome_withdraw", "lawsuit", {"note": "登记错误"}, expect(302, 302, 404, 403, 403)),
    ("supervision_return", "item", {"note": "补充"}, expect(302, 403, 403, 403, 403)),
    ("supervision_quick", None, {"reason": "loss"}, expect(302, 403, 403, 403, 403)),
    ("import_confirm", "batch", {"action": "discard"}, expect(302, 404, 404, 403, 403)),
]


@pytest.mark.parametrize(("name", "kind", "data", "expected"), POSTS, ids=[p[0] for p in POSTS])
def test_every_register_action_for_every_persona(
    request, client, client_as, world, name, kind, data, expected
):
    check(request, client, client_as, _url(world, name, kind), expected, method="post", data=data)


def test_posts_need_post(client_as, gov_liaison, world):
    client = client_as(gov_liaison)
    for name, kind in (("outcome_withdraw", "lawsuit"), ("supervision_quick", None)):
        assert client.get(_url(world, name, kind)).status_code == 405


def test_an_unknown_record_is_not_found(client_as, gov_liaison, world):
    client = client_as(gov_liaison)
    for name in ("lawsuit", "lawsuit_edit", "outcome"):
        assert client.get(reverse(f"liaison:{name}", args=[999999])).status_code == 404
    assert (
        client.get(reverse("liaison:circular_file", args=[world["circular"].pk, "exe"])).status_code
        == 404
    )
    assert client.get(reverse("liaison:reconsideration_edit", args=[2026, 5])).status_code == 404
