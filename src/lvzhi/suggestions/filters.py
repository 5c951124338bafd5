"""The suggestions' filters, shared by the list pages, the unit work list and the API.

Each FilterSet narrows a queryset that a selector has already scoped to the user
(``selectors.suggestion_list`` / ``selectors.unit_work_list``); filters never widen it.
Multi-valued relations (units, supervision) filter through ``pk__in`` subqueries so that the rows
stay distinct without ``DISTINCT`` and the list keeps its prefetches.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.organizations.models import Congress, ExpertiseField, HandlingUnit, Session, Term

from .choices import (
    AssignmentRole,
    AssignmentStatus,
    SuggestionSeries,
    SuggestionStatus,
)
from .models import Assignment, Suggestion
from .selectors import (
    DESK_ASSIGN_DUE_SOON,
    DESK_ASSIGN_OVERDUE,
    DESK_LATE_ACKNOWLEDGEMENT,
    DESK_LATE_REPLY,
    DESK_SILENT_CO_UNIT,
    DESK_TO_CONFIRM,
    DESK_TO_EVALUATE,
    assignment_finished_q,
    assignment_overdue_q,
    desk_suggestion_q,
    unit_due_soon_q,
)

# ?ordering=<key> or -<key>; ties broken by id so that pages are stable.
ORDERINGS = {
    "number": ("year", "series", "number"),
    "title": ("title",),
    "lead_deputy": ("lead_mandate__person__name_pinyin",),
    "status": ("status",),
    "submitted_at": ("submitted_at",),
    "created": ("id",),
}
DEFAULT_ORDERING = "-created"

ASSIGNMENT_ORDERINGS = {
    "reply_due": ("reply_due",),
    "assigned_on": ("assigned_on",),
    "objection_deadline": ("objection_deadline",),
    "number": ("suggestion__year", "suggestion__series", "suggestion__number"),
    "status": ("status",),
    "role": ("role",),
}
DEFAULT_ASSIGNMENT_ORDERING = "reply_due"

# The work list's status is the assignment's, or 已办结 once the suggestion is closed (its
# assignments are finished whatever status they were left in: ``selectors.assignment_finished_q``).
FINISHED = "finished"
WORK_STATUS_CHOICES = [
    *((value, label) for value, label in AssignmentStatus.choices if value != AssignmentStatus.CANCELLED),
    (FINISHED, SuggestionStatus.CLOSED.label),
]

# The desk's counts (``portal``) link to the list narrowed the same way: ``?desk=<key>``.
DESK_CHOICES = [
    (DESK_ASSIGN_DUE_SOON, _("即将到交办期限")),
    (DESK_ASSIGN_OVERDUE, _("已超过交办期限")),
    (DESK_LATE_ACKNOWLEDGEMENT, _("承办单位逾期未签收")),
    (DESK_LATE_REPLY, _("承办单位逾期未答复")),
    (DESK_SILENT_CO_UNIT, _("协办单位逾期未提交意见")),
    (DESK_TO_CONFIRM, _("待我确认联名")),
    (DESK_TO_EVALUATE, _("待我评价")),
]


def _ordering_choices(orderings: dict) -> list[tuple[str, str]]:
    return [(key, key) for key in orderings] + [(f"-{key}", f"-{key}") for key in orderings]


def _order(queryset, value: str, orderings: dict, default: str):
    """Order by one of ``orderings`` (``-`` for descending), then by id."""
    value = value or default
    descending = value.startswith("-")
    key = value.lstrip("-")
    if key not in orderings:
        descending = default.startswith("-")
        key = default.lstrip("-")
    columns = orderings[key]
    tiebreak = "-id" if descending else "id"
    return queryset.order_by(*[f"-{c}" if descending else c for c in columns], tiebreak)


class SuggestionFilter(django_filters.FilterSet):
    """Filters of the suggestion list (pages, export and ``/api/v1/suggestions/``)."""

    q = django_filters.CharFilter(label=_("标题/内容/建议号/领衔代表"), method="filter_q")
    congress = django_filters.ModelChoiceFilter(label=_("人大"), queryset=Congress.objects.all())
    term = django_filters.ModelChoiceFilter(label=_("届次"), queryset=Term.objects.select_related("congress"))
    session = django_filters.ModelChoiceFilter(
        label=_("会议"), queryset=Session.objects.select_related("term__congress")
    )
    series = django_filters.ChoiceFilter(label=_("提出时间"), choices=SuggestionSeries.choices)
    status = django_filters.MultipleChoiceFilter(label=_("状态"), choices=SuggestionStatus.choices)
    field = django_filters.ModelChoiceFilter(label=_("所属领域"), queryset=ExpertiseField.objects.all())
    is_hard = django_filters.BooleanFilter(label=_("涉及面广、处理难度大"))
    is_confidential = django_filters.BooleanFilter(label=_("不宜公开"))
    unit = django_filters.ModelChoiceFilter(
        label=_("承办单位"),
        field_name="assignments__unit",
        queryset=HandlingUnit.objects.all(),
        method="filter_unit",
    )
    year = django_filters.NumberFilter(label=_("年度"))
    merge_group = django_filters.UUIDFilter(label=_("并案组"), method="filter_merge_group")
    desk = django_filters.ChoiceFilter(label=_("工作台"), choices=DESK_CHOICES, method="filter_desk")
    ordering = django_filters.ChoiceFilter(
        label=_("排序"), method="filter_ordering", choices=_ordering_choices(ORDERINGS)
    )

    class Meta:
        model = Suggestion
        fields = [
            "q",
            "congress",
            "term",
            "session",
            "series",
            "status",
            "field",
            "is_hard",
            "is_confidential",
            "unit",
            "year",
            "merge_group",
            "desk",
        ]

    def filter_q(self, queryset, name, value):
        """Title or body text, the number ("1001" or "第1001号"), or the lead deputy's name, full
        pinyin ("zhangsan") or pinyin initials ("zs")."""
        value = value.strip()
        if not value:
            return queryset
        condition = (
            Q(title__contains=value)
            | Q(body__contains=value)
            | Q(number_label__contains=value)
            | Q(lead_mandate__person__name__contains=value)
        )
        if value.isdigit():
            condition |= Q(number=int(value))
        lowered = value.lower().replace(" ", "")
        if lowered.isascii() and lowered.isalpha():
            condition |= Q(lead_mandate__person__name_initials__startswith=lowered) | Q(
                lead_mandate__person__name_pinyin__startswith=lowered
            )
        return queryset.filter(condition)

    def filter_unit(self, queryset, name, value):
        """Suggestions with an open (not cancelled) assignment to the unit, whatever its role."""
        if value is None:
            return queryset
        assigned = (
            Assignment.objects.filter(unit=value)
            .exclude(status=AssignmentStatus.CANCELLED)
            .values("suggestion_id")
        )
        return queryset.filter(pk__in=assigned)

    def filter_merge_group(self, queryset, name, value):
        """The suggestions handled together in one merge group (并案)."""
        if value is None:
            return queryset
        members = (
            Assignment.objects.filter(merge_group=value)
            .exclude(status=AssignmentStatus.CANCELLED)
            .values("suggestion_id")
        )
        return queryset.filter(pk__in=members)

    def filter_desk(self, queryset, name, value):
        """The suggestions behind one count of the user's desk (``selectors.desk_suggestion_q``)."""
        user = getattr(self.request, "user", None)
        if value in (DESK_TO_CONFIRM, DESK_TO_EVALUATE) and user is None:
            # The deputy's own questions need the user: without a request, nothing is its own.
            return queryset.none()
        condition = desk_suggestion_q(value, user=user, today=timezone.localdate())
        return queryset if condition is None else queryset.filter(condition)

    def filter_ordering(self, queryset, name, value):
        return _order(queryset, value, ORDERINGS, DEFAULT_ORDERING)


