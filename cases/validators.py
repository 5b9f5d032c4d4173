"""Identifier validators and form fields for Django, built on :mod:`cases.identifiers`."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.identifiers import (
    USCC_CHECKSUM_MESSAGE,
    IdentifierError,
    parse_citizen_id,
    parse_uscc,
    plain_number,
)

DOCUMENT_NUMBER_RE = re.compile(r"^.+〔(19|20)\d{2}〕\d+号$")
# 最高人民法院关于人民法院案件案号的若干规定 (DOMAIN.md §4.1), checked softly.
COURT_CASE_NUMBER_RE = re.compile(
    r"^（(19|20)\d{2}）[\u4e00-\u9fa5]{1,3}\d{0,4}[\u4e00-\u9fa5]{0,1}[\u4e00-\u9fa5]{1,5}\d+号$"
)


# 最高人民法院关于综合治理类司法建议工作若干问题的规定, Annex 1 (DOMAIN.md §4.3), checked softly.
SUGGESTION_NUMBER_RE = re.compile(r"^[\u4e00-\u9fa5]{0,8}法建〔(19|20)\d{2}〕\d+号$")


def normalise_court_case_number(value: str) -> str:
    """Court numbers use full-width brackets and half-width digits: （2025）鄂9005行初12号."""
    return plain_number(value or "").replace("(", "（").replace(")", "）")


def normalise_suggestion_number(value: str) -> str:
    """Judicial suggestions are numbered like documents: 潜法建〔2025〕3号."""
    return plain_number(value or "").replace("(", "〔").replace(")", "〕")


def suggestion_number_looks_standard(value: str) -> bool:
    return bool(SUGGESTION_NUMBER_RE.match(normalise_suggestion_number(value)))


def court_case_number_looks_standard(value: str) -> bool:
    return bool(COURT_CASE_NUMBER_RE.match(normalise_court_case_number(value)))


def validate_citizen_id(value: str) -> None:
    """Model validator: a complete, valid 18-character citizen ID number."""
    try:
        parsed = parse_citizen_id(value, today=timezone.localdate())
    except IdentifierError as exc:
        raise ValidationError(exc.message, code=exc.code) from None
    if parsed.number != value:
        raise ValidationError("身份证号码应以18位大写形式保存。", code="citizen_id_not_normalised")


def validate_uscc_format(value: str) -> None:
    """Model validator: 18 characters from the GB 32100 alphabet.

    The check character is deliberately not enforced here: a mismatch is a
    warning that the person entering it confirms (see :class:`UsccField`).
    """
    try:
        code = parse_uscc(value)
    except IdentifierError as exc:
        raise ValidationError(exc.message, code=exc.code) from None
    if code.code != value:
        raise ValidationError("统一社会信用代码应以18位大写形式保存。", code="uscc_not_normalised")


def document_number_looks_standard(value: str) -> bool:
    """Soft check of an official document number (GB/T 9704-2012 7.2.5).

    Example: 潜人社工认〔2024〕12号.

    Penalty decisions and notices often use other formats, so callers warn and
    never block on a ``False``.
    """
    return bool(DOCUMENT_NUMBER_RE.match(normalise_document_number(value)))


def normalise_document_number(value: str) -> str:
    """Turn the brackets people type for 〔〕 into the real ones."""
    value = value.strip()
    return re.sub(r"[\[［【(（]((19|20)\d{2})[\]］】)）]", r"〔\1〕", value)


class CitizenIdField(forms.CharField):
    """Accepts 18-digit or legacy 15-digit numbers; cleans to 18 upper-case characters."""

    default_error_messages = {"invalid": "身份证号码格式不正确。"}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 25)
        kwargs.setdefault("label", "公民身份号码")
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "spellcheck": "false", "inputmode": "text"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        try:
            return parse_citizen_id(value, today=timezone.localdate()).number
        except IdentifierError as exc:
            raise ValidationError(exc.message, code=exc.code) from None


class UsccWidget(forms.MultiWidget):
    template_name = "widgets/uscc.html"

    def __init__(self, attrs=None):
        super().__init__(
            [
                forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                forms.CheckboxInput(),
            ],
            attrs,
        )

    def decompress(self, value):
        return [value, False]

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""


class UsccField(forms.MultiValueField):
    """A unified social credit code with the "I have checked it" box of DOMAIN.md §5.2.

    A malformed code is an error. A code whose check character does not match
    is an error only until the user ticks the confirmation box, since pilot-era
    codes exist that fail the check.
    """

    widget = UsccWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "统一社会信用代码")
        fields = (
            forms.CharField(max_length=30, required=False),
            forms.BooleanField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not data_list[0]:
            return ""
        code, confirmed = data_list[0], bool(data_list[1])
        try:
            parsed = parse_uscc(code)
        except IdentifierError as exc:
            raise ValidationError(exc.message, code=exc.code) from None
        if not parsed.checksum_ok and not confirmed:
            raise ValidationError(USCC_CHECKSUM_MESSAGE, code="uscc_checksum")
        return parsed.code
