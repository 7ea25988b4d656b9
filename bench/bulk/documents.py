"""Bulk released documents for the search benchmark: read documents with their pages' text.

`ensure_documents(n)` makes the bulk data set's agency replies carry exactly n documents
(an attachment, its document and its pages, as `documents.services` leaves a document it
has read), spread over the incoming communications of the bulk requests in id order. The
text is English-like: sentences drawn from a vocabulary with a Zipf distribution (a few
common words in most documents, a long tail of rare ones), with phrases planted in some
pages and one made-up word, `RARE_WORD`, in one document of `RARE_EVERY`. The same seed
gives the same text.

On PostgreSQL the rows are written with COPY and the search vectors filled afterwards with
one UPDATE per table, through the very expressions `documents.search` writes them with
(`document_vector()`, and the page vector of `index_document`). No file is stored: the
attachments name files under "bulk/documents/" that do not exist, which is all the search
needs (it never opens them). Bulk documents are found, and removed, by that name.
"""

import hashlib
import itertools
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Substr
from django.utils import timezone

from bench.bulk import KEY_PREFIX
from bench.bulk.delete import cascade_delete
from bench.bulk.pipe import in_child_process
from bench.bulk.writer import with_defaults
from rtcc_requests.documents.models import Document, DocumentPage, TextStatus
from rtcc_requests.documents.search import CONFIG, TEXT_INDEX_CHARS, document_vector
from rtcc_requests.requests.choices import Direction
from rtcc_requests.requests.models import Attachment, Communication

FILE_PREFIX = "bulk/documents/"
CHUNK = 5_000
# A word no dictionary has, in one document of RARE_EVERY (20 of 100,000).
RARE_WORD = "quixotrace"
RARE_EVERY = 5_000
# Planted whole in about one page in PHRASE_SHARE, one of these chosen at random.
PHRASES = (
    "license plate reader",
    "data sharing agreement",
    "retention period",
    "body worn camera",
    "use of force",
    "audit trail",
    "facial recognition",
    "gunshot detection",
)
PHRASE_SHARE = 0.3
PAGES = (1, 6)  # per document, uniform
WORDS_PER_PAGE = (150, 260)
OCR_SHARE = 0.3  # documents that were scans

ATTACHMENT_COLUMNS = ("id", "communication_id", "file", "filename", "content_type", "size")
DOCUMENT_COLUMNS = (
    "id", "attachment_id", "communication_id", "request_id", "title", "received_on", "sha256",
    "page_count", "pages_read", "pages_ocr", "status", "error", "attempts", "claimed_at",
    "read_at", "text", "search_vector", "storage_key", "created_at",
)  # fmt: skip
PAGE_COLUMNS = ("id", "document_id", "number", "text", "ocr", "search_vector")


# The vocabulary, most common first: English function words (PostgreSQL's english
# configuration drops them, as it drops them from real letters), then the words of records
# about police technology, then invented words for the long tail.
def _words(text: str) -> list[str]:
    """The words of `text`, each once, in order."""
    return list(dict.fromkeys(text.split()))


_FUNCTION_WORDS = _words("""the of and to a in for is on that by this with be as are at or from it
an was which will have has not all any may shall been its such other their these under if
""")
_DOMAIN_WORDS = _words("""department vehicle data system records police officer camera public report
information access policy city county agency use time number date request retention audit
contract vendor training review case incident law enforcement investigation personnel
purchase order invoice equipment software license plate reader location image video search
log user account network server storage database alert hotlist query sharing agreement
attachment exhibit section page program budget council resolution meeting staff chief
sergeant lieutenant captain patrol unit division bureau operations technology deployment
installation maintenance support service payment amount total annual renewal term
termination compliance privacy security breach notification approval signature manager
director supervisor evaluation pilot project grant funding state federal california code
government statute regulation memorandum email message correspondence response determination
exemption disclosure withheld redacted release production custodian clerk office
investigator detective dispatch emergency call radio report arrest citation warrant court
judge attorney counsel district sheriff deputy jail custody booking evidence property
inventory schedule calendar month year week day hour minute policy procedure manual
directive order general bulletin notice appendix schedule table figure summary analysis
result finding recommendation action item motion vote minutes agenda public comment speaker
community resident neighborhood street intersection address parcel zone map coordinates
tower pole mount sensor detector microphone drone aircraft flight mission operator pilot
battery charger firmware upgrade configuration setting parameter threshold accuracy error
match hit false positive negative rate percent statistic metric dashboard export download
upload transfer retention deletion purge archive backup copy original draft final version
revision amendment addendum attachment enclosure""")
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
_ENDINGS = ("", "n", "r", "s", "l", "t", "nd", "x")
TAIL_WORDS = 20_000


