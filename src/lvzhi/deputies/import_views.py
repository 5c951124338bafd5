"""Pages of the roster import (名册导入): upload, template, status and preview, apply.

Thin views over ``deputies.importer``: form → service → redirect. Only the deputy-affairs office
(``accounts.roles.can_import_roster``) may open them; anybody else gets 404. The status page
polls itself with HTMX while the file is checked or applied.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.accounts.roles import can_import_roster
from lvzhi.core.errors import DomainError
from lvzhi.core.excel import xlsx_response
from lvzhi.core.progress import progress_get
from lvzhi.organizations.choices import CongressLevel
from lvzhi.organizations.models import Congress

from .choices import RosterImportStatus
from .forms import RosterImportForm
from .importer import (
    IN_PROGRESS,
    PROGRESS_KIND,
    STALE_AFTER,
    roster_import_apply,
    roster_import_cancel,
    roster_import_create,
    roster_template_bytes,
)
from .models import RosterImport
from .selectors import roster_import_recent

TEMPLATE_FILENAME = "代表名册导入模板.xlsx"
STATUS_CLASSES = {
    RosterImportStatus.UPLOADED: "bg-secondary-lt",
    RosterImportStatus.VALIDATING: "bg-blue-lt",
    RosterImportStatus.INVALID: "bg-red-lt",
    RosterImportStatus.VALIDATED: "bg-yellow-lt",
    RosterImportStatus.APPLYING: "bg-blue-lt",
    RosterImportStatus.APPLIED: "bg-green-lt",
    RosterImportStatus.FAILED: "bg-red-lt",
    RosterImportStatus.CANCELLED: "bg-secondary-lt",
}


def _require_importer(user) -> None:
    # Missing and forbidden look the same (STYLE: 404).
    if not can_import_roster(user):
        raise Http404


def _default_congress() -> Congress | None:
    """The city congress the office mostly works for, else the first congress."""
    return Congress.objects.filter(level=CongressLevel.CITY).order_by("order", "id").first() or (
        Congress.objects.order_by("order", "id").first()
    )


def _default_initial() -> dict:
    congress = _default_congress()
    if congress is None:
        return {}
    return {"congress": congress, "term": congress.terms.order_by("-number").first()}


@login_required
@require_http_methods(["GET", "POST"])
def roster_import_start_view(request):
    """Upload a roster: pick congress and term, choose the file; then the status page."""
    _require_importer(request.user)
    initial = _default_initial()
    if request.method == "POST":
        form = RosterImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                roster_import = roster_import_create(
                    file=form.cleaned_data["file"],
                    congress=form.cleaned_data["congress"],
                    term=form.cleaned_data["term"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                return redirect("deputies:import_detail", pk=roster_import.pk)
    else:
        form = RosterImportForm(initial=initial)
    imports = roster_import_recent(user=request.user)
    for item in imports:
        item.status_class = STATUS_CLASSES.get(item.status, "")
    return render(
        request,
        "deputies/import_start.html",
        {"form": form, "imports": imports, "template_congress": initial.get("congress")},
    )


@login_required
@require_GET
def roster_template_view(request):
    """Download the Excel template, with the units and groups of ``?congress=`` (default: the city's)."""
    _require_importer(request.user)
    congress_id = request.GET.get("congress", "")
    if congress_id:
        if not congress_id.isdigit():
            raise Http404
        congress = get_object_or_404(Congress, pk=congress_id)
    else:
        congress = _default_congress()
    return xlsx_response(roster_template_bytes(congress=congress), TEMPLATE_FILENAME)


@login_required
@require_http_methods(["GET", "POST"])
def roster_import_detail_view(request, pk: int):
    """The import's status: progress while it runs (an HTMX request gets the polled partial),
    the errors when invalid, the preview and the apply button when valid, the result when applied.
    POST ``action=cancel`` cancels it."""
    _require_importer(request.user)
    roster_import = get_object_or_404(
        RosterImport.objects.select_related("congress", "term__congress", "created_by", "applied_by"), pk=pk
    )
    if request.method == "POST":
        if request.POST.get("action") != "cancel":
            return HttpResponseBadRequest()
        try:
            roster_import_cancel(import_id=roster_import.pk, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已取消该名册导入，未导入任何数据。"))
        return redirect("deputies:import_detail", pk=roster_import.pk)

    is_running = roster_import.status in IN_PROGRESS
    context = {
        "roster_import": roster_import,
        "status_class": STATUS_CLASSES.get(roster_import.status, ""),
        "is_running": is_running,
        "is_stale": is_running and roster_import.updated_at < timezone.now() - STALE_AFTER,
        "progress": progress_get(PROGRESS_KIND, roster_import.pk),
        "statuses": RosterImportStatus,
    }
    if request.htmx:
        return render(request, "deputies/partials/import_status.html", context)
    return render(request, "deputies/import_detail.html", context)


@login_required
@require_POST
def roster_import_apply_view(request, pk: int):
    """Confirm a validated import (确认导入); the status page then shows its progress."""
    _require_importer(request.user)
    roster_import = get_object_or_404(RosterImport, pk=pk)
    try:
        roster_import_apply(import_id=roster_import.pk, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("deputies:import_detail", pk=roster_import.pk)
