"""Identifier validation (DOMAIN.md §5): the brief's samples and property tests."""

from datetime import date, timedelta

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from cases.identifiers import (
    CITIZEN_ID_WEIGHTS,
    USCC_CHARS,
    IdentifierError,
    citizen_id_check_char,
    mask_citizen_id,
    org_code_check_char,
    parse_citizen_id,
    parse_uscc,
    uscc_check_char,
)
from cases.validators import (
    CitizenIdField,
    UsccField,
    document_number_looks_standard,
    normalise_document_number,
)
from tests.helpers import CREDIT_CODE_CHARS, citizen_id, credit_code

TODAY = date(2026, 11, 27)


# --- Citizen ID number -----------------------------------------------------------


@pytest.mark.parametrize(
    "number", ["11010519491231002X", "429005198001011233", "429005199507152468"]
)
def test_published_and_brief_samples_are_valid(number):
    assert parse_citizen_id(number, today=TODAY).number == number


def test_standard_sample_born_1880_has_a_valid_check_but_an_implausible_birth_date():
    # GB 11643's own example is born in 1880: its check character is right,
    # but the brief's step 2 (birth date on or after 1900-01-01) refuses it.
    number = "440524188001010014"
    assert citizen_id_check_char(number[:17]) == number[17]
    with pytest.raises(IdentifierError) as exc:
        parse_citizen_id(number, today=TODAY)
    assert exc.value.message == "身份证号码中的出生日期早于1900年，请核对。"


def test_qianjiang_sample_encodes_birth_date_and_gender():
    parsed = parse_citizen_id("429005198001011233", today=TODAY)
    assert parsed.birth_date == date(1980, 1, 1)
    assert parsed.gender_label == "男"
    assert parse_citizen_id("429005199507152468", today=TODAY).gender_label == "女"


def test_wrong_check_character_is_refused_in_chinese():
    with pytest.raises(IdentifierError) as exc:
        parse_citizen_id("429005198001011230", today=TODAY)
    assert exc.value.code == "citizen_id_checksum"
    assert "校验位不正确" in exc.value.message


def test_lower_case_x_spaces_and_full_width_digits_are_accepted():
    assert parse_citizen_id(" 11010519491231002x ", today=TODAY).number == "11010519491231002X"
    assert (
        parse_citizen_id("４２９００５１９８００１０１１２３３", today=TODAY).number
        == "429005198001011233"
    )


def test_fifteen_digit_legacy_number_is_converted():
    # 429005 800101 123 → 18 digits with "19" inserted and a computed check character.
    parsed = parse_citizen_id("429005800101123", today=TODAY)
    assert parsed.number == "429005198001011233"
    assert parsed.converted_from_15


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("42900519800101123", "citizen_id_format"),
        ("4290051980010112333", "citizen_id_format"),
        ("42900519800101123A", "citizen_id_format"),
        ("009005198001011233", "citizen_id_region"),
    ],
)
def test_malformed_numbers(number, code):
    with pytest.raises(IdentifierError) as exc:
        parse_citizen_id(number, today=TODAY)
    assert exc.value.code == code


@pytest.mark.parametrize(
    "number",
    # GB 11643-1999's examples and the brief's samples.
    ["11010519491231002X", "440524188001010014", "429005198001011233", "429005199507152468"],
)
def test_the_reference_check_of_the_tests_agrees_with_published_numbers(number):
    assert citizen_id(number[:17]) == number


def test_check_character_matches_published_numbers():
    assert citizen_id_check_char("11010519491231002") == "X"
    assert citizen_id_check_char("44052418800101001") == "4"
    assert citizen_id_check_char("42900519800101123") == "3"
    assert citizen_id_check_char("42900519950715246") == "8"


def test_impossible_birth_date_is_refused():
    with pytest.raises(IdentifierError) as exc:
        parse_citizen_id(citizen_id("42900519990230123"), today=TODAY)
    assert "不是真实存在的日期" in exc.value.message


def test_birth_date_in_the_future_is_refused():
    with pytest.raises(IdentifierError) as exc:
        parse_citizen_id(citizen_id("42900520261128123"), today=TODAY)
    assert exc.value.message == "身份证号码中的出生日期晚于今天，请核对。"


def test_born_today_is_accepted():
    assert parse_citizen_id(citizen_id("42900520261127123"), today=TODAY)


def test_masking_keeps_first_six_and_last_four():
    assert mask_citizen_id("429005198001011233") == "429005********1233"


def test_weights_are_the_published_ones():
    # GB 11643-1999 §8.2: W_i = 2^(i-1) mod 11, written out from the standard's table.
    assert list(CITIZEN_ID_WEIGHTS) == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    assert list(CITIZEN_ID_WEIGHTS) == [2 ** (17 - i) % 11 for i in range(17)]


birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
regions = st.sampled_from(["429005", "110105", "440524", "420100", "650102"])
sequences = st.integers(min_value=0, max_value=999)


@st.composite
def citizen_ids(draw):
    return citizen_id(f"{draw(regions)}{draw(birth_dates):%Y%m%d}{draw(sequences):03d}")


@given(citizen_ids())
def test_generated_valid_numbers_pass(number):
    assert parse_citizen_id(number, today=TODAY).number == number
    assert citizen_id_check_char(number[:17]) == number[17]


