"""Benchmark of the Atlas CSV import: a generated export of `sizes["atlas_import"]` rows.

Two rows per size: a first import into a database without those agencies (every agency,
vendor and deployment new), and a re-import of the same file (nothing changes). All of it
runs in a transaction that is rolled back: the database is left as it was found.
"""

import csv
import io

from django.db import transaction

from bench.measuring import BenchRow, measure, row
from rtcc_requests.agencies.atlas import atlas_import
from rtcc_requests.agencies.atlas.parsing import HEADER_ALIASES
from rtcc_requests.agencies.models import Technology

# The keys of bench SIZES this module reads (the command stages its calls by them).
SIZE_KEYS = ("atlas_import",)

KEY = "atlas-bench"
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


def generated_csv(rows: int) -> bytes:
    """An Atlas-shaped export: about five technologies per agency, 200 vendors, 1-3 links."""
    technologies = list(Technology.objects.values_list("name", flat=True))
    states = ["CA", "TX", "NY", "FL", "IL", "WA", "OR", "AZ"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(rows):
        agency = i // 5
        suffix = ("PD", "Police Department", "POLICE DEPT.")[i % 3]
        links = []
        for n in range(1 + i % 3):
            links += [
                f"https://news.example/{KEY}/{i}/{n}",
                "",
                f"Example News {n}",
                "News",
                f"{1 + n}/{1 + i % 28}/{2012 + i % 12}",
            ]
        links += [""] * (len(_LINK_HEADERS) - len(links))
        writer.writerow(
            [
                f"AOSB{i:07d}",
                f"XX{agency:07d}",
                f"Town {agency}",
                f"County {agency // 20}",
                states[agency % len(states)],
                f"{KEY} Town {agency} {suffix}",
                "Police",
                f"Generated row {i} for the import benchmark.",
                "Municipal",
                technologies[i % len(technologies)],
                "",
                f"{KEY} Vendor {i % 200}" + (", Inc." if i % 2 else ""),
                *links,
                "",
            ]
        )
    return out.getvalue().encode()


class _Rollback(Exception):
    pass


def run(*, sizes: dict[str, list[int]]) -> list[BenchRow]:
    results: list[BenchRow] = []
    for size in sizes.get("atlas_import", []):
        data = generated_csv(size)
        fresh = measure(lambda data=data: atlas_import(data=data, dry_run=True), runs=3, warmup=0)
        results.append(row("atlas_import", size, fresh, note="first import; each run rolled back"))
        try:
            with transaction.atomic():
                atlas_import(data=data)
                again = measure(lambda data=data: atlas_import(data=data), runs=3, warmup=0)
                raise _Rollback
        except _Rollback:
            pass
        results.append(row("atlas_reimport", size, again, note="same file again: 0 changes"))
    return results
