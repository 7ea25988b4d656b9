"""`manage.py bench [--size tiny|small|full] [--only NAME]`: every app's benchmarks, one table.

Each module of bench/benchmarks/ (named after the app it measures) has
`run(*, sizes: dict[str, list[int]]) -> list[BenchRow]` (bench/measuring.py) and `SIZE_KEYS`,
the keys of SIZES it reads. The data sizes are staged: every module is called once per size,
smallest first, with the lists of the other sizes empty, so bulk data (bench/bulk
`ensure_requests`) only ever grows during a run.

By default the benchmarks run in their own database, `<NAME>_bench` (kept between runs so the
bulk data is reused), never in the one DATABASE_URL names; `--in-place` is for the tests.
"""

import importlib
import json
import pkgutil
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import benchmarks
from bench.measuring import BenchRow
from rtcc_requests.requests.models import RecordsRequest

SIZES: dict[str, dict[str, list[int]]] = {
    # The test suite runs this one, so no benchmark can rot unnoticed.
    "tiny": {
        "request_list": [300],
        "denial_log": [300],
        "sweep": [300],
        "denials_csv": [300],
        "atlas_import": [300],
        "letters": [2],
        "campaigns": [5],
        "packets": [8],
        "documents": [40],
        "document_pages": [3],
        "ocr_pages": [1],
    },
    "small": {
        "request_list": [1000],
        "denial_log": [1000],
        "sweep": [1000],
        "denials_csv": [2000],
        "atlas_import": [2000],
        "letters": [5],
        "campaigns": [50],
        # Communications on one request, a document on one in four: 200 and 50.
        "packets": [200],
        "documents": [2000],
        "document_pages": [100],
        "ocr_pages": [3],
    },
    # The sizes of issue 9: a statewide deployment.
    "full": {
        "request_list": [100_000, 1_000_000],
        "denial_log": [100_000, 1_000_000],
        "sweep": [10_000, 100_000, 1_000_000],
        "denials_csv": [100_000],
        "atlas_import": [50_000],
        "letters": [50],
        # Agencies of one campaign (issue 17).
        "campaigns": [50, 500],
        "packets": [200],
        # Issue 18: search over 100,000 documents; a 100-page text PDF; OCR per page.
        "documents": [100_000],
        "document_pages": [100],
        "ocr_pages": [5],
    },
}
COLUMNS = ("name", "size", "median ms", "p95 ms", "peak MB", "queries", "baseline ms", "ratio")


def discover() -> list[tuple[str, object]]:
    """(app label, benchmarks module) for every module of bench/benchmarks/, by name."""
    found = []
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{benchmarks.__name__}.{info.name}")
        if callable(getattr(module, "run", None)):
            found.append((info.name, module))
    return found


def stages(sizes: dict[str, list[int]], keys: set[str]) -> list[dict[str, list[int]]]:
    """One sizes dict per distinct size of `keys`, ascending; other entries empty."""
    values = sorted({n for key in keys for n in sizes.get(key, [])})
    return [{key: [n] if n in sizes[key] else [] for key in sizes} for n in values]


def keys_used(module, sizes: dict[str, list[int]]) -> set[str]:
    """The size keys a module declares it reads (SIZE_KEYS); none: the whole dict in one call."""
    return set(getattr(module, "SIZE_KEYS", ())) & set(sizes)


def bulk_size() -> int:
    from bench.bulk import bulk_state

    state = bulk_state()
    return state[1] if state else 0


def plan(sizes: dict[str, list[int]], *, only: set[str]) -> list[tuple[str, object, dict]]:
    """(app label, module, sizes for one call) for every call, all apps' stages merged.

    Ordered by size across apps, so the bulk data grows (or shrinks) once per run rather than
    once per app: smallest first, or largest first when an earlier run left it at the
    largest size (measure there first and shrink, rather than shrink and grow it all back).
    """
    calls = []
    for index, (label, module) in enumerate(discover()):
        if only and label not in only and not only & set(sizes):
            continue
        wanted = {
            k: (v if not only or k in only or label in only else []) for k, v in sizes.items()
        }
        keys = keys_used(module, wanted)
        for call in stages(wanted, keys) if keys else [wanted]:
            if keys and not any(call[key] for key in keys):
                continue
            size = max((n for key in keys for n in call[key]), default=0)
            calls.append((size, index, label, module, call, keys))
    largest = max((c[0] for c in calls), default=0)
    descending = len({c[0] for c in calls}) > 1 and bulk_size() >= largest
    calls.sort(key=lambda c: (-c[0] if descending else c[0], c[1]))
    return [(label, module, call, keys) for _, _, label, module, call, keys in calls]


