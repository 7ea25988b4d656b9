"""Measuring helpers shared by the modules of bench/benchmarks/ (run by `manage.py bench`).

Each module defines `run(*, sizes: dict[str, list[int]]) -> list[BenchRow]` and `SIZE_KEYS`.
"""

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext


@dataclass
class BenchRow:
    name: str
    size: int
    median_ms: float
    p95_ms: float
    peak_mb: float
    queries: int
    baseline_ms: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if not self.baseline_ms:
            return None
        return round(self.median_ms / self.baseline_ms, 2)

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio}


@dataclass
class Timing:
    median_ms: float
    p95_ms: float
    peak_mb: float
    queries: int


def measure(fn: Callable[[], object], *, runs: int = 20, warmup: int = 2) -> Timing:
    """Median and p95 wall time over `runs`, peak Python memory and queries of one run."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    reset_queries()
    tracemalloc.start()
    with CaptureQueriesContext(connection) as captured:
        fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    samples.sort()
    p95 = samples[min(len(samples) - 1, max(0, round(0.95 * len(samples)) - 1))]
    return Timing(
        median_ms=round(statistics.median(samples), 2),
        p95_ms=round(p95, 2),
        peak_mb=round(peak / 1024 / 1024, 2),
        queries=len(captured),
    )


def row(name: str, size: int, timing: Timing, *, baseline: Timing | None = None, note: str = ""):
    return BenchRow(
        name=name,
        size=size,
        median_ms=timing.median_ms,
        p95_ms=timing.p95_ms,
        peak_mb=timing.peak_mb,
        queries=timing.queries,
        baseline_ms=baseline.median_ms if baseline else None,
        note=note,
    )