@dataclass
class DocumentsReport:
    documents: int
    added: int
    removed: int
    seconds: float


@dataclass
class _Rows:
    attachments: list[tuple] = field(default_factory=list)
    documents: list[tuple] = field(default_factory=list)
    pages: list[tuple] = field(default_factory=list)


class Vocabulary:
    """Words by rank and their cumulative Zipf-Mandelbrot weights (1 / (rank + 2.7))."""

    def __init__(self, tail: int = TAIL_WORDS) -> None:
        invented = _invented_words(tail, avoid={RARE_WORD, *_DOMAIN_WORDS})
        self.words = [*_FUNCTION_WORDS, *_DOMAIN_WORDS, *invented]
        self.cumulative = list(
            itertools.accumulate(1 / (rank + 2.7) for rank in range(len(self.words)))
        )

    def draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)


def _invented_words(count: int, *, avoid: set[str]) -> list[str]:
    rng = random.Random("bulk-documents-vocabulary")  # noqa: S311 - test data
    words: list[str] = []
    seen = set(avoid)
    while len(words) < count:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        word += rng.choice(_ENDINGS)
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def page_text(rng: random.Random, vocabulary: Vocabulary, words: int) -> str:
    """Paragraphs of sentences of 6 to 22 words, capitalised and stopped, maybe a phrase."""
    drawn = vocabulary.draw(rng, words)
    if rng.random() < PHRASE_SHARE:
        at = int(rng.random() * len(drawn))
        drawn[at:at] = rng.choice(PHRASES).split()
    sentences, start = [], 0
    while start < len(drawn):
        stop = start + 6 + int(rng.random() * 17)
        sentence = " ".join(drawn[start:stop])
        sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        start = stop
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    return "\n\n".join(paragraphs)


_TITLES = (
    "ALPR audit log", "Vendor contract", "Data sharing agreement", "Use policy",
    "Training materials", "Invoices", "Purchase order", "Council staff report",
    "Retention schedule", "Email correspondence", "Deployment map", "Hotlist policy",
)  # fmt: skip


