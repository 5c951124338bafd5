"""The office's account pages (账户管理): thin views over ``selectors`` and ``services``.

Only the office (``accounts.roles.is_office``) opens them; anybody else gets a 404 and nothing
changes. An activation link's secret is shown once, on the printable letter the action returns.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lvzhi.accounts.choices import Role
from lvzhi.accounts.models import User
from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import DomainError
from lvzhi.core.excel import workbook_bytes, xlsx_response
from lvzhi.core.lists import add_domain_error, filtered, not_found, status_of
from lvzhi.deputies.models import Person
from lvzhi.organizations.models import ElectoralUnit

from . import selectors, services
from .filters import AccountFilter
from .forms import AccountEditForm, DeactivateForm, ReasonForm, StaffAccountForm

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000


def require_office(user: Any) -> None:
    if not is_office(user):
        raise not_found()


def actor_of(request: HttpRequest) -> User:
    """The logged-in user (every view here is behind ``login_required``)."""
    return cast(User, request.user)


def _account_or_404(request: HttpRequest, pk: int) -> User:
    try:
        return selectors.account_get(user=actor_of(request), pk=pk)
    except User.DoesNotExist as missing:
        raise not_found(_("未找到该账户。")) from missing


def scope_label(account: User) -> str:
    if account.handling_unit_id:
        return str(account.handling_unit)
    if account.committee_id:
        return str(account.committee)
    if account.electoral_unit_id:
        return str(account.electoral_unit.name) if account.electoral_unit else ""
    return ""


def status_label(account: User) -> str:
    if not account.is_active:
        return _("已停用")
    return _("待激活") if account.must_set_password else _("使用中")


def _export(accounts: QuerySet[User]) -> bytes:
    headers = [
        _("用户名"),
        _("姓名"),
        _("角色"),
        _("所属单位"),
        _("状态"),
        _("最近登录"),
        _("手机"),
        _("电子邮箱"),
    ]
    rows = (
        [
            account.username,
            account.display_name,
            str(Role(account.role).label),
            scope_label(account),
            status_label(account),
            account.last_login.strftime("%Y-%m-%d %H:%M") if account.last_login else "",
            account.phone,
            account.email,
        ]
        for account in accounts[:EXPORT_LIMIT]
    )
    return workbook_bytes(_("账户"), headers, rows)


@login_required
def account_list_view(request: HttpRequest) -> HttpResponse:
    """All accounts: filters, search (pinyin initials too), pagination, Excel export."""
    require_office(request.user)
    filterset = AccountFilter(request.GET or None, queryset=selectors.account_list(user=actor_of(request)))
    accounts = filtered(filterset)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(_export(accounts), _("账户清单.xlsx"))
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(account, scope_label(account), status_label(account)) for account in page.object_list]
    context = {"filter": filterset, "page": page, "rows": rows}
    template = (
        "access/partials/account_table.html"
        if getattr(request, "htmx", False)
        else "access/account_list.html"
    )
    return render(request, template, context)


@login_required
def account_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    account = _account_or_404(request, pk)
    person = (
        Person.objects.filter(user=account).prefetch_related(selectors.active_mandates_prefetch()).first()
    )
    context = {
        "account": account,
        "person": person,
        "scope": scope_label(account),
        "status": status_label(account),
        "events": selectors.account_events(account),
        "reset_form": ReasonForm(),
        "deactivate_form": DeactivateForm(),
        "reactivate_form": ReasonForm(),
    }
    return render(request, "access/account_detail.html", context)


def letters_response(request: HttpRequest, links: list[services.IssuedLink]) -> HttpResponse:
    """The printable letters (one per page) with each account's one-time link."""
    persons = {
        person.user_id: person
        for person in Person.objects.filter(user__in=[link.user for link in links]).prefetch_related(
            selectors.active_mandates_prefetch()
        )
    }
    letters = [
        {
            "user": link.user,
            "person": persons.get(link.user.pk),
            "url": request.build_absolute_uri(reverse("access:activate", args=[link.token])),
            "expires_at": link.expires_at,
        }
        for link in links
    ]
    return render(request, "access/letters.html", {"letters": letters})


@login_required
@require_POST
def letters_view(request: HttpRequest) -> HttpResponse:
    """Issue fresh links for the chosen accounts, or for an electoral unit's waiting deputy
    accounts (older links become void), and print them."""
    require_office(request.user)
    ids = [int(value) for value in request.POST.getlist("accounts") if value.isdigit()]
    unit = request.POST.get("electoral_unit", "")
    if unit.isdigit():  # every deputy account of the unit still waiting for activation
        waiting = selectors.deputy_accounts_of_unit(user=actor_of(request), electoral_unit_id=int(unit))
        ids = list(waiting.values_list("pk", flat=True))
    try:
        links = services.activation_links_issue(actor=actor_of(request), user_ids=ids)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("access:accounts")
    return letters_response(request, links)


