"""Forms of the sign-in pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AdminPasswordChangeForm, PasswordChangeForm


class OwnPasswordChangeForm(PasswordChangeForm):
    """A user changing their own password: no change is required of them any more."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        user.must_change_password = False
        if commit:
            user.save()
        return user


class AdminPasswordResetForm(AdminPasswordChangeForm):
    """An administrator setting someone's password: they must change it at next sign-in."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        user.must_change_password = user.has_usable_password()
        if commit:
            user.save()
        return user
