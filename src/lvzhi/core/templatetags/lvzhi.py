"""Template helpers: Bootstrap-styled form fields, query strings for sorting and paging."""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.inclusion_tag("includes/field.html")
def field_row(field):
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return {
        "field": field,
        "widget": field.as_widget(attrs={"class": css}),
        "is_check": css.startswith("form-check"),
    }


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with ``changes`` applied (``None`` removes a key); page resets."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + urlencode(sorted((k, v) for k in query for v in query.getlist(k)))


@register.simple_tag(takes_context=True)
def sort_query(context, column):
    """Toggle ascending/descending ordering on ``column``."""
    current = context["request"].GET.get("ordering", "")
    return query_with(context, ordering=f"-{column}" if current == column else column)


@register.filter
def masked_phone(value):
    from lvzhi.core.text import mask_phone

    return mask_phone(value)


@register.simple_tag
def fast_select(field):
    """A choice field's ``<select>`` built in Python: Django's widget renders every option through
    a template, which costs more than the rest of a 50-row list page (see bench/)."""
    bound = field.value()
    selected = (
        {str(v) for v in bound}
        if isinstance(bound, list | tuple)
        else {str(bound if bound is not None else "")}
    )
    if isinstance(field.field.widget, forms.NullBooleanSelect):
        choices = [("", _("全部")), ("true", _("是")), ("false", _("否"))]
        selected = {
            "true"
            if bound in (True, "true", "True", "1")
            else "false"
            if bound in (False, "false", "False", "0")
            else ""
        }
    else:
        choices = field.field.choices
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) in selected else "", label)
            for value, label in (
                (str(getattr(v, "value", v)), label if v != "" else _("全部")) for v, label in choices
            )
        ),
    )
    return format_html(
        '<select class="form-select" name="{}" id="{}">{}</select>',
        field.html_name,
        field.id_for_label,
        options,
    )