@login_required
@require_http_methods(["GET", "POST"])
def staff_account_create_view(request: HttpRequest) -> HttpResponse:
    """An account for unit staff, county or committee staff, the office or a leader."""
    require_office(request.user)
    actor = actor_of(request)
    may_create_admin = bool(actor.is_superuser or actor.role == Role.SYSTEM_ADMIN)
    form = StaffAccountForm(request.POST or None, may_create_admin=may_create_admin)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = services.StaffAccountData(**form.cleaned_data)
        try:
            account = services.staff_account_create(actor=actor_of(request), data=data)
            links = services.activation_links_issue(actor=actor_of(request), user_ids=[account.pk])
        except DomainError as error:
            add_domain_error(form, error)
            status = status_of(error)
        else:
            return letters_response(request, links)
    return render(request, "access/staff_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def deputy_accounts_view(request: HttpRequest) -> HttpResponse:
    """Deputies with an active mandate and no account, by electoral unit and name (pinyin
    initials too); open accounts for the ones ticked, or for all of them at once."""
    require_office(request.user)
    persons = selectors.deputies_without_account(user=actor_of(request))
    unit_id = request.GET.get("electoral_unit", "")
    if unit_id.isdigit():
        persons = persons.filter(mandates__electoral_unit_id=int(unit_id))
    query = request.GET.get("q", "").strip()
    if query:
        lowered = query.lower()
        persons = (
            persons.filter(name_initials__startswith=lowered)
            | persons.filter(name_pinyin__startswith=lowered)
            if lowered.isascii()
            else persons.filter(name__contains=query)
        )
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("persons") if value.isdigit()]
        all_missing = request.POST.get("all") == "1"
        try:
            created = services.deputy_accounts_create(
                actor=actor_of(request), person_ids=ids, all_missing=all_missing
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            return render(request, "access/deputies_created.html", {"created": created})
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "units": ElectoralUnit.objects.select_related("congress").order_by("congress__order", "order"),
        "unit_id": unit_id,
        "q": query,
        "missing_count": selectors.deputies_without_account(user=actor_of(request)).count(),
    }
    return render(request, "access/deputies.html", context)


def _action(request: HttpRequest, pk: int, form_class: type[ReasonForm]) -> tuple[User, ReasonForm]:
    require_office(request.user)
    account = _account_or_404(request, pk)
    return account, form_class(request.POST or None)


@login_required
@require_http_methods(["GET", "POST"])
def account_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Forgotten password: a new activation link replaces the password."""
    account, form = _action(request, pk, ReasonForm)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            link = services.account_reset(
                actor=actor_of(request), user_id=account.pk, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = status_of(error)
        else:
            return letters_response(request, [link])
    context = {"account": account, "form": form, "title": _("重置密码"), "button": _("重置并打印激活信")}
    return render(request, "access/account_action.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def account_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    account, form = _action(request, pk, DeactivateForm)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.account_deactivate(
                actor=actor_of(request),
                user_id=account.pk,
                reason=form.cleaned_data["reason"],
                cause=form.cleaned_data["cause"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = status_of(error)
        else:
            messages.success(request, _("账户已停用，其已办理的事项和记录保留不变。"))
            return redirect("access:detail", pk=account.pk)
    context = {
        "account": account,
        "form": form,
        "title": _("停用账户"),
        "button": _("确认停用"),
        "danger": True,
    }
    return render(request, "access/account_action.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def account_reactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    account, form = _action(request, pk, ReasonForm)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.account_reactivate(
                actor=actor_of(request), user_id=account.pk, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = status_of(error)
        else:
            messages.success(request, _("账户已重新启用。"))
            return redirect("access:detail", pk=account.pk)
    context = {"account": account, "form": form, "title": _("重新启用账户"), "button": _("确认启用")}
    return render(request, "access/account_action.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def account_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an account's name (staff accounts) and contact details."""
    require_office(request.user)
    account = _account_or_404(request, pk)
    initial = {"display_name": account.display_name, "phone": account.phone, "email": account.email}
    form = AccountEditForm(request.POST or None, initial=initial)
    if account.role == Role.DEPUTY:
        form.fields["display_name"].disabled = True
        form.fields["display_name"].help_text = _("代表姓名以代表名册为准。")
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.account_update(actor=actor_of(request), user_id=account.pk, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            status = status_of(error)
        else:
            messages.success(request, _("账户信息已保存。"))
            return redirect("access:detail", pk=account.pk)
    context = {"account": account, "form": form, "title": _("修改账户信息"), "button": _("保存")}
    return render(request, "access/account_action.html", context, status=status)
