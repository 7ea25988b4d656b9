"""Database settings for queries read to their end through a server-side cursor."""

from django.db import connection


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
