"""The item list's filters, shared by the page, its export and ``/api/v1/supervision-items/``.

They narrow a queryset that ``selectors.supervision_item_list`` has already scoped to the user;
filters never widen it."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.organizations.models import Committee

from .choices import SupervisionKind, SupervisionStatus
from .models import SupervisionItem

# ?ordering=<key> or -<key>; ties broken by id so that pages are stable.
ORDERINGS = {
    "year": ("year",),
    "number": ("suggestion__year", "suggestion__series", "suggestion__number"),
    "title": ("suggestion__title",),
    "kind": ("kind",),
    "status": ("status",),
    "leader": ("leader__username",),
    "latest_activity": ("latest_activity",),
}
DEFAULT_ORDERING = "-year"


def _ordering_choices() -> list[tuple[str, str]]:
    return [(key, key) for key in ORDERINGS] + [(f"-{key}", f"-{key}") for key in ORDERINGS]


class SupervisionItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("建议标题/建议号"), method="filter_q")
    year = django_filters.NumberFilter(label=_("年度"))
    kind = django_filters.ChoiceFilter(label=_("督办类型"), choices=SupervisionKind.choices)
    status = django_filters.ChoiceFilter(label=_("督办状态"), choices=SupervisionStatus.choices)
    leader = django_filters.ModelChoiceFilter(
        label=_("领衔督办领导"),
        queryset=get_user_model().objects.filter(role=Role.LEADER).order_by("username"),
    )
    committee = django_filters.ModelChoiceFilter(label=_("对口委员会"), queryset=Committee.objects.all())
    ordering = django_filters.ChoiceFilter(
        label=_("排序"), method="filter_ordering", choices=_ordering_choices()
    )

    class Meta:
        model = SupervisionItem
        fields = ["q", "year", "kind", "status", "leader", "committee"]

    def filter_q(self, queryset, name, value):
        """The suggestion's title, its number label ("第2001号") or number ("2001")."""
        value = value.strip()
        if not value:
            return queryset
        condition = Q(suggestion__title__contains=value) | Q(suggestion__number_label__contains=value)
        if value.isdigit():
            condition |= Q(suggestion__number=int(value))
        return queryset.filter(condition)

    def filter_ordering(self, queryset, name, value):
        value = value or DEFAULT_ORDERING
        descending = value.startswith("-")
        key = value.lstrip("-")
        if key not in ORDERINGS:
            descending, key = True, DEFAULT_ORDERING.lstrip("-")
        columns = [f"-{column}" if descending else column for column in ORDERINGS[key]]
        return queryset.order_by(*columns, "-id" if descending else "id")
