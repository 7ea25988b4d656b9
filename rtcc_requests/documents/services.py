"""Every write to a document: making one from a released file, reading it page by page,
retrying, drawing a page's image."""

import hashlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from rtcc_requests.requests.models import Attachment
from rtcc_requests.requests.selectors import can_change

from . import reading
from .models import Document, DocumentPage, TextStatus
from .search import index_document

logger = logging.getLogger(__name__)

# Text-layer pages are stored this many at a time; an OCRed page at once (progress).
PAGE_BATCH = 50
# Far longer than one page may take (two programs, each stopped after DOCUMENT_READ_TIMEOUT):
# a claim with no page stored for this long is a reader that died, and the sweep gives the
# document back to the queue. Each stored page renews the claim.
STALE_CLAIM = timedelta(minutes=30)
# A document queued this long ago and not yet claimed lost its task (a broker restart).
LOST_IN_QUEUE = timedelta(minutes=10)
SWEEP_BATCH = 200
PAGE_IMAGE_PIXELS = 1600


class DocumentError(Exception):
    """Refused, with a sentence for the person who asked."""


class ReaderUnavailable(Exception):
    """Storage or a program could not be reached: worth trying again later."""


def _sha256(file: FieldFile) -> str:
    with file.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def document_create(*, attachment: Attachment) -> Document:
    """The document an agency's released file is, queued to be read."""
    communication = attachment.communication
    reads = reading.reads_text_of(attachment.content_type)
    with transaction.atomic():
        document, created = Document.objects.get_or_create(
            attachment=attachment,
            defaults={
                "communication": communication,
                "request_id": communication.request_id,
                "title": attachment.filename,
                "received_on": timezone.localdate(communication.sent_at),
                "sha256": _sha256(attachment.file),
                "status": TextStatus.WAITING if reads else TextStatus.NOT_READ,
                "queued_at": timezone.now() if reads else None,
            },
        )
        if created:
            # Findable by its name at once, before (or without) its text.
            transaction.on_commit(lambda: index_document(document_id=document.pk))
            if reads:
                _queue_read(document.pk)
    return document


def _queue_read(document_id: int) -> None:
    def queue() -> None:
        from .tasks import read_document

        read_document.delay(document_id=document_id)

    transaction.on_commit(queue)


