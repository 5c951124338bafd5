"""The account forms, validated in Chinese; the rules themselves are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import InactiveCause, Role
from lvzhi.organizations.models import Committee, ElectoralUnit, HandlingUnit

from .services import STAFF_ROLES

PLACEHOLDER = _("请选择")


class StaffAccountForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"))
    username = forms.CharField(
        label=_("用户名"), max_length=150, help_text=_("登录时使用，建议用姓名拼音，如 zhangsan。")
    )
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    handling_unit = forms.ModelChoiceField(
        label=_("承办单位"), queryset=HandlingUnit.objects.all(), required=False, empty_label=PLACEHOLDER
    )
    electoral_unit = forms.ModelChoiceField(
        label=_("选举单位"),
        queryset=ElectoralUnit.objects.select_related("congress"),
        required=False,
        empty_label=PLACEHOLDER,
    )
    committee = forms.ModelChoiceField(
        label=_("委员会"), queryset=Committee.objects.all(), required=False, empty_label=PLACEHOLDER
    )
    phone = forms.CharField(label=_("手机"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)

    def __init__(self, *args: Any, may_create_admin: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = [role for role in STAFF_ROLES if may_create_admin or role != Role.SYSTEM_ADMIN]
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [("", PLACEHOLDER), *[(role, Role(role).label) for role in roles]]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("说明"), max_length=400, widget=forms.Textarea(attrs={"rows": 2}))


class DeactivateForm(ReasonForm):
    cause = forms.ChoiceField(
        label=_("停用原因"),
        choices=[
            (InactiveCause.LEFT_UNIT, InactiveCause.LEFT_UNIT.label),
            (InactiveCause.MANUAL, InactiveCause.MANUAL.label),
        ],
    )


class SetPasswordForm(forms.Form):
    new_password1 = forms.CharField(
        label=_("新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class PasswordChangeForm(SetPasswordForm):
    old_password = forms.CharField(
        label=_("原密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    field_order = ["old_password", "new_password1", "new_password2"]


class ContactForm(forms.Form):
    phone = forms.CharField(label=_("手机"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)


class SheetForm(forms.Form):
    electoral_unit = forms.ModelChoiceField(
        label=_("选举单位"),
        queryset=ElectoralUnit.objects.select_related("congress"),
        empty_label=PLACEHOLDER,
    )


class AccountEditForm(forms.Form):
    display_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("手机"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
