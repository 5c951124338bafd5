"""Registry pages: thin views over selectors (what the user may see) and services (what changes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.accounts.roles import can_manage_registry, may_see_history, may_see_private_contact
from lvzhi.core.errors import DomainError
from lvzhi.core.excel import workbook_bytes, xlsx_response
from lvzhi.core.lists import add_domain_error, filtered, not_found
from lvzhi.core.text import mask_email, mask_phone

from . import selectors, services, tables, workflow
from .filters import MandateFilter
from .forms import DeputyCreateForm, MandateEventForm, MandateForm, PersonForm
from .models import Mandate

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
SORTABLE_COLUMNS = [
    ("card_number", gettext_lazy("代表证号")),
    ("name", gettext_lazy("姓名")),
    ("electoral_unit", gettext_lazy("选举单位")),
    ("composition", gettext_lazy("构成类别")),
    ("start_date", gettext_lazy("当选日期")),
    ("status", gettext_lazy("资格状态")),
]


def _visible_or_404(user, pk: int) -> Mandate:
    try:
        return selectors.mandate_get(user=user, pk=pk)
    except Mandate.DoesNotExist as missing:
        raise not_found(_("未找到该代表，或您无权查看。")) from missing


def _require_registry_manager(user) -> None:
    if not can_manage_registry(user):
        raise not_found()


def _contact(user, mandate) -> tuple[str, str]:
    """Phone and e-mail as the user may see them: in full for who may see private contact data
    (the office, leaders, the deputy's county), masked for everyone else."""
    person = mandate.person
    if may_see_private_contact(user, mandate):
        return person.phone, person.email
    return mask_phone(person.phone), mask_email(person.email)


def _export(mandates, user) -> bytes:
    headers = [
        _("代表证号"), _("姓名"), _("性别"), _("民族"), _("政治面貌"), _("人大"), _("届次"), _("选举单位"),
        _("构成类别"), _("基层代表"), _("专业领域"), _("代表小组"), _("工作单位及职务"), _("手机"),
        _("电子邮箱"), _("当选日期"), _("资格状态"),
    ]  # fmt: skip
    rows = (
        [
            m.card_number,
            m.person.name,
            m.person.get_gender_display(),
            m.person.ethnicity,
            m.person.get_party_display(),
            m.congress.name,
            m.term.label,
            m.electoral_unit.name,
            m.get_composition_display(),
            _("是") if m.is_grassroots else _("否"),
            "、".join(f.name for f in m.fields.all()),
            "、".join(g.name for g in m.groups.all()),
            m.person.workplace,
            *_contact(user, m),
            m.start_date,
            m.get_status_display(),
        ]
        for m in mandates[:EXPORT_LIMIT]
    )
    return workbook_bytes(_("代表名册"), headers, rows)


@login_required
def mandate_list_view(request):
    """The registry: filters, pinyin search, sorting, pagination and Excel export of the filtered list."""
    filterset = MandateFilter(request.GET or None, queryset=selectors.mandate_list(user=request.user))
    mandates = filtered(filterset)
    if not request.GET.get("ordering"):
        mandates = mandates.order_by("congress__order", "electoral_unit__order", "card_number", "id")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(_export(mandates, request.user), _("代表名册.xlsx"))
    page = Paginator(mandates, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "rows": tables.mandate_rows(page.object_list),
        "empty_row": tables.empty_row(len(SORTABLE_COLUMNS) + 5),
        "query": query.urlencode(),
        "ordering": request.GET.get("ordering", ""),
        "sortable_columns": SORTABLE_COLUMNS,
        "can_manage": can_manage_registry(request.user),
    }
    template = "deputies/partials/mandate_table.html" if request.htmx else "deputies/mandate_list.html"
    return render(request, template, context)


@login_required
def mandate_detail_view(request, pk: int):
    mandate = _visible_or_404(request.user, pk)
    context = {
        "mandate": mandate,
        "person": mandate.person,
        "show_private": may_see_private_contact(request.user, mandate),
        "events": selectors.mandate_events(mandate),
        "other_mandates": selectors.mandate_list(user=request.user)
        .filter(person_id=mandate.person_id)
        .exclude(pk=mandate.pk),
        "history": selectors.mandate_history(mandate) if may_see_history(request.user, mandate) else None,
        "show_actor": may_see_history(request.user, mandate),
        "can_manage": can_manage_registry(request.user),
        "event_form": MandateEventForm(mandate=mandate) if can_manage_registry(request.user) else None,
        "available_events": workflow.available_events(mandate.status),
    }
    return render(request, "deputies/mandate_detail.html", context)


@login_required
def mandate_event_create_view(request, pk: int):
    """Record a qualification event (office only); the service enforces Arts. 61-63."""
    _require_registry_manager(request.user)
    mandate = _visible_or_404(request.user, pk)
    form = MandateEventForm(request.POST or None, mandate=mandate)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.mandate_event_record(
                mandate_id=mandate.pk,
                type=data["type"],
                on=data["date"],
                actor=request.user,
                reason=data["reason"],
                document_reference=data["document_reference"],
                suspension_cause=data["suspension_cause"],
                cause_ends_on=data["cause_ends_on"],
                announcement_number=data["announcement_number"],
                announcement_date=data["announcement_date"],
                announcement_text=data["announcement_text"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("已记录“{event}”，资格状态：{status}。").format(
                    event=event.get_type_display(), status=Mandate.objects.get(pk=pk).get_status_display()
                ),
            )
            return redirect("deputies:detail", pk=pk)
    return render(request, "deputies/mandate_event_form.html", {"mandate": mandate, "form": form})


@login_required
def deputy_create_view(request):
    _require_registry_manager(request.user)
    person_form = PersonForm(request.POST or None, prefix="person")
    mandate_form = DeputyCreateForm(request.POST or None, prefix="mandate")
    if request.method == "POST" and person_form.is_valid() and mandate_form.is_valid():
        data = mandate_form.cleaned_data
        try:
            mandate = services.deputy_create(
                data=services.DeputyData(
                    person=person_form.cleaned_data,
                    congress=data["congress"],
                    term=data["term"],
                    card_number=data["card_number"],
                    electoral_unit=data["electoral_unit"],
                    composition=data["composition"],
                    is_grassroots=data["is_grassroots"],
                    start_date=data["start_date"],
                    fields=list(data["fields"]),
                    groups=list(data["groups"]),
                    by_election=data["by_election"],
                ),
                actor=request.user,
            )
        except DomainError as error:
            target = mandate_form if error.field in mandate_form.fields else person_form
            add_domain_error(target, error)
        else:
            messages.success(request, _("已新增代表{name}。").format(name=mandate.person.name))
            return redirect("deputies:detail", pk=mandate.pk)
    return render(
        request, "deputies/deputy_form.html", {"person_form": person_form, "mandate_form": mandate_form}
    )


@login_required
def mandate_edit_view(request, pk: int):
    """Edit person and mandate data; the versions read with the form guard against lost updates."""
    _require_registry_manager(request.user)
    mandate = _visible_or_404(request.user, pk)
    person_form = PersonForm(request.POST or None, instance=mandate.person, prefix="person")
    mandate_form = MandateForm(request.POST or None, instance=mandate, prefix="mandate")
    versions = {"person_version": mandate.person.version, "mandate_version": mandate.version}
    if request.method == "POST":
        if person_form.is_valid() and mandate_form.is_valid():
            try:
                person_version = int(request.POST.get("person_version", ""))
                mandate_version = int(request.POST.get("mandate_version", ""))
            except ValueError:
                raise Http404(_("表单已失效，请刷新页面。")) from None
            try:
                with transaction.atomic():
                    services.person_update(
                        person_id=mandate.person_id,
                        expected_version=person_version,
                        changes={f: person_form.cleaned_data[f] for f in person_form.changed_data},
                        actor=request.user,
                    )
                    data = mandate_form.cleaned_data
                    services.mandate_update(
                        mandate_id=mandate.pk,
                        expected_version=mandate_version,
                        changes={
                            f: data[f] for f in mandate_form.changed_data if f not in ("fields", "groups")
                        },
                        fields=list(data["fields"]),
                        groups=list(data["groups"]),
                        actor=request.user,
                    )
            except DomainError as error:
                target = mandate_form if error.field in mandate_form.fields else person_form
                add_domain_error(target, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("deputies:detail", pk=pk)
        versions = {
            "person_version": request.POST.get("person_version"),
            "mandate_version": request.POST.get("mandate_version"),
        }
    return render(
        request,
        "deputies/deputy_form.html",
        {"mandate": mandate, "person_form": person_form, "mandate_form": mandate_form, **versions},
    )
