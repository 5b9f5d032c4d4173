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
