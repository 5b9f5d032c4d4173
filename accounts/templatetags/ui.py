"""Small presentation helpers shared by every page."""

from django import template
from django.forms import BoundField
from django.utils.safestring import mark_safe

register = template.Library()

_CHECK_TYPES = {"checkbox", "radio"}


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