def _document_rows(seed: int, start: int, stop: int, *, replies, ids: dict[str, int], now):
    """(documents done, rows) per chunk of CHUNK; each chunk from its own random stream."""
    vocabulary = Vocabulary()
    for chunk in range(start // CHUNK, (stop - 1) // CHUNK + 1):
        rng = random.Random(f"documents:{seed}:{chunk}")  # noqa: S311 - test data
        rows = _Rows()
        for index in range(chunk * CHUNK, min((chunk + 1) * CHUNK, stop)):
            _one_document(rng, vocabulary, rows, index=index, seed=seed, replies=replies,
                          ids=ids, now=now)  # fmt: skip
        yield min((chunk + 1) * CHUNK, stop), rows


def _one_document(rng, vocabulary, rows: _Rows, *, index, seed, replies, ids, now) -> None:
    communication_id, request_id, sent_at = replies[index % len(replies)]
    received_on = timezone.localdate(sent_at)
    title = f"{rng.choice(_TITLES)} {received_on.year} part {1 + index % 7}.pdf"
    pages = [
        page_text(rng, vocabulary, rng.randint(*WORDS_PER_PAGE)) for _ in range(rng.randint(*PAGES))
    ]
    if index % RARE_EVERY == 17:
        pages[-1] += f"\n\nReference {RARE_WORD} {index}."
    ocr = rng.random() < OCR_SHARE
    text = "\n\n".join(pages)
    attachment_id, document_id = ids["attachment"], ids["document"]
    ids["attachment"] += 1
    ids["document"] += 1
    size = 30_000 + 4 * len(text)
    rows.attachments.append(
        (attachment_id, communication_id, f"{FILE_PREFIX}{seed}/{index}.pdf", title,
         "application/pdf", size)
    )  # fmt: skip
    digest = hashlib.sha256(f"{seed}:{index}".encode()).hexdigest()
    read_at = sent_at + timedelta(minutes=2)
    rows.documents.append(
        (document_id, attachment_id, communication_id, request_id, title, received_on, digest,
         len(pages), len(pages), len(pages) if ocr else 0, TextStatus.READ, "", 1, None,
         read_at, text, None, digest[:16], now)
    )  # fmt: skip
    for number, page in enumerate(pages, start=1):
        rows.pages.append((ids["page"], document_id, number, page, ocr, None))
        ids["page"] += 1


def bulk_documents():
    return Document.objects.filter(attachment__file__startswith=FILE_PREFIX)


def documents_state() -> tuple[int, int] | None:
    """(seed, count) of the bulk documents, from the last one's file name; None if none."""
    last = bulk_documents().order_by("-pk").values_list("attachment__file", flat=True).first()
    if last is None:
        return None
    seed, index = last[len(FILE_PREFIX) :].removesuffix(".pdf").split("/")
    return int(seed), int(index) + 1


def _replies() -> list[tuple[int, int, object]]:
    """(id, request id, sent at) of the bulk requests' incoming communications, in id order."""
    return list(
        Communication.objects.filter(
            request__demo_key__startswith=KEY_PREFIX, direction=Direction.INCOMING
        )
        .order_by("pk")
        .values_list("pk", "request_id", "sent_at")
    )


def ensure_documents(n: int, *, seed: int = 1, progress=None) -> DocumentsReport:
    """Exactly n bulk documents over the bulk requests there are (bench.bulk first)."""
    started = time.perf_counter()
    state = documents_state()
    if state == (seed, n) and bulk_documents().count() == n:
        return DocumentsReport(n, 0, 0, round(time.perf_counter() - started, 1))
    removed = remove_documents()
    replies = _replies()
    if not replies:
        raise RuntimeError("No bulk replies to attach documents to: bench.bulk first.")
    ids = {
        "attachment": _after(Attachment),
        "document": _after(Document),
        "page": _after(DocumentPage),
    }
    made = _document_rows(seed, 0, n, replies=replies, ids=ids, now=timezone.now())
    postgres = connection.vendor == "postgresql"
    if postgres and n > CHUNK:
        made = in_child_process(made)  # Python makes the next chunk while PostgreSQL writes
    for done, rows in made:
        with transaction.atomic():
            _write(rows, postgres=postgres)
        if progress:
            progress(done, n)
    _finish(postgres=postgres)
    return DocumentsReport(n, n, removed, round(time.perf_counter() - started, 1))


def _after(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _write(rows: _Rows, *, postgres: bool) -> None:
    for model, columns, data in (
        (Attachment, ATTACHMENT_COLUMNS, rows.attachments),
        (Document, DOCUMENT_COLUMNS, rows.documents),
        (DocumentPage, PAGE_COLUMNS, rows.pages),
    ):
        if postgres:
            _copy(model, columns, data)
        else:
            objects = [model(**dict(zip(columns, row, strict=True))) for row in data]
            model.objects.bulk_create(objects, batch_size=500)


def _copy(model, columns, data) -> None:
    columns, data = with_defaults(model, columns, data)
    fields = {f.attname: f for f in model._meta.concrete_fields}
    names = ", ".join(connection.ops.quote_name(fields[c].column) for c in columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in data:
            copy.write_row(row)


def _finish(*, postgres: bool) -> None:
    """Sequences past the ids given; on PostgreSQL the vectors, then fresh statistics."""
    from django.core.management.color import no_style

    models = [Attachment, Document, DocumentPage]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    if not postgres:
        return
    mine = bulk_documents().values("pk")
    with transaction.atomic():
        # As index_document writes them, for all the bulk documents at once.
        DocumentPage.objects.filter(document__in=mine).update(
            search_vector=SearchVector(Substr("text", 1, TEXT_INDEX_CHARS), config=CONFIG)
        )
        Document.objects.filter(pk__in=mine).update(search_vector=document_vector())
    vacuum()


def vacuum() -> None:
    """VACUUM ANALYZE the tables (ANALYZE inside a transaction, a test's): statistics for
    the planner, and the GIN index's pending list merged, as autovacuum would."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    tables = [m._meta.db_table for m in (Attachment, Document, DocumentPage)]
    with connection.cursor() as cursor:
        cursor.execute(f"{command} " + ", ".join(map(connection.ops.quote_name, tables)))


def remove_documents() -> int:
    """Remove every bulk document with its attachment and pages; how many there were."""
    attachments = Attachment.objects.filter(file__startswith=FILE_PREFIX)
    count = bulk_documents().count()
    if count or attachments.exists():
        with transaction.atomic():
            cascade_delete(Attachment, attachments.values("pk"))
    return count
