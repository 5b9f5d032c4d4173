"""The files in deploy/ agree with the application they run."""

import configparser
import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

DEPLOY = Path(settings.BASE_DIR) / "deploy"
NGINX = (DEPLOY / "nginx" / "qianjiang.conf").read_text(encoding="utf-8")


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((DEPLOY / "systemd" / name).read_text(encoding="utf-8"))
    return parser


def test_every_timer_starts_a_service_of_its_own_name():
    timers = sorted(p.stem for p in (DEPLOY / "systemd").glob("*.timer"))
    assert timers == ["qianjiang-backup", "qianjiang-reminders"]
    for name in timers:
        assert unit(f"{name}.timer")["Timer"]["OnCalendar"].endswith("Asia/Shanghai")
        assert unit(f"{name}.service")["Service"]["Type"] == "oneshot"


def test_the_units_run_the_project_as_an_unprivileged_user():
    web = unit("qianjiang-web.service")["Service"]
    assert "gunicorn qianjiang_mediation.wsgi" in web["ExecStart"]
    assert "--timeout 120" in web["ExecStart"]
    for name in ("qianjiang-web", "qianjiang-backup", "qianjiang-reminders"):
        service = unit(f"{name}.service")["Service"]
        assert service["User"] == "qianjiang"
        assert service["NoNewPrivileges"] == "yes"
        assert service["ProtectSystem"] == "strict"
        assert service["EnvironmentFile"] == "/etc/qianjiang-mediation/env"
    reminders = unit("qianjiang-reminders.service")["Service"]["ExecStart"]
    assert reminders.endswith("manage.py send_reminders")
    assert "send_reminders" in get_commands()
    assert unit("qianjiang-backup.service")["Service"]["ExecStart"].endswith(
        "manage.py backup --keep 14"
    )


def test_nginx_takes_the_largest_upload_the_app_accepts():
    size = re.search(r"client_max_body_size (\d+)m;", NGINX)
    assert size is not None
    assert int(size.group(1)) * 1024 * 1024 > settings.ATTACHMENT_MAX_BYTES


def test_nginx_waits_as_long_as_gunicorn():
    assert "proxy_read_timeout 120s;" in NGINX


def test_nginx_sends_what_the_proxy_settings_believe():
    # SECURE_PROXY_SSL_HEADER with DJANGO_BEHIND_TLS_PROXY, and the client's address last.
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in NGINX
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in NGINX
    assert "proxy_set_header Host $host;" in NGINX


def test_nginx_adds_no_header_the_app_already_sends_to_its_responses():
    app_location = NGINX[NGINX.index("    location / {") :]
    app_location = app_location[: app_location.index("\n    }\n")]
    assert "add_header" not in app_location
    server_level = re.findall(r"^    add_header", NGINX, flags=re.MULTILINE)
    assert server_level == []


def test_nginx_error_pages_are_chinese():
    for page in ("413.html", "50x.html"):
        text = (DEPLOY / "nginx" / "_errors" / page).read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in text
        assert "潜江市行政争议化解工作室" in text
