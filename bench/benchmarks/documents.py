"""Released records: search over the bulk documents, and reading a file end to end.

Sizes: `sizes["documents"]` are numbers of documents, and of requests: the bulk data set of
that many requests (bench/bulk) with that many read documents on its agency replies
(bench/bulk/documents.py: English-like text from a Zipf vocabulary, planted phrases and one
rare word). `search()` (documents/search.py) is timed for a mix of queries, as a visitor and
as the newsroom that owns the most bulk requests (what the search page does, less the
template): its three counts, the page of documents and their snippets. Its number of
queries is the proof that a search costs the same whatever the data size; the slowest
query's plan is attached to each row (EXPLAIN ANALYZE on PostgreSQL).

`sizes["document_pages"]`: a text PDF of that many pages (WeasyPrint, a few paragraphs a
page) read by `documents.services.document_read` end to end: pdfinfo, pdftotext, pages
stored, text and vectors written. `sizes["ocr_pages"]`: a scan of that many pages (text
drawn into images, no text layer: tests/support/scans.py), every page OCRed by Tesseract,
one core, page after page (as one worker process reads one document).

Meant for the bench database (`manage.py bench`): the reading rows make a request of their
own (demo_key "documents-bench:read"), removed after the measurement.
"""

import statistics
import time
import tracemalloc
from datetime import timedelta
from html import escape

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import bulk
from bench.bulk import documents as bulk_documents
from bench.bulk.delete import cascade_delete
from bench.measuring import BenchRow, Timing, measure, row
from rtcc_requests.agencies.models import Agency, Technology
from rtcc_requests.common.pdf import render_pdf
from rtcc_requests.documents.models import Document, TextStatus
from rtcc_requests.documents.search import SearchFilters, search
from rtcc_requests.documents.services import document_read
from rtcc_requests.laws.models import Law
from rtcc_requests.requests.choices import CommunicationKind, Direction, Status, Visibility
from rtcc_requests.requests.models import Attachment, Communication, RecordsRequest
from tests.support.scans import scanned_pdf

# The keys of bench SIZES this module reads (the command stages its calls by them).
SIZE_KEYS = ("documents", "document_pages", "ocr_pages")
RUNS = 20
READ_KEY = "documents-bench:read"
ALPR = "automated-license-plate-readers"
# (row name, query, filters): a word in 1 of 5,000 documents, one in most, two together,
# a phrase; the common ones again with a filter.
QUERIES = (
    ("rare word", bulk_documents.RARE_WORD, {}),
    ("common word", "vehicle", {}),
    ("two words", "retention audit", {}),
    ("phrase", '"license plate reader"', {}),
    ("common word, this year", "vehicle", {"year": 0}),
    ("phrase, ALPR requests", '"license plate reader"', {"technology": ALPR}),
    ("two words, an agency", "retention audit", {"agency": "Fresno"}),
)
WHO = ("visitor", "signed in")
ROW_NAMES = tuple(
    name
    for who in WHO
    for name in (
        *(f"search: {query} ({who})" for query, _q, _f in QUERIES),
        f"search: the mix ({who})",
    )
)
TARGET_MEDIAN_MS, TARGET_P95_MS = 100, 250
# Three counts (documents, requests, letters), the page of documents, their snippets.
QUERIES_PER_SEARCH = 5
# With no document found, the counts only: no page to rank, no snippets.
QUERIES_WITHOUT_HITS = 3


def run(*, sizes: dict[str, list[int]]) -> list[BenchRow]:
    rows = []
    for size in sizes.get("documents", []):
        rows.extend(_search_rows(size))
    for pages in sizes.get("document_pages", []):
        rows.append(_read_row(pages, scanned=False))
    for pages in sizes.get("ocr_pages", []):
        rows.append(_read_row(pages, scanned=True))
    return rows


# Search


