"""Reads of the structure (congresses, terms, sessions, electoral units, deputy groups, committees,
handling units, fields), table-driven: one ``StructureKind`` per model says how its list page
looks, filters, searches, sorts and exports. Views, the export and (later) the API read through here.

Only the deputy-affairs office manages the structure (``accounts.roles.can_manage_structure``);
for anybody else every queryset here is empty, so a guessed URL gives 404.
"""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import can_manage_structure
from lvzhi.core.history import HistoryEntry, row_history

from .choices import CommitteeKind, CongressLevel, DeputyGroupKind, HandlingUnitKind
from .models import (
    Committee,
    Congress,
    DeputyGroup,
    ElectoralUnit,
    ExpertiseField,
    HandlingUnit,
    Session,
    Term,
)

PAGE_SIZE = 50


def _yes_no(value: bool) -> str:
    return str(_("是")) if value else str(_("否"))


def _rank(field_name: str, values: Sequence[str]) -> Case:
    """Order a choice field by the order of its choices (national before provincial …), not by code."""
    return Case(
        *[When(**{field_name: value}, then=Value(index)) for index, value in enumerate(values)],
        default=Value(len(values)),
        output_field=models.IntegerField(),
    )


@dataclass(frozen=True)
class Column:
    """One column of a list page and of its Excel export.

    ``value`` turns a row into what is shown (and exported); ``order_by`` are the lookups or
    expressions ``?ordering=<key>`` sorts by, ``()`` when the column cannot be sorted; ``link``
    marks the column that names the row and links to its edit page.
    """

    key: str
    label: str
    value: Callable[[Any], Any]
    order_by: tuple = ()
    link: bool = False

    @property
    def sortable(self) -> bool:
        return bool(self.order_by)


@dataclass(frozen=True)
class StructureKind:
    """How one model of the structure is listed, searched, filtered, sorted and exported."""

    slug: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    search_fields: tuple[str, ...] = ()
    filters: Callable[[], dict[str, django_filters.Filter]] = dict
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple = ()
    default_ordering: tuple[str, ...] = ()
    help: str = ""

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)


def _congress_name(congress: Congress) -> str:
    return congress.short_name or congress.name


def _congress_filter(field_name: str = "congress") -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=_("人大"), field_name=field_name, queryset=Congress.objects.all(), empty_label=_("全部")
    )


def _active_filter(queryset, name, value):
    if value in ("true", "false"):
        return queryset.filter(**{name: value == "true"})
    return queryset


class _ElectoralUnitField(django_filters.fields.ModelChoiceField):
    """Electoral units named with their congress: 鼓楼区 exists in more than one congress."""

    def label_from_instance(self, obj):
        return f"{obj.name}（{_congress_name(obj.congress)}）"


class _ElectoralUnitChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _ElectoralUnitField


