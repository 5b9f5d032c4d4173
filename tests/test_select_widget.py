"""The project's select widget template (templates/django/forms/widgets/select.html) writes
its options in one pass: its HTML must be Django's own, character for character."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.utils.safestring import mark_safe

CHOICES = [
    ("", "全部"),
    ("a", "甲 & <乙>"),
    (1, 2),
    ("q\"uote'", mark_safe("<b>已转义</b>")),
    (
        "组一",
        [("x", "第一"), ("y", None)],
    ),
    (mark_safe("<i>安全</i>"), "安全值"),
    ('组"二', [("z", "第三")]),
]


def _both(widget: forms.Widget, name: str, value) -> tuple[str, str]:
    return (
        widget.render(name, value, renderer=DjangoTemplates()),
        widget.render(name, value, renderer=TemplatesSetting()),
    )


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(choices=CHOICES), "a"),
        (forms.Select(choices=CHOICES, attrs={"class": "form-select", "required": True}), "x"),
        (forms.Select(choices=CHOICES, attrs={"disabled": False, "data-x": '"<>&'}), None),
        (forms.SelectMultiple(choices=CHOICES), ["a", "z", "1"]),
        (forms.NullBooleanSelect(), True),
        (forms.Select(choices=[]), ""),
    ],
)
def test_select_renders_as_django_does(widget, value):
    django_html, ours = _both(widget, "field", value)
    assert ours == django_html


def test_an_option_with_a_template_of_its_own_is_still_included():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input.html"

    django_html, ours = _both(Custom(choices=[("a", "甲"), ("b", "乙")]), "field", "a")
    assert ours == django_html
    assert 'type="select"' in ours  # the input template, not an <option>


@pytest.mark.django_db
def test_model_choices_render_as_django_does():
    from tests.factories import AgencyFactory

    agency = AgencyFactory()
    from cases.models import Agency

    field = forms.ModelChoiceField(queryset=Agency.objects.all(), empty_label="全部")
    widget = field.widget
    widget.choices = field.choices
    django_html, ours = _both(widget, "agency", agency.pk)
    assert ours == django_html
    assert "selected" in ours
