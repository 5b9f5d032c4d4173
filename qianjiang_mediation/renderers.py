"""How forms write their widgets.

Django renders every widget through its templates: an ``<input>`` is input.html and an
include of attrs.html, two template renders with their context for one tag, about a tenth
of a millisecond each. A list's filter form has ten widgets and a case page's panels more,
on every request. The renderer writes the common widgets' HTML in Python instead, the
same HTML character for character (tests/test_form_renderer.py renders each both ways),
and leaves every other template (and an option with a template of its own) to Django.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms.renderers import TemplatesSetting

from accounts.templatetags.ui import _attrs_html, _formatted_html, _value_html, select_options


def _input(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html."""
    value = widget["value"]
    shown = f' value="{_formatted_html(value)}"' if value is not None else ""
    return (
        f'<input type="{_value_html(widget["type"])}" name="{_value_html(widget["name"])}"'
        f"{shown}{_attrs_html(widget['attrs'])}>"
    )


def _textarea(widget: dict[str, Any]) -> str:
    """django/forms/widgets/textarea.html."""
    value = widget["value"]
    return (
        f'<textarea name="{_value_html(widget["name"])}"{_attrs_html(widget["attrs"])}>\n'
        f"{_value_html(value) if value else ''}</textarea>"
    )


def _select(widget: dict[str, Any]) -> str | None:
    """templates/django/forms/widgets/select.html, the project's; None when an option has
    a template of its own."""
    options = select_options(widget["optgroups"])
    if options is None:
        return None
    return (
        f'<select name="{_value_html(widget["name"])}"{_attrs_html(widget["attrs"])}>'
        f"{options}\n</select>"
    )


# The widget templates that are input.html and nothing else.
_INPUTS = (
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "input",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
)

WRITERS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUTS},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class FormRenderer(TemplatesSetting):
    """The project's templates (TemplatesSetting), with the common widgets written in
    Python."""

    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        html = writer(context["widget"]) if writer else None
        if html is None:
            return super().render(template_name, context, request=request)
        return html
