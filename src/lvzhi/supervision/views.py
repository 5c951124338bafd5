"""Supervision pages (督办): the items (list, 列为督办, detail with the team's activities, finishing and
reopening, the yearly carry-over), the supervision months (督办月) and the meetings that re-assign
the dissatisfied suggestions (不满意件交办会) with their per-unit lists.

Views are thin: a selector decides what the user may see (missing and forbidden both give 404), a
form checks the input's shape, one service applies the rule, and the page redirects with a success
message or shows the service's Chinese refusal with nothing changed (403 for the role, 409 for a
stale version). Destructive and bulk actions ask first (``data-confirm``).
"""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import DomainError
from lvzhi.core.excel import workbook_bytes, xlsx_response
from lvzhi.core.lists import add_domain_error, filtered, not_found, status_of, without_empty
from lvzhi.organizations.models import Congress
from lvzhi.suggestions import tables as suggestion_tables
from lvzhi.suggestions.models import Suggestion

from . import forms, selectors, services, tables, workflow
from .filters import SupervisionItemFilter
from .models import SupervisionCampaign, SupervisionItem
from .workflow import Action

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
# Suggestions offered at once in a picker (列为督办, 督办月): narrow with the search box.
PICKER_LIMIT = 100
# The meeting's page decides at most this many dissatisfied assignments at once.
MEETING_LIMIT = 500
SORTABLE_COLUMNS = [
    ("year", gettext_lazy("年度")),
    ("number", gettext_lazy("建议号")),
    ("title", gettext_lazy("标题")),
    ("kind", gettext_lazy("督办类型")),
    ("leader", gettext_lazy("领衔督办领导")),
]
LIST_SELECTS = ("kind", "status", "leader", "committee")


# -- Shared helpers ---------------------------------------------------------------------------------


def _picker(candidates, q: str, posted: str = ""):
    """The candidates a picker offers: the first ``PICKER_LIMIT`` matching the search, plus the one
    posted (so that a refused form shows it again)."""
    ids = list(candidates.values_list("pk", flat=True)[:PICKER_LIMIT])
    return [*ids, int(posted)] if posted.isdigit() else ids


# -- Items ------------------------------------------------------------------------------------------


