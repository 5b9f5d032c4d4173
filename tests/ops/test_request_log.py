"""With DJANGO_LOG_JSON=true every request is one JSON line on qianjiang.requests."""

import json
import logging

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from qianjiang_mediation.requestlog import JsonFormatter

pytestmark = pytest.mark.django_db

LOGGER = "qianjiang.requests"


@pytest.fixture
def request_log(caplog, settings):
    """The request records; the logger does not propagate to the root, where caplog listens."""
    settings.LOG_JSON_REQUESTS = True
    logger = logging.getLogger(LOGGER)
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger=LOGGER)
    yield lambda: [
        json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == LOGGER
    ]
    logger.removeHandler(caplog.handler)


def test_a_signed_in_request_is_one_line(request_log, client_as, clerk):
    client = client_as(clerk)
    assert client.get(reverse("cases:list") + "?q=420983199001011234").status_code == 200
    (line,) = request_log()
    assert line["method"] == "GET"
    assert line["path"] == "/cases/"
    assert line["status"] == 200
    assert line["user_id"] == clerk.pk
    assert line["remote_addr"] == "127.0.0.1"
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")
    assert line["logger"] == LOGGER
    # The query string may hold an ID number: it is never logged.
    assert "420983199001011234" not in json.dumps(line)


def test_an_anonymous_request_has_no_user(request_log, client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    (line,) = request_log()
    assert line["status"] == 302
    assert line["user_id"] is None


@pytest.mark.urls("tests.ops.urls")
def test_errors_are_logged_with_their_status(request_log, client_as, clerk):
    client = client_as(clerk)
    client.raise_request_exception = False
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/boom/").status_code == 500
    assert [(line["path"], line["status"]) for line in request_log()] == [
        ("/no-such-page/", 404),
        ("/boom/", 500),
    ]


def test_behind_the_proxy_the_address_is_the_one_it_appended(request_log, settings, client):
    settings.BEHIND_TLS_PROXY = True
    client.get(
        reverse("login"),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
    )
    settings.BEHIND_TLS_PROXY = False
    client.get(reverse("login"), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert [line["remote_addr"] for line in request_log()] == ["203.0.113.9", "10.0.0.2"]


def test_nothing_is_logged_unless_asked(request_log, settings, client):
    settings.LOG_JSON_REQUESTS = False
    client.get(reverse("login"))
    assert request_log() == []


def test_the_health_probe_is_not_logged(request_log, client):
    assert client.get("/healthz").status_code == 200
    assert request_log() == []


def test_the_logger_writes_json_lines_only():
    config = django_settings.LOGGING
    assert config["loggers"][LOGGER] == {"handlers": ["json"], "level": "INFO", "propagate": False}
    assert config["handlers"]["json"]["formatter"] == "json"
    record = logging.LogRecord(LOGGER, logging.INFO, __file__, 1, "GET / 200", None, None)
    record.fields = {"status": 200, "path": "/案件/"}
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line)["path"] == "/案件/"
