"""Small presentation helpers shared by every page."""

from typing import Any

from django import template
from django.forms import BoundField, FileField
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from accounts import links

register = template.Library()

_CHECK_TYPES = {"checkbox", "radio"}


@register.simple_tag
def record_url(viewname: str, *ids: int) -> str:
    """``{% url viewname id … %}`` for a record's integer ids, reversed once per pattern
    (accounts.links): for the links a list repeats on every row."""
    return links.record_url(viewname, *ids)


@register.filter
def control(field: BoundField) -> str:
    """Render a form field's widget with Bootstrap classes and accessible error state."""
    widget_type = field.widget_type
    if widget_type in _CHECK_TYPES:
        css = "form-check-input"
    elif widget_type in {"select", "selectmultiple", "nullbooleanselect"}:
        css = "form-select"
    elif widget_type in {"checkboxselectmultiple", "radioselect", "uscc"}:
        css = ""
    else:
        css = "form-control"
    attrs: dict[str, str | bool] = {}
    existing = field.field.widget.attrs.get("class", "")
    classes = " ".join(c for c in (css, existing, "is-invalid" if field.errors else "") if c)
    if classes:
        attrs["class"] = classes
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    elif field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_helptext"
    html = field.as_widget(attrs=attrs)
    if field.field.show_hidden_initial:
        # The value the form started from, to tell apart what this user changed.
        html = mark_safe(html + field.as_hidden(only_initial=True))
    return html


@register.filter
def dropped_files(field: BoundField) -> str:
    """The names of the files a re-displayed form's submission carried in ``field``, which
    the browser does not keep: the form is shown again because it was refused, and each
    file must be chosen anew ("" when there were none)."""
    if not isinstance(field.field, FileField) or not field.form.is_bound:
        return ""
    files = field.form.files
    chosen = files.getlist(field.html_name) if hasattr(files, "getlist") else []
    return "、".join(f.name for f in chosen if f and f.name)


SELECT_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


# What a widget template renders its variables with: autoescaped, the settings' time zone
# and localisation.
_WIDGET_CONTEXT = Context()


def _value_html(value: Any) -> str:
    """``{{ value }}`` in a widget template."""
    return render_value_in_context(value, _WIDGET_CONTEXT)


def _formatted_html(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` in an autoescaped template (the filter keeps a safe
    value safe)."""
    text = stringformat(value, "s")
    return mark_safe(text) if isinstance(value, SafeData) else conditional_escape(text)


def _attrs_html(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_value_html(name)}" + ("" if value is True else f'="{_formatted_html(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


@register.filter
def select_options(optgroups: list[tuple[Any, list[dict[str, Any]], int]]) -> str | None:
    """A select widget's option groups as Django's select.html writes them, in one pass
    instead of two template includes per option; None when an option has a template of
    its own (the widget template then includes it)."""
    parts = []
    for group_name, group_choices, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value_html(group_name)}">')
        for option in group_choices:
            if option["template_name"] != SELECT_OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_formatted_html(option["value"])}"'
                f"{_attrs_html(option['attrs'])}>{_value_html(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    # Every value above went through _value_html or _formatted_html.
    return mark_safe("".join(parts))
