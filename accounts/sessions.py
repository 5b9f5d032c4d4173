"""How long a sign-in lasts: it ends after ``SESSION_IDLE_MINUTES`` without a request
(the page warns two minutes before and offers to stay), and in any case
``SESSION_COOKIE_AGE`` seconds after signing in.

A form submitted after the session ended is not lost: its fields (never passwords or
files) are kept in the new, anonymous session with the user's id, and shown again on
the page the form was on once the same user has signed in again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

SIGNED_IN_AT = "_signed_in_at"
LAST_SEEN = "_last_seen"
DRAFT = "_form_draft"
# Whose session ended here: a form this browser sends afterwards is kept for them.
ENDED = "_ended_user"
# The last request is written back at most this often (seconds), not on every request.
WRITE_EVERY = 30
# The page warns this many seconds before the session ends.
WARNING_SECONDS = 120
# Fields never kept: the CSRF token (the new page has its own) and anything secret.
NEVER_KEPT = ("csrfmiddlewaretoken",)
DRAFT_MAX_BYTES = 200_000
KEPT = "登录后将回到原页面，您填写的内容已保留，请核对后再提交。"


def idle_seconds() -> int:
    return settings.SESSION_IDLE_MINUTES * 60


@receiver(user_logged_in)
def _start(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now
        request.session.pop(ENDED, None)


def remaining(request: HttpRequest) -> int:
    """Seconds until this session ends, whichever limit comes first."""
    now = time.time()
    last = request.session.get(LAST_SEEN, now)
    started = request.session.get(SIGNED_IN_AT, now)
    return int(min(last + idle_seconds() - now, started + settings.SESSION_COOKIE_AGE - now))


def _form_page(request: HttpRequest) -> str:
    """The page the submitted form was on: the referring page of this site, else the
    address it was sent to."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parsed = urlparse(referer)
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return request.path


def _draft(request: HttpRequest, user_id: int) -> dict[str, Any] | None:
    fields = {
        name: values
        for name, values in request.POST.lists()
        if name not in NEVER_KEPT and "password" not in name.lower()
    }
    if not fields:
        return None
    draft = {
        "user": user_id,
        "page": _form_page(request),
        "action": request.path,
        "fields": fields,
        "files": bool(request.FILES),
    }
    return draft if len(json.dumps(draft, ensure_ascii=False)) <= DRAFT_MAX_BYTES else None


class IdleTimeoutMiddleware:
    """End a session left idle, or older than its absolute lifetime."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            session = request.session
            last = session.get(LAST_SEEN)
            started = session.get(SIGNED_IN_AT)
            idle = last is not None and now - last > idle_seconds()
            too_old = started is not None and now - started > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                return self._end(request, idle=idle)
            # Asking how long is left is not activity; anything else is.
            if request.path != reverse("session_status") or request.method == "POST":
                if last is None or now - last >= WRITE_EVERY:
                    session[LAST_SEEN] = int(now)
                if started is None:
                    session[SIGNED_IN_AT] = int(now)
        elif request.method == "POST" and request.session.get(ENDED):
            # The page noticed the end first (asking how long was left) and the form
            # was sent afterwards.
            draft = _draft(request, request.session[ENDED])
            if draft and request.path != reverse("login"):
                request.session[DRAFT] = draft
                messages.info(request, KEPT)
                return redirect_to_login(draft["page"])
        return self.get_response(request)

    def _end(self, request: HttpRequest, *, idle: bool) -> HttpResponse:
        user_id: int = request.user.pk  # type: ignore[assignment]  # signed in here
        draft = _draft(request, user_id) if request.method == "POST" else None
        logout(request)
        request.session[ENDED] = user_id
        next_page = draft["page"] if draft else request.get_full_path()
        if draft:
            request.session[DRAFT] = draft
        if idle:
            text = f"您已超过{settings.SESSION_IDLE_MINUTES}分钟未操作，为保护案件信息已自动退出，请重新登录。"
        else:
            hours = settings.SESSION_COOKIE_AGE // 3600
            text = f"本次登录已超过{hours}小时，请重新登录。"
        if draft:
            text += KEPT
        messages.info(request, text)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{reverse('login')}?next={next_page}"
            return response
        if request.path == reverse("session_status"):
            # The page asked how long is left: nothing (an error status would be logged
            # in the browser's console as a failure).
            return JsonResponse({"remaining": 0, "warning": WARNING_SECONDS})
        return redirect_to_login(next_page)


def take_draft(request: HttpRequest) -> dict[str, Any] | None:
    """The kept form of this page for this user, once (removed as it is shown)."""
    user = request.user
    draft = request.session.get(DRAFT) if hasattr(request, "session") else None
    if not draft or not user.is_authenticated:
        return None
    if draft.get("user") != user.pk:
        del request.session[DRAFT]  # another person signed in at this browser
        return None
    if draft.get("page") != request.get_full_path():
        return None
    del request.session[DRAFT]
    return draft
