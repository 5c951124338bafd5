"""Bulk loading for the generator: rows by ``executemany`` with explicit ids, then the sequences
and the planner's statistics brought up to date."""

from __future__ import annotations

from django.core.management.color import no_style
from django.db import connections, router
from django.db.models import Max
from django.utils import timezone

PREPARED_TYPES = ("DateTimeField", "JSONField", "FileField", "UUIDField")


def _connection(model):
    return connections[router.db_for_write(model)]


def insert_rows(model, names, rows: list[tuple]) -> None:
    """Rows by ``executemany``: the ORM's ``bulk_create`` spends most of its time compiling SQL for
    two million small rows. Values that need it are prepared by the model's own fields, so the
    database gets what ``bulk_create`` would send."""
    if not rows:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    connection = _connection(model)
    prepare = [
        (lambda value, f=f: f.get_db_prep_save(value, connection))
        if f.get_internal_type() in PREPARED_TYPES
        else None
        for f in fields
    ]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    prepared = [
        tuple(p(value) if p else value for p, value in zip(prepare, row, strict=True)) for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), 5000):
            cursor.executemany(sql, prepared[start : start + 5000])


def insert(model, objects: list) -> None:
    """Unsaved model instances with explicit ids after the table's highest (the batch runs in a
    transaction; sequences are reset at the end, ``reset_sequences``). A foreign key set to an
    instance saved earlier in the batch is resolved to its id; ``auto_now`` stamps are now."""
    if not objects:
        return
    meta = model._meta
    last = model.objects.aggregate(last=Max("pk"))["last"] or 0
    now = timezone.now()
    fields = list(meta.concrete_fields)
    rows = []
    for offset, obj in enumerate(objects, start=1):
        obj.pk = last + offset
        row = []
        for f in fields:
            if f.is_relation:
                value = getattr(obj, f.attname)
                if value is None and f.is_cached(obj):
                    related = f.get_cached_value(obj)
                    value = related.pk if related is not None else None
                    setattr(obj, f.attname, value)
            else:
                value = getattr(obj, f.attname)
                if value is None and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)):
                    value = now
            row.append(value)
        rows.append(tuple(row))
    insert_rows(model, [f.name for f in fields], rows)
    for obj in objects:
        obj._state.adding = False


def reset_sequences(models: list) -> None:
    """PostgreSQL's sequences past the explicit ids (SQLite's AUTOINCREMENT follows by itself).
    ``models`` share one database, the first one's."""
    connection = _connection(models[0])
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def refresh_statistics(models: list) -> None:
    """Tell the planner what was just loaded: after a bulk load PostgreSQL's statistics still
    describe empty tables (and nothing refreshes them on a server with autovacuum off), so the
    first queries would be planned for a handful of rows. ``VACUUM ANALYZE`` also sets the
    visibility map that index-only scans need. Outside a transaction; SQLite gets ``ANALYZE``.
    ``models`` share one database, the first one's."""
    connection = _connection(models[0])
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in models:
                cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')
        else:
            cursor.execute("ANALYZE")
