"""The REST API's list endpoints over the bulk data (the request list's sizes): a newsroom's
requests with its token, the public requests without one, the public denial log.

Server time through DRF's test client (the cursor pages, no COUNT); the query count is the
proof that a page costs the same whatever the data size.
"""

from django.db import connection
from knox.models import AuthToken
from rest_framework.test import APIClient

from bench import bulk
from bench.measuring import BenchRow, measure, row

SIZE_KEYS = ("request_list",)
RUNS = 20
# (row name, path, with the newsroom's token)
ENDPOINTS = (
    ("api requests, a newsroom's (token)", "/api/v1/requests/?page_size=50", True),
    ("api requests, public (no token)", "/api/v1/requests/?page_size=50", False),
    ("api denials (no token)", "/api/v1/denials/?page_size=50", False),
)
ROW_NAMES = tuple(name for name, _, _ in ENDPOINTS)


def run(*, sizes: dict[str, list[int]]) -> list[BenchRow]:
    rows = []
    for size in sizes.get("request_list", []):
        bulk.ensure_requests(size)
        _analyze()
        owner = bulk.bulk_owner()
        token_row, token = AuthToken.objects.create(user=owner)
        try:
            for name, path, signed_in in ENDPOINTS:
                client = APIClient()
                if signed_in:
                    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
                rows.append(_endpoint(client, name=name, path=path, size=size))
        finally:
            token_row.delete()
    return rows


def _endpoint(client: APIClient, *, name: str, path: str, size: int) -> BenchRow:
    def page() -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise AssertionError(f"{path} answered {response.status_code}")

    timing = measure(page, runs=RUNS)
    return row(name, size, timing, note=f"GET {path}: one cursor page, no COUNT")


def _analyze() -> None:
    """Fresh planner statistics: the server may run without autovacuum, and with stale
    ones PostgreSQL read every public denial for the first page (2.5 s at 1M, 13 ms after)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE requests_recordsrequest, requests_determination, agencies_agency, "
            "requests_determination_exemptions, accounts_membership"
        )
