"""One JSON line per request on the ``qianjiang.requests`` logger, when
``LOG_JSON_REQUESTS`` asks (``DJANGO_LOG_JSON=true``): time, method, path, status,
duration, user id and the client's address.

The path is logged without its query string: a search may carry an ID number.
``/healthz`` is answered before this middleware and is not logged.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

log = logging.getLogger("qianjiang.requests")


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the socket's, or behind the TLS proxy
    (``BEHIND_TLS_PROXY``) the one the proxy appended to X-Forwarded-For — the last
    entry, never one the client could have written itself. Sign-in lockouts count
    failures by the same address (``AXES_CLIENT_IP_CALLABLE``)."""
    if settings.BEHIND_TLS_PROXY:
        appended = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if appended:
            return appended
    return request.META.get("REMOTE_ADDR") or None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.LOG_JSON_REQUESTS:
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user = getattr(request, "user", None)
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": user.pk if user is not None and user.is_authenticated else None,
            "remote_addr": client_address(request),
        }
        log.info(
            "%s %s %s", request.method, request.path, response.status_code, extra={"fields": fields}
        )
        return response


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time (UTC, ISO 8601), level, logger, message and the
    record's ``fields`` (given as ``extra={"fields": {...}}``)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
