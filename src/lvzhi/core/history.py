"""Row history as people read it: who changed what, when, old → new.

django-simple-history keeps a historical row per save of every edited table; ``row_history``
diffs consecutive rows of one object in a constant number of queries (the historical rows, one
per many-to-many field, one per related model named), whatever the length of the history.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EMPTY = "—"
HISTORY_ACTIONS = {"+": _("新增"), "~": _("修改"), "-": _("删除")}
# Bookkeeping columns nobody edits: never shown as a change.
SKIPPED_FIELDS = frozenset({"id", "created_at", "updated_at", "version"})


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    """One saved change of a row: when, who (name and user), what (``subject``), which fields."""

    when: datetime
    who: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)
    subject: str = ""
    actor: object = None


def display_value(model_field, value, related: dict | None = None) -> str:
    """A stored value as people read it: choice labels, 是/否, dates, related rows by name."""
    if value is None or value == "":
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return str(_("是") if value else _("否"))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if model_field.is_relation:
        if related is None:
            related = {
                (model_field.related_model, value): model_field.related_model._default_manager.filter(
                    pk=value
                ).first()
            }
        target = related.get((model_field.related_model, value))
        return str(target) if target is not None else str(_("（已删除，编号 {pk}）").format(pk=value))
    return str(value)


def _m2m_snapshots(history_model, records, model_field) -> dict[int, list[str]]:
    """For each historical row, the sorted names its many-to-many field pointed to: one query."""
    through = apps.get_model(history_model._meta.app_label, f"{history_model.__name__}_{model_field.name}")
    target = model_field.m2m_reverse_field_name()
    rows = through.objects.filter(history_id__in=[r.history_id for r in records]).select_related(target)
    snapshots: dict[int, list[str]] = {}
    for row in rows:
        related = getattr(row, target)
        if related is not None:
            snapshots.setdefault(row.history_id, []).append(str(related))
    return {history_id: sorted(names) for history_id, names in snapshots.items()}


def row_history(instance, *, subject: str = "", hidden: frozenset | set = frozenset()) -> list[HistoryEntry]:
    """The change history of one row, newest first. ``hidden`` names fields never shown (derived
    columns such as pinyin); creation lists the values set, later saves only what changed."""
    model = type(instance)
    records = list(instance.history.select_related("history_user").order_by("history_date", "history_id"))
    tracked = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in SKIPPED_FIELDS and f.name not in hidden
    ]
    history_model = instance.history.model
    m2m = [f for f in history_model._history_m2m_fields if f.name not in hidden]
    snapshots = {f.name: _m2m_snapshots(history_model, records, f) for f in m2m}

    wanted: dict[type[models.Model], set] = {}
    for record in records:
        for model_field in tracked:
            value = getattr(record, model_field.attname)
            if model_field.is_relation and value is not None:
                wanted.setdefault(model_field.related_model, set()).add(value)
    related = {
        (related_model, pk): obj
        for related_model, ids in wanted.items()
        for pk, obj in related_model._default_manager.in_bulk(ids).items()
    }

    entries = []
    previous = None
    for record in records:
        changes = []
        for model_field in tracked:
            new = getattr(record, model_field.attname)
            old = getattr(previous, model_field.attname) if previous is not None else None
            if (previous is None and new in (None, "")) or (previous is not None and old == new):
                continue
            changes.append(
                FieldChange(
                    label=str(model_field.verbose_name),
                    old=display_value(model_field, old, related) if previous is not None else EMPTY,
                    new=display_value(model_field, new, related),
                )
            )
        for model_field in m2m:
            new_names = snapshots[model_field.name].get(record.history_id, [])
            old_names = (
                snapshots[model_field.name].get(previous.history_id, []) if previous is not None else []
            )
            if new_names != old_names:
                changes.append(
                    FieldChange(
                        label=str(model_field.verbose_name),
                        old="、".join(old_names) or EMPTY,
                        new="、".join(new_names) or EMPTY,
                    )
                )
        previous = record
        if record.history_type == "~" and not changes:
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else str(_("系统")),
                action=str(HISTORY_ACTIONS.get(record.history_type, record.history_type)),
                changes=changes,
                subject=subject,
                actor=record.history_user,
            )
        )
    entries.reverse()
    return entries
