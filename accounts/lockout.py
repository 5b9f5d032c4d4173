"""Sign-in lockout (django-axes): a username, and separately an address, that fails
``LOGIN_FAILURE_LIMIT`` times within ``LOGIN_FAILURE_WINDOW`` is refused for
``AXES_COOLOFF_TIME``, with a Chinese message saying until when.

Axes keeps one row per username and address with the failures since it was created
(an administrator deleting it lifts the lock) and a log of every failed attempt with its
time. A failure counts while it is younger than the window and the row still exists; a
lock, once reached, lasts the whole cool-off from the failure that reached it (failures
during a lock are not recorded, so they do not extend it).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

log = logging.getLogger("accounts.security")


def _now(request: HttpRequest) -> datetime:
    return getattr(request, "axes_attempt_time", None) or timezone.now()


def _groups(request: HttpRequest, credentials: dict | None) -> list[dict[str, Any]]:
    """The lockout parameters of this attempt: {"username": …} and {"ip_address": …}."""
    return get_client_parameters(
        get_client_username(request, credentials),
        request.axes_ip_address,  # type: ignore[attr-defined]
        request.axes_user_agent,  # type: ignore[attr-defined]
        request,
        credentials,
    )


class WindowedDatabaseHandler(AxesDatabaseHandler):
    """Axes' database handler, counting only the failures of the window."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        now = _now(request)
        window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
        cool_off = get_cool_off(request) or timedelta(0)
        worst = 0
        for group, attempts in zip(
            _groups(request, credentials),
            self.get_user_attempts(request, credentials),
            strict=True,
        ):
            since_reset = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if not since_reset:
                continue
            logs: QuerySet[AccessFailureLog] = AccessFailureLog.objects.filter(**group)
            if logs.filter(locked_out=True, attempt_time__gte=now - cool_off).exists():
                worst = max(worst, since_reset)
                continue
            recent = logs.filter(attempt_time__gte=now - window).count()
            # The failure being handled is logged only after it is counted.
            recent += getattr(request, "axes_failure_in_progress", 0)
            worst = max(worst, min(since_reset, recent))
        return worst

    def user_login_failed(self, sender: Any, credentials: dict, request: Any = None, **kwargs):
        if request is not None:
            request.axes_failure_in_progress = 1
        try:
            super().user_login_failed(sender, credentials, request, **kwargs)
        finally:
            if request is not None:
                request.axes_failure_in_progress = 0


def locked_until(request: HttpRequest, credentials: dict | None = None) -> datetime | None:
    """When the lock on this username or address ends (the later of the two)."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    ends = []
    for group in _groups(request, credentials):
        last = AccessAttempt.objects.filter(**group).aggregate(last=Max("attempt_time"))["last"]
        if last is not None:
            ends.append(last + cool_off)
    return max(ends) if ends else None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The sign-in page again, saying why and until when (axes' AXES_LOCKOUT_CALLABLE)."""
    until = locked_until(request, credentials)
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    when = (
        f"请于{timezone.localtime(until):%H:%M}后再试"
        if until is not None
        else f"请{minutes}分钟后再试"
    )
    message = (
        f"连续登录失败次数过多，已暂停登录{minutes}分钟，{when}。如需提前解除，请联系系统管理员。"
    )
    username = get_client_username(request, credentials) or ""
    log.warning(
        "sign-in locked: username=%r address=%s until=%s",
        username,
        getattr(request, "axes_ip_address", ""),
        until.isoformat() if until else "",
    )
    form = AuthenticationForm(request, initial={"username": username})
    return render(
        request,
        "registration/login.html",
        {"form": form, "lockout_message": message, "next": request.POST.get("next", "")},
        status=429,
    )