class AssignmentFilter(django_filters.FilterSet):
    """Filters of a handling unit's work list (pages and ``/api/v1/suggestion-assignments/``)."""

    status = django_filters.MultipleChoiceFilter(
        label=_("状态"), choices=WORK_STATUS_CHOICES, method="filter_status"
    )
    role = django_filters.ChoiceFilter(label=_("承办方式"), choices=AssignmentRole.choices)
    due_before = django_filters.DateFilter(
        label=_("答复期限不晚于"), field_name="reply_due", lookup_expr="lte"
    )
    due_after = django_filters.DateFilter(
        label=_("答复期限不早于"), field_name="reply_due", lookup_expr="gte"
    )
    overdue = django_filters.BooleanFilter(label=_("已超期"), method="filter_overdue")
    due_soon = django_filters.BooleanFilter(label=_("即将到期"), method="filter_due_soon")
    needs_calendar = django_filters.BooleanFilter(label=_("期限待补充节假日数据"))
    merged = django_filters.BooleanFilter(label=_("只看并案"), method="filter_merged")
    merge_group = django_filters.UUIDFilter(label=_("并案组"))
    ordering = django_filters.ChoiceFilter(
        label=_("排序"), method="filter_ordering", choices=_ordering_choices(ASSIGNMENT_ORDERINGS)
    )

    class Meta:
        model = Assignment
        fields = [
            "status",
            "role",
            "due_before",
            "due_after",
            "overdue",
            "due_soon",
            "needs_calendar",
            "merged",
            "merge_group",
        ]

    def filter_status(self, queryset, name, value):
        """The status shown on the list: an assignment status matches only while the suggestion is
        open; ``finished`` (已办结) gives the assignments of closed suggestions, whatever theirs."""
        if not value:
            return queryset
        finished = assignment_finished_q()
        statuses = [status for status in value if status != FINISHED]
        condition = Q(status__in=statuses) & ~finished if statuses else None
        if FINISHED in value:
            condition = finished if condition is None else condition | finished
        return queryset.filter(condition)

    def filter_overdue(self, queryset, name, value):
        """Pending assignments past their next deadline (``selectors.assignment_overdue_q``: never
        those of closed suggestions); ``false`` gives the rest."""
        if value is None:
            return queryset
        late = assignment_overdue_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_due_soon(self, queryset, name, value):
        """Pending assignments whose reply falls due within a week (``selectors.unit_due_soon_q``)."""
        if value is None:
            return queryset
        soon = unit_due_soon_q(timezone.localdate())
        return queryset.filter(soon) if value else queryset.exclude(soon)

    def filter_merged(self, queryset, name, value):
        """``true``: only the assignments handled together with others (并案); ``false``: the rest."""
        if value is None:
            return queryset
        return queryset.filter(merge_group__isnull=not value)

    def filter_ordering(self, queryset, name, value):
        return _order(queryset, value, ASSIGNMENT_ORDERINGS, DEFAULT_ASSIGNMENT_ORDERING)