KINDS: tuple[StructureKind, ...] = (
    StructureKind(
        slug="congresses",
        model=Congress,
        help=_("全国、省、设区的市、县、乡镇五级人民代表大会。"),
        search_fields=("name", "short_name", "region"),
        select_related=("parent",),
        default_ordering=("order", "id"),
        filters=lambda: {
            "level": django_filters.ChoiceFilter(
                label=_("层级"), choices=CongressLevel.choices, empty_label=_("全部")
            ),
            "parent": django_filters.ModelChoiceFilter(
                label=_("上级人大"), queryset=Congress.objects.all(), empty_label=_("全部")
            ),
        },
        columns=(
            Column("name", _("名称"), lambda c: c.name, ("name",), link=True),
            Column("short_name", _("简称"), lambda c: c.short_name, ("short_name",)),
            Column(
                "level",
                _("层级"),
                lambda c: c.get_level_display(),
                (_rank("level", CongressLevel.values),),
            ),
            Column("region", _("行政区域"), lambda c: c.region, ("region",)),
            Column("parent", _("上级人大"), lambda c: c.parent.name if c.parent else "", ("parent__name",)),
            Column("order", _("排序"), lambda c: c.order, ("order",)),
        ),
    ),
    StructureKind(
        slug="terms",
        model=Term,
        help=_("届：每届任期五年，从本届第一次会议开始到下届第一次会议为止（代表法第二条）。"),
        search_fields=("congress__name", "congress__short_name"),
        select_related=("congress",),
        default_ordering=("congress__order", "congress_id", "-number"),
        filters=lambda: {"congress": _congress_filter()},
        columns=(
            Column("congress", _("人大"), lambda t: t.congress.name, ("congress__order", "congress_id")),
            Column("number", _("届次"), lambda t: t.label, ("number",), link=True),
            Column("start_date", _("开始日期"), lambda t: t.start_date, ("start_date",)),
            Column("end_date", _("结束日期"), lambda t: t.end_date, ("end_date",)),
        ),
    ),
    StructureKind(
        slug="sessions",
        model=Session,
        help=_("次会议：每届每年举行的人民代表大会会议，如十六届四次。"),
        search_fields=("term__congress__name", "term__congress__short_name"),
        select_related=("term__congress",),
        default_ordering=("term__congress__order", "term__congress_id", "-term__number", "number"),
        filters=lambda: {
            "congress": _congress_filter("term__congress"),
            "term": django_filters.ModelChoiceFilter(
                label=_("届"), queryset=Term.objects.select_related("congress"), empty_label=_("全部")
            ),
        },
        columns=(
            Column(
                "congress",
                _("人大"),
                lambda s: s.term.congress.name,
                ("term__congress__order", "term__congress_id"),
            ),
            Column("term", _("届"), lambda s: s.term.label, ("term__number",)),
            Column("number", _("会次"), lambda s: s.label, ("number",), link=True),
            Column("start_date", _("开幕日期"), lambda s: s.start_date, ("start_date",)),
            Column("end_date", _("闭幕日期"), lambda s: s.end_date, ("end_date",)),
        ),
    ),
    StructureKind(
        slug="electoral-units",
        model=ElectoralUnit,
        help=_("选举单位：选出代表的单位；市人大代表按选举单位组成代表团。"),
        search_fields=("name", "delegation_name", "code"),
        select_related=("congress",),
        default_ordering=("congress__order", "congress_id", "order", "id"),
        filters=lambda: {"congress": _congress_filter()},
        columns=(
            Column("congress", _("人大"), lambda u: u.congress.name, ("congress__order", "congress_id")),
            Column("name", _("名称"), lambda u: u.name, ("name",), link=True),
            Column("delegation_name", _("代表团名称"), lambda u: u.delegation_name, ("delegation_name",)),
            Column("code", _("代码"), lambda u: u.code, ("code",)),
            Column("order", _("排序"), lambda u: u.order, ("order",)),
        ),
    ),
    StructureKind(
        slug="deputy-groups",
        model=DeputyGroup,
        help=_("代表小组：按区域或专业组成，是闭会期间代表活动的基本单位（代表法第二十六条至第二十八条）。"),
        search_fields=("name",),
        select_related=("congress", "electoral_unit"),
        default_ordering=("congress__order", "congress_id", "kind", "id"),
        filters=lambda: {
            "congress": _congress_filter(),
            "kind": django_filters.ChoiceFilter(
                label=_("类型"), choices=DeputyGroupKind.choices, empty_label=_("全部")
            ),
            "electoral_unit": _ElectoralUnitChoiceFilter(
                label=_("所属选举单位"),
                queryset=ElectoralUnit.objects.select_related("congress"),
                empty_label=_("全部"),
            ),
        },
        columns=(
            Column("congress", _("人大"), lambda g: g.congress.name, ("congress__order", "congress_id")),
            Column("name", _("名称"), lambda g: g.name, ("name",), link=True),
            Column(
                "kind", _("类型"), lambda g: g.get_kind_display(), (_rank("kind", DeputyGroupKind.values),)
            ),
            Column(
                "electoral_unit",
                _("所属选举单位"),
                lambda g: g.electoral_unit.name if g.electoral_unit else "",
                ("electoral_unit__order", "electoral_unit_id"),
            ),
        ),
    ),
    StructureKind(
        slug="committees",
        model=Committee,
        help=_("人民代表大会的专门委员会和常委会的工作委员会。"),
        search_fields=("name",),
        select_related=("congress",),
        prefetch_related=(Prefetch("fields", queryset=ExpertiseField.objects.only("id", "name", "order")),),
        default_ordering=("congress__order", "congress_id", "kind", "order", "id"),
        filters=lambda: {
            "congress": _congress_filter(),
            "kind": django_filters.ChoiceFilter(
                label=_("类型"), choices=CommitteeKind.choices, empty_label=_("全部")
            ),
            "field": django_filters.ModelChoiceFilter(
                label=_("对口领域"),
                field_name="fields",
                queryset=ExpertiseField.objects.all(),
                empty_label=_("全部"),
            ),
        },
        columns=(
            Column("congress", _("人大"), lambda c: c.congress.name, ("congress__order", "congress_id")),
            Column("name", _("名称"), lambda c: c.name, ("name",), link=True),
            Column("kind", _("类型"), lambda c: c.get_kind_display(), (_rank("kind", CommitteeKind.values),)),
            Column("fields", _("对口领域"), lambda c: "、".join(f.name for f in c.fields.all())),
            Column("order", _("排序"), lambda c: c.order, ("order",)),
        ),
    ),
    StructureKind(
        slug="handling-units",
        model=HandlingUnit,
        help=_("承办单位：办理代表建议的政府部门、法院、检察院、监察委员会等；市政府可再交办所属部门。"),
        search_fields=("name", "short_name"),
        select_related=("parent",),
        default_ordering=("order", "id"),
        filters=lambda: {
            "kind": django_filters.ChoiceFilter(
                label=_("类型"), choices=HandlingUnitKind.choices, empty_label=_("全部")
            ),
            "parent": django_filters.ModelChoiceFilter(
                label=_("上级单位"),
                queryset=HandlingUnit.objects.filter(children__isnull=False).distinct(),
                empty_label=_("全部"),
            ),
            "is_active": django_filters.ChoiceFilter(
                label=_("状态"),
                choices=[("true", _("在用")), ("false", _("停用"))],
                empty_label=_("全部"),
                method=_active_filter,
            ),
        },
        columns=(
            Column("name", _("名称"), lambda u: u.name, ("name",), link=True),
            Column("short_name", _("简称"), lambda u: u.short_name, ("short_name",)),
            Column(
                "kind", _("类型"), lambda u: u.get_kind_display(), (_rank("kind", HandlingUnitKind.values),)
            ),
            Column("parent", _("上级单位"), lambda u: u.parent.name if u.parent else "", ("parent__name",)),
            Column("is_active", _("在用"), lambda u: _yes_no(u.is_active), ("is_active",)),
            Column("order", _("排序"), lambda u: u.order, ("order",)),
        ),
    ),
    StructureKind(
        slug="fields",
        model=ExpertiseField,
        help=_("领域：代表的专业领域，也用于建议分类和委员会对口联系。"),
        search_fields=("name",),
        default_ordering=("order", "id"),
        columns=(
            Column("name", _("名称"), lambda f: f.name, ("name",), link=True),
            Column("order", _("排序"), lambda f: f.order, ("order",)),
        ),
    ),
)