@contextmanager
def _local_path(file: FieldFile) -> Iterator[Path]:
    """The file as a path the programs can open: itself on disk, else a temporary copy."""
    try:
        on_disk = Path(file.path)
    except NotImplementedError:  # a storage with no local files (object storage)
        on_disk = None
    if on_disk is not None:
        yield on_disk
        return
    with tempfile.NamedTemporaryFile(suffix=Path(file.name).suffix) as copy:
        with file.open("rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield Path(copy.name)


def document_read(*, document_id: int) -> str:
    """Read a waiting document's pages into text, from the first page not yet read; the
    document's resulting status. ReaderUnavailable when it should be tried again later."""
    claimed = Document.objects.filter(pk=document_id, status=TextStatus.WAITING).update(
        status=TextStatus.READING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return Document.objects.filter(pk=document_id).values_list("status", flat=True).first()
    document = Document.objects.select_related("attachment").get(pk=document_id)
    try:
        with _local_path(document.attachment.file) as path:
            _read_pages(document, path)
    except reading.ReadError as error:
        _stop(document_id, TextStatus.FAILED, str(error))
        return TextStatus.FAILED
    except OSError as error:  # storage unreachable, a program missing: not the file's fault
        _stop(document_id, TextStatus.WAITING, f"Waiting to try again: {error}")
        Document.objects.filter(pk=document_id).update(queued_at=timezone.now())  # task retries
        raise ReaderUnavailable(str(error)) from error
    _finish(document_id)
    return TextStatus.READ


def _stop(document_id: int, status: str, error: str) -> None:
    Document.objects.filter(pk=document_id).update(status=status, error=error, claimed_at=None)


def _read_pages(document: Document, path: Path) -> None:
    content_type = document.attachment.content_type
    if content_type == reading.PDF:
        pages = reading.pdf_page_count(path)
        _set_page_count(document, pages)
        layer = reading.pdf_text_layer(path, pages)
        _store_text_layer(document, path, layer)
    elif content_type in reading.IMAGES:
        frames = reading.picture(path).frames
        _set_page_count(document, frames)
        for number in _unread(document, range(1, frames + 1)):
            _store_pages(document, [(number, reading.image_frame_ocr(path, number), True)])
    else:
        _set_page_count(document, 1)
        if _unread(document, [1]):
            _store_pages(document, [(1, reading.plain_text(path), False)])


def _set_page_count(document: Document, pages: int) -> None:
    document.page_count = pages
    Document.objects.filter(pk=document.pk).update(page_count=pages)


def _unread(document: Document, numbers) -> list[int]:
    done = set(DocumentPage.objects.filter(document=document).values_list("number", flat=True))
    return [number for number in numbers if number not in done]


def _store_text_layer(document: Document, path: Path, layer: list[str]) -> None:
    batch: list[tuple[int, str, bool]] = []
    for number in _unread(document, range(1, len(layer) + 1)):
        text = layer[number - 1]
        if reading.needs_ocr(text):
            _store_pages(document, batch)
            batch = []
            ocr = reading.pdf_page_ocr(path, number)
            # A stamp or a page number on a scan is text too: keep whichever says more.
            better = ocr if len(ocr.strip()) >= len(text) else text
            _store_pages(document, [(number, better, better is ocr)])
            continue
        batch.append((number, text, False))
        if len(batch) >= PAGE_BATCH:
            _store_pages(document, batch)
            batch = []
    _store_pages(document, batch)


def _store_pages(document: Document, pages: list[tuple[int, str, bool]]) -> None:
    """Store pages and count them as read, so the page shows progress."""
    if not pages:
        return
    DocumentPage.objects.bulk_create(
        [
            DocumentPage(document=document, number=number, text=text.replace("\x00", ""), ocr=ocr)
            for number, text, ocr in pages
        ],
        ignore_conflicts=True,  # a page a dead reader stored already
    )
    counts = (
        DocumentPage.objects.filter(document=OuterRef("pk"))
        .values("document")
        .annotate(read=Count("pk"), ocr=Count("pk", filter=Q(ocr=True)))
    )
    Document.objects.filter(pk=document.pk).update(
        pages_read=Subquery(counts.values("read")),
        pages_ocr=Subquery(counts.values("ocr")),
        # A reader that stores pages is alive: the sweep takes back only claims that stopped.
        claimed_at=timezone.now(),
    )


def _finish(document_id: int) -> None:
    texts = DocumentPage.objects.filter(document_id=document_id).values_list("text", flat=True)
    text = "\n\n".join(texts)[: settings.DOCUMENT_MAX_TEXT_CHARS]
    with transaction.atomic():
        Document.objects.filter(pk=document_id).update(
            text=text, status=TextStatus.READ, error="", claimed_at=None, read_at=timezone.now()
        )
        index_document(document_id=document_id)


def document_retry(*, document: Document, actor) -> None:
    """Read a document that failed again, from its first unread page."""
    if not can_change(user=actor, records_request=document.request):
        raise DocumentError("Only the people working on this request can retry reading it.")
    updated = Document.objects.filter(pk=document.pk, status=TextStatus.FAILED).update(
        status=TextStatus.WAITING, error="", queued_at=timezone.now()
    )
    if not updated:
        raise DocumentError("This document is not waiting for a retry.")
    _queue_read(document.pk)


def documents_read_waiting(*, now=None) -> list[int]:
    """Queue again what lost its reader: claims with no page stored for STALE_CLAIM, and
    documents queued longer ago than LOST_IN_QUEUE and still waiting (their message lost, or
    a backlog that long: one more message each, at most every LOST_IN_QUEUE). A bounded
    batch a run."""
    now = now or timezone.now()
    stale = Document.objects.filter(status=TextStatus.READING, claimed_at__lt=now - STALE_CLAIM)
    Document.objects.filter(pk__in=stale.values("pk")[:SWEEP_BATCH]).update(
        status=TextStatus.WAITING,
        claimed_at=None,
        queued_at=None,  # queued again just below
    )
    lost = Q(queued_at__lt=now - LOST_IN_QUEUE) | Q(queued_at__isnull=True)
    waiting = list(
        Document.objects.filter(lost, status=TextStatus.WAITING)
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    Document.objects.filter(pk__in=waiting).update(queued_at=now)
    for document_id in waiting:
        _queue_read(document_id)
    return waiting


def page_image_name(document: Document, number: int) -> str:
    return f"documents/{document.pk}-{document.storage_key}/page-{number}.png"


def document_page_image(*, document: Document, number: int) -> str:
    """The storage name of page `number` drawn as a PNG, drawn the first time it is asked for."""
    if not document.page_count or not 1 <= number <= document.page_count:
        raise DocumentError("This document has no such page.")
    name = page_image_name(document, number)
    if default_storage.exists(name):
        return name
    content_type = document.attachment.content_type
    if not reading.has_page_images(content_type):
        raise DocumentError("This kind of file has no page images.")
    with _local_path(document.attachment.file) as path:
        if content_type == reading.PDF:
            png = reading.pdf_page_png(path, number, pixels=PAGE_IMAGE_PIXELS)
        else:
            png = reading.image_frame_png(path, number, pixels=PAGE_IMAGE_PIXELS)
    if not default_storage.exists(name):  # drawn meanwhile by another request: keep that one
        default_storage.save(name, ContentFile(png))
    return name
