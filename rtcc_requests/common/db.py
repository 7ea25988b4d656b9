"""PostgreSQL settings and statements for the sweep and the exports (no-ops elsewhere)."""

from collections.abc import Callable, Sequence
from operator import attrgetter

from django.db import connection
from django.db.models import Model


def read_to_the_end(*, work_mem: str = "64MB") -> None:
    """For the rest of the current transaction, plan cursors for all their rows.

    PostgreSQL plans a cursor for its first tenth (cursor_tuple_fraction = 0.1): a fast-start
    index scan that, read to the end of a million-row table, took a minute where a bitmap
    scan and a sort take a second. The sweep and the exports read every row, so they say so,
    and sort and hash in memory rather than in temporary files. No-op elsewhere.
    """
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("read_to_the_end() needs a transaction (SET LOCAL ends with it).")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])


def insert_ignoring_conflicts(objs: Sequence[Model], *, batch_size: int = 2000) -> None:
    """`bulk_create(objs, ignore_conflicts=True)`, through COPY on PostgreSQL.

    A row that would break a unique constraint (another sweep's, an earlier run's) is
    skipped. bulk_create sends each batch as one INSERT whose parameters psycopg quotes in
    Python: 3.5 s for 34,000 small outbox rows, most of a sweep's time. COPY into a
    temporary table, then one INSERT ... SELECT ... ON CONFLICT DO NOTHING: 0.95 s.
    Like bulk_create with ignore_conflicts, it leaves the objects' primary keys unset.
    """
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, ignore_conflicts=True, batch_size=batch_size)
        return
    if not connection.in_atomic_block:
        raise RuntimeError("insert_ignoring_conflicts() needs a transaction (see ON COMMIT DROP).")
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    staging = quote(f"incoming_{model._meta.db_table}")
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        shape = f"SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608 - quoted names
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ON COMMIT DROP AS {shape}")
        cursor.execute(f"TRUNCATE {staging}")
        values = [_copy_value(f) for f in fields]
        with cursor.cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([value(obj) for value in values])
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} "  # noqa: S608 - names
            "ON CONFLICT DO NOTHING"
        )


def _copy_value(field) -> Callable[[Model], object]:
    """How COPY reads this field of an object: the attribute itself where psycopg can adapt
    it (a field's own get_db_prep_save is most of the cost for a small row)."""
    if field.get_internal_type() == "JSONField":
        from psycopg.types.json import Jsonb

        return lambda obj: Jsonb(getattr(obj, field.attname))
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.pre_save(obj, True)
    if field.get_internal_type() == "FileField":  # a FieldFile: its stored name, "" for none
        return lambda obj: getattr(obj, field.attname).name or ""
    return attrgetter(field.attname)
