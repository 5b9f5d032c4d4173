"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Without Chromium the tests are skipped with a visible reason, except under
CI=true, where a missing browser must fail the run.
"""

import os
import shutil
import threading

import pytest
from pytest_django.live_server_helper import LiveServer

from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = os.path.exists(CHROMIUM)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" not in str(item.fspath).replace(os.sep, "/"):
            continue
        item.add_marker(pytest.mark.browser)
        if not HAVE_CHROMIUM and not IN_CI:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"Chromium not found at {CHROMIUM}: apt-get install chromium "
                    "(or set CHROMIUM_PATH) to run the browser tests"
                )
            )


class _OneRequestAtATime:
    """A WSGI handler serving one request at a time, from the call to the response's
    close().

    On SQLite the tests' database lives in memory, and the live server's threads share
    its one connection. Two requests at once (two pages of a test, or a page and its
    assets) can then deadlock inside Python's sqlite3: one thread, inside a query that
    calls a Python function (Django's date functions), waits for the interpreter lock
    while holding the connection's mutex; the other holds the interpreter lock while
    binding parameters and waits for that mutex."""

    lock = threading.Lock()

    def __init__(self, handler):
        self.handler = handler

    def __call__(self, environ, start_response):
        self.lock.acquire()
        try:
            response = self.handler(environ, start_response)
        except BaseException:
            self.lock.release()
            raise
        return _ReleasedOnClose(response, self.lock)


class _ReleasedOnClose:
    def __init__(self, response, lock):
        self.response, self.lock = response, lock

    def __iter__(self):
        return iter(self.response)

    def close(self):
        try:
            if hasattr(self.response, "close"):
                self.response.close()
        finally:
            self.lock.release()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, one request at a time when it shares the tests'
    in-memory SQLite connection (``_OneRequestAtATime``); as many as come on PostgreSQL."""
    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address, start=False)
    if server.thread.connections_override:
        static_handler = server.thread.static_handler
        server.thread.static_handler = lambda handler: _OneRequestAtATime(static_handler(handler))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def console_errors(page):
    """Console errors and page exceptions seen while the test runs (CSP violations land here)."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _sign_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


@pytest.fixture
def login(page, live_server):
    """Sign in through the real login form."""

    def sign_in(username: str, password: str = PASSWORD):
        _sign_in(page, live_server.url, username, password)

    return sign_in


@pytest.fixture
def page_as(browser, live_server, browser_context_args):
    """``page_as("head")``: a separate browser window signed in as that user.

    Each page records console errors in ``page.console_errors``.
    """
    contexts = []

    def open_page(username: str):
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        new_page = context.new_page()
        new_page.console_errors = []
        new_page.on(
            "console",
            lambda msg: new_page.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        new_page.on("pageerror", lambda exc: new_page.console_errors.append(str(exc)))
        _sign_in(new_page, live_server.url, username)
        return new_page

    yield open_page
    for context in contexts:
        context.close()
