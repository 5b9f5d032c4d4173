"""The server-error page, and the page of an address that takes no GET. 400, 403, 404 and
CSRF failures use Django's own views with the templates of the same names (400.html,
403.html, 404.html, 403_csrf.html)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

log = logging.getLogger(__name__)

# If even the page on the base layout cannot be drawn (a static file missing from the
# manifest, a broken template), this is sent instead.
FALLBACK = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>系统错误 · 潜江市行政争议化解工作室</title></head>
<body><h1>系统暂时出现错误</h1><p>错误已记录，请稍后重试。如问题持续，请联系系统管理员。</p>
<p><a href="/">返回首页</a></p></body></html>
"""


def server_error(request: HttpRequest) -> HttpResponse:
    """500.html on the base layout, rendered without the request: its context processors
    query the database, which may be what failed."""
    try:
        body = loader.get_template("500.html").render()
    except Exception:
        log.exception("The server-error page could not be rendered")
        body = FALLBACK
    return HttpResponseServerError(body)


class MethodNotAllowedPageMiddleware:
    """An action's address (a button's POST) opened in the address bar or from a bookmark:
    Django answers 405 with an empty body; this draws a page that says what happened.
    Placed after the CSP middleware, so that the page's nonce is in the header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.method != "GET" or response.content:
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page
