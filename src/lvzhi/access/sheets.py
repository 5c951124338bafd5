"""The activation sheet of an electoral unit (a bulk job with progress): every deputy account of
the unit still waiting for activation gets a fresh link, written to one Excel sheet that the
county staff hand out with the letters."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lvzhi.accounts.models import ActivationSheet, User
from lvzhi.core.errors import DomainError
from lvzhi.core.excel import XLSX_CONTENT_TYPE, workbook_bytes
from lvzhi.core.lists import not_found
from lvzhi.core.progress import progress_get, progress_set
from lvzhi.core.queue import enqueue
from lvzhi.deputies.models import Person

from . import selectors, services
from .forms import SheetForm
from .views import require_office

PROGRESS_KIND = "activation_sheet"
PROGRESS_EVERY = 50


@transaction.atomic
def activation_sheet_create(*, actor: User, electoral_unit_id: int, base_url: str) -> ActivationSheet:
    services.require_account_manager(actor)
    waiting = selectors.deputy_accounts_of_unit(user=actor, electoral_unit_id=electoral_unit_id)
    if not waiting.exists():
        raise DomainError(_("该选举单位没有待激活的代表账户。"), field="electoral_unit")
    sheet = ActivationSheet.objects.create(
        electoral_unit_id=electoral_unit_id, created_by=actor, base_url=base_url.rstrip("/")
    )
    enqueue("lvzhi.access.tasks.activation_sheet_build", sheet.pk)
    return sheet


def activation_sheet_build(*, sheet_id: int) -> ActivationSheet:
    """The job: issue the links and write the sheet; idempotent (a finished sheet is left alone)."""
    sheet = ActivationSheet.objects.select_related("electoral_unit", "created_by").get(pk=sheet_id)
    if sheet.status == "done":
        return sheet
    actor = sheet.created_by
    users = list(selectors.deputy_accounts_of_unit(user=actor, electoral_unit_id=sheet.electoral_unit_id))
    total = len(users)
    stage = _("生成激活链接")
    progress_set(PROGRESS_KIND, sheet.pk, done=0, total=total, stage=stage)
    links = (
        services.activation_links_issue(actor=actor, user_ids=[user.pk for user in users]) if users else []
    )
    cards = {
        person.user_id: "、".join(mandate.card_number for mandate in getattr(person, "active_mandates", []))
        for person in Person.objects.filter(user__in=users).prefetch_related(
            selectors.active_mandates_prefetch()
        )
    }
    rows = []
    for index, link in enumerate(links, start=1):
        rows.append(
            [
                link.user.display_name,
                cards.get(link.user.pk, ""),
                link.user.username,
                sheet.base_url + reverse("access:activate", args=[link.token]),
                timezone.localtime(link.expires_at).strftime("%Y-%m-%d"),
            ]
        )
        if index % PROGRESS_EVERY == 0:
            progress_set(PROGRESS_KIND, sheet.pk, done=index, total=total, stage=stage)
    headers = [_("姓名"), _("代表证号"), _("用户名"), _("激活链接（一次有效）"), _("有效期至")]
    content = workbook_bytes(sheet.electoral_unit.name, headers, rows)
    sheet.file.save(f"{sheet.electoral_unit.name}-激活信.xlsx", ContentFile(content), save=False)
    sheet.total, sheet.status, sheet.finished_at = total, "done", timezone.now()
    sheet.save(update_fields=["file", "total", "status", "finished_at"])
    progress_set(PROGRESS_KIND, sheet.pk, done=total, total=total, stage=_("已完成"))
    return sheet


def site_base_url(request: HttpRequest) -> str:
    """Where the links point: the configured site address, else the one the office is using."""
    configured = cast(str, getattr(settings, "LVZHI_NOTIFICATION_SITE_URL", ""))
    return configured or request.build_absolute_uri("/")


@login_required
@require_http_methods(["GET", "POST"])
def sheet_list_view(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    actor = cast(User, request.user)
    form = SheetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = activation_sheet_create(
                actor=actor,
                electoral_unit_id=form.cleaned_data["electoral_unit"].pk,
                base_url=site_base_url(request),
            )
        except DomainError as error:
            form.add_error("electoral_unit", error.message)
        else:
            return redirect("access:sheet", pk=sheet.pk)
    sheets = selectors.activation_sheets(user=actor)[:20]
    return render(request, "access/sheets.html", {"form": form, "sheets": sheets})


@login_required
def sheet_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    sheet = selectors.activation_sheets(user=cast(User, request.user)).filter(pk=pk).first()
    if sheet is None:
        raise not_found()
    context = {"sheet": sheet, "progress": progress_get(PROGRESS_KIND, sheet.pk)}
    template = "access/partials/sheet_status.html" if getattr(request, "htmx", False) else "access/sheet.html"
    return render(request, template, context)


@login_required
def sheet_download_view(request: HttpRequest, pk: int) -> FileResponse:
    require_office(request.user)
    sheet = selectors.activation_sheets(user=cast(User, request.user)).filter(pk=pk, status="done").first()
    if sheet is None or not sheet.file:
        raise not_found()
    return FileResponse(
        sheet.file.open("rb"),
        as_attachment=True,
        filename=f"{sheet.electoral_unit.name}-激活信.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