KINDS_BY_SLUG: dict[str, StructureKind] = {kind.slug: kind for kind in KINDS}


def structure_kind_get(slug: str) -> StructureKind:
    """The kind for a URL slug, or ``KeyError`` (the view turns it into 404)."""
    return KINDS_BY_SLUG[slug]


def structure_queryset(*, kind: StructureKind, user) -> QuerySet:
    """Every row of ``kind`` that ``user`` may manage, with the related rows the list shows joined.

    Empty for anybody but the office: missing and forbidden both give 404.
    """
    queryset = kind.model._default_manager.all()
    if not can_manage_structure(user):
        return queryset.none()
    if kind.select_related:
        queryset = queryset.select_related(*kind.select_related)
    if kind.prefetch_related:
        queryset = queryset.prefetch_related(*kind.prefetch_related)
    return queryset


def structure_get(*, kind: StructureKind, user, pk: int):
    """One row ``user`` may manage, or ``DoesNotExist``."""
    return structure_queryset(kind=kind, user=user).get(pk=pk)


class StructureFilterSet(django_filters.FilterSet):
    """The filters of a list page and its export: a keyword over ``search_fields`` plus the kind's
    own filters. Built per kind by ``structure_filterset``; an invalid value is ignored, not an error."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_keyword")
    search_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in self.form.fields.values():
            css = "form-select" if isinstance(bound.widget, forms.Select) else "form-control"
            bound.widget.attrs.setdefault("class", css)

    def filter_keyword(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        condition = Q()
        for search_field in self.search_fields:
            condition |= Q(**{f"{search_field}__icontains": value})
        return queryset.filter(condition)


@functools.cache
def _filterset_class(slug: str) -> type[StructureFilterSet]:
    kind = KINDS_BY_SLUG[slug]
    meta = type("Meta", (), {"model": kind.model, "fields": []})
    attrs = {**kind.filters(), "Meta": meta, "search_fields": kind.search_fields}
    return type(f"{kind.model.__name__}FilterSet", (StructureFilterSet,), attrs)


def structure_filterset(*, kind: StructureKind, data, queryset: QuerySet) -> StructureFilterSet:
    """The bound filter set of ``kind``'s list page over ``queryset``."""
    return _filterset_class(kind.slug)(data, queryset=queryset)


