"""The registry's filters, shared by the list page, its Excel export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvzhi.organizations.models import Congress, DeputyGroup, ElectoralUnit, ExpertiseField, Term

from .choices import Composition, MandateStatus
from .models import Mandate

ORDERINGS = {
    "card_number": ("card_number",),
    "name": ("person__name_pinyin",),
    "electoral_unit": ("electoral_unit__order", "card_number"),
    "composition": ("composition", "card_number"),
    "status": ("status", "card_number"),
    "start_date": ("start_date", "card_number"),
}


class MandateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("姓名/拼音首字母/代表证号"), method="filter_q")
    congress = django_filters.ModelChoiceFilter(label=_("人大"), queryset=Congress.objects.all())
    term = django_filters.ModelChoiceFilter(label=_("届次"), queryset=Term.objects.select_related("congress"))
    electoral_unit = django_filters.ModelChoiceFilter(
        label=_("选举单位"), queryset=ElectoralUnit.objects.select_related("congress")
    )
    composition = django_filters.ChoiceFilter(label=_("构成类别"), choices=Composition.choices)
    is_grassroots = django_filters.BooleanFilter(label=_("基层代表"))
    status = django_filters.ChoiceFilter(label=_("资格状态"), choices=MandateStatus.choices)
    group = django_filters.ModelChoiceFilter(
        label=_("代表小组"), field_name="groups", queryset=DeputyGroup.objects.all()
    )
    field = django_filters.ModelChoiceFilter(
        label=_("专业领域"), field_name="fields", queryset=ExpertiseField.objects.all()
    )
    ordering = django_filters.ChoiceFilter(
        label=_("排序"),
        method="filter_ordering",
        choices=[(key, key) for key in ORDERINGS] + [(f"-{key}", f"-{key}") for key in ORDERINGS],
    )

    class Meta:
        model = Mandate
        fields = [
            "q",
            "congress",
            "term",
            "electoral_unit",
            "composition",
            "is_grassroots",
            "status",
            "group",
            "field",
        ]

    def filter_q(self, queryset, name, value):
        """Name, full pinyin ("zhangsan"), pinyin initials ("zs") or card number."""
        value = value.strip()
        if not value:
            return queryset
        lowered = value.lower().replace(" ", "")
        condition = Q(person__name__contains=value) | Q(card_number__iexact=value)
        if lowered.isascii():
            condition |= Q(person__name_initials__startswith=lowered) | Q(
                person__name_pinyin__startswith=lowered
            )
        return queryset.filter(condition)

    def filter_ordering(self, queryset, name, value):
        descending = value.startswith("-")
        columns = ORDERINGS.get(value.lstrip("-"), ORDERINGS["card_number"])
        return queryset.order_by(*[f"-{c}" if descending else c for c in columns], "id")
