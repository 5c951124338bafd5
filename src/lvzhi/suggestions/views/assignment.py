"""The assignment meeting (交办会): the office assigns accepted suggestions in bulk, then prints
each unit's list of what it received."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from lvzhi.core.errors import DomainError
from lvzhi.core.excel import workbook_bytes, xlsx_response
from lvzhi.organizations.models import ExpertiseField, HandlingUnit

from .. import forms, selectors, services, tables
from ..choices import AssignmentRole, AssignmentStatus, SuggestionStatus
from ..models import Assignment
from .shared import EXPORT_LIMIT, require_office, unit_param

# The assignment meeting's page: one submission assigns at most this many (all or nothing).
BULK_LIMIT = 500


def _posted_suggestion_ids(post) -> list[int]:
    """The suggestions a bulk form names, in the order of the page."""
    ids = []
    for key in post:
        prefix, _sep, rest = key.partition("_")
        if prefix in ("lead", "co", "hard", "merge") and rest.isdigit() and int(rest) not in ids:
            ids.append(int(rest))
    return ids


@login_required
def bulk_assign_view(request):
    """The office assigns accepted suggestions in bulk: a lead unit (and co-units) per row, all in
    one transaction, all or nothing; every refused row is named. Then each unit's list is printed."""
    user = request.user
    require_office(user)
    accepted = (
        selectors.suggestions_visible_to(user)
        .filter(status=SuggestionStatus.ACCEPTED)
        .select_related("lead_mandate__person", "field")
        .order_by("year", "series", "number", "id")
    )
    field_id = request.GET.get("field", "")
    if field_id.isdigit():
        accepted = accepted.filter(field_id=int(field_id))
    units = list(HandlingUnit.objects.filter(is_active=True))
    if request.method == "POST":
        ids = _posted_suggestion_ids(request.POST)[:BULK_LIMIT]
        by_id = {
            s.pk: s
            for s in selectors.suggestions_visible_to(user)
            .filter(pk__in=ids)
            .select_related("lead_mandate__person", "field")
        }
        form = forms.BulkAssignForm(
            request.POST, suggestions=[by_id[i] for i in ids if i in by_id], units=units
        )
        if form.is_valid():
            rows = form.rows()
            if not form.errors:
                # 并案: the ticked rows are handled together, in one new merge group.
                merge_group = services.new_merge_group() if any(row["merge"] for row in rows) else None
                plans = [
                    services.AssignmentPlan(
                        suggestion=row["suggestion"],
                        lead=row["lead"],
                        co_units=row["co_units"],
                        is_hard=row["is_hard"],
                        merge_group=merge_group if row["merge"] else None,
                    )
                    for row in rows
                ]
                on = form.cleaned_data["on"]
                try:
                    assignments = services.suggestions_assign_bulk(plans=plans, actor=user, on=on)
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    message = _("已交办{count}件建议（{units}个承办单位），请打印各单位交办清单。").format(
                        count=len(plans), units=len({a.unit_id for a in assignments})
                    )
                    merged = sum(1 for row in rows if row["merge"])
                    if merged:
                        message += _("其中{count}件并案办理。").format(count=merged)
                    messages.success(request, message)
                    return redirect(
                        reverse("suggestions:assign_print") + "?" + urlencode({"on": on.isoformat()})
                    )
    else:
        form = forms.BulkAssignForm(suggestions=[], units=units)
    shown = list(accepted[:BULK_LIMIT])
    context = {
        "form": form,
        "rows": tables.bulk_assign_rows(
            shown, tables.unit_options(units), request.POST if request.method == "POST" else None
        ),
        "shown": len(shown),
        "total": accepted.count(),
        "limit": BULK_LIMIT,
        "fields": ExpertiseField.objects.all(),
        "field_id": field_id,
    }
    return render(request, "suggestions/bulk_assign.html", context)


@login_required
def assign_print_view(request):
    """Each unit's list of assigned suggestions, print-friendly (and as Excel): ``?unit=`` names the
    unit, ``?on=`` the assignment date. Without a unit: the units that received assignments that day."""
    user = request.user
    require_office(user)
    on = _date_or_none(request.GET.get("on", ""))
    unit = unit_param(request)
    if unit is None:
        day = on or timezone.localdate()
        counts = (
            Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
            .filter(assigned_on=day)
            .values("unit_id", "unit__name")
            .annotate(count=Count("id"))
            .order_by("unit__order", "unit_id")
        )
        return render(request, "suggestions/assign_print_index.html", {"counts": counts, "on": day})
    assignments = selectors.unit_work_list(user=user, unit=unit).order_by(
        "suggestion__year", "suggestion__series", "suggestion__number", "id"
    )
    if on is not None:
        assignments = assignments.filter(assigned_on=on)
    if request.GET.get("export") == "xlsx":
        headers = [
            _("序号"),
            _("建议号"),
            _("标题"),
            _("领衔代表"),
            _("承办方式"),
            _("交办日期"),
            _("答复期限"),
            _("协办意见期限"),
        ]
        rows = (
            [
                index,
                a.suggestion.number_label,
                a.suggestion.title,
                a.suggestion.lead_mandate.person.name,
                str(AssignmentRole(a.role).label),
                a.assigned_on,
                a.reply_due,
                a.co_input_due,
            ]
            for index, a in enumerate(assignments[:EXPORT_LIMIT], start=1)
        )
        title = _("{unit}交办清单").format(unit=unit.name)
        return xlsx_response(workbook_bytes(title, headers, rows), _("{title}.xlsx").format(title=title))
    context = {"unit": unit, "on": on, "assignments": list(assignments), "printed_at": timezone.localtime()}
    return render(request, "suggestions/assign_print.html", context)


def _date_or_none(value: str) -> date | None:
    try:
        return parse_date(value) if value else None
    except ValueError:
        return None
