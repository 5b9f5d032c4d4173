"""Password rules in Chinese, the demo password refused outside a demo installation, and a
password an administrator set replaced at the next sign-in."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.passwords import DEMO_PASSWORD
from tests.factories import PASSWORD
from tests.helpers import html_of

pytestmark = pytest.mark.django_db


def problems(password):
    with translation.override("zh-hans"):
        try:
            validate_password(password)
        except ValidationError as exc:
            return [str(message) for message in exc.messages]
    return []


def test_the_rules_speak_chinese():
    assert problems("Short1!") == ["密码长度太短。密码必须包含至少 12 个字符。"]
    assert "密码须至少包含字母、数字、符号中的两类。" in problems("onlylettersherex")
    assert problems(DEMO_PASSWORD) == ["这是演示账号的公开密码，不能用作正式密码。"]
    assert problems("调解室2026-春季-工作") == []


def test_the_demo_password_signs_in_only_in_a_demo_installation(clerk, settings):
    clerk.set_password(DEMO_PASSWORD)
    clerk.save()
    data = {"username": "clerk", "password": DEMO_PASSWORD}
    settings.DEMO = False
    response = Client().post(reverse("login"), data)
    assert response.status_code == 200 and "请输入一个正确的" in html_of(response)
    settings.DEMO = True
    assert Client().post(reverse("login"), data).status_code == 302


def sign_in(username, password=PASSWORD):
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302
    return client


def test_a_password_set_by_an_administrator_is_changed_at_the_next_sign_in(
    clerk, admin_user, client_as
):
    admin = client_as(admin_user)
    response = admin.post(
        reverse("admin:auth_user_password_change", args=[clerk.pk]),
        {
            "password1": "临时密码-2026-abc",
            "password2": "临时密码-2026-abc",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.must_change_password
    client = sign_in("clerk", "临时密码-2026-abc")
    page = client.get(reverse("cases:list"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("password_change")
    assert "管理员为您设置了密码，请先修改为只有您自己知道的新密码。" in html_of(page)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "临时密码-2026-abc",
            "new_password1": "我的新密码-2026-xyz",
            "new_password2": "我的新密码-2026-xyz",
        },
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.must_change_password
    assert client.get(reverse("cases:list")).status_code == 200


def test_a_user_the_administrator_creates_changes_the_first_password(admin_user, client_as, office):
    response = client_as(admin_user).post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newclerk",
            "name": "新登记员",
            "role": "clerk",
            "office": office.pk,
            "password1": "初始密码-2026-abc",
            "password2": "初始密码-2026-abc",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    from accounts.models import User

    assert User.objects.get(username="newclerk").must_change_password


def test_a_demo_password_is_refused_when_an_administrator_sets_it(clerk, admin_user, client_as):
    response = client_as(admin_user).post(
        reverse("admin:auth_user_password_change", args=[clerk.pk]),
        {"password1": DEMO_PASSWORD, "password2": DEMO_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 200
    assert "这是演示账号的公开密码，不能用作正式密码。" in html_of(response)
