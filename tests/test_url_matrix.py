"""Every URL pattern of the project is in the permission matrix: the suite proves, for
each, that anonymous users are sent to sign in, that a user out of role or scope
(another office, court or agency) is refused with 403 or 404, and that an allowed user
gets the page; or the pattern is declared below with the reason it needs less.

The URL patterns come from the resolver, not from a list kept by hand, so a new view
without those tests fails this test. It judges only a run of the whole suite (the
requests of every other test are what it reads); when `make test` spreads the suite
over several processes, the controlling process judges what they all proved, after the
last of them is done (tests/conftest.py)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests import url_matrix
from tests.url_matrix import ALLOWED, ANONYMOUS, DENIED

# Open without signing in, on purpose.
PUBLIC = {
    "login": "the sign-in page",
    "logout": "signing out (POST only)",
    "favicon": "a redirect to the static icon",
    "healthz": "the load balancer's health check: no data, only ok or which check failed",
}

# Open to every signed-in user: each shows only the user's own things, so there is no
# role or scope to refuse, only anonymous users.
EVERY_SIGNED_IN_USER = {
    "home": "the user's own home page",
    "deadlines": "the deadlines of the user's own scope",
    "notifications": "the user's own notices",
    "notifications_read": "marks the user's own notices read",
    "password_change": "the user's own password",
    "password_change_done": "the user's own password",
    "session_status": "the user's own session",
    "two_factor_setup": "the user's own authenticator",
    "two_factor_verify": "the user's own second factor at sign-in",
    "two_factor_recovery_codes": "the user's own recovery codes",
    "cases:calendar": "the State Council's public holiday calendar, the same for everyone",
    "cases:deadline_calculator": "a calculator over the public calendar, no records",
}


def url_names(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}"


def missing_proofs() -> dict[str, list[str]]:
    """Each URL pattern's proofs that the suite's requests have not given."""
    missing = {}
    for name in sorted(set(url_names())):
        if name.startswith("admin:"):
            continue  # Django's admin: staff sign-in and per-model permissions
        if name in PUBLIC:
            continue
        needed = {ANONYMOUS, ALLOWED}
        if name not in EVERY_SIGNED_IN_USER:
            needed.add(DENIED)
        if lacking := needed - url_matrix.PROVEN.get(name, set()):
            missing[name] = sorted(lacking)
    return missing


def report(missing: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {', '.join(why)}" for name, why in missing.items())


def test_every_url_is_in_the_permission_matrix(request):
    if not getattr(request.config, "whole_suite_collected", False):
        pytest.skip("judges only a run of the whole suite")
    if hasattr(request.config, "workerinput"):
        pytest.skip("in a run over several processes the controller judges (tests/conftest.py)")
    missing = missing_proofs()
    assert missing == {}, report(missing)
