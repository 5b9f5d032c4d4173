"""The second factor when it is switched on: heads and administrators pair an authenticator
at their first sign-in, type its code at every later one, or use a recovery code once."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD
from tests.helpers import html_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture(autouse=True)
def _on(settings):
    settings.TWO_FACTOR_REQUIRED = True


def sign_in(username):
    client = Client()
    assert (
        client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def code_for(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def test_the_head_pairs_an_authenticator_at_the_first_sign_in(head, time_machine):
    client = sign_in("head")
    response = client.get(reverse("cases:list"))
    assert response["Location"] == reverse("two_factor_setup") + "?next=/cases/"
    page = html_of(client.get(response["Location"]))
    assert "设置双重验证" in page and 'data-testid="totp-qr"' in page
    device = TOTPDevice.objects.get(user=head, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000", "next": "/cases/"})
    assert "验证码不正确，请核对手机上当前显示的6位数字后重试。" in html_of(wrong)
    time_machine.move_to("2026-11-27 10:01+08:00", tick=False)  # past the throttle's delay
    done = client.post(reverse("two_factor_setup"), {"code": code_for(device), "next": "/cases/"})
    codes = re.findall(r"<li>([0-9a-f]{10})</li>", html_of(done))
    assert len(codes) == 10
    assert client.get(reverse("cases:list")).status_code == 200


def paired(user):
    device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    static = user.staticdevice_set.create(name="恢复码", confirmed=True)
    StaticToken.objects.create(device=static, token="abcde12345")
    StaticToken.objects.create(device=static, token="fffff00000")
    return device


def test_every_later_sign_in_asks_for_the_code(head, time_machine):
    device = paired(head)
    client = sign_in("head")
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("two_factor_verify") + "?next=/"
    # Only the verification page, signing out and the session endpoint are open.
    assert client.get(reverse("notifications")).status_code == 302
    wrong = client.post(reverse("two_factor_verify"), {"code": "123456", "next": "/"})
    assert "验证码不正确或已使用，请重试。" in html_of(wrong)
    time_machine.move_to("2026-11-27 10:01+08:00", tick=False)  # past the throttle's delay
    ok = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "/"})
    assert ok["Location"] == "/"
    assert client.get(reverse("notifications")).status_code == 200


def test_a_recovery_code_works_once(head):
    paired(head)
    client = sign_in("head")
    ok = client.post(
        reverse("two_factor_verify"), {"code": "abcde-12345", "next": "/"}, follow=True
    )
    assert "您使用了一个恢复码，还剩1个。" in html_of(ok)
    client.post(reverse("logout"))
    again = sign_in("head")
    refused = again.post(reverse("two_factor_verify"), {"code": "abcde12345", "next": "/"})
    assert refused.status_code == 200


def test_new_recovery_codes_replace_the_old(head):
    device = paired(head)
    client = sign_in("head")
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert "还有 <strong>2</strong> 个未使用的恢复码" in html_of(
        client.get(reverse("two_factor_recovery_codes"))
    )
    page = html_of(client.post(reverse("two_factor_recovery_codes")))
    assert len(re.findall(r"<li>([0-9a-f]{10})</li>", page)) == 10
    assert not StaticToken.objects.filter(token="abcde12345").exists()


def test_other_roles_and_the_switch_off_need_no_second_factor(clerk, head, settings):
    assert sign_in("clerk").get(reverse("home")).status_code == 200
    settings.TWO_FACTOR_REQUIRED = False
    assert sign_in("head").get(reverse("home")).status_code == 200


def test_an_administrator_resets_a_users_second_factor(head, admin_user, client_as, settings):
    settings.TWO_FACTOR_REQUIRED = False  # the administrator here has none set up
    paired(head)
    response = client_as(admin_user).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [head.pk]},
        follow=True,
    )
    assert "已重置1个用户的双重验证" in html_of(response)
    assert not TOTPDevice.objects.filter(user=head).exists()
    settings.TWO_FACTOR_REQUIRED = True
    assert sign_in("head").get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))