def _search_rows(size: int) -> list[BenchRow]:
    bulk.ensure_requests(size)
    made = bulk_documents.ensure_documents(size)
    _analyze()
    today = timezone.localdate()
    users = {"visitor": AnonymousUser(), "signed in": bulk.bulk_owner()}
    found = bulk_documents.bulk_documents().count()
    seeded = f"{found:,} documents ({made.seconds:g} s to seed)" if made.added else ""
    rows = []
    for who, user in users.items():
        calls = [
            (name, _caller(user=user, today=today, query=query, filters=_filters(filters, today)))
            for name, query, filters in QUERIES
        ]
        unexpected = []
        for name, call in calls:
            timing = measure(call, runs=RUNS)
            note, hits = _note(call, timing, seeded)
            if timing.queries != (QUERIES_PER_SEARCH if hits else QUERIES_WITHOUT_HITS):
                unexpected.append(f"{name}: {timing.queries}")
            rows.append(row(f"search: {name} ({who})", size, timing, note=note))
            seeded = ""
        mix = _mix([call for _name, call in calls], runs=RUNS)
        constant = f"NOT constant: {', '.join(unexpected)}" if unexpected else "constant"
        rows.append(
            row(
                f"search: the mix ({who})",
                size,
                mix,
                note=f"{len(calls)} queries in turn; queries per search: {QUERIES_PER_SEARCH}, "
                f"{QUERIES_WITHOUT_HITS} when no document matches (no page, no snippets): "
                f"{constant}; "
                f"targets median < {TARGET_MEDIAN_MS} ms, p95 < {TARGET_P95_MS} ms: "
                f"{_verdict(mix)}",
            )
        )
    return rows


def _filters(spec: dict, today) -> SearchFilters:
    technology = spec.get("technology")
    return SearchFilters(
        agency=spec.get("agency", ""),
        technology_id=Technology.objects.get(slug=technology).pk if technology else None,
        year=today.year + spec["year"] if "year" in spec else None,
    )


def _caller(*, user, today, query: str, filters: SearchFilters):
    def call():
        results = search(user=user, today=today, query=query, filters=filters)
        # What the template reads of each hit: its request's agency, its snippet.
        results.shown = [(hit.request.agency.name, str(hit.snippet)) for hit in results.hits]
        return results

    return call


def _mix(calls, *, runs: int) -> Timing:
    """Every query in turn, `runs` rounds: the median and p95 of all those searches."""
    for call in calls:
        call()
    samples = []
    for _ in range(runs):
        for call in calls:
            start = time.perf_counter()
            call()
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, max(0, round(0.95 * len(samples)) - 1))]
    tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as captured:
            calls[0]()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return Timing(
        median_ms=round(statistics.median(samples), 2),
        p95_ms=round(p95, 2),
        peak_mb=round(peak / 1024 / 1024, 2),
        queries=len(captured),
    )


def _verdict(timing: Timing) -> str:
    met = timing.median_ms < TARGET_MEDIAN_MS and timing.p95_ms < TARGET_P95_MS
    return "met" if met else "MISSED"


def _note(call, timing: Timing, seeded: str) -> tuple[str, bool]:
    """The counts and the slowest query's plan; whether the page had documents."""
    with CaptureQueriesContext(connection) as captured:
        results = call()
    counts = ", ".join(f"{kind} {n:,}" for kind, n in results.counts.items())
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    first = f"{counts}; {_verdict(timing)}" + (f"; {seeded}" if seeded else "")
    return f"{first}\nslowest query plan:\n{_explain(slowest['sql'])}", bool(results.hits)


