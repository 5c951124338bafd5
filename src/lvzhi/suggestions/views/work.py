"""A handling unit's work list: its assignments with their deadlines, filters, paging and export."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import is_office, may_work_on_assignments
from lvzhi.core.excel import workbook_bytes, xlsx_response
from lvzhi.core.lists import filtered, not_found, with_empty_choice, without_empty
from lvzhi.organizations.models import HandlingUnit

from .. import selectors, tables
from ..filters import AssignmentFilter
from .shared import EXPORT_LIMIT, PAGE_SIZE, unit_param

WORK_SELECTS = ("status", "role", "overdue", "needs_calendar")


@login_required
def unit_work_list_view(request):
    """A handling unit's assignments with their deadlines (near ones and missed ones highlighted):
    unit staff see their own unit's; the office picks a unit. Filters, sorting, paging, export."""
    user = request.user
    if not may_work_on_assignments(user):
        raise not_found()
    office = is_office(user)
    unit = unit_param(request) if office else user.handling_unit
    filterset = AssignmentFilter(
        without_empty(request.GET) or None, queryset=selectors.unit_work_list(user=user, unit=unit)
    )
    assignments = filtered(filterset)
    today = timezone.localdate()
    if request.GET.get("export") == "xlsx":
        rows = (tables.assignment_export_row(a, today) for a in assignments[:EXPORT_LIMIT])
        title = _("{unit}办理工作").format(unit=unit.name if unit else "")
        content = workbook_bytes(title, [str(h) for h in tables.ASSIGNMENT_EXPORT_HEADERS], rows)
        return xlsx_response(content, _("{title}.xlsx").format(title=title))
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    with_empty_choice(filterset.form["status"])
    context = {
        "filter": filterset,
        "select_fields": [filterset.form[name] for name in WORK_SELECTS],
        "page": page,
        "rows": tables.assignment_rows(page.object_list, today),
        "ordering": request.GET.get("ordering", ""),
        "office": office,
        "unit": unit,
        "units": HandlingUnit.objects.all() if office else [],
        "near_days": tables.NEAR_DAYS,
        "counts": selectors.unit_work_counts(user=user, unit=unit, today=today) if unit else None,
        "merged_only": request.GET.get("merged") == "true",
        "merge_group": request.GET.get("merge_group", ""),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "suggestions/partials/work_table.html" if partial else "suggestions/work_list.html"
    return render(request, template, context)
