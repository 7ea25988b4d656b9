"""The benchmark runs end to end on a small size and reuses the denials it made."""

import pytest

from bench.benchmarks import denials as benchmarks
from bench.bulk import bulk_requests
from rtcc_requests.requests.models import RecordsRequest


@pytest.fixture
def _frozen_clock():
    # A frozen clock would freeze the stopwatch too: this test runs on the real one.
    yield


@pytest.mark.django_db
def test_run_measures_the_page_on_bulk_data_and_the_csv_on_topped_up_denials():
    rows = benchmarks.run(sizes={"denials_csv": [60], "denial_log": [40]})
    assert [(r.name, r.size) for r in rows] == [
        ("denial log page", 40),
        ("denial log page, first read after a change", 40),
        ("denial log PDF, rendered", 40),
        ("denial log PDF, finished file served", 40),
        ("denials_csv", 60),
    ]
    page, cold, pdf, served, csv = rows
    assert bulk_requests().count() == 40
    for result in rows:
        assert result.median_ms > 0 and (result.baseline_ms or result is served)
        # Bounded whatever the size: the first read after a change recomputes the summary's
        # four aggregates (counts, exemptions, median, per year) and the menus.
        assert result.queries <= 17
    # A warm page reads no aggregates; the first read after a change recomputes them.
    assert page.queries < cold.queries
    assert "public denials in the log" in page.note and "main query plan" in page.note
    # The render is the slow part; the finished file is read from storage.
    assert "pages" in pdf.note and served.median_ms < pdf.median_ms
    # The rows topped up for the CSV are gone again: only the bulk data remains.
    assert not RecordsRequest.objects.filter(demo_key__startswith="denials-bench:").exists()
    assert RecordsRequest.objects.count() == 40
    again = benchmarks.run(sizes={"denials_csv": [60], "denial_log": []})
    assert [(r.name, r.size) for r in again] == [("denials_csv", 60)]
