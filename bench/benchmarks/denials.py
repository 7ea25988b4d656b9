"""Benchmarks of the denial log: the page and the PDF at growing data sizes, the streamed CSV.

Sizes: `sizes["denial_log"]` are numbers of requests: the page and the PDF of the whole log
are measured over the bulk data set of that many requests (bench/bulk), whose realistic mix
makes about one in eight a public denial. `sizes["denials_csv"]` are numbers of rows: the
export is measured with at least that many public denials in the log, topped up with this
module's own (demo_key "denials-bench:<n>"), removed again after the measurement so later
stages measure the bulk data alone. Meant for the bench database (`manage.py bench`), never
for one people use: those denials are public while they exist.
"""

import resource
import time
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench import bulk
from bench.bulk.delete import cascade_delete
from bench.measuring import BenchRow, Timing, measure, row
from rtcc_requests.common.fetcher import SafeURLFetcher
from rtcc_requests.denials import pdf_log
from rtcc_requests.denials.selectors import denial_log
from rtcc_requests.denials.versioning import denial_log_changed
from rtcc_requests.denials.views import PER_PAGE
from rtcc_requests.requests.models import Determination, RecordsRequest
from tests.support.builders import DENIALS_KEY, bulk_denials
from tests.support.pdf import pdf_pages

# The keys of bench SIZES this module reads (the command stages its calls by them).
SIZE_KEYS = ("denial_log", "denials_csv")


