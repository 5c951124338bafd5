"""What every list page and form view does the same way: reading filters, refusing forged
values, showing a service's refusal on a form, and the HTTP status of a refusal."""

from typing import Any, cast

from django.db.models import QuerySet
from django.forms import BoundField, ChoiceField, Form
from django.http import Http404, QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .errors import ConflictError, DomainError, ForbiddenError


def not_found(message: str | Promise | None = None) -> Http404:
    """Missing and forbidden look the same: a 404 with a Chinese message."""
    return Http404(message or _("未找到该页面，或您无权访问。"))


def without_empty(query: QueryDict) -> QueryDict:
    """The query string without empty values: a select's “全部” (``""``) means no filter."""
    cleaned = QueryDict(mutable=True)
    for key in query:
        values = [value for value in query.getlist(key) if value != ""]
        if values:
            cleaned.setlist(key, values)
    return cleaned


def filtered(filterset: Any) -> QuerySet[Any]:
    """The filtered queryset; a forged filter value shows nothing, never everything."""
    queryset: QuerySet[Any] = filterset.queryset
    if not filterset.is_bound:
        return queryset
    return filterset.qs if filterset.is_valid() else queryset.none()


def with_empty_choice(field: BoundField) -> None:
    """Give a multiple-choice filter a leading “全部” so it can be shown as a single select."""
    choice_field = cast(ChoiceField, field.field)
    choice_field.choices = [("", _("全部")), *cast(list[tuple[Any, Any]], choice_field.choices)]


def add_domain_error(form: Form, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: on its field when the form has it (``aliases`` maps
    a service's field name to the form's), otherwise above the form."""
    name = error.field
    if name is not None:
        name = (aliases or {}).get(name, name)
    form.add_error(name if name in form.fields else None, error.message)


def status_of(error: DomainError) -> int:
    """The HTTP status of a form re-shown with a refusal: 409 for a conflict, 403 for a role or
    scope, 200 for a rule (the form is shown again to be corrected)."""
    if isinstance(error, ConflictError):
        return 409
    return 403 if isinstance(error, ForbiddenError) else 200
