"""Template helpers: Bootstrap-styled form fields, query strings for sorting and paging."""

import copy
from functools import lru_cache
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import format_html, format_html_join, json_script
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


# A picker with more choices than this is searchable by name and pinyin initials (app.js).
SEARCHABLE_FROM = 20
# Django's empty choice label; our selects say 请选择.
DJANGO_BLANK = "---------"


@lru_cache(maxsize=16384)
def option_initials(label: str) -> str:
    """``福州市住房和城乡建设局`` → ``fzszfhcxjsj``: what staff type to find a unit or a deputy."""
    from lvzhi.core.text import pinyin_initials

    return pinyin_initials(label)


def _choice_count(choices: list[Any]) -> int:
    """The choices to pick from (the empty choice does not count; a group counts its members)."""
    return sum(
        len(value) if isinstance(value, list | tuple) else 1
        for key, value in choices
        if key not in ("", None)
    )


def _select_widget(widget: forms.Select) -> tuple[forms.Select, bool]:
    """A copy of ``widget`` whose empty choice reads 请选择 and, when it offers many choices, whose
    options carry their pinyin initials (``data-pinyin``). The choices are read once here (one query
    for a model choice field, as before) and handed to the copy."""
    # Not list(widget.choices): a model choice iterator's len() would cost a COUNT query.
    choices = list(iter(widget.choices))
    searchable = _choice_count(choices) > SEARCHABLE_FROM
    picker = copy.copy(widget)
    picker.choices = choices
    create_option = widget.create_option

    def option(name, value, label, selected, index, subindex=None, attrs=None):
        if value in ("", None) and label == DJANGO_BLANK:
            label = _("请选择")
        built = create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if searchable and value not in ("", None):
            built["attrs"] = {**built["attrs"], "data-pinyin": option_initials(str(label))}
        return built

    picker.create_option = option  # type: ignore[method-assign]
    return picker, searchable


@register.inclusion_tag("includes/field.html")
def field_row(field: BoundField) -> dict[str, Any]:
    widget = field.field.widget
    attrs: dict[str, Any] = {}
    rendered_widget = None
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
        rendered_widget, searchable = _select_widget(widget)
        if searchable:
            attrs["data-search"] = ""
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs["class"] = css
    return {
        "field": field,
        "widget": field.as_widget(widget=rendered_widget, attrs=attrs),
        "is_check": css.startswith("form-check"),
    }


@register.simple_tag
def pinyin_index(objects: Any) -> str:
    """The pinyin initials of a picker's choices for app.js, once per page (``{pk: initials}``):
    a page of hundreds of identical selects (the assignment meeting) does not repeat them per option.
    ``objects`` is a mapping of primary keys to objects, or an iterable of objects."""
    items = objects.items() if hasattr(objects, "items") else ((obj.pk, obj) for obj in objects)
    index = {str(pk): option_initials(str(getattr(obj, "name", obj))) for pk, obj in items}
    return json_script(index, "pinyin-index")


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
