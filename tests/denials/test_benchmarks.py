"""The benchmark runs end to end on a small size and reuses the denials it made."""

import pytest

from rtcc_requests.denials import benchmarks
from rtcc_requests.requests.models import RecordsRequest


@pytest.fixture
def _frozen_clock():
    # A frozen clock would freeze the stopwatch too: this test runs on the real one.
    yield


@pytest.mark.django_db
def test_run_measures_the_csv_and_the_page_on_the_denials_it_tops_up():
    rows = benchmarks.run(sizes={"denials_csv": [30], "denial_log": [20]})
    assert [(r.name, r.size) for r in rows] == [("denial_log", 20), ("denials_csv", 30)]
    for result in rows:
        assert result.median_ms > 0 and result.baseline_ms > 0
        assert result.queries <= 16
    assert RecordsRequest.objects.filter(status__in=["denied", "partial"]).count() == 30
    again = benchmarks.run(sizes={"denials_csv": [30], "denial_log": []})
    assert [(r.name, r.size) for r in again] == [("denials_csv", 30)]
    assert RecordsRequest.objects.count() == 30