def _explain(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            return "\n".join(line for (line,) in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(plan[-1]) for plan in cursor.fetchall())


def _analyze() -> None:
    """Fresh planner statistics (the server may run without autovacuum)."""
    if connection.vendor != "postgresql":
        return
    tables = [
        "requests_recordsrequest",
        "requests_communication",
        "requests_attachment",
        "agencies_agency",
        "accounts_membership",
        "documents_document",
        "documents_documentpage",
        RecordsRequest.technologies.through._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


# Reading


def _read_row(pages: int, *, scanned: bool) -> BenchRow:
    """document_read of one file of `pages` pages, each run on a document of its own."""
    runs, warmup = (1, 0) if scanned else (3, 1)
    name = _stored_file(pages, scanned=scanned)
    waiting = _waiting_documents(name, count=runs + warmup + 1)

    def read() -> None:
        status = document_read(document_id=waiting.pop(0))
        if status != TextStatus.READ:
            raise AssertionError(f"the document ended {status}")

    try:
        timing = measure(read, runs=runs, warmup=warmup)
        read_back = Document.objects.filter(request__demo_key=READ_KEY, status=TextStatus.READ)
        document = read_back.order_by("-pk").first()
        assert document.pages_read == pages, (document.pages_read, pages)
        assert document.pages_ocr == (pages if scanned else 0), document.pages_ocr
    finally:
        _remove_reading_request()
    seconds = timing.median_ms / 1000
    if scanned:
        return row(
            "document_read: scanned PDF, OCR",
            pages,
            timing,
            note=f"{seconds / pages:.2f} s per page (Tesseract, one core, 3300 px a page); "
            f"{seconds:.1f} s for {pages} pages",
        )
    return row(
        "document_read: text PDF",
        pages,
        timing,
        note=f"{seconds:.2f} s for {pages} pages ({pages / seconds:.0f} pages/s; target < 5 s:"
        f" {'met' if seconds < 5 else 'MISSED'}); pdfinfo, pdftotext, pages, text and vectors",
    )


def _stored_file(pages: int, *, scanned: bool) -> str:
    """The storage name of the file to read, made once and kept for later runs."""
    name = f"bench/documents/{'scan' if scanned else 'text'}-{pages}.pdf"
    if not default_storage.exists(name):
        data = _scan(pages) if scanned else _text_pdf(pages)
        default_storage.save(name, ContentFile(data))
    return name


def _text_pdf(pages: int) -> bytes:
    """A PDF of `pages` pages, a few paragraphs of the bulk vocabulary each (WeasyPrint)."""
    import random

    rng = random.Random(f"documents-bench:{pages}")  # noqa: S311 - test data
    vocabulary = bulk_documents.Vocabulary()
    sections = []
    for _ in range(pages):
        text = bulk_documents.page_text(rng, vocabulary, 260)
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
        sections.append(f'<section style="page-break-after: always">{paragraphs}</section>')
    html = f"<html><body>{''.join(sections)}</body></html>"
    return render_pdf(html, max_pages=pages + 10)


def _scan(pages: int) -> bytes:
    lines = [
        "CITY OF SPRINGFIELD POLICE DEPARTMENT",
        "Automated license plate reader audit log",
        "The agency retains plate data for thirty days unless it is",
        "part of an investigation. Detections are shared with other",
        "agencies under a data sharing agreement reviewed each year.",
    ]
    return scanned_pdf([[*lines, f"Page {number} of {pages}"] for number in range(1, pages + 1)])


def _waiting_documents(name: str, *, count: int) -> list[int]:
    """`count` documents waiting to be read, all of the stored file (attachments written
    without signals, so no task is queued: the benchmark calls document_read itself)."""
    _remove_reading_request()
    User = get_user_model()
    owner, _ = User.objects.get_or_create(
        username="documents-bench", defaults={"email": "documents-bench@bulk.invalid"}
    )
    agency, _ = Agency.objects.get_or_create(
        slug="documents-bench-agency",
        defaults={"name": "Documents Bench Police Department", "state": "CA"},
    )
    now = timezone.now()
    with transaction.atomic():
        request = RecordsRequest.objects.create(
            owner=owner,
            agency=agency,
            law=Law.objects.get(code="ca-cpra"),
            title="Benchmark: reading released records",
            records_sought="Records to read.",
            status=Status.RELEASED,
            visibility=Visibility.PRIVATE,
            filed_on=now.date() - timedelta(days=20),
            received_on=now.date() - timedelta(days=20),
            demo_key=READ_KEY,
        )
        reply = Communication.objects.create(
            request=request,
            direction=Direction.INCOMING,
            kind=CommunicationKind.REPLY,
            sent_at=now,
            subject="Records",
            created_by=owner,
        )
        size = default_storage.size(name)
        attachments = Attachment.objects.bulk_create(
            [
                Attachment(communication=reply, file=name, filename=name.rsplit("/", 1)[-1],
                           content_type="application/pdf", size=size)
                for _ in range(count)
            ]
        )  # fmt: skip
        documents = Document.objects.bulk_create(
            [
                Document(attachment=attachment, communication=reply, request=request,
                         title=attachment.filename, received_on=now.date(), sha256="0" * 64)
                for attachment in attachments
            ]
        )  # fmt: skip
    return [document.pk for document in documents]


def _remove_reading_request() -> None:
    mine = RecordsRequest.objects.filter(demo_key=READ_KEY).values("pk")
    with transaction.atomic():
        cascade_delete(RecordsRequest, mine)