@given(citizen_ids(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_character_change_fails(number, position, replacement):
    if number[position] == replacement:
        return
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(IdentifierError):
        parse_citizen_id(changed, today=TODAY)


# --- Unified social credit code ---------------------------------------------------


CREDIT_CODE_SAMPLES = [
    "91350100M000100Y43",  # GB 32100-2015's own example
    "91310110666007217T",
    "91429005MA4ABC129K",
    "11429005012345671C",
]


@pytest.mark.parametrize("code", CREDIT_CODE_SAMPLES)
def test_credit_code_samples_are_valid(code):
    assert parse_uscc(code).checksum_ok
    assert uscc_check_char(code[:17]) == code[17]


@pytest.mark.parametrize("code", CREDIT_CODE_SAMPLES)
def test_the_reference_credit_code_check_of_the_tests_agrees_with_the_samples(code):
    assert credit_code(code[:17]) == code


def test_credit_code_alphabet_leaves_out_i_o_z_s_v():
    assert USCC_CHARS == CREDIT_CODE_CHARS


def test_credit_code_mismatch_is_reported_not_raised():
    parsed = parse_uscc("91429005MA4ABC1290")
    assert not parsed.checksum_ok
    assert parsed.code == "91429005MA4ABC1290"


def test_embedded_organisation_code_check():
    assert org_code_check_char("MA4ABC12") == "9"
    assert org_code_check_char("01234567") == "1"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91429005MA4ABC129", "uscc_length"),
        ("91429005MA4ABC129KK", "uscc_length"),
        ("91429005MA4ABCI29K", "uscc_charset"),
        ("91429005MA4ABCO29K", "uscc_charset"),
    ],
)
def test_malformed_credit_codes(code, error):
    with pytest.raises(IdentifierError) as exc:
        parse_uscc(code)
    assert exc.value.code == error


credit_bodies = st.text(alphabet=CREDIT_CODE_CHARS, min_size=17, max_size=17)


@given(credit_bodies)
def test_generated_valid_credit_codes_pass(body):
    code = credit_code(body)
    assert parse_uscc(code).checksum_ok
    assert uscc_check_char(body) == code[17]


@given(credit_bodies, st.integers(min_value=0, max_value=17), st.sampled_from(CREDIT_CODE_CHARS))
def test_any_single_character_change_of_a_credit_code_fails(body, position, replacement):
    code = credit_code(body)
    if code[position] == replacement:
        return
    changed = code[:position] + replacement + code[position + 1 :]
    assert not parse_uscc(changed).checksum_ok


# --- Form fields ---------------------------------------------------------------------


class PersonForm(forms.Form):
    id_number = CitizenIdField()


class OrganisationForm(forms.Form):
    uscc = UsccField()


def test_citizen_id_field_cleans_and_explains():
    form = PersonForm({"id_number": "429005800101123"})
    assert form.is_valid()
    assert form.cleaned_data["id_number"] == "429005198001011233"
    form = PersonForm({"id_number": "429005198001011230"})
    assert not form.is_valid()
    assert "校验位不正确" in form.errors["id_number"][0]


def test_uscc_field_needs_confirmation_for_a_checksum_mismatch():
    form = OrganisationForm({"uscc_0": "91429005MA4ABC1290"})
    assert not form.is_valid()
    assert "校验位与前17位不符" in form.errors["uscc"][0]
    form = OrganisationForm({"uscc_0": "91429005MA4ABC1290", "uscc_1": "on"})
    assert form.is_valid()
    assert form.cleaned_data["uscc"] == "91429005MA4ABC1290"


def test_uscc_field_never_accepts_a_malformed_code_even_when_confirmed():
    form = OrganisationForm({"uscc_0": "91429005MA4ABCI29K", "uscc_1": "on"})
    assert not form.is_valid()
    assert "不含字母 I、O、Z、S、V" in form.errors["uscc"][0]


def test_uscc_field_normalises_case():
    form = OrganisationForm({"uscc_0": "91429005ma4abc129k"})
    assert form.is_valid()
    assert form.cleaned_data["uscc"] == "91429005MA4ABC129K"


# --- Document numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("潜人社工认〔2024〕12号", True),
        ("潜人社工认[2024]12号", True),
        ("潜人社工认（2024）12号", True),
        ("潜公（治）行罚决字〔2024〕0335号", True),
        ("潜城管罚字第0012号", False),
        ("2024-12", False),
    ],
)
def test_document_number_soft_check(value, expected):
    assert document_number_looks_standard(value) is expected


def test_document_number_brackets_are_normalised():
    assert normalise_document_number(" 潜人社工认[2024]12号 ") == "潜人社工认〔2024〕12号"


def test_future_check_uses_today(time_machine):
    time_machine.move_to(date(2030, 1, 1))
    assert PersonForm({"id_number": citizen_id("42900520291231123")}).is_valid()
    time_machine.move_to(TODAY)
    assert not PersonForm(
        {"id_number": citizen_id(f"429005{TODAY + timedelta(days=1):%Y%m%d}123")}
    ).is_valid()


def test_masking_short_documents_hides_more_than_it_shows():
    assert mask_citizen_id("E1234567") == "E1****67"
    assert mask_citizen_id("123") == "***"
