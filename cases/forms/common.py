"""Widgets and checks every case form shares."""

from __future__ import annotations

from datetime import date

from django import forms
from django.forms.models import ModelChoiceIterator

from cases.plausibility import past_date_error


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class SearchField(forms.CharField):
    """A list's search box: optional, at most 60 characters; its message says what to do
    next (the project's catalog words Django's length messages for forms that save)."""

    def __init__(self, *, placeholder: str, **kwargs):
        kwargs.setdefault("label", "搜索")
        kwargs.setdefault("max_length", 60)
        super().__init__(
            required=False,
            widget=forms.TextInput(attrs={"placeholder": placeholder, "type": "search"}),
            error_messages={
                "max_length": "搜索内容最多%(limit_value)d个字（现为%(show_value)d个字），"
                "请缩短后再查找。"
            },
            **kwargs,
        )


class _OneQueryChoices(ModelChoiceIterator):
    """The choices read in one query of two columns. ModelChoiceIterator reads whole rows
    into model instances through ``QuerySet.iterator()``, on PostgreSQL a server-side
    cursor declared, fetched and closed: four round trips for a reference table of a few
    dozen rows, on every page that shows a filter form."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", self.field.label_field)


class FilterChoiceField(forms.ModelChoiceField):
    """A choice of reference data (agencies, courts, categories) in a list's filters,
    labelled by ``label_field``: the column the model's ``__str__`` shows."""

    iterator = _OneQueryChoices

    def __init__(self, *, label_field: str = "name", **kwargs):
        self.label_field = label_field
        super().__init__(**kwargs)


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
