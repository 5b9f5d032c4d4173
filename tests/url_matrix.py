"""What the suite's requests proved about each URL pattern: that an anonymous request is
sent to sign in, that a signed-in user out of role or scope is refused (403 or 404), and
that someone allowed gets the page. ``tests/test_url_matrix.py`` reads it at the end of
a whole-suite run, so a new view cannot ship without those tests."""

from __future__ import annotations

from collections import defaultdict

from django.urls import Resolver404, resolve, reverse

ANONYMOUS = "anonymous is sent to sign in"
DENIED = "a signed-in user out of role or scope is refused"
ALLOWED = "an allowed user gets the page"

PROVEN: dict[str, set[str]] = defaultdict(set)


def record(path: str, response) -> None:
    try:
        name = resolve(path).view_name
    except Resolver404:
        return
    request = getattr(response, "wsgi_request", None)
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    status = response.status_code
    if not signed_in:
        if status == 302 and response.get("Location", "").startswith(reverse("login")):
            PROVEN[name].add(ANONYMOUS)
    elif status in (403, 404):
        PROVEN[name].add(DENIED)
    elif status < 400:
        PROVEN[name].add(ALLOWED)
