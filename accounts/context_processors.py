"""What the page's session script needs: when to warn, and a form kept across sign-in."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from accounts.sessions import WARNING_SECONDS, take_draft
from accounts.two_factor import required_for


def session(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not hasattr(request, "_restored_form"):
        request._restored_form = take_draft(request)  # type: ignore[attr-defined]
    return {
        "session_idle_seconds": settings.SESSION_IDLE_MINUTES * 60,
        "session_warning_seconds": WARNING_SECONDS,
        "restored_form": request._restored_form,  # type: ignore[attr-defined]
        "two_factor": required_for(user),
    }