def _client() -> Client:
    hosts = [h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")]
    return Client(SERVER_NAME=hosts[0] if hosts else "localhost")


def _drain(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    if not response.streaming:
        return len(response.content)
    return sum(len(chunk) for chunk in response.streaming_content)


def _main_query(sql: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sum(len(batch) for batch in iter(lambda: cursor.fetchmany(2000), []))


def _analyze() -> None:
    # Fresh statistics, as autovacuum would give a real database; without them PostgreSQL
    # plans the grown tables as if they were empty (nested loops over 100k rows).
    if connection.vendor != "postgresql":
        return
    tables = ["requests_recordsrequest", "requests_determination", "agencies_agency"]
    tables += [
        RecordsRequest.technologies.through._meta.db_table,
        Determination.exemptions.through._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def _bench(sizes: dict[str, list[int]]) -> list[BenchRow]:
    today = timezone.localdate()
    client = _client()
    results = []
    wanted = sorted(
        {("denial_log", n) for n in sizes.get("denial_log", [])}
        | {("denials_csv", n) for n in sizes.get("denials_csv", [])},
        key=lambda pair: (pair[1], pair[0]),
    )
    for name, size in wanted:
        if name == "denial_log":
            results.extend(_log_page(client, requests=size, today=today))
            results.extend(_log_pdf(client, requests=size, today=today))
        else:
            results.append(_csv_export(client, rows=size, today=today))
    return results


def _log_page(client: Client, *, requests: int, today: date) -> list[BenchRow]:
    """GET /denials/ over the bulk data set of `requests` requests (bench/bulk)."""
    bulk.ensure_requests(requests)
    _analyze()
    log = denial_log(today=today, params={})
    in_log = log.filtered.count()
    runs = 20
    sql, params = log.rows[:PER_PAGE].query.sql_with_params()
    baseline = measure(lambda: _main_query(sql, params), runs=runs)
    url = reverse("denials:log")
    timing = measure(lambda: _drain(client, url), runs=runs)
    note = (
        f"GET /denials/ (summary, filters, page 1), {in_log:,} public denials in the log; "
        "summary and menus cached; baseline: its row query alone"
    )
    plan = _explain(sql, params)

    def after_a_change() -> None:
        denial_log_changed()  # what any new denial or visibility change does
        _drain(client, url)

    cold = measure(after_a_change, runs=3, warmup=0)
    return [
        row("denial log page", requests, timing, baseline=baseline, note=f"{note}\n{plan}"),
        row(
            "denial log page, first read after a change",
            requests,
            cold,
            baseline=baseline,
            note="the summary and menus recomputed (the cache's worst case)",
        ),
    ]


def _log_pdf(client: Client, *, requests: int, today: date) -> list[BenchRow]:
    """The PDF of the whole log over the bulk data (after `_log_page`, which grew it).

    The render is what the Celery task does (denials/pdf_log.py): the rows read once, sections
    rendered one at a time, joined, stored. Timed once, and once more for its Python memory
    (tracemalloc, which slows WeasyPrint: the median is the untraced run). The baseline is
    WeasyPrint alone on the very same sections' HTML, so the ratio is our overhead. Then GET
    /denials.pdf serving the finished file, which is all any later reader costs.
    """
    log = denial_log(today=today, params={})
    in_log = log.filtered.count()
    job = pdf_log.pdf_job(log, today=today)

    def render() -> None:
        default_storage.delete(job.pdf_name)
        assert pdf_log.denial_pdf_render(job) == "ready"

    timing = measure(render, runs=1, warmup=0)
    baseline = _bare_weasyprint(log, job)
    with default_storage.open(job.pdf_name, "rb") as handle:
        data = handle.read()
    pages, shown = pdf_pages(data), min(in_log, pdf_log.max_rows() or in_log)
    url = reverse("denials:pdf")
    served = measure(lambda: _drain(client, url), runs=20)
    pdf_log._remove_folder(f"{pdf_log.PDF_DIR}/{job.version}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    note = (
        f"the task's render of the whole log: {in_log:,} public denials, the first "
        f"{shown:,} listed (DENIAL_PDF_MAX_ROWS) in sections of {pdf_log.chunk_rows()}, "
        f"{pages:,} pages, {len(data) / 1e6:.1f} MB; peak RSS of the process {rss:.0f} MB "
        "(Pango and Cairo's memory is not in peak MB); baseline: WeasyPrint alone on the same "
        "sections' HTML"
    )
    return [
        row("denial log PDF, rendered", requests, timing, baseline=baseline, note=note),
        row(
            "denial log PDF, finished file served",
            requests,
            served,
            note=f"GET /denials.pdf once rendered: {len(data) / 1e6:.1f} MB from storage",
        ),
    ]


def _bare_weasyprint(log, job: pdf_log.PdfJob) -> Timing:
    """WeasyPrint's render of the PDF's sections, their HTML made beforehand: one run."""
    from weasyprint import HTML

    summary = pdf_log.log_summary(log, today=job.day, version=job.version, fixed={})
    shown = min(summary.count, pdf_log.max_rows() or summary.count)
    context = pdf_log.print_context(log, today=job.day, summary=summary, shown=shown)
    with TemporaryDirectory() as folder:
        sections = pdf_log._spool_sections(log, shown=shown, context=context, folder=Path(folder))
        html = [path.read_text().replace(pdf_log._FIRST_PAGE, "1") for path, _ in sections]
    start = time.perf_counter()
    for section in html:
        HTML(string=section, base_url=None, url_fetcher=SafeURLFetcher()).write_pdf()
    elapsed = round((time.perf_counter() - start) * 1000, 2)
    return Timing(median_ms=elapsed, p95_ms=elapsed, peak_mb=0.0, queries=0)


def _csv_export(client: Client, *, rows: int, today: date) -> BenchRow:
    """GET /denials.csv with at least `rows` public denials (topped up with bench rows)."""
    in_log = denial_log(today=today, params={}).filtered.count()
    if rows > in_log:
        have = RecordsRequest.objects.filter(demo_key__startswith=f"{DENIALS_KEY}:").count()
        with transaction.atomic():
            bulk_denials(count=rows - in_log, today=today, start=have)
        _analyze()
    log = denial_log(today=today, params={})
    size = log.filtered.count()
    runs = 20 if size <= 10_000 else 3
    sql, params = log.rows.query.sql_with_params()
    baseline = measure(lambda: _main_query(sql, params), runs=runs, warmup=1)
    timing = measure(lambda: _drain(client, reverse("denials:csv")), runs=runs, warmup=1)
    note = "GET /denials.csv streamed to the end; baseline: the row query, raw cursor"
    _remove_topped_up()
    return row("denials_csv", size, timing, baseline=baseline, note=note)


def _remove_topped_up() -> None:
    """The bulk data alone again, so a later, larger stage measures the log it would have."""
    mine = RecordsRequest.objects.filter(demo_key__startswith=f"{DENIALS_KEY}:").values("pk")
    with transaction.atomic():
        cascade_delete(RecordsRequest, mine)
        denial_log_changed()
    bulk.vacuum()


def _explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            return "main query plan:\n" + "\n".join(line for (line,) in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "main query plan:\n" + "\n".join(str(plan[-1]) for plan in cursor.fetchall())


def run(*, sizes: dict[str, list[int]]) -> list[BenchRow]:
    return _bench(sizes)
