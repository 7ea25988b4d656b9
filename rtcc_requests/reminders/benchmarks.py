"""How the deadline sweep grows with the number of open requests (run by `manage.py bench`).

Each size adds requests to the same bulk-generated data set inside one transaction that is
rolled back at the end; each measured sweep runs in a savepoint that is rolled back too, so
every run does the whole work (record reminders, render and store the emails).
"""

import secrets
import statistics
import time
import tracemalloc
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from functools import partial
from itertools import cycle

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from rtcc_requests.accounts.models import NotifyMode, Profile
from rtcc_requests.agencies.models import Agency
from rtcc_requests.core.benchtools import BenchRow, Timing, row
from rtcc_requests.laws.models import Law
from rtcc_requests.requests.models import DueKind, RecordsRequest, Status

from .services import reminders_sweep

TODAY = date(2026, 11, 30)
DEFAULT_SIZES = [10_000, 100_000, 1_000_000]
INSERT_BATCH = 5000
# As in core/bulk.py: about one requester per hundred requests.
REQUESTS_PER_OWNER = 100
# Deadlines spread over about 15 months: most requests have no event on a given day.
BENCH_OFFSETS = range(-400, 60)


def make_owners(count: int, *, modes: Sequence[str] = (NotifyMode.EACH,)) -> list[int]:
    """Users with profiles, by bulk insert (no signals), cycling through notify modes."""
    prefix = uuid.uuid4().hex[:8]
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [
            user_model(username=f"bench-{prefix}-{n}", email=f"bench-{prefix}-{n}@example.org")
            for n in range(count)
        ],
        batch_size=INSERT_BATCH,
    )
    # bulk_create returns primary keys on PostgreSQL and recent SQLite alike.
    mode = cycle(modes)
    Profile.objects.bulk_create(
        [Profile(user_id=u.pk, notify_mode=next(mode)) for u in users], batch_size=INSERT_BATCH
    )
    return [u.pk for u in users]


def make_open_requests(
    count: int, *, today: date, owner_ids: Sequence[int], offsets: Sequence[int]
) -> None:
    """`count` filed requests whose deadline in force is today + offsets[i % len(offsets)]."""
    agency, _ = Agency.objects.get_or_create(
        slug="bench-agency", defaults={"name": "Benchmark Police Department", "state": "CA"}
    )
    law = Law.objects.get(code="ca-cpra")
    kinds = cycle([DueKind.DETERMINATION, DueKind.DETERMINATION, DueKind.EXTENDED])
    statuses = {DueKind.DETERMINATION: Status.FILED, DueKind.EXTENDED: Status.EXTENDED}
    owners, shifts = cycle(owner_ids), cycle(offsets)
    for start in range(0, count, INSERT_BATCH):
        batch = []
        for n in range(start, min(count, start + INSERT_BATCH)):
            due = today + timedelta(days=next(shifts))
            kind = next(kinds)
            received = due - timedelta(days=24 if kind == DueKind.EXTENDED else 10)
            batch.append(
                RecordsRequest(
                    owner_id=next(owners),
                    agency=agency,
                    law=law,
                    title=f"Surveillance records {n}",
                    records_sought="Policies, contracts and audit logs.",
                    status=statuses[kind],
                    filing_method="portal",
                    filed_on=received,
                    received_on=received,
                    reply_token=secrets.token_hex(16),
                    determination_due=received + timedelta(days=10),
                    extended_due=due if kind == DueKind.EXTENDED else None,
                    next_due=due,
                    next_due_kind=kind,
                )
            )
        RecordsRequest.objects.bulk_create(batch, batch_size=INSERT_BATCH)


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
        wanted = sorted(sizes.get("sweep", DEFAULT_SIZES))
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
