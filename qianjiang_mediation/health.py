"""``/healthz`` for a load balancer: may this app server take requests?

It answers 200 with ``{"status": "ok", "checks": {...}}`` when the database is
reachable, every migration is applied, both file storages take a write and a
delete, and the vendored document fonts are there; otherwise 503 naming the
check that failed. The answer never carries an exception's text or a path: the
reason is logged on the server.

``HealthCheckMiddleware`` answers it first in the middleware chain, before the
host check, the HTTPS redirect, the session and the sign-in rules: a load
balancer probes each server by its address over plain HTTP, with no cookie, and
a probe is no user's activity. Nothing in the answer depends on the request.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from documents import fonts

log = logging.getLogger("qianjiang.health")

PATH = "/healthz"


class CheckFailed(Exception):
    """A check's failure, with the short code the answer shows."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_database() -> None:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        raise CheckFailed("unreachable") from exc


def check_migrations() -> None:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        raise CheckFailed("unknown") from exc
    if plan:
        raise CheckFailed("unapplied")


def _check_storage(alias: str) -> None:
    """Write a small file through the storage's API and delete it again (so an
    S3-compatible store is checked the same way as a local disk)."""
    try:
        storage = storages[alias]
        name = storage.save(f"healthz/{uuid.uuid4().hex}.probe", ContentFile(b"ok"))
        storage.delete(name)
    except Exception as exc:
        raise CheckFailed("not_writable") from exc


def check_media() -> None:
    _check_storage("default")


def check_private_files() -> None:
    _check_storage("private")


def check_fonts() -> None:
    # Verified in full once per process, then only that the files are still there.
    try:
        fonts.ensure_usable()
    except Exception as exc:
        raise CheckFailed("missing") from exc


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "migrations": check_migrations,
    "media": check_media,
    "private_files": check_private_files,
    "fonts": check_fonts,
}


def run_checks() -> dict[str, str]:
    """Each check's result: "ok" or the short code of its failure."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except CheckFailed as exc:
            log.error("health check %s failed: %s", name, exc.code, exc_info=exc.__cause__)
            results[name] = exc.code
        except Exception:
            log.exception("health check %s failed", name)
            results[name] = "error"
        else:
            results[name] = "ok"
    return results


@login_not_required
@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    results = run_checks()
    healthy = all(result == "ok" for result in results.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    """Answer ``/healthz`` before any other middleware (first in ``MIDDLEWARE``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH:
            return healthz(request)
        return self.get_response(request)
