from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    # The module holds two configurations: without this, "accounts" in INSTALLED_APPS
    # would get Django's plain AppConfig, and ready() would never run.
    default = True
    name = "accounts"
    verbose_name = "用户与机构"

    def ready(self) -> None:
        from accounts import sessions  # noqa: F401 - notes when each sign-in began


class SignInLockoutConfig(AxesConfig):
    """django-axes under a Chinese name in the admin (its models are translated in
    accounts/locale)."""

    verbose_name = "登录安全"