def structure_order(*, kind: StructureKind, queryset: QuerySet, ordering: str) -> tuple[QuerySet, str]:
    """Sort by ``ordering`` (a column key, ``-`` for descending); an unknown key keeps the default.

    Returns the queryset and the ordering applied ("" for the default). ``id`` breaks ties so that
    pages never overlap.
    """
    key = (ordering or "").strip()
    descending = key.startswith("-")
    column = kind.column(key.lstrip("-"))
    if column is None or not column.sortable:
        return queryset.order_by(*kind.default_ordering, "id"), ""
    terms = []
    for term in column.order_by:
        if isinstance(term, str):
            terms.append(f"-{term}" if descending else term)
        else:
            terms.append(term.desc() if descending else term.asc())
    return queryset.order_by(*terms, "-id" if descending else "id"), key


def structure_rows(*, kind: StructureKind, objects) -> list[tuple[Any, list[Any]]]:
    """``(row, [(text, is_link), …])`` for the list page: computed here so templates run no queries."""
    return [
        (obj, [(_cell_text(column.value(obj)), column.link) for column in kind.columns]) for obj in objects
    ]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def structure_export_rows(*, kind: StructureKind, queryset: QuerySet):
    """The rows of the Excel export of a filtered list, in chunks so a large table stays cheap."""
    for obj in queryset.iterator(chunk_size=1000):
        yield [_export_value(column.value(obj)) for column in kind.columns]


def _export_value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def structure_counts(*, user) -> list[tuple[StructureKind, int]]:
    """How many rows each kind has, for the overview page: one query per kind."""
    return [(kind, structure_queryset(kind=kind, user=user).count()) for kind in KINDS]


# --- History ---------------------------------------------------------------------------------


def structure_history(*, instance) -> list[HistoryEntry]:
    """The change history of one row of the structure, newest first (``core.history``)."""
    return row_history(instance)
