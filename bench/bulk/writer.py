"""Writes bulk rows: COPY on PostgreSQL, bulk_create elsewhere."""

from django.db import DatabaseError, connection, transaction
from django.db.models import Max, Model

from bench.bulk.shapes import (
    COMMUNICATION_COLUMNS,
    DETERMINATION_COLUMNS,
    EVENT_COLUMNS,
    REQUEST_COLUMNS,
    Ids,
)
from rtcc_requests.requests.models import (
    Communication,
    Determination,
    RecordsRequest,
    RequestEvent,
)

TechnologyLink = RecordsRequest.technologies.through
ExemptionLink = Determination.exemptions.through


class Writer:
    """COPY on PostgreSQL, bulk_create elsewhere; ids are given, sequences fixed at the end."""

    tables = (
        (RecordsRequest, REQUEST_COLUMNS, "requests"),
        (TechnologyLink, None, "technology_links"),
        (Communication, COMMUNICATION_COLUMNS, "communications"),
        (Determination, DETERMINATION_COLUMNS, "determinations"),
        (ExemptionLink, None, "exemption_links"),
        (RequestEvent, EVENT_COLUMNS, "events"),
    )

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.replica_allowed: bool | None = None

    def next_ids(self) -> Ids:
        def after(model: type[Model]) -> int:
            return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

        return Ids(
            request=after(RecordsRequest),
            technology_link=after(TechnologyLink),
            communication=after(Communication),
            determination=after(Determination),
            exemption_link=after(ExemptionLink),
            event=after(RequestEvent),
        )

    def write_rows(self, rows) -> None:
        if self.postgres:
            self._skip_foreign_key_triggers()
        for model, columns, attribute in self.tables:
            columns = columns or [f.attname for f in model._meta.concrete_fields]
            data = getattr(rows, attribute)
            if self.postgres:
                self._copy(model, columns, data)
            else:
                objects = [model(**dict(zip(columns, row, strict=True))) for row in data]
                model.objects.bulk_create(objects, batch_size=500)
        if self.replica_allowed:
            # Back to normal for the rest of the transaction (a test's, say).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")

    def _skip_foreign_key_triggers(self) -> None:
        """Per transaction: our ids are consistent by construction, and the deferred foreign-key
        checks of millions of rows took longer than writing them. Needs a superuser; without
        one the checks run."""
        if self.replica_allowed is False:
            return
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            self.replica_allowed = True
        except DatabaseError:
            self.replica_allowed = False

    def _copy(self, model: type[Model], columns: list[str], data: list[tuple]) -> None:
        from psycopg.types.json import Jsonb

        columns, data = with_defaults(model, columns, data)
        fields = {f.attname: f for f in model._meta.concrete_fields}
        json_at = [i for i, c in enumerate(columns) if fields[c].get_internal_type() == "JSONField"]
        names = ", ".join(connection.ops.quote_name(fields[c].column) for c in columns)
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in data:
                if json_at:
                    row = list(row)
                    for i in json_at:
                        row[i] = Jsonb(row[i])
                copy.write_row(row)

    def finish(self) -> None:
        from django.core.management.color import no_style

        models = [model for model, _columns, _attribute in self.tables]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            if self.postgres:
                # Fresh statistics, or the planner guesses from an empty table; outside a
                # transaction also the visibility map (index-only scans), as autovacuum would.
                command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                for model in models:
                    cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def with_defaults(model: type[Model], columns, data: list[tuple]) -> tuple[list[str], list[tuple]]:
    """The rows with every column the generator leaves out, at its field's default.

    COPY fills an omitted column with the database's default, and Django's defaults are not
    in the database: a NOT NULL field added to the model would fail the COPY. (bulk_create
    fills them itself.)
    """
    rest = [f for f in model._meta.concrete_fields if f.attname not in columns]
    if not rest:
        return list(columns), data
    defaults = tuple(f.get_default() for f in rest)
    return [*columns, *(f.attname for f in rest)], [(*row, *defaults) for row in data]
