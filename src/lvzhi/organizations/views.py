"""The structure pages of the deputy-affairs office: an overview, and for each kind (congresses,
terms, sessions, electoral units, deputy groups, committees, handling units, fields) a list with
search, filters, sorting, paging and Excel export, create and edit forms with the row's history,
and a delete that asks first.

Thin: the kind's configuration and reads come from ``selectors``, writes go through ``services``.
Only ``accounts.roles.can_manage_structure`` users get here; everybody else signed in gets 404,
whatever the URL or method, and anonymous users are sent to the login page.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lvzhi.accounts.roles import can_manage_structure
from lvzhi.core.errors import DomainError
from lvzhi.core.excel import workbook_bytes, xlsx_response
from lvzhi.core.lists import add_domain_error

from . import selectors, services
from .forms import FORMS


def structure_manager_required(view):
    """Log in first; then 404, not 403, for anybody who may not manage the structure, so that the
    section does not even reveal that a row exists. Resolves ``kind`` (404 when unknown)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_manage_structure(request.user):
            raise Http404
        if "kind" in kwargs:
            try:
                kwargs["kind"] = selectors.structure_kind_get(kwargs["kind"])
            except KeyError:
                raise Http404 from None
        return view(request, *args, **kwargs)

    return wrapper


def _get_or_404(kind, user, pk):
    try:
        return selectors.structure_get(kind=kind, user=user, pk=pk)
    except kind.model.DoesNotExist:
        raise Http404 from None


@structure_manager_required
@require_http_methods(["GET"])
def index(request):
    """Overview: the eight kinds with their counts."""
    return render(
        request, "organizations/index.html", {"counts": selectors.structure_counts(user=request.user)}
    )


@structure_manager_required
@require_http_methods(["GET"])
def structure_list(request, kind):
    """A kind's list: ``?q=`` searches, the kind's filters filter, ``?ordering=`` sorts,
    ``?page=`` pages (50 rows), ``?export=xlsx`` downloads the whole filtered list."""
    queryset = selectors.structure_queryset(kind=kind, user=request.user)
    filterset = selectors.structure_filterset(kind=kind, data=request.GET, queryset=queryset)
    queryset, ordering = selectors.structure_order(
        kind=kind, queryset=filterset.qs, ordering=request.GET.get("ordering", "")
    )

    if request.GET.get("export") == "xlsx":
        content = workbook_bytes(
            kind.label,
            [str(column.label) for column in kind.columns],
            selectors.structure_export_rows(kind=kind, queryset=queryset),
        )
        filename = f"{kind.label}-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(content, filename)

    page = Paginator(queryset, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    columns = [
        {
            "column": column,
            "sort": (f"-{column.key}" if ordering == column.key else column.key) if column.sortable else None,
            "direction": "asc" if ordering == column.key else "desc" if ordering == f"-{column.key}" else "",
        }
        for column in kind.columns
    ]
    context = {
        "kind": kind,
        "filterset": filterset,
        "page": page,
        "rows": selectors.structure_rows(kind=kind, objects=page.object_list),
        "columns": columns,
        "ordering": ordering,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }
    template = (
        "organizations/partials/structure_table.html" if request.htmx else "organizations/structure_list.html"
    )
    return render(request, template, context)


def _save(request, kind, instance):
    """Shared by create and edit: validate the form, hand it to the service, show its refusal."""
    form_class = FORMS[kind.model]
    if request.method == "POST":
        form = form_class(request.POST, instance=instance)
        if form.is_valid():
            try:
                saved = services.structure_save(
                    model=kind.model,
                    instance=instance,
                    data=form.service_data(),
                    actor=request.user,
                    expected_updated_at=form.cleaned_data["expected_updated_at"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("已保存{kind}“{name}”。").format(kind=kind.label, name=saved))
                return redirect("organizations:list", kind=kind.slug)
    else:
        form = form_class(instance=instance)

    context = {
        "kind": kind,
        "form": form,
        "object": instance,
        "object_name": str(instance) if instance is not None else "",
        "history": selectors.structure_history(instance=instance) if instance is not None else [],
    }
    return render(request, "organizations/structure_form.html", context)


@structure_manager_required
@require_http_methods(["GET", "POST"])
def structure_create(request, kind):
    """The form for a new row of ``kind``."""
    return _save(request, kind, None)


@structure_manager_required
@require_http_methods(["GET", "POST"])
def structure_edit(request, kind, pk):
    """The form of an existing row, with its change history and the delete button."""
    return _save(request, kind, _get_or_404(kind, request.user, pk))


@structure_manager_required
@require_POST
def structure_delete(request, kind, pk):
    """Delete a row (POST only; the page asks for confirmation first). A row still referred to is
    kept, and the refusal is shown on its edit page."""
    instance = _get_or_404(kind, request.user, pk)
    name = str(instance)
    try:
        services.structure_delete(instance=instance, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(reverse("organizations:edit", kwargs={"kind": kind.slug, "pk": pk}))
    messages.success(request, _("已删除{kind}“{name}”。").format(kind=kind.label, name=name))
    return redirect("organizations:list", kind=kind.slug)
