"""How the deadline sweep grows with the number of open requests (run by `manage.py bench`).

Each size adds requests to the same bulk-generated data set inside one transaction that is
rolled back at the end; each measured sweep runs in a savepoint that is rolled back too, so
every run does the whole work (record reminders, render and store the emails).
"""

import statistics
import time
import tracemalloc
from datetime import date
from functools import partial

from django.db import connection, transaction

from bench.measuring import BenchRow, Timing, row
from rtcc_requests.accounts.models import NotifyMode
from rtcc_requests.reminders.services import reminders_sweep
from rtcc_requests.requests.models import RecordsRequest
from tests.support.builders import make_open_requests, make_owners

# The keys of bench SIZES this module reads (the command stages its calls by them).
SIZE_KEYS = ("sweep",)

TODAY = date(2026, 11, 30)
# As in bench/bulk: about one requester per hundred requests.
REQUESTS_PER_OWNER = 100
# Deadlines spread over about 15 months: most requests have no event on a given day.
BENCH_OFFSETS = range(-400, 60)


def _sweep_and_roll_back(results: list) -> None:
    with transaction.atomic():
        results.append(reminders_sweep(today=TODAY))
        transaction.set_rollback(True)


def _measure(fn, *, runs: int) -> Timing:
    """benchtools.measure without its query log: a logged INSERT carries the text of 2,000
    emails, which made the log, not the sweep, most of the peak memory at 1M requests."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    tracemalloc.start()
    with connection.execute_wrapper(count):
        fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    samples.sort()
    return Timing(
        median_ms=round(statistics.median(samples), 2),
        p95_ms=round(samples[max(0, round(0.95 * len(samples)) - 1)], 2),
        peak_mb=round(peak / 1024 / 1024, 2),
        queries=queries,
    )


def run(*, sizes: dict[str, list[int]]) -> list[BenchRow]:
    rows: list[BenchRow] = []
    generated = 0
    with transaction.atomic():
        # Other benchmarks' bulk data may hold open requests too: the sweep covers them all.
        others = RecordsRequest.objects.open().count()
        wanted = sorted(sizes.get("sweep", []))
        owner_ids = make_owners(
            max(100, wanted[-1] // REQUESTS_PER_OWNER) if wanted else 0,
            modes=(NotifyMode.EACH, NotifyMode.EACH, NotifyMode.DIGEST),
        )
        for size in wanted:
            make_open_requests(
                size - generated, today=TODAY, owner_ids=owner_ids, offsets=BENCH_OFFSETS
            )
            generated = size
            results: list = []
            runs = 3 if size <= 100_000 else 1
            timing = _measure(partial(_sweep_and_roll_back, results), runs=runs)
            note = f"{results[-1].reminders} reminders, {results[-1].emails} emails"
            if others:
                note += f"; {others} other open requests in the database"
            rows.append(row("reminders_sweep", size, timing, note=note))
        transaction.set_rollback(True)
    return rows
