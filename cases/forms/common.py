"""Widgets and checks every case form shares."""

from __future__ import annotations

from datetime import date

from django import forms

from cases.plausibility import past_date_error


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def not_in_future(value: date | None, label: str) -> None:
    """Dates of things that have happened cannot lie ahead, nor absurdly far back."""
    if message := past_date_error(value, label):
        raise forms.ValidationError(message)


class PastDateField(forms.DateField):
    """A date that must not be in the future."""

    widget = DateInput

    def clean(self, value):
        value = super().clean(value)
        not_in_future(value, str(self.label or "日期"))
        return value


def lines(text: str) -> list[str]:
    return [line.strip(" \t-•·") for line in text.splitlines() if line.strip(" \t-•·")]
