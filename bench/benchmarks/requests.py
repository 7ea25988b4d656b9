"""Request list page: one newsroom's requests, filtered and sorted, at each data size.

Server time through the Django test client; the baseline is the page's main SQL query (the
page of rows) run alone, and its plan is attached to the row (EXPLAIN ANALYZE on PostgreSQL).
"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import bulk
from bench.measuring import BenchRow, measure, row

# The keys of bench SIZES this module reads (the command stages its calls by them).
SIZE_KEYS = ("request_list",)

# The page a newsroom looks at most: what is waiting on agencies, soonest deadline first.
VIEWS = (
    ("request list ?status=filed&sort=due", {"status": "filed", "sort": "due"}),
    ("request list ?sort=due (all of a user's)", {"sort": "due"}),
)
RUNS = 20


def run(*, sizes: dict[str, list[int]]) -> list[BenchRow]:
    rows = []
    for size in sizes.get("request_list", []):
        bulk.ensure_requests(size)
        client = Client()
        client.force_login(bulk.bulk_owner())
        for name, params in VIEWS:
            rows.append(list_page(client, name=name, params=params, size=size))
    return rows


def list_page(client: Client, *, name: str, params: dict, size: int) -> BenchRow:
    url = reverse("requests:list")

    def page() -> None:
        response = client.get(url, params)
        if response.status_code != 200:
            raise AssertionError(f"{url} answered {response.status_code}")

    timing = measure(page, runs=RUNS)
    sql = main_query(page)
    baseline = measure(lambda: execute(sql), runs=RUNS)
    empty = "the page had no rows: its count is the main query\n" if sql.startswith(_COUNT) else ""
    return row(
        name, size, timing, baseline=baseline, note=f"{empty}main query plan:\n{explain(sql)}"
    )


_TABLE = '"requests_recordsrequest"'
_COUNT = 'SELECT COUNT(*) AS "__count" FROM "requests_recordsrequest" '


def main_query(fn) -> str:
    """The SQL of the page's rows: the query on the requests table with a LIMIT, else the
    slowest query on it; for a page with no rows (a filter matching nothing in tiny data),
    its count."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    # Selecting request rows, not another table's query with requests in a subquery.
    queries = captured.captured_queries
    candidates = [q for q in queries if q["sql"].startswith(f"SELECT {_TABLE}.")]
    candidates = candidates or [q for q in queries if q["sql"].startswith(_COUNT)]
    if not candidates:
        raise AssertionError("the page ran no query on the requests table")
    limited = [q for q in candidates if " LIMIT " in q["sql"] and "COUNT(" not in q["sql"]]
    chosen = limited or candidates
    return max(chosen, key=lambda q: float(q["time"]))["sql"]


def execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        cursor.fetchall()


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            return "\n".join(line for (line,) in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(plan[-1]) for plan in cursor.fetchall())
