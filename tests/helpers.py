"""Helpers the test modules share (the fixtures, personas included, are in conftest.py)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

PDF = b"%PDF-1.4\n%%EOF\n"


def pdf(name: str = "a.pdf") -> SimpleUploadedFile:
    """The smallest file the upload checks accept as a PDF."""
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def html_of(response) -> str:
    return response.content.decode()


def check(request, client, client_as, target, expected, *, method="get", data=None):
    """Anonymous users go to the login page; each persona gets the expected status code."""
    anonymous = getattr(client, method)(target, data or {})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    got = {}
    for persona in expected:
        persona_client = client_as(request.getfixturevalue(persona))
        got[persona] = getattr(persona_client, method)(target, data or {}).status_code
    assert got == expected, got


# Reference check characters written from the standards, independently of
# cases.identifiers, so that tests do not compute expected values with the code
# they test.


def citizen_id(body17: str) -> str:
    """A citizen ID number: the 17 characters and their ISO 7064 MOD 11-2 check (GB 11643-1999).

    ISO 7064's recursive form: carry ``(p + digit) * 2 mod 11`` over the digits; the check
    value makes the total 1 mod 11, and 10 is written X.
    """
    p = 0
    for digit in body17:
        p = (p + int(digit)) * 2 % 11
    value = (12 - p) % 11
    return body17 + ("X" if value == 10 else str(value))


CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 table 1: no I O Z S V
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(body17: str) -> str:
    """A unified social credit code: the 17 characters and their GB 32100-2015 check (MOD 31)."""
    total = sum(
        CREDIT_CODE_CHARS.index(char) * weight
        for char, weight in zip(body17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return body17 + CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def first_check_misses(monkeypatch, module, name: str) -> None:
    """A twin record commits just after the service's first look for it (``module.name``):
    that look finds nothing, the later ones run as written."""
    real = getattr(module, name)
    calls = 0

    def late(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls > 1:
            return real(*args, **kwargs)
        return None

    monkeypatch.setattr(module, name, late)
