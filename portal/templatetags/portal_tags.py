from typing import Any

from django import forms, template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with ``changes`` applied (keeps filters across pages)."""
    query = context["request"].GET.copy()
    query.pop("export", None)
    for key, value in changes.items():
        query[key] = value
    return str(query.urlencode())


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], param: str, number: int) -> str:
    """The current query string with the page parameter ``param`` set to ``number``."""
    return str(query_with(context, **{param or "page": number}))


@register.simple_tag
def filter_field(bound: BoundField) -> SafeString:
    """A list page's filter field with crispy-forms' Bootstrap 5 markup (label, control,
    errors), without crispy's template per field: a filter bar is drawn on every view of
    every list, and seven crispy fields cost more than the list's rows."""
    widget = bound.field.widget
    errors = format_html_join(
        "", '<div class="invalid-feedback">{}</div>', ((e,) for e in bound.errors)
    )
    invalid = " is-invalid" if bound.errors else ""
    if isinstance(widget, forms.CheckboxInput):
        control = bound.as_widget(attrs={"class": f"checkboxinput form-check-input{invalid}"})
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}'
            '<label for="{}" class="form-check-label">{}</label>{}</div></div>',
            bound.auto_id,
            control,
            bound.id_for_label,
            bound.label,
            errors,
        )
    kind = "select form-select" if isinstance(widget, forms.Select) else "form-control"
    control = bound.as_widget(attrs={"class": f"{kind}{invalid}"})
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}</div>',
        bound.auto_id,
        bound.id_for_label,
        bound.label,
        control,
        errors,
    )
