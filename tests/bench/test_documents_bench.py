"""The released-records benchmark runs end to end at a tiny size, so it cannot rot."""

import pytest

from bench.benchmarks import documents as benchmarks
from bench.bulk import bulk_requests
from bench.bulk import documents as bulk_documents
from rtcc_requests.documents.models import Document, DocumentPage
from rtcc_requests.requests.models import RecordsRequest


@pytest.mark.django_db
def test_run_searches_the_bulk_documents_and_reads_a_text_pdf_and_a_scan():
    rows = benchmarks.run(sizes={"documents": [40], "document_pages": [3], "ocr_pages": [1]})
    assert [(r.name, r.size) for r in rows] == [
        *[(name, 40) for name in benchmarks.ROW_NAMES],
        ("document_read: text PDF", 3),
        ("document_read: scanned PDF, OCR", 1),
    ]
    assert bulk_requests().count() == 40
    assert bulk_documents.bulk_documents().count() == 40
    searches = [r for r in rows if r.name.startswith("search: ")]
    # The same number of queries whatever the query and whoever asks: counts, page, snippets
    # (the counts only when no document matches).
    assert {r.queries for r in searches} <= {3, 5}
    for result in rows:
        assert result.median_ms > 0 and result.p95_ms >= result.median_ms, result.name
        assert result.queries > 0 and result.peak_mb > 0, result.name
    by_name = {r.name: r for r in rows}
    # The planted word is in one of the first documents; the counts are in the note.
    assert by_name["search: rare word (visitor)"].note.startswith("documents ")
    for who in benchmarks.WHO:
        assert "(no page, no snippets): constant;" in by_name[f"search: the mix ({who})"].note
    assert "s per page" in by_name["document_read: scanned PDF, OCR"].note
    # The reading rows are gone again: only the bulk data remains.
    assert not RecordsRequest.objects.filter(demo_key=benchmarks.READ_KEY).exists()
    assert Document.objects.count() == 40
    # Seeded once: a second run reuses the documents.
    pages = DocumentPage.objects.count()
    again = bulk_documents.ensure_documents(40)
    assert again.added == 0 and DocumentPage.objects.count() == pages


@pytest.mark.django_db
def test_the_rare_word_is_rare_and_the_common_word_common():
    from bench.bulk import ensure_requests

    ensure_requests(60)
    bulk_documents.ensure_documents(60)
    texts = list(bulk_documents.bulk_documents().values_list("text", flat=True))
    assert sum(bulk_documents.RARE_WORD in text for text in texts) == 1
    assert sum("vehicle" in text for text in texts) > len(texts) / 2
