"""Recording reads of personal data: a full ID number shown, searched for, or carried
out of the system in a file (cases/models/access.py)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest

from accounts.audit import client_address
from accounts.models import User
from cases.identifiers import IdentifierError, mask_citizen_id, parse_citizen_id, parse_uscc
from cases.models import AccessKind, AccessPurpose, AccessRecord, Attachment, Case


def record_access(
    request: HttpRequest,
    *,
    kind: AccessKind,
    subject: str,
    case: Case | None = None,
    purpose: str = AccessPurpose.CASE_WORK,
    purpose_note: str = "",
) -> AccessRecord:
    """One row of the access log for what the request's user reads."""
    actor = request.user
    assert isinstance(actor, User)
    return AccessRecord.objects.create(
        kind=kind,
        actor=actor,
        address=client_address(request),
        case=case,
        subject=subject[:200],
        purpose=purpose,
        purpose_note=purpose_note[:200],
    )


def is_sensitive_attachment(attachment: Attachment) -> bool:
    """Files that carry a full ID number: copies of identity documents. Taking one out
    asks for the reason, like revealing the number on screen."""
    return attachment.kind == Attachment.Kind.ID_COPY


def masked_identifier(query: str) -> str | None:
    """The query masked, when it is a full citizen ID number or credit code; else None."""
    text = query.strip().upper()
    if len(text) != 18:
        return None
    try:
        return mask_citizen_id(parse_citizen_id(text, today=date.max).number)
    except IdentifierError:
        pass
    try:
        code = parse_uscc(text)
    except IdentifierError:
        return None
    return f"信用代码 {code.code}"
