"""Benchmark of the Atlas CSV import: a generated export of `sizes["atlas_import"]` rows.

The export is written to a temporary file and each import streams it from there, as
`manage.py import_atlas FILE.csv` does, so the peak memory is the import's, not the file's.
It is shaped like the real one (issue 17, "The whole Atlas"): one agency per ten rows,
spread over the states and over the whole file (as AOSNUMBERs are, in the order the Atlas
added them), the reference technologies, a few hundred vendors, one to three links a row.

Two rows per size: a first import into a database without those agencies (every agency,
vendor and deployment new), and a re-import of the same file (nothing changes). All of it
runs in a transaction that is rolled back: the database is left as it was found. The peak
is the import's own, measured in a run of its own without the query capture (the target of
issue 17: under 50 MB for 50,000 rows).
"""

import csv
import dataclasses
import tempfile
import tracemalloc
from pathlib import Path

from django.db import transaction

from bench.measuring import BenchRow, Timing, measure, row
from rtcc_requests.agencies.atlas import ImportReport, atlas_import
from rtcc_requests.agencies.atlas.parsing import HEADER_ALIASES
from rtcc_requests.agencies.models import Technology

# The keys of bench SIZES this module reads (the command stages its calls by them).
SIZE_KEYS = ("atlas_import",)

KEY = "atlas-bench"
ROWS_PER_AGENCY = 10
VENDORS = 400
STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY",
)  # fmt: skip
_LINK_HEADERS = [
    HEADER_ALIASES[f"link{n}_{part}"][0]
    for n in (1, 2, 3)
    for part in ("url", "snapshot", "source", "type", "date")
]
HEADER = [
    HEADER_ALIASES[c][0]
    for c in (
        "aos_id",
        "ori",
        "city",
        "county",
        "state",
        "agency",
        "lea_type",
        "summary",
        "juris_type",
        "technology",
        "tech_abbr",
        "vendor",
    )
] + [*_LINK_HEADERS, HEADER_ALIASES["other_links"][0]]


def write_csv(path: Path, rows: int) -> None:
    """An Atlas-shaped export of `rows` rows, written to `path` a row at a time."""
    technologies = list(Technology.objects.order_by("name").values_list("name", flat=True))
    agencies = max(1, rows // ROWS_PER_AGENCY)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            writer.writerow(_row(i, agencies, technologies))


def _row(i: int, agencies: int, technologies: list[str]) -> list[str]:
    # An agency's rows are `agencies` rows apart: each of them is in several batches.
    agency, nth = i % agencies, i // agencies
    state = STATES[agency % len(STATES)]
    sheriff = agency % 4 == 0
    # One agency written three ways, as the Atlas does; the import makes them one.
    if sheriff:
        name = f"{KEY} County {agency} " + ("SO", "Sheriff's Office", "SHERIFF'S DEPT")[nth % 3]
    else:
        name = f"{KEY} Town {agency} " + ("PD", "Police Department", "POLICE DEPT.")[nth % 3]
    # A technology listed twice for some agencies, with another vendor: a second product.
    repeat = nth == 9 and agency % 10 == 0
    technology = technologies[(agency + (0 if repeat else nth)) % len(technologies)]
    vendor = "" if i % 5 == 0 else f"{KEY} Vendor {i % VENDORS}" + (", Inc." if i % 2 else "")
    summary = f"Records show the agency used {technology} from {2012 + i % 12}, row {i}."
    if i % 50 == 0:  # a quoted cell with commas and a line break, as exports have
        summary += '\nThe council report called it "a pilot, for now".'
    links = []
    for n in range(1 + i % 3):
        links += [
            f"https://news.example/{KEY}/{i}/{n}",
            f"https://web.archive.example/{KEY}/{i}/{n}" if n == 0 else "",
            f"Example News {n}: {name} and {technology}",
            ("News", "Government", "Vendor")[n],
            f"{1 + n}/{1 + i % 28}/{2012 + i % 12}",
        ]
    links += [""] * (len(_LINK_HEADERS) - len(links))
    return [
        f"AOSB{i:07d}",
        f"{state}{agency:07d}",
        f"Town {agency}",
        f"County {agency // 20}",
        state,
        name,
        "Sheriff" if sheriff else "Police",
        summary,
        "County" if sheriff else "Municipal",
        technology,
        "",
        vendor,
        *links,
        "",
    ]


def import_file(path: Path, *, dry_run: bool = False) -> ImportReport:
    with path.open("rb") as stream:  # as manage.py import_atlas reads it
        return atlas_import(data=stream, dry_run=dry_run)


def _own_peak(timing: Timing, fn) -> Timing:
    """The timing with the peak of one run by itself: measure() takes its peak while it
    captures every query, and the SQL of the bulk INSERTs would be most of it."""
    tracemalloc.start()
    try:
        fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return dataclasses.replace(timing, peak_mb=round(peak / 1024 / 1024, 2))


class _Rollback(Exception):
    pass


def _checked(report: ImportReport, *, size: int, changes: bool) -> None:
    """A benchmark of an import that failed, or changed what it should not, measures nothing."""
    if report.errors or report.rows != size or bool(report.changes) != changes:
        raise AssertionError(f"unexpected import of the generated file: {report.summary()}")


def run(*, sizes: dict[str, list[int]]) -> list[BenchRow]:
    results: list[BenchRow] = []
    for size in sizes.get("atlas_import", []):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "atlas.csv"
            write_csv(path, size)
            megabytes = path.stat().st_size / 1024 / 1024

            def first(path=path, size=size) -> None:
                _checked(import_file(path, dry_run=True), size=size, changes=True)

            def again(path=path, size=size) -> None:
                _checked(import_file(path), size=size, changes=False)

            fresh = _own_peak(measure(first, runs=3, warmup=0), first)
            note = f"first import of a {megabytes:.1f} MB file; each run rolled back"
            results.append(row("atlas_import", size, fresh, note=note))
            try:
                with transaction.atomic():
                    import_file(path)
                    unchanged = _own_peak(measure(again, runs=3, warmup=0), again)
                    raise _Rollback
            except _Rollback:
                pass
            note = "same file again: 0 changes"
            results.append(row("atlas_reimport", size, unchanged, note=note))
    return results
