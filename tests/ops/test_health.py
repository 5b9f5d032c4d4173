"""/healthz tells a load balancer whether this server can take requests."""

import pytest
from django.core.files.storage import storages
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from accounts.sessions import LAST_SEEN
from documents import fonts
from qianjiang_mediation import health

pytestmark = pytest.mark.django_db

SECRET = "/srv/qianjiang/private/secret-dir"
ALL_OK = {
    "database": "ok",
    "migrations": "ok",
    "media": "ok",
    "private_files": "ok",
    "fonts": "ok",
}


def test_it_says_ok_when_everything_works(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": ALL_OK}
    assert "no-store" in response["Cache-Control"]
    assert reverse("healthz") == "/healthz"


def test_the_probe_files_are_deleted_again(client):
    assert client.get("/healthz").status_code == 200
    for alias in ("default", "private"):
        storage = storages[alias]
        assert storage.listdir("healthz")[1] == []


def _fails(client, check, code):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {**ALL_OK, check: code}}
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


def test_a_database_it_cannot_reach_gives_503(client, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError(f'connection to server on socket "{SECRET}" failed')

    monkeypatch.setattr(health, "connections", {"default": Unreachable()})
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "unreachable"
    assert checks["migrations"] != "ok"
    assert SECRET not in response.content.decode()


def test_an_unapplied_migration_gives_503(client, monkeypatch):
    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [("cases.0099", False)]
    )
    _fails(client, "migrations", "unapplied")


@pytest.mark.parametrize(("alias", "check"), [("default", "media"), ("private", "private_files")])
def test_storage_that_refuses_a_write_gives_503(client, settings, alias, check):
    settings.STORAGES = {
        **settings.STORAGES,
        alias: {"BACKEND": "tests.ops.storages.ReadOnlyStorage"},
    }
    body = _fails(client, check, "not_writable")
    assert SECRET not in body


def test_missing_fonts_give_503(client, monkeypatch):
    def gone():
        raise fonts.FontsUnusable(f"字体文件 {SECRET}/NotoSerifCJKsc-Regular.subset.otf 已不存在。")

    monkeypatch.setattr(fonts, "ensure_usable", gone)
    body = _fails(client, "fonts", "missing")
    assert SECRET not in body
    assert "otf" not in body


def test_a_check_that_crashes_gives_503_without_its_text(client, monkeypatch):
    def crash():
        raise RuntimeError(SECRET)

    monkeypatch.setitem(health.CHECKS, "fonts", crash)
    body = _fails(client, "fonts", "error")
    assert SECRET not in body


def test_a_load_balancer_probing_by_address_over_http_is_answered(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["mediation.example.cn"]
    client = Client()
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    # Every other address still is refused for that host and redirected to HTTPS.
    assert Client().get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400
    assert Client().get("/", HTTP_HOST="mediation.example.cn").status_code == 301


def test_it_only_answers_reads(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_a_signed_in_user_is_not_redirected_and_the_probe_is_no_activity(client_as, clerk):
    clerk.must_change_password = True
    clerk.save(update_fields=["must_change_password"])
    client = client_as(clerk)
    session = client.session
    session[LAST_SEEN] = 1_000_000
    session.save()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert client.session[LAST_SEEN] == 1_000_000
    # Any page would have sent this user to change the password.
    assert client.get(reverse("home")).status_code == 302
