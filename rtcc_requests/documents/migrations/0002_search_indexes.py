"""Full-text search indexes, on PostgreSQL only (SQLite searches without them: search.py).

GIN over a document's stored vector, and over the very expressions `search.request_vector`
and `search.letter_vector` compute, so a request's title and a letter's text are searched
through an index with no copy of them to keep in step. The expressions are frozen here: if
search.py changes one, a new migration rebuilds its index.

Documents for the files agencies released before documents existed are made here too,
waiting to be read (the beat sweep `documents.read_waiting` queues them).
"""

import hashlib

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models.functions import Substr
from django.utils import timezone

TEXT_INDEX_CHARS = 200_000


def _indexes():
    return [
        ("documents", "Document", GinIndex(fields=["search_vector"], name="document_search")),
        (
            "requests",
            "RecordsRequest",
            GinIndex(
                SearchVector(
                    "title", Substr("records_sought", 1, TEXT_INDEX_CHARS), config="english"
                ),
                name="request_search",
            ),
        ),
        (
            "requests",
            "Communication",
            GinIndex(
                SearchVector("subject", Substr("body", 1, TEXT_INDEX_CHARS), config="english"),
                name="communication_search",
            ),
        ),
    ]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app, model, index in _indexes():
        schema_editor.add_index(apps.get_model(app, model), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app, model, index in _indexes():
        schema_editor.remove_index(apps.get_model(app, model), index)


READ = {"application/pdf", "image/png", "image/jpeg", "image/tiff", "image/gif", "image/webp",
        "text/plain", "text/csv"}  # fmt: skip


def documents_for_released_files(apps, schema_editor):
    Attachment = apps.get_model("requests", "Attachment")
    Document = apps.get_model("documents", "Document")
    released = Attachment.objects.filter(communication__direction="in", document__isnull=True)
    for attachment in released.select_related("communication").iterator(chunk_size=500):
        digest = hashlib.sha256()
        try:
            with attachment.file.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                    digest.update(chunk)
        except OSError:
            continue  # a file missing from storage is no document
        communication = attachment.communication
        Document.objects.create(
            attachment=attachment,
            communication=communication,
            request_id=communication.request_id,
            title=attachment.filename,
            received_on=timezone.localdate(communication.sent_at),
            sha256=digest.hexdigest(),
            status="waiting" if attachment.content_type in READ else "not_read",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("requests", "0009_kept_copies"),
    ]

    operations = [
        migrations.RunPython(add_indexes, remove_indexes),
        migrations.RunPython(documents_for_released_files, migrations.RunPython.noop),
    ]
