"""The optional second factor (django-otp): a time-based code from an authenticator app,
or one of ten single-use recovery codes, for the roles ``TWO_FACTOR_ROLES`` when
``TWO_FACTOR_REQUIRED`` is on.

After the password, such a user sees only the pages below until the second factor is
verified for this session: the set-up page the first time (scan the code, type one
code, note the recovery codes), the verification page afterwards. An administrator
resets a user's second factor by deleting their devices in the admin.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

log = logging.getLogger("accounts.security")

RECOVERY_CODES = 10
APP_DEVICE = "身份验证器"
RECOVERY_DEVICE = "恢复码"


def required_for(user: Any) -> bool:
    """Whether this user must verify a second factor in every session."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or getattr(user, "role", "") in settings.TWO_FACTOR_ROLES


class TwoFactorMiddleware:
    """Until the second factor is verified, only its own pages (and signing out)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if required_for(user) and not user.is_verified():  # type: ignore[union-attr]
            open_paths = {
                reverse("two_factor_setup"),
                reverse("two_factor_verify"),
                reverse("logout"),
                reverse("session_status"),
            }
            if request.path not in open_paths and not request.path.startswith(settings.STATIC_URL):
                target = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=16,
        help_text="身份验证器上的6位数字；手机不在身边时，可填写一个恢复码。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].replace(" ", "").replace("-", "").strip()


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


def _new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes with ten new ones, shown once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@never_cache
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """First sign-in with the second factor on: pair an authenticator app."""
    user = request.user
    if user_has_device(user):
        return redirect(f"{reverse('two_factor_verify')}?next={_next(request)}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            otp_login(request, device)
            log.info("second factor set up: user=%s", user.pk)
            return render(
                request,
                "registration/two_factor_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        form.add_error("code", "验证码不正确，请核对手机上当前显示的6位数字后重试。")
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr": qr.svg_data_uri(scale=4, border=2),
            "secret": _grouped(device.config_url),
            "next": _next(request),
        },
    )


def _grouped(config_url: str) -> str:
    secret = config_url.split("secret=", 1)[1].split("&", 1)[0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Every later sign-in: the code from the app, or a recovery code."""
    user = request.user
    if not user_has_device(user):
        return redirect(f"{reverse('two_factor_setup')}?next={_next(request)}")
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request, f"您使用了一个恢复码，还剩{left}个。请尽快在“双重验证”页重新生成。"
                )
            return redirect(_next(request))
        log.warning("second factor refused: user=%s", user.pk)
        form.add_error("code", "验证码不正确或已使用，请重试。多次输入错误后需稍候再试。")
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """A verified user replaces their recovery codes (the old ones stop working)."""
    user = request.user
    if not user_has_device(user) or not user.is_verified():  # type: ignore[union-attr]
        return redirect("two_factor_verify")
    if request.method == "POST":
        codes = _new_recovery_codes(user)
        log.info("recovery codes replaced: user=%s", user.pk)
        return render(
            request, "registration/two_factor_codes.html", {"codes": codes, "next": reverse("home")}
        )
    left = StaticToken.objects.filter(device__user=user).count()
    return render(request, "registration/two_factor_recovery.html", {"left": left})
