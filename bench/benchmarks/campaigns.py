"""Campaigns: one ask sent to many agencies, created and filed at once, then read as one table.

Sizes: `sizes["campaigns"]` are numbers of agencies, each asked for the same 10 numbered
items (the ALPR checklist and two more).

- "campaign_create_file": `campaign_create` (a draft request per agency) and then
  `campaign_file_by_email` (every draft filed, its letter written), timed apart. Each run
  starts from no campaign: it runs in a savepoint rolled back afterwards. What filing queues
  on commit (the render_letters tasks: the letter PDFs, the outbox rows they write, SMTP)
  never runs, since nothing here commits.
- "campaign_table" and "campaign_compare": GET of the campaign's page and of its item-by-item
  comparison by its owner, for a campaign whose requests were filed 30 days ago and about
  half answered since (`determination_record` with per-item outcomes: released, partial,
  denial, no records, disclosable); the others are past due. Median and p95 of 20 GETs.

Everything, the agencies and the owner too, is made inside a transaction that is rolled back
at the end: the bench database keeps nothing, and a run never meets the last one's data.
"""

import statistics
import time
import tracemalloc
import uuid
from datetime import date, timedelta
from itertools import cycle

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.bulk import names
from bench.measuring import BenchRow, Timing, measure, row
from rtcc_requests.agencies.models import Agency, ChecklistItem, Technology
from rtcc_requests.campaigns import comparison, selectors, services
from rtcc_requests.campaigns.models import Campaign, CampaignEntry
from rtcc_requests.laws import calendar
from rtcc_requests.laws.models import Exemption, Law
from rtcc_requests.requests import rules
from rtcc_requests.requests import services as request_services
from rtcc_requests.requests.choices import DeterminationKind, ItemOutcome
from rtcc_requests.requests.models import Determination, RecordsRequest, RequestItem

# The keys of bench SIZES this module reads (the command stages its calls by them).
SIZE_KEYS = ("campaigns",)

TECHNOLOGY = "automated-license-plate-readers"
EXTRA_ASKS = [
    "Every email between the agency and the ALPR vendor since 1 January 2023.",
    "The training materials given to officers who use the ALPR system.",
]
ITEMS = 10
CREATE_RUNS = 5
PAGE_RUNS = 20
FILED_DAYS_AGO = 30
CREATE_ROW, FILE_ROW = "campaign_create_file: create", "campaign_create_file: file by email"
PAGES = (("campaign_table", "campaigns:detail"), ("campaign_compare", "campaigns:compare"))
COLD_COMPARE_ROW = "campaign_compare, first read after a change"
ROW_NAMES = (CREATE_ROW, FILE_ROW, *(name for name, _ in PAGES), COLD_COMPARE_ROW)


class _Rollback(Exception):
    pass


def run(*, sizes: dict[str, list[int]]) -> list[BenchRow]:
    rows: list[BenchRow] = []
    for agencies in sizes.get("campaigns", []):
        try:
            with transaction.atomic():
                rows.extend(_bench(agencies))
                raise _Rollback
        except _Rollback:
            pass
    return rows


def _bench(count: int) -> list[BenchRow]:
    owner, agencies = _owner(), _agencies(count)
    technology = Technology.objects.filter(slug=TECHNOLOGY).first()
    ask = _ask(technology)
    rows = _create_and_file(owner=owner, agencies=agencies, technology=technology, ask=ask)
    campaign, answered = _answered_campaign(
        owner=owner, agencies=agencies, technology=technology, ask=ask
    )
    _analyze()
    rows += _pages(owner=owner, campaign=campaign, answered=answered)
    return rows


def _owner():
    owner = get_user_model().objects.create_user(
        username=f"bench-campaigns-{uuid.uuid4().hex[:8]}", email="campaigns@bench.example"
    )
    owner.profile.display_name = "Bench Requester"
    owner.profile.organization = "Benchmark Newsroom"
    owner.profile.save()
    return owner


def _agencies(count: int) -> list[Agency]:
    """`count` approved CA agencies with a records email (names as in bench/bulk)."""
    prefix = f"campaigns-bench-{uuid.uuid4().hex[:6]}"
    made = [
        Agency(**(names.agency(number) | {"slug": f"{prefix}-{number:04d}"}))
        for number in range(count)
    ]
    return Agency.objects.bulk_create(made, batch_size=500)


