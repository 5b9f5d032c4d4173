"""Password rules beyond Django's own validators (whose messages are Chinese already)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

# The one password every demo account shares (demo/accounts.py). It is public: it is
# printed by `make run` and in the README.
DEMO_PASSWORD = "qianjiang-demo-2026"


class DemoPasswordValidator:
    """Refuse the demo accounts' public password for any real account."""

    def validate(self, password: str, user: Any = None) -> None:
        if password.strip().lower() == DEMO_PASSWORD:
            raise ValidationError(
                "这是演示账号的公开密码，不能用作正式密码。", code="password_is_demo"
            )

    def get_help_text(self) -> str:
        return "不能使用演示账号的公开密码。"


class MixedCharactersValidator:
    """At least two kinds of character: letters, digits, other symbols."""

    def validate(self, password: str, user: Any = None) -> None:
        kinds = (
            any(c.isalpha() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
        if sum(kinds) < 2:
            raise ValidationError(
                "密码须至少包含字母、数字、符号中的两类。", code="password_too_simple"
            )

    def get_help_text(self) -> str:
        return "至少包含字母、数字、符号中的两类。"
