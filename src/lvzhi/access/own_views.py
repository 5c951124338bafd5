"""What a user does with its own account: activate it with the one-time link (first login),
change its password, keep its phone and e-mail current (Art. 58)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lvzhi.accounts.models import User
from lvzhi.core.errors import DomainError
from lvzhi.core.lists import add_domain_error

from . import services
from .forms import ContactForm, PasswordChangeForm, SetPasswordForm

AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


@never_cache
@require_http_methods(["GET", "POST"])
def activate_view(request: HttpRequest, token: str) -> HttpResponse:
    """The activation link: set a password, then the user is logged in on its desk."""
    account = services.activation_token_user(token)
    if account is None:
        return render(request, "access/activate_invalid.html", status=410)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_activate(
                token=token,
                password1=form.cleaned_data["new_password1"],
                password2=form.cleaned_data["new_password2"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            login(request, account, backend=AUTH_BACKEND)
            messages.success(request, _("密码已设置，欢迎使用。"))
            return redirect("portal:home")
    return render(request, "access/activate.html", {"form": form, "account": account})


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.own_password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                password1=form.cleaned_data["new_password1"],
                password2=form.cleaned_data["new_password2"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            update_session_auth_hash(request, changed)
            messages.success(request, _("密码已修改。"))
            return redirect("access:me")
    return render(request, "access/password_change.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def my_account_view(request: HttpRequest) -> HttpResponse:
    """My account: who I am, my contact details (editable), a link to change my password."""
    user = cast(User, request.user)
    form = ContactForm(request.POST or None, initial={"phone": user.phone, "email": user.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.own_contact_update(
                user=user, phone=form.cleaned_data["phone"], email=form.cleaned_data["email"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("联系方式已更新。"))
            return redirect("access:me")
    return render(request, "access/my_account.html", {"form": form, "account": user})
