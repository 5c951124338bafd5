"""The motion list's filters, shared by the page, its Excel export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvzhi.organizations.models import Committee, ExpertiseField, Session

from .choices import MotionStatus
from .models import Motion
from .selectors import DESK_MINE, DESK_TO_CONFIRM, desk_motion_q

ORDERINGS = {
    "number": ("session__start_date", "number"),
    "subject": ("subject",),
    "status": ("status", "number"),
    "submitted_at": ("submitted_at",),
    "report_due": ("report_due", "number"),
}


class MotionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("案由/议案号/提案人"), method="filter_q")
    session = django_filters.ModelChoiceFilter(
        label=_("会议"), queryset=Session.objects.select_related("term__congress")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=MotionStatus.choices)
    committee = django_filters.ModelChoiceFilter(label=_("审议委员会"), queryset=Committee.objects.all())
    field = django_filters.ModelChoiceFilter(label=_("所属领域"), queryset=ExpertiseField.objects.all())
    desk = django_filters.ChoiceFilter(
        label=_("工作台"),
        choices=[(DESK_MINE, _("我领衔的议案")), (DESK_TO_CONFIRM, _("待我确认附议"))],
        method="filter_desk",
    )
    ordering = django_filters.ChoiceFilter(
        label=_("排序"),
        method="filter_ordering",
        choices=[(key, key) for key in ORDERINGS] + [(f"-{key}", f"-{key}") for key in ORDERINGS],
    )

    class Meta:
        model = Motion
        fields = ["q", "session", "status", "committee", "field", "desk"]

    def filter_q(self, queryset, name, value):
        """Words of the subject, the number (第3号 or 3), the lead deputy's name or the delegation."""
        value = value.strip()
        if not value:
            return queryset
        condition = (
            Q(subject__contains=value)
            | Q(number_label=value)
            | Q(lead_mandate__person__name__contains=value)
            | Q(delegation__name__contains=value)
            | Q(delegation__delegation_name__contains=value)
        )
        if value.isdigit():
            condition |= Q(number=int(value))
        return queryset.filter(condition)

    def filter_desk(self, queryset, name, value):
        """The motions behind one count of the deputy's desk (``selectors.desk_motion_q``)."""
        user = getattr(self.request, "user", None)
        if user is None:
            # Both questions are the user's own: without a request, nothing is.
            return queryset.none()
        condition = desk_motion_q(value, user=user)
        return queryset if condition is None else queryset.filter(condition)

    def filter_ordering(self, queryset, name, value):
        descending = value.startswith("-")
        columns = ORDERINGS.get(value.lstrip("-"), ORDERINGS["number"])
        return queryset.order_by(
            *[f"-{c}" if descending else c for c in columns], "-id" if descending else "id"
        )