def run_all(sizes: dict[str, list[int]], *, only: set[str], log) -> list[dict]:
    results: list[dict] = []
    for label, module, call, keys in plan(sizes, only=only):
        started = time.perf_counter()
        # Benchmarks that make their own data add it to the bulk data already there.
        present = {"db_requests_before": RecordsRequest.objects.count()}
        try:
            rows = module.run(sizes=call)
        except Exception as error:  # noqa: BLE001 - one app's failure is a row, not the end
            log(f"{label}: FAILED\n{traceback.format_exc()}")
            results.append({**failed_row(label, error, call), **present})
            continue
        made = [{"app": label, "ok": True, **r.as_dict(), **present} for r in rows]
        results.extend(made)
        seconds = time.perf_counter() - started
        # Rows as they come: a run stopped half-way still shows what it measured.
        shown = {k: v for k, v in call.items() if not keys or k in keys}
        log(f"{label} {describe(shown)}: {len(rows)} rows in {seconds:.1f} s\n{table(made)}")
    # The table reads by app, then by row name and size, whatever order they ran in.
    order = {label: index for index, (label, _) in enumerate(discover())}
    return sorted(results, key=lambda r: (order.get(r["app"], 0), r["name"], r["size"]))


def failed_row(label: str, error: Exception, call: dict[str, list[int]]) -> dict:
    sizes = [n for values in call.values() for n in values]
    return {
        "app": label,
        "ok": False,
        "name": f"{label} (failed)",
        "size": max(sizes, default=0),
        "median_ms": None,
        "p95_ms": None,
        "peak_mb": None,
        "queries": None,
        "baseline_ms": None,
        "ratio": None,
        "note": f"FAILED: {type(error).__name__}: {error}",
    }


def describe(call: dict[str, list[int]]) -> str:
    return ", ".join(f"{key}={values[0]}" for key, values in call.items() if values)


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(results: list[dict]) -> str:
    """One aligned text table; a note's first line only (EXPLAIN plans follow the table)."""
    lines = [
        [
            _cell(r.get(key))
            for key in (
                "name",
                "size",
                "median_ms",
                "p95_ms",
                "peak_mb",
                "queries",
                "baseline_ms",
                "ratio",
            )
        ]
        + [(r.get("note") or "").splitlines()[0][:70] if r.get("note") else ""]
        for r in results
    ]
    header = [*COLUMNS, "note"]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    numeric = range(1, len(COLUMNS))

    def fmt(row: list[str]) -> str:
        cells = [
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *map(fmt, lines)])


def details(results: list[dict]) -> str:
    """Notes longer than a line (query plans), under the row they belong to."""
    parts = []
    for r in results:
        note = r.get("note") or ""
        if "\n" in note:
            parts.append(f"== {r['name']} @ {r['size']:,}\n{note}")
    return "\n\n".join(parts)


class Command(BaseCommand):
    help = "Run every app's benchmarks and print one table (also written to var/bench.json)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="small")
        parser.add_argument(
            "--only", default="", help="App labels or size keys, comma-separated (e.g. requests)."
        )
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="Use the current database as it is (the test suite does; it is a test database).",
        )
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "bench.json"))

    def handle(self, *args, size: str, only: str, in_place: bool, output: str, **options) -> None:
        if size == "full" and connection.vendor != "postgresql":
            raise CommandError(
                "bench --size full needs PostgreSQL: set DATABASE_URL=postgres://... "
                "(the benchmarks run in its own <name>_bench database, created if missing)."
            )
        if not in_place:
            self._use_bench_database()
        from rtcc_requests.demo.data import reference_load

        reference_load()
        sizes = SIZES[size]
        wanted = {name.strip() for name in only.split(",") if name.strip()}
        started = datetime.now(UTC)
        results = run_all(sizes, only=wanted, log=lambda text: self.stderr.write(text))
        self.stdout.write(table(results))
        if plans := details(results):
            self.stdout.write("\n" + plans)
        report = {
            "size": size,
            "sizes": sizes,
            "database": connection.vendor,
            "started": started.isoformat(),
            "finished": datetime.now(UTC).isoformat(),
            "rows": results,
        }
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(json.dumps(report, indent=2, default=str) + "\n")
        self.stdout.write(f"\nWritten to {output}.")

    def _use_bench_database(self) -> None:
        from django.test.utils import setup_test_environment

        name = connection.settings_dict["NAME"]
        bench_name = f"{name}_bench"
        if connection.vendor == "sqlite":
            bench_name = str(Path(settings.VAR_DIR) / "bench.sqlite3")
        connection.settings_dict.setdefault("TEST", {})["NAME"] = bench_name
        # A benchmark measures the production configuration: no DEBUG query log, mail kept.
        setup_test_environment(debug=False)
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=True
        )
        self.stderr.write(f"Benchmark database: {connection.settings_dict['NAME']}")


__all__ = ["SIZES", "BenchRow", "discover", "plan", "run_all", "stages", "table"]