@login_required
def item_list_view(request):
    """The items the user may see: filters, sorting, pagination, Excel export of the filtered list;
    for the office the button that carries over last year's unfinished key items. HTMX gets the
    table only."""
    user = request.user
    filterset = SupervisionItemFilter(
        without_empty(request.GET) or None, queryset=selectors.supervision_item_list(user=user)
    )
    items = filtered(filterset)
    if request.GET.get("export") == "xlsx":
        rows = (tables.item_export_row(item) for item in items[:EXPORT_LIMIT])
        content = workbook_bytes(_("建议督办"), [str(h) for h in tables.ITEM_EXPORT_HEADERS], rows)
        return xlsx_response(content, _("建议督办.xlsx"))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    last_year = timezone.localdate().year - 1
    context = {
        "filter": filterset,
        "select_fields": [filterset.form[name] for name in LIST_SELECTS],
        "page": page,
        "rows": tables.item_rows(page.object_list),
        "ordering": request.GET.get("ordering", ""),
        "sortable_columns": SORTABLE_COLUMNS,
        "can_start": selectors.may_start_supervision(user),
        "can_carry_over": is_office(user),
        "can_see_campaigns": selectors.may_see_campaigns(user),
        "carry_over_year": last_year,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "supervision/partials/item_table.html" if partial else "supervision/item_list.html"
    return render(request, template, context)


@login_required
def item_start_view(request):
    """列为督办: the office lists a suggestion for key (recording the directors' meeting's decision),
    counterpart or follow-up supervision; committee staff for counterpart supervision of a
    suggestion in their fields. Suggestions are picked by title or number (``?q=``)."""
    user = request.user
    if not selectors.may_start_supervision(user):
        raise not_found()
    q = request.GET.get("q", "")
    preselected = request.GET.get("suggestion", "")
    candidates = selectors.supervision_candidates(user=user)
    matching = selectors.supervision_candidates(
        user=user, q=q, suggestion_id=int(preselected) if preselected.isdigit() else None
    )
    posted = request.POST.get("suggestion", "")
    form = forms.StartForm(
        request.POST or None,
        user=user,
        candidates=candidates.filter(pk__in=_picker(matching, q, posted)),
        initial={"suggestion": int(preselected)} if preselected.isdigit() else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.supervision_start(
                suggestion=data["suggestion"],
                kind=data["kind"],
                year=data["year"],
                actor=user,
                leader=data["leader"],
                committee=data.get("committee"),
                team_members=list(data["team_members"]),
                team=data["team"],
                decided_on=data["decided_on"],
                decision_ref=data["decision_ref"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("已将“{title}”列为{year}年度{kind}。").format(
                    title=item.suggestion.title, year=item.year, kind=item.get_kind_display()
                ),
            )
            return redirect("supervision:detail", pk=item.pk)
    return render(request, "supervision/item_start.html", {"form": form, "q": q, "limit": PICKER_LIMIT})


def _item_or_404(user, pk: int) -> SupervisionItem:
    try:
        return selectors.supervision_item_get(user=user, pk=pk)
    except SupervisionItem.DoesNotExist as missing:
        raise Http404(_("未找到该督办事项，或您无权查看。")) from missing


ITEM_FORMS = {"activity": Action.RECORD_ACTIVITY, "finish": Action.FINISH, "reopen": Action.REOPEN}


def _render_detail(request, item: SupervisionItem, *, bound: dict | None = None, status: int = 200):
    """The item page; ``bound`` maps a form's name to the refused bound form shown in its place."""
    user = request.user
    bound = bound or {}
    actions = {available.action for available in workflow.available_actions(item, user)}
    version = {"version": item.version}
    suggestion = item.suggestion
    today = timezone.localdate()
    context = {
        "item": item,
        "suggestion": suggestion,
        "status_badge": tables.status_badge(item.status),
        "kind_badge": tables.kind_badge(item.kind),
        "suggestion_status": suggestion_tables.status_badge(suggestion.status),
        "assignments": [
            (a, suggestion_tables.due_cell(a, today)) for a in suggestion_tables.open_assignments(suggestion)
        ],
        "team": tables.team_text(item),
        "activities": item.activities.all(),
        "events": [(event, tables.event_details(event)) for event in selectors.supervision_item_events(item)],
        "successor": getattr(item, "carried_over_to", None),
        "can_edit": Action.UPDATE in actions,
        "activity_form": _form(bound, "activity", actions, forms.ActivityForm),
        "finish_form": _form(bound, "finish", actions, lambda: forms.FinishForm(initial=version)),
        "reopen_form": _form(bound, "reopen", actions, lambda: forms.ReopenForm(initial=version)),
        # A refused form whose action is not offered (any more, or never to this user) is not
        # shown: its errors are, at the top of the page.
        "page_errors": [
            str(error)
            for name, form in bound.items()
            if ITEM_FORMS[name] not in actions
            for errors in form.errors.values()
            for error in errors
        ],
    }
    return render(request, "supervision/item_detail.html", context, status=status)


def _form(bound: dict, name: str, actions: set, make):
    """The form of an offered action: the refused one when it was just posted, else a fresh one."""
    if ITEM_FORMS[name] not in actions:
        return None
    return bound.get(name) or make()


@login_required
def item_detail_view(request, pk: int):
    """The item: the suggestion, its units and deadlines, the team, the activities (with the form to
    record one), finishing or reopening, and the history."""
    return _render_detail(request, _item_or_404(request.user, pk))


def _item_action(name: str, form_class, perform):
    """A POST-only view acting on a visible item (else 404) through one service; a refusal is shown
    on the item page with nothing changed."""

    @login_required
    @require_POST
    def view(request, pk: int):
        item = _item_or_404(request.user, pk)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                message = perform(request, item, form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
                item = _item_or_404(request.user, pk)
                return _render_detail(request, item, bound={name: form}, status=status_of(error))
            messages.success(request, message)
            return redirect("supervision:detail", pk=pk)
        return _render_detail(request, item, bound={name: form})

    return view


def _record_activity(request, item, data) -> str:
    services.supervision_activity_record(
        item=item,
        kind=data["kind"],
        happened_on=data["happened_on"],
        participants=data["participants"],
        note=data["note"],
        actor=request.user,
    )
    return _("已记录督办活动。")


def _finish(request, item, data) -> str:
    services.supervision_finish(
        item=item, conclusion=data["conclusion"], actor=request.user, expected_version=data["version"]
    )
    return _("督办事项已完成。")


def _reopen(request, item, data) -> str:
    services.supervision_reopen(
        item=item, reason=data["reason"], actor=request.user, expected_version=data["version"]
    )
    return _("已恢复督办。")


item_activity_view = _item_action("activity", forms.ActivityForm, _record_activity)
item_finish_view = _item_action("finish", forms.FinishForm, _finish)
item_reopen_view = _item_action("reopen", forms.ReopenForm, _reopen)


@login_required
def item_edit_view(request, pk: int):
    """Change the arrangement (leader, committee, team, decision); the version read with the form
    makes a concurrent edit fail with the conflict message."""
    item = _item_or_404(request.user, pk)
    try:
        workflow.check(item, Action.UPDATE, request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("supervision:detail", pk=pk)
    form = forms.ItemEditForm(request.POST or None, item=item, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_update(
                item=item,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = status_of(error)
        else:
            messages.success(request, _("已调整督办安排。"))
            return redirect("supervision:detail", pk=pk)
    return render(request, "supervision/item_edit.html", {"form": form, "item": item}, status=status)


@login_required
@require_POST
def carry_over_view(request):
    """The office carries over the year's unfinished key items to the next year (the form asks
    first); the yearly job does the same on 1 January."""
    if not is_office(request.user):
        raise not_found()
    form = forms.CarryOverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的结转年度。"))
        return redirect("supervision:list")
    year = form.cleaned_data["year"]
    try:
        carried = services.supervision_carry_over(year=year, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if carried:
            messages.success(
                request,
                _("已将{count}项{year}年度未完成的重点督办事项结转到{next}年度。").format(
                    count=len(carried), year=year, next=year + 1
                ),
            )
        else:
            messages.info(request, _("{year}年度没有需要结转的重点督办事项。").format(year=year))
    return redirect("supervision:list")


# -- Supervision months (督办月) ----------------------------------------------------------------------------


def _require_campaigns(user) -> None:
    if not selectors.may_see_campaigns(user):
        raise not_found()


def _require_office(user) -> None:
    if not is_office(user):
        raise not_found()


def _campaign_or_404(user, pk: int) -> SupervisionCampaign:
    return get_object_or_404(selectors.campaigns_visible_to(user), pk=pk)


@login_required
def campaign_list_view(request):
    user = request.user
    _require_campaigns(user)
    context = {"campaigns": selectors.campaigns_visible_to(user), "can_create": is_office(user)}
    return render(request, "supervision/campaign_list.html", context)


def _default_congress() -> Congress | None:
    """The congress a campaign or meeting belongs to when none is named: the first that has
    suggestions (a deployment usually runs one), else the first."""
    congresses = Congress.objects.order_by("order", "id")
    return congresses.filter(pk__in=Suggestion.objects.values("congress_id")).first() or congresses.first()


@login_required
def campaign_create_view(request):
    user = request.user
    _require_office(user)
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        congress = data.pop("congress", None) or _default_congress()
        try:
            if congress is None:
                raise DomainError(_("请先在组织结构中建立人大。"))
            campaign = services.campaign_create(congress=congress, actor=user, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已创建督办月活动“{name}”。").format(name=campaign.name))
            return redirect("supervision:campaign_detail", pk=campaign.pk)
    return render(request, "supervision/campaign_form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit_view(request, pk: int):
    user = request.user
    _require_office(user)
    campaign = _campaign_or_404(user, pk)
    form = forms.CampaignForm(request.POST or None, campaign=campaign)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                campaign=campaign,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                actor=user,
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = status_of(error)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("supervision:campaign_detail", pk=pk)
    return render(
        request, "supervision/campaign_form.html", {"form": form, "campaign": campaign}, status=status
    )


def _render_campaign(request, campaign, *, add_form=None, status: int = 200):
    user = request.user
    progress = selectors.campaign_progress(campaign)
    can_edit = is_office(user)
    can_add = can_edit and campaign.ends_on >= timezone.localdate()
    q = request.GET.get("q", "")
    if can_add and add_form is None:
        candidates = selectors.campaign_candidates(campaign=campaign, user=user, q=q)
        add_form = forms.CampaignAddForm(candidates=candidates.filter(pk__in=_picker(candidates, q)))
    context = {
        "campaign": campaign,
        "entries": [
            (
                entry,
                suggestion_tables.units_text(entry.suggestion),
                tables.satisfaction_text(entry.satisfaction),
            )
            for entry in progress["entries"]
        ],
        "counts": progress["counts"],
        "cutoff": progress["cutoff"],
        "can_edit": can_edit,
        "add_form": add_form if can_add else None,
        "q": q,
    }
    return render(request, "supervision/campaign_detail.html", context, status=status)


@login_required
def campaign_detail_view(request, pk: int):
    """A supervision month: its suggestions with their status, units, replies and the lead deputy's
    rating, the figures (replied, satisfied, still dissatisfied); Excel export; for the office the
    form to add suggestions and the buttons to remove them."""
    user = request.user
    _require_campaigns(user)
    campaign = _campaign_or_404(user, pk)
    if request.GET.get("export") == "xlsx":
        headers = [_("建议号"), _("标题"), _("领衔代表"), _("承办单位"), _("办理状态"), _("活动期间答复"),
                   _("最新办理结果"), _("领衔代表评价")]  # fmt: skip
        rows = (
            [
                entry.suggestion.number_label,
                entry.suggestion.title,
                entry.suggestion.lead_mandate.person.name,
                suggestion_tables.units_text(entry.suggestion),
                str(entry.suggestion.get_status_display()),
                _("是") if entry.replied else _("否"),
                entry.latest_class or "",
                tables.satisfaction_text(entry.satisfaction) if entry.satisfaction else "",
            ]
            for entry in selectors.campaign_progress(campaign)["entries"]
        )
        return xlsx_response(workbook_bytes(campaign.name, headers, rows), f"{campaign.name}.xlsx")
    return _render_campaign(request, campaign)


@login_required
@require_POST
def campaign_add_view(request, pk: int):
    user = request.user
    _require_office(user)
    campaign = _campaign_or_404(user, pk)
    candidates = selectors.campaign_candidates(campaign=campaign, user=user)
    form = forms.CampaignAddForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            entries = services.campaign_add_suggestions(
                campaign=campaign, suggestions=list(form.cleaned_data["suggestions"]), actor=user
            )
        except DomainError as error:
            add_domain_error(form, error)
            return _render_campaign(request, campaign, add_form=form, status=status_of(error))
        messages.success(request, _("已将{count}件建议列入督办月。").format(count=len(entries)))
        return redirect("supervision:campaign_detail", pk=pk)
    return _render_campaign(request, campaign, add_form=form)


@login_required
@require_POST
def campaign_remove_view(request, pk: int, suggestion_pk: int):
    user = request.user
    _require_office(user)
    campaign = _campaign_or_404(user, pk)
    entry = get_object_or_404(campaign.entries.select_related("suggestion"), suggestion_id=suggestion_pk)
    try:
        services.campaign_remove_suggestion(campaign=campaign, suggestion=entry.suggestion, actor=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已将“{title}”移出督办月。").format(title=entry.suggestion.title))
    return redirect("supervision:campaign_detail", pk=pk)


# -- The dissatisfied-suggestion meetings (不满意件交办会) --------------------------------------------------


@login_required
def meeting_list_view(request):
    user = request.user
    _require_campaigns(user)
    context = {
        "meetings": selectors.meetings_visible_to(user),
        "can_hold": is_office(user),
        "dissatisfied": selectors.dissatisfied_assignments(user=user).count(),
    }
    return render(request, "supervision/meeting_list.html", context)


@login_required
def meeting_new_view(request):
    """The meeting's page: every assignment being re-handled after a 不满意, each with a decision (back
    to its unit, to another unit, or not at this meeting), the new unit and a note; submitting holds
    the meeting, all decisions or none (the form asks first)."""
    user = request.user
    _require_office(user)
    assignments = list(selectors.dissatisfied_assignments(user=user)[:MEETING_LIMIT])
    units = list(forms.active_units())
    congress = assignments[0].suggestion.congress if assignments else _default_congress()
    form = forms.MeetingForm(request.POST or None, assignments=assignments, units=units)
    status = 200
    if request.method == "POST" and form.is_valid():
        rows = form.rows()
        if not form.errors:
            data = form.cleaned_data
            try:
                meeting = services.dissatisfied_meeting_hold(
                    congress=congress,
                    name=data["name"],
                    held_on=data["held_on"],
                    note=data["note"],
                    decisions=rows,
                    actor=user,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = status_of(error)
            else:
                messages.success(
                    request,
                    _("已登记“{name}”，交办不满意件{count}件，请打印各单位清单。").format(
                        name=meeting.name, count=len(rows)
                    ),
                )
                return redirect("supervision:meeting_detail", pk=meeting.pk)
    context = {
        "form": form,
        "rows": tables.meeting_rows(assignments, units, request.POST if request.method == "POST" else None),
        "count": len(assignments),
        "congress": congress,
    }
    return render(request, "supervision/meeting_new.html", context, status=status)


@login_required
def meeting_detail_view(request, pk: int):
    """The meeting's decisions as one list per unit (the unit that now handles each), printable; Excel
    of all units or of one (``?unit=``)."""
    user = request.user
    _require_campaigns(user)
    meeting = get_object_or_404(selectors.meetings_visible_to(user), pk=pk)
    records = selectors.meeting_reassignments(meeting)
    if request.GET.get("export") == "xlsx":
        unit = request.GET.get("unit", "")
        if unit.isdigit():
            records = [record for record in records if record.unit.pk == int(unit)]
        title = _("{name}交办清单").format(name=meeting.name)
        if unit.isdigit() and records:
            title = _("{unit}不满意件交办清单").format(unit=records[0].unit.name)
        rows = (tables.meeting_export_row(index, record) for index, record in enumerate(records, start=1))
        content = workbook_bytes(title, [str(h) for h in tables.MEETING_EXPORT_HEADERS], rows)
        return xlsx_response(content, f"{title}.xlsx")
    groups = [(unit, list(rows)) for unit, rows in groupby(records, key=lambda record: record.unit)]
    return render(
        request,
        "supervision/meeting_detail.html",
        {"meeting": meeting, "groups": groups, "count": len(records), "printed_at": timezone.localtime()},
    )
