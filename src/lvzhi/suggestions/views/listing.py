"""The suggestion list: filters, sorting, paging and the Excel export of the filtered list."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.accounts.roles import is_office
from lvzhi.core.excel import workbook_bytes, xlsx_response
from lvzhi.core.lists import filtered, with_empty_choice, without_empty

from .. import selectors, tables
from ..filters import SuggestionFilter
from ..models import Evaluation
from .shared import EXPORT_LIMIT, PAGE_SIZE, may_create

SORTABLE_COLUMNS = [
    ("number", gettext_lazy("建议号")),
    ("title", gettext_lazy("标题")),
    ("lead_deputy", gettext_lazy("领衔代表")),
]
# Choice filters shown on the list pages as selects (the rest are text or date inputs).
# Shown as single selects; a filter another app registers (``supervision``) shows when present.
LIST_SELECTS = ("status", "series", "session", "field", "unit", "is_hard", "supervision")


def _with_satisfaction(suggestions):
    """The lead deputy's latest rating of a reply, in the same query (constant queries per page)."""
    latest = (
        Evaluation.objects.filter(
            recipient__reply__assignment__suggestion=OuterRef("pk"), recipient__is_lead=True
        )
        .order_by("-evaluated_at", "-id")
        .values("satisfaction")[:1]
    )
    return suggestions.annotate(satisfaction=Subquery(latest))


@login_required
def suggestion_list_view(request):
    """The suggestions the user may see: filters, sorting, pagination, Excel export of the filtered
    list. HTMX gets the table only."""
    data = without_empty(request.GET)
    filterset = SuggestionFilter(
        data or None,
        queryset=_with_satisfaction(selectors.suggestion_list(user=request.user)),
        request=request,
    )
    suggestions = filtered(filterset)
    if request.GET.get("export") == "xlsx":
        rows = (tables.suggestion_export_row(s) for s in suggestions[:EXPORT_LIMIT])
        content = workbook_bytes(_("代表建议"), [str(h) for h in tables.SUGGESTION_EXPORT_HEADERS], rows)
        return xlsx_response(content, _("代表建议.xlsx"))
    paginator = Paginator(suggestions, PAGE_SIZE)
    if not filterset.is_bound or filterset.is_valid():
        # Unfiltered: the whole scope, counted on narrow indexes (``selectors.suggestion_count``).
        count = selectors.suggestion_count_if_unfiltered(user=request.user, params=data)
        if count is not None:
            paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    with_empty_choice(filterset.form["status"])
    context = {
        "filter": filterset,
        "select_fields": [filterset.form[name] for name in LIST_SELECTS if name in filterset.filters],
        "page": page,
        "rows": tables.suggestion_rows(page.object_list),
        "ordering": request.GET.get("ordering", ""),
        "sortable_columns": SORTABLE_COLUMNS,
        "can_create": may_create(request.user),
        "can_assign": is_office(request.user),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "suggestions/partials/suggestion_table.html" if partial else "suggestions/suggestion_list.html"
    return render(request, template, context)