def _ask(technology: Technology | None) -> str:
    asks = []
    if technology is not None:
        asks = list(
            ChecklistItem.objects.filter(technology=technology)
            .order_by("position", "pk")
            .values_list("ask", flat=True)[: ITEMS - len(EXTRA_ASKS)]
        )
    asks += EXTRA_ASKS
    asks += [f"Record set {n} about the ALPR system." for n in range(len(asks) + 1, ITEMS + 1)]
    intro = "Under the California Public Records Act, I ask for copies of:"
    return intro + "\n\n" + "\n".join(f"{n}. {a}" for n, a in enumerate(asks[:ITEMS], start=1))


def _create(*, owner, agencies, technology, ask) -> Campaign:
    return services.campaign_create(
        owner=owner,
        title="ALPR records across California",
        records_sought=ask,
        agencies=agencies,
        technology=technology,
        visibility="public",
    )


def _file(*, campaign: Campaign, owner, expected: int) -> None:
    report = services.campaign_file_by_email(campaign=campaign, actor=owner)
    if len(report.filed) != expected or report.refused:
        raise AssertionError(f"filed {len(report.filed)} of {expected}: {report.refused}")


def _create_and_file(*, owner, agencies, technology, ask) -> list[BenchRow]:
    """Each run in a savepoint rolled back: create, then file, each timed on its own."""
    count = len(agencies)
    create_ms, file_ms = [], []
    for run in range(CREATE_RUNS + 1):  # the first one warms up
        with transaction.atomic():
            start = time.perf_counter()
            campaign = _create(owner=owner, agencies=agencies, technology=technology, ask=ask)
            created = time.perf_counter()
            _file(campaign=campaign, owner=owner, expected=count)
            if run:
                create_ms.append((created - start) * 1000)
                file_ms.append((time.perf_counter() - created) * 1000)
            transaction.set_rollback(True)
    # One more run for the queries and Python's peak memory, each phase on its own.
    with transaction.atomic():
        tracemalloc.start()
        with CaptureQueriesContext(connection) as creating:
            campaign = _create(owner=owner, agencies=agencies, technology=technology, ask=ask)
        _, create_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with CaptureQueriesContext(connection) as filing:
            _file(campaign=campaign, owner=owner, expected=count)
        _, file_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        letters = campaign.entries.filter(request__communications__isnull=False).count()
        transaction.set_rollback(True)
    create = _timing(create_ms, peak=create_peak, queries=len(creating))
    filed = _timing(file_ms, peak=file_peak, queries=len(filing))
    total = statistics.median(a + b for a, b in zip(create_ms, file_ms, strict=True))
    both = "; each run in a savepoint rolled back (the services' transactions are savepoints"
    both += ", no COMMIT timed)"
    return [
        row(
            CREATE_ROW,
            count,
            create,
            note=f"campaign_create: the campaign, {count} drafts with {ITEMS} items each, "
            f"their technology, events and entries{both}",
        ),
        row(
            FILE_ROW,
            count,
            filed,
            note=f"create+file median {total:,.0f} ms (target < 5 s at 500); "
            f"campaign_file_by_email: {letters} letters written, statuses, deadlines, events; "
            "not included: the render_letters tasks queued on commit (letter PDFs, their "
            f"outbox rows, SMTP), which never run{both}",
        ),
    ]


def _timing(samples: list[float], *, peak: int, queries: int) -> Timing:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, max(0, round(0.95 * len(samples)) - 1))]
    return Timing(
        median_ms=round(statistics.median(samples), 2),
        p95_ms=round(p95, 2),
        peak_mb=round(peak / 1024 / 1024, 2),
        queries=queries,
    )


def _answered_campaign(*, owner, agencies, technology, ask) -> tuple[Campaign, int]:
    """A campaign filed FILED_DAYS_AGO days ago, every other request answered since."""
    today = timezone.localdate()
    campaign = _create(owner=owner, agencies=agencies, technology=technology, ask=ask)
    _file(campaign=campaign, owner=owner, expected=len(agencies))
    received = today - timedelta(days=FILED_DAYS_AGO)
    cpra = Law.objects.get(code="ca-cpra")
    due = calendar.determination_due(cpra.deadline_rule, received).due
    requests = RecordsRequest.objects.filter(campaign_entry__campaign=campaign)
    # Filed by email 30 days ago: what campaign_file_by_email did then, dated then.
    RecordsRequest.objects.filter(pk__in=requests.values("pk")).update(
        filed_on=received, received_on=received, determination_due=due, next_due=due
    )
    exemptions = list(Exemption.objects.filter(law=cpra).order_by("section")[:2])
    promised = today + timedelta(days=30)
    answers = cycle(_ANSWERS)
    answered = 0
    ordered = requests.select_related("agency", "law", "owner").order_by("agency__name", "pk")
    for index, request in enumerate(ordered):
        if index % 2:
            continue
        kind, outcomes = next(answers)
        withholding = kind in rules.WITHHOLDING_KINDS
        request_services.determination_record(
            records_request=request,
            actor=owner,
            kind=kind,
            response_date=received + timedelta(days=3 + index % 20),
            exemptions=exemptions if withholding else (),
            official_name="Records Officer",
            official_title="Custodian of Records",
            promised_date=promised if kind == DeterminationKind.DISCLOSABLE else None,
            item_outcomes=[
                _outcome(number, outcome, exemptions=exemptions, promised=promised)
                for number, outcome in enumerate(outcomes, start=1)
            ],
        )
        answered += 1
    return campaign, answered


