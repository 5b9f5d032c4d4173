"""The session's own endpoint: how long is left, and staying signed in."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.sessions import WARNING_SECONDS, remaining


@never_cache
@require_http_methods(["GET", "POST"])
def session_status(request: HttpRequest) -> JsonResponse:
    """GET: seconds until the session ends (asking is not activity). POST: stay signed
    in (the idle-timeout middleware counts the request as activity)."""
    return JsonResponse({"remaining": remaining(request), "warning": WARNING_SECONDS})
