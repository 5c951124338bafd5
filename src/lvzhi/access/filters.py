"""The account list's filters (page, Excel export and API share them)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.models import User
from lvzhi.organizations.models import Committee, ElectoralUnit, HandlingUnit

YES_NO = [("yes", _("是")), ("no", _("否"))]


class AccountFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("用户名/姓名/拼音首字母"), method="filter_q")
    role = django_filters.ChoiceFilter(label=_("角色"), choices=Role.choices, empty_label=_("全部"))
    electoral_unit = django_filters.ModelChoiceFilter(
        label=_("选举单位"),
        method="filter_electoral_unit",
        queryset=ElectoralUnit.objects.select_related("congress"),
    )
    handling_unit = django_filters.ModelChoiceFilter(label=_("承办单位"), queryset=HandlingUnit.objects.all())
    committee = django_filters.ModelChoiceFilter(label=_("委员会"), queryset=Committee.objects.all())
    is_active = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("yes", _("使用中")), ("no", _("已停用"))],
        method="filter_active",
        empty_label=_("全部"),
    )
    logged_in = django_filters.ChoiceFilter(
        label=_("已登录过"), choices=YES_NO, method="filter_logged_in", empty_label=_("全部")
    )

    class Meta:
        model = User
        fields = ["q", "role", "electoral_unit", "handling_unit", "committee", "is_active", "logged_in"]

    def filter_q(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        value = value.strip()
        if not value:
            return queryset
        condition = Q(username__icontains=value) | Q(display_name__contains=value)
        lowered = value.lower().replace(" ", "")
        if lowered.isascii():
            condition |= Q(person__name_initials__startswith=lowered) | Q(
                person__name_pinyin__startswith=lowered
            )
        return queryset.filter(condition)

    def filter_electoral_unit(self, queryset: QuerySet[User], name: str, value: Any) -> QuerySet[User]:
        """County staff of the unit, and the deputies it elected."""
        if value is None:
            return queryset
        return queryset.filter(Q(electoral_unit=value) | Q(person__mandates__electoral_unit=value)).distinct()

    def filter_active(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(is_active=value == "yes") if value else queryset

    def filter_logged_in(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(last_login__isnull=value != "yes") if value else queryset
