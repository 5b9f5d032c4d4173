"""The intake pages: registering a dispute, creating and recording referrals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Attachment, Case, CaseLink, Party, Status
from tests import factories
from tests.cases.intake_data import applicant, intake_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

REGISTER = reverse("cases:register")
REFERRAL_NEW = reverse("cases:referral_new")
REFERRAL_RECORD = reverse("cases:referral_record")


@pytest.fixture
def agency():
    return factories.AgencyFactory(name="潜江市市场监督管理局")


@pytest.fixture
def penalty():
    return factories.category("PENALTY")


def test_permission_matrix(request, client, client_as):
    for url, allowed, forbidden in [
        (REGISTER, ["clerk", "head"], ["mediator", "court_liaison", "gov_liaison", "admin_user"]),
        (REFERRAL_NEW, ["court_liaison"], ["clerk", "head", "gov_liaison"]),
        (REFERRAL_RECORD, ["clerk", "head"], ["court_liaison", "mediator"]),
    ]:
        assert client.get(url).status_code == 302
        for persona in allowed:
            assert client_as(request.getfixturevalue(persona)).get(url).status_code == 200
        for persona in forbidden:
            assert client_as(request.getfixturevalue(persona)).get(url).status_code == 403


def test_register_a_dispute(client_as, clerk, agency, penalty):
    response = client_as(clerk).post(REGISTER, intake_post(agency, penalty), follow=True)
    html = response.content.decode()
    assert "已登记，登记号潜行调登〔2026〕0001号。" in html
    case = Case.objects.get()
    assert case.act_document_no == "潜市监罚〔2026〕12号"  # brackets normalised
    applicant_party = case.parties.get(role=Party.Role.APPLICANT)
    assert (applicant_party.gender, str(applicant_party.birth_date)) == ("male", "1980-01-01")
    assert case.parties.get(role=Party.Role.RESPONDENT).agency == agency


def test_empty_form_explains_every_missing_field(client_as, clerk):
    response = client_as(clerk).post(
        REGISTER,
        {
            "applicant-TOTAL_FORMS": "1",
            "applicant-INITIAL_FORMS": "0",
            "claim-TOTAL_FORMS": "1",
            "claim-INITIAL_FORMS": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("这个字段是必填项") >= 6
    assert not Case.objects.exists()


def test_bad_input_is_explained_and_kept(client_as, clerk, agency, penalty):
    data = intake_post(
        agency,
        penalty,
        applicants=[applicant(id_number="429005198001011230", name="王建国")],
        act_known_date="2026-08-01",
        facts_and_reasons="保留这段事实。",
    )
    html = client_as(clerk).post(REGISTER, data).content.decode()
    assert "身份证号码校验位不正确" in html
    assert "申请人知道或应当知道日期不能早于行政行为作出日期。" in html
    assert "保留这段事实。" in html
    assert 'value="429005198001011230"' in html
    assert not Case.objects.exists()


def test_the_mediation_basis_is_asked_for_with_the_other_errors(client_as, clerk, agency):
    # A work-injury case lies outside Art. 60: without the office's basis, the clerk hears
    # it together with the wrong ID number, not only after correcting that.
    work_injury = factories.category("WORK_INJURY_SOCIAL")
    data = intake_post(agency, work_injury, applicants=[applicant(id_number="429005198001011230")])
    html = client_as(clerk).post(REGISTER, data).content.decode()
    assert "身份证号码校验位不正确" in html
    assert (
        f"“{work_injury.label}”一般不属于《行政诉讼法》第六十条规定的可调解范围，"
        "请选择工作室据以调解的依据。"
    ) in html
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"received_date": "2026-12-01"}, "收到申请日期不能晚于今天。"),
        ({"received_date": "2026-02-30"}, "输入一个有效的日期。"),
        ({"facts_and_reasons": "长" * 10001}, "最多10000个字（现为10001个字），请删减后再提交。"),
        ({"persons_affected": "0"}, "涉及人数至少为1。"),
        ({"is_inaction": "on"}, "行政不作为案件请填写申请履行职责的日期。"),
        ({"act_type": "not_a_type"}, "选择一个有效的选项"),
    ],
)
def test_case_field_validation(client_as, clerk, agency, penalty, overrides, message):
    data = intake_post(agency, penalty, **overrides)
    html = client_as(clerk).post(REGISTER, data).content.decode()
    assert message in html
    assert not Case.objects.exists()


def test_unknown_agency_is_refused(client_as, clerk, agency, penalty):
    data = intake_post(agency, penalty)
    data["case-agency"] = "999999"
    html = client_as(clerk).post(REGISTER, data).content.decode()
    assert "选择一个有效的选项" in html
    assert not Case.objects.exists()


def test_gender_must_match_the_id_number(client_as, clerk, agency, penalty):
    data = intake_post(agency, penalty, applicants=[applicant(gender="female")])
    html = client_as(clerk).post(REGISTER, data).content.decode()
    assert "身份证号码显示性别为“男”，与所选性别不一致。" in html


def test_organisation_applicant_needs_code_and_representative(client_as, clerk, agency, penalty):
    company = {
        "kind": "legal_person",
        "name": "潜江市楚韵建材有限公司",
        "uscc_0": "91429005MA4ABC1290",
    }
    html = (
        client_as(clerk)
        .post(REGISTER, intake_post(agency, penalty, applicants=[company]))
        .content.decode()
    )
    assert "校验位与前17位不符" in html
    assert "请填写法定代表人或负责人。" in html
    company.update({"uscc_1": "on", "legal_representative": "李四"})
    response = client_as(clerk).post(
        REGISTER, intake_post(agency, penalty, applicants=[company]), follow=True
    )
    assert "已登记" in response.content.decode()
    party = Party.objects.get(role=Party.Role.APPLICANT)
    assert party.uscc == "91429005MA4ABC1290" and party.uscc_checksum_confirmed


def test_art60_and_reconsideration_first_answers_are_asked_for(client_as, clerk, agency):
    info = factories.category("INFO_DISCLOSURE")
    html = client_as(clerk).post(REGISTER, intake_post(agency, info)).content.decode()
    assert "一般不属于《行政诉讼法》第六十条规定的可调解范围" in html
    assert not Case.objects.exists()
    data = intake_post(agency, info, art60_basis="discretion")
    html = client_as(clerk).post(REGISTER, data).content.decode()
    assert "属于《行政复议法》第二十三条规定的复议前置事项" in html
    data = intake_post(agency, info, art60_basis="discretion", reconsideration_first_notified="on")
    assert "已登记" in client_as(clerk).post(REGISTER, data, follow=True).content.decode()


def test_duplicate_registration_asks_for_confirmation_and_keeps_the_form(
    client_as, clerk, agency, penalty
):
    client = client_as(clerk)
    client.post(REGISTER, intake_post(agency, penalty))
    first = Case.objects.get()
    html = client.post(
        REGISTER, intake_post(agency, penalty, facts_and_reasons="第二次申请")
    ).content.decode()
    assert "可能与以下未结案件重复" in html
    assert first.registration_no in html
    assert "第二次申请" in html
    assert Case.objects.count() == 1
    data = intake_post(agency, penalty, facts_and_reasons="第二次申请")
    data["confirm_not_duplicate"] = "on"
    assert "已登记" in client.post(REGISTER, data, follow=True).content.decode()
    assert CaseLink.objects.get().linked_case == first


def test_two_applicants_and_claims(client_as, clerk, agency, penalty):
    data = intake_post(
        agency,
        penalty,
        applicants=[applicant(), applicant(name="李秀英", id_number="429005199507152468")],
        claims=["撤销处罚决定", "退还罚款"],
    )
    client_as(clerk).post(REGISTER, data)
    case = Case.objects.get()
    assert list(case.parties.filter(role="applicant").values_list("name", flat=True)) == [
        "王建国",
        "李秀英",
    ]
    assert list(case.claims.values_list("text", flat=True)) == ["撤销处罚决定", "退还罚款"]


def test_deleted_extra_applicant_is_ignored(client_as, clerk, agency, penalty):
    data = intake_post(
        agency, penalty, applicants=[applicant(), applicant(name="删掉的人", DELETE="on")]
    )
    client_as(clerk).post(REGISTER, data)
    assert not Party.objects.filter(name="删掉的人").exists()


def test_court_liaison_creates_a_referral_with_materials(
    client_as, court_liaison, office, agency, penalty
):
    data = intake_post(agency, penalty, source="court_referral")
    data.update(
        {
            "office-office": str(office.pk),
            "referral-letter_no": "（2026）鄂9005委调7号",
            "referral-letter_date": "2026-11-26",
            "referral-complaint_received_date": "2026-11-20",
            "referral-parties_consent": "on",
            "files-referral_letter": SimpleUploadedFile("委派函.pdf", b"%PDF-1.4 test"),
        }
    )
    response = client_as(court_liaison).post(REFERRAL_NEW, data, follow=True)
    assert (
        "已委派至潜江市行政争议化解工作室，工作室应于2026年12月2日前签收或退回。"
        in response.content.decode()
    )
    case = Case.objects.get()
    assert case.status == Status.REFERRAL_PENDING and case.court == court_liaison.court
    assert Attachment.objects.get(case=case).kind == Attachment.Kind.REFERRAL_LETTER


def test_referral_without_consent_or_with_a_bad_file_saves_nothing(
    client_as, court_liaison, office, agency, penalty
):
    data = intake_post(agency, penalty, source="court_referral")
    data.update(
        {
            "office-office": str(office.pk),
            "referral-letter_no": "（2026）鄂9005委调7号",
            "referral-letter_date": "2026-11-26",
            "referral-complaint_received_date": "2026-11-20",
            "files-referral_letter": SimpleUploadedFile("委派函.pdf", b"not a pdf"),
        }
    )
    html = client_as(court_liaison).post(REFERRAL_NEW, data).content.decode()
    assert "委派调解须经当事人同意" in html
    assert "文件内容与扩展名不符" in html
    assert "浏览器不会保留已选择的文件（委派函.pdf），请重新选择。" in html
    assert not Case.objects.exists()


def test_clerk_records_a_paper_referral(client_as, clerk, court, agency, penalty):
    data = intake_post(agency, penalty, source="court_referral")
    data.update(
        {
            "court-court": str(court.pk),
            "referral-letter_no": "（2026）鄂9005委调8号",
            "referral-letter_date": "2026-11-26",
            "referral-complaint_received_date": "2026-11-20",
            "referral-parties_consent": "on",
        }
    )
    response = client_as(clerk).post(REFERRAL_RECORD, data, follow=True)
    assert "委派函已录入，待潜江市人民法院法院联络员确认后即可签收。" in response.content.decode()
    assert Case.objects.get().status == Status.REFERRAL_UNCONFIRMED