def _outcome(number: int, outcome: str, *, exemptions, promised: date):
    withheld = outcome in (ItemOutcome.WITHHELD, ItemOutcome.PARTLY) and exemptions
    return request_services.OutcomeInput(
        number=number,
        outcome=outcome,
        exemption_id=exemptions[number % len(exemptions)].pk if withheld else None,
        promised_on=promised if outcome == ItemOutcome.PROMISED else None,
    )


_R, _P, _W, _N, _S = (
    ItemOutcome.RELEASED,
    ItemOutcome.PARTLY,
    ItemOutcome.WITHHELD,
    ItemOutcome.NO_RECORDS,
    ItemOutcome.PROMISED,
)
# (kind, the outcome of each of the 10 items): the answers agencies give, item by item.
_ANSWERS = [
    (DeterminationKind.PARTIAL, [_R, _R, _W, _W, _P, _N, _R, _W, _N, _R]),
    (DeterminationKind.RELEASED, [_R] * ITEMS),
    (DeterminationKind.DENIAL, [_W] * ITEMS),
    (DeterminationKind.PARTIAL, [_R, _P, _W, _N, _R, _R, _W, _R, _R, _N]),
    (DeterminationKind.NO_RECORDS, [_N] * ITEMS),
    (DeterminationKind.DISCLOSABLE, [_S] * ITEMS),
]


def _analyze() -> None:
    # Fresh statistics for the rows just written, as autovacuum would give a real database.
    if connection.vendor != "postgresql":
        return
    models = [RecordsRequest, CampaignEntry, Campaign, Determination, RequestItem, Agency]
    tables = [m._meta.db_table for m in models] + [Determination.exemptions.through._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def _pages(*, owner, campaign: Campaign, answered: int) -> list[BenchRow]:
    count = campaign.entries.count()
    client = Client()
    client.force_login(owner)
    today = timezone.localdate()
    table = selectors.campaign_table(campaign=campaign, user=owner, today=today)
    rows = selectors.campaign_rows(table, today=today)
    compared = comparison.campaign_comparison(campaign=campaign, user=owner, today=today)
    if len(rows) != count or len(compared.rows) != count or len(compared.columns) != ITEMS:
        raise AssertionError(f"{len(rows)} rows, {len(compared.columns)} items of {count}")
    late = sum(r.days_overdue > 0 for r in rows)
    data = f"{count} agencies x {ITEMS} items, filed {FILED_DAYS_AGO} days ago, "
    data += f"{answered} answered item by item, {late} late"
    results = []
    for name, view in PAGES:
        url = reverse(view, kwargs={"pk": campaign.pk})
        size = {}

        def page(url=url, size=size) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise AssertionError(f"{url} answered {response.status_code}")
            size["bytes"] = len(response.content)

        timing = measure(page, runs=PAGE_RUNS)
        note = f"GET {url} as the owner: {data}; {size['bytes'] / 1024:,.0f} KB of HTML"
        if view == "campaigns:compare":
            note += "; the comparison read from the cache (comparison.cached_comparison)"
        results.append(row(name, count, timing, note=note))

    # The reader after an answer is recorded pays for the whole comparison: one request
    # touched before each read is a new cache key.
    url = reverse("campaigns:compare", kwargs={"pk": campaign.pk})
    one = campaign.entries.values_list("request_id", flat=True).first()

    def cold() -> None:
        RecordsRequest.objects.filter(pk=one).update(updated_at=timezone.now())
        if client.get(url).status_code != 200:
            raise AssertionError(f"{url} failed")

    timing = measure(cold, runs=PAGE_RUNS // 2)
    note = f"GET {url} after one request changed: {data}; the comparison recomputed"
    results.append(row(COLD_COMPARE_ROW, count, timing, note=note))
    return results
