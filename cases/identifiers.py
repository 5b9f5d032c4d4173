"""Identifier algorithms (DOMAIN.md §5), pure Python with Chinese error messages.

* Citizen ID number, GB 11643-1999: ISO 7064 MOD 11-2 check character, a real
  birth date not in the future; 15-digit numbers (GB 11643-1989) are converted.
* Unified social credit code, GB 32100-2015: MOD 31 check character. Pilot-era
  codes exist that fail the check, so a mismatch is reported separately from a
  malformed code and callers may let a person confirm it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

CITIZEN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CITIZEN_ID_CHECK = "10X98765432"
# Province-level prefixes of GB/T 2260 (11–65 mainland, 71 Taiwan, 81/82 HK/Macao).
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_FULLWIDTH = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
    | {chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)}  # Ａ-Ｚ
    | {chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)}  # ａ-ｚ
)


class IdentifierError(ValueError):
    """The input is not a valid identifier; ``message`` is shown to the user."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _normalise(value: str) -> str:
    return re.sub(r"[\s\-]", "", value.translate(_FULLWIDTH)).upper()


# --- Citizen ID number --------------------------------------------------------


def citizen_id_check_char(body17: str) -> str:
    total = sum(int(c) * w for c, w in zip(body17, CITIZEN_ID_WEIGHTS, strict=True))
    return CITIZEN_ID_CHECK[total % 11]


@dataclass(frozen=True)
class CitizenId:
    number: str
    birth_date: date
    is_male: bool
    converted_from_15: bool = False

    @property
    def gender_label(self) -> str:
        return "男" if self.is_male else "女"


def parse_citizen_id(value: str, *, today: date) -> CitizenId:
    """Validate a citizen ID number and return it as 18 characters with what it encodes."""
    raw = _normalise(value)
    converted = False
    if re.fullmatch(r"\d{15}", raw):
        # GB 11643-1989: two-digit year, no check character. All such numbers
        # were issued to people born in the 1900s.
        body = raw[:6] + "19" + raw[6:]
        raw = body + citizen_id_check_char(body)
        converted = True
    if not re.fullmatch(r"\d{17}[\dX]", raw):
        raise IdentifierError(
            "身份证号码应为18位（前17位为数字，最后一位为数字或X），或15位数字的旧号码。",
            "citizen_id_format",
        )
    if int(raw[:2]) not in PROVINCE_CODES:
        raise IdentifierError(
            f"身份证号码前两位“{raw[:2]}”不是有效的省级行政区划代码，请核对。",
            "citizen_id_region",
        )
    try:
        birth = date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError:
        raise IdentifierError(
            f"身份证号码中的出生日期“{raw[6:14]}”不是真实存在的日期。",
            "citizen_id_birth_date",
        ) from None
    if birth < date(1900, 1, 1):
        raise IdentifierError("身份证号码中的出生日期早于1900年，请核对。", "citizen_id_birth_date")
    if birth > today:
        raise IdentifierError("身份证号码中的出生日期晚于今天，请核对。", "citizen_id_birth_date")
    if raw[17] != citizen_id_check_char(raw[:17]):
        raise IdentifierError(
            "身份证号码校验位不正确，可能有数字录入错误，请对照证件逐位核对。",
            "citizen_id_checksum",
        )
    return CitizenId(
        number=raw,
        birth_date=birth,
        is_male=int(raw[16]) % 2 == 1,
        converted_from_15=converted,
    )


def mask_citizen_id(number: str) -> str:
    """Citizen ID: first 6 and last 4 visible (DOMAIN.md §7); shorter documents: 2 and 2."""
    if len(number) >= 15:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    if len(number) <= 4:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]


# --- Unified social credit code ---------------------------------------------


def uscc_check_char(body17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    total = sum(ORG_CODE_CHARS.index(c) * w for c, w in zip(body8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


@dataclass(frozen=True)
class CreditCode:
    code: str
    checksum_ok: bool

    @property
    def registration_authority(self) -> str:
        return self.code[0]

    @property
    def division_code(self) -> str:
        return self.code[2:8]


USCC_CHECKSUM_MESSAGE = (
    "统一社会信用代码校验位与前17位不符，可能录入有误。"
    "请对照营业执照或登记证书核对；个别早期赋码的代码校验位不符，核对无误后可勾选确认继续保存。"
)


def parse_uscc(value: str) -> CreditCode:
    """Check the shape of a credit code; report (not raise) a check-character mismatch."""
    raw = _normalise(value)
    if len(raw) != 18:
        raise IdentifierError(f"统一社会信用代码应为18位，当前为{len(raw)}位。", "uscc_length")
    bad = sorted({c for c in raw if c not in USCC_CHARS})
    if bad:
        raise IdentifierError(
            "统一社会信用代码只能由数字和大写字母组成，且不含字母 I、O、Z、S、V；"
            f"发现不允许的字符：{'、'.join(bad)}。",
            "uscc_charset",
        )
    return CreditCode(code=raw, checksum_ok=raw[17] == uscc_check_char(raw[:17]))


# --- Numbers of documents and court cases -------------------------------------------

# Every bracket people type for the （year） of a court case number or the 〔year〕 of
# a document number, in full and half width.
_OPENING = "(（〔［[【﹝"
_CLOSING = ")）〕］]】﹞"
_TO_HALF_BRACKETS = str.maketrans(_OPENING + _CLOSING, "(" * len(_OPENING) + ")" * len(_CLOSING))


def plain_number(value: str) -> str:
    """A number with half-width brackets and characters and no spaces, case kept."""
    return re.sub(r"\s", "", value.translate(_FULLWIDTH).translate(_TO_HALF_BRACKETS))


def number_key(value: str) -> str:
    """The search key of a number: one kind of bracket, half-width characters, no spaces,
    upper case. Two spellings of one number have the same key."""
    return plain_number(value).upper()


_YEAR = r"(?:19|20)\d{2}"
_LEADING_YEAR = re.compile(rf"^({_YEAR})(\D.*)$")
_INNER_YEAR = re.compile(rf"^(.*\D)({_YEAR})(\d+号.*)$")


def with_year_bracketed(key: str) -> str | None:
    """A number's key typed without the brackets of its year, with them: ``2026鄂9005行初
    12号`` → ``(2026)鄂9005行初12号``, ``潜政复20253号`` → ``潜政复(2025)3号``; None when the
    key has brackets or no year where a number has it."""
    if "(" in key:
        return None
    if match := _LEADING_YEAR.match(key):
        return f"({match[1]}){match[2]}"
    if match := _INNER_YEAR.match(key):
        return f"{match[1]}({match[2]}){match[3]}"
    return None


def search_key(text: str) -> str:
    """What the case register stores and looks up for a number or a name typed any way.

    NFKC turns full-width letters, digits and brackets half-width; every kind of bracket
    people use in numbers (（ ）〔 〕［ ］【 】[ ]) becomes ( ); spaces go; letters are upper-cased.
    ``（2026）鄂0991行调12号`` and ``(2026)鄂0991行调12号`` have one key, so do
    ``潜政复〔2025〕3号`` and ``潜 政 复 [2025] 3 号``.
    """
    normal = unicodedata.normalize("NFKC", text).translate(_TO_HALF_BRACKETS)
    return re.sub(r"\s", "", normal).upper()
