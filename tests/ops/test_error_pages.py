"""400, 403, 404, 500 and a CSRF failure show a Chinese page on the base layout, with the
right status and nothing of what went wrong."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import html_of
from tests.ops.urls import SECRET

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.urls")]

FOOTER = "本系统所载调解过程与协议内容不公开"


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _client(client=None):
    client = client or Client()
    client.raise_request_exception = False
    return client


def assert_error_page(response, status, heading):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = html_of(response)
    assert heading in page
    assert '<html lang="zh-CN">' in page
    assert FOOTER in page
    assert "bootstrap.min.css" in page
    for leak in (SECRET, "Traceback", "RuntimeError", "SuspiciousOperation", "/srv/", "CSRF"):
        assert leak not in page, leak
    return page


def test_400():
    assert_error_page(_client().get("/bad/"), 400, "请求有误")


def test_400_for_an_unknown_host():
    assert_error_page(_client().get("/", HTTP_HOST="evil.example.com"), 400, "请求有误")


def test_403():
    assert_error_page(_client().get("/forbidden/"), 403, "无权访问")


def test_403_for_a_role_shows_the_menu(client_as, agency_contact):
    response = _client(client_as(agency_contact)).get(reverse("cases:list"))
    page = assert_error_page(response, 403, "无权访问")
    assert "退出登录" in page


def test_404(client_as, clerk):
    page = assert_error_page(_client(client_as(clerk)).get("/no-such-page/"), 404, "页面不存在")
    assert "退出登录" in page


def test_500():
    assert_error_page(_client().get("/boom/"), 500, "系统暂时出现错误")


def test_500_for_a_signed_in_user_does_not_touch_the_request(client_as, clerk):
    page = assert_error_page(_client(client_as(clerk)).get("/boom/"), 500, "系统暂时出现错误")
    # Drawn without the request: no menu, no session script, nothing from the database.
    assert "退出登录" not in page


def test_500_when_the_page_itself_fails(monkeypatch):
    from django.template import loader

    def broken(name, *args, **kwargs):
        raise ValueError(SECRET)

    monkeypatch.setattr(loader, "get_template", broken)
    response = _client().get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统暂时出现错误" in page
    assert SECRET not in page


def test_csrf_failure(clerk):
    client = _client(Client(enforce_csrf_checks=True))
    response = client.post(reverse("login"), {"username": "clerk", "password": "x"})
    assert_error_page(response, 403, "页面已过期，提交未成功")


def test_405_for_an_action_opened_by_its_address(client_as, clerk):
    """A button's address typed or bookmarked: a page that says so, not an empty 405."""
    url = reverse("cases:party_delete", args=[1, 1])
    response = _client(client_as(clerk)).get(url)
    page = assert_error_page(response, 405, "这个地址不能直接打开")
    assert response["Allow"] == "POST"
    assert "只能通过点击相应按钮使用" in page and "退出登录" in page
    # What the address is for still reaches its view (no such party here).
    assert _client(client_as(clerk)).post(url).status_code == 404
