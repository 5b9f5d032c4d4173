"""The project writes the common widgets in Python (qianjiang_mediation.renderers) and its
select widget template (templates/django/forms/widgets/select.html) writes its options in
one pass: the HTML of both must be Django's own, character for character."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from qianjiang_mediation.renderers import WRITERS, FormRenderer

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
    """Django's HTML, and the project's: the same through the project's templates and
    through its renderer."""
    django_html = widget.render(name, value, renderer=DjangoTemplates())
    ours = widget.render(name, value, renderer=TemplatesSetting())
    assert widget.render(name, value, renderer=FormRenderer()) == ours
    return django_html, ours


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


lazy_text = lazy(lambda: "懒<加载>", str)


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.TextInput(), None),
        (forms.TextInput(attrs={"class": "form-control", "placeholder": '案号"<>&'}), "甲 & <乙>"),
        (forms.TextInput(attrs={"type": "search", "maxlength": 60}), mark_safe("<b>安全</b>")),
        (forms.TextInput(attrs={"required": True, "disabled": False}), ""),
        (forms.TextInput(attrs={"aria-describedby": lazy_text()}), lazy_text()),
        (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "2026-12-06"),
        (forms.DateInput(format="%Y-%m-%d"), date(2026, 2, 3)),
        (forms.DateTimeInput(), datetime(2026, 2, 3, 9, 30, tzinfo=UTC)),
        (forms.TimeInput(), "09:30"),
        (forms.NumberInput(attrs={"min": 0, "step": 1}), 12),
        (forms.NumberInput(), 1.5),
        (forms.EmailInput(), "a@example.com"),
        (forms.URLInput(), "https://example.com/?a=1&b=2"),
        (forms.PasswordInput(), "secret"),
        (forms.PasswordInput(render_value=True), "secret"),
        (forms.HiddenInput(), 7),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(attrs={"class": "form-check-input"}), False),
        (forms.FileInput(), "x.pdf"),
        (forms.Textarea(), None),
        (forms.Textarea(attrs={"rows": 3}), "第一行\n<第二行> & 第三行"),
        (forms.Textarea(), ""),
        (forms.Textarea(), mark_safe("<b>安全</b>")),
    ],
)
def test_inputs_render_as_django_does(widget, value):
    django_html, ours = _both(widget, "field", value)
    assert ours == django_html


def test_every_template_the_renderer_writes_is_one_a_widget_renders():
    """No writer for a template name no widget has (a typo would never be used)."""
    names = {
        widget.template_name
        for widget in (
            forms.TextInput(),
            forms.DateInput(),
            forms.DateTimeInput(),
            forms.TimeInput(),
            forms.NumberInput(),
            forms.EmailInput(),
            forms.URLInput(),
            forms.PasswordInput(),
            forms.HiddenInput(),
            forms.CheckboxInput(),
            forms.FileInput(),
            forms.Textarea(),
            forms.Select(),
            forms.SelectMultiple(),
            forms.NullBooleanSelect(),
            forms.ColorInput(),
            forms.SearchInput(),
            forms.TelInput(),
        )
    } | {"django/forms/widgets/input.html"}
    assert set(WRITERS) == names


def test_the_forms_use_the_renderer():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
