"""Bulk data for benchmarks: up to millions of realistic requests, fast, the same for a seed.

`bulk_seed` makes the bulk data set hold exactly N requests (growing or shrinking it);
`ensure_requests` is what benchmarks call. The data set is generated in chunks of
CHUNK requests, each from its own seeded random stream, and the owner and agency pools grow
with the chunk number: 100k requests extended to 1M are the same rows as 1M generated at once.

Bulk rows are marked so they can be found and removed: requests by `demo_key`
"bulk:<seed>:<owners>:<communications>:<index>", owners by username "bulk-<n>", agencies by
slug "bulk-<n>-...". On PostgreSQL the big tables are written with COPY; elsewhere with
bulk_create. Meant for a benchmark database, not one people are using at the same time
(ids are allocated from the current maxima).
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from bench.bulk import names as bulk_names
from bench.bulk.pipe import in_child_process
from bench.bulk.rows import (
    ExemptionRef,
    Ids,
    Pools,
    RequestBuilder,
)
from bench.bulk.writer import Writer
from rtcc_requests.accounts.models import Profile
from rtcc_requests.agencies.models import Agency, Technology
from rtcc_requests.denials.versioning import denial_log_changed
from rtcc_requests.laws.models import Exemption, Law
from rtcc_requests.requests.models import (
    Determination,
    RecordsRequest,
)

CHUNK = 10_000
KEY_PREFIX = "bulk:"
OWNER_PREFIX = "bulk-"
AGENCY_PREFIX = "bulk-"
DEFAULT_COMMUNICATIONS = 3.0

TechnologyLink = RecordsRequest.technologies.through
ExemptionLink = Determination.exemptions.through


@dataclass(frozen=True)
class BulkSpec:
    seed: int = 1
    owners: int = 0  # 0: grow with the data (about one owner per 100 requests)
    communications: float = DEFAULT_COMMUNICATIONS

    @property
    def key(self) -> str:
        return f"{KEY_PREFIX}{self.seed}:{self.owners}:{self.communications:g}:"


@dataclass
class BulkReport:
    requests: int
    added: int
    removed: int
    seconds: float
    spec: BulkSpec


def agencies_for(requests: int) -> int:
    """A few hundred agencies for a newsroom's data, thousands for a statewide one."""
    return min(200 + requests // 600, 1800)


def owners_for(requests: int, spec: BulkSpec) -> int:
    return spec.owners or max(3, min(requests // 100, 10_000))


def bulk_requests():
    return RecordsRequest.objects.filter(demo_key__startswith=KEY_PREFIX)


def foreign_data() -> list[str]:
    """What the database holds besides bulk and reference data: a database people use."""
    found = []
    if RecordsRequest.objects.exclude(demo_key__startswith=KEY_PREFIX).exists():
        found.append("requests")
    if get_user_model().objects.exclude(username__startswith=OWNER_PREFIX).exists():
        found.append("users")
    return found


def bulk_state() -> tuple[BulkSpec, int] | None:
    """The data set's spec and size, from its last request (no count over millions of rows)."""
    last = bulk_requests().order_by("-pk").values_list("demo_key", flat=True).first()
    if last is None:
        return None
    seed, owners, communications, index = last[len(KEY_PREFIX) :].split(":")
    return BulkSpec(int(seed), int(owners), float(communications)), int(index) + 1


def bulk_owner(rank: int = 0):
    """The owner with the most bulk requests (rank 0, a newsroom), or the next ones."""
    return get_user_model().objects.get(username=f"{OWNER_PREFIX}{rank:05d}")


def ensure_requests(n: int, *, seed: int = 1) -> BulkReport:
    """Exactly n bulk requests, reusing what is there (same seed: keep its other settings)."""
    state = bulk_state()
    spec = state[0] if state and state[0].seed == seed else BulkSpec(seed=seed)
    return bulk_seed(requests=n, spec=spec)


def bulk_seed(
    *,
    requests: int,
    spec: BulkSpec = BulkSpec(),  # noqa: B008 - frozen dataclass
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BulkReport:
    """Make the bulk data set hold exactly `requests` requests generated from `spec`."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    state = bulk_state()
    removed = 0
    if state and state[0] != spec:
        removed = bulk_reset()
        state = None
    have = state[1] if state else 0
    if have > requests:
        removed += _delete_requests_from(spec, requests)
        have = requests
    if have < requests:
        _generate(spec, start=have, stop=requests, today=today, progress=progress)
    if removed:
        vacuum()
    return BulkReport(
        requests=requests,
        added=max(0, requests - have),
        removed=removed,
        seconds=round(time.perf_counter() - started, 1),
        spec=spec,
    )


def _generate(spec: BulkSpec, *, start: int, stop: int, today: date, progress) -> None:
    law = Law.objects.get(code="ca-cpra")
    exemptions = [
        ExemptionRef(e.pk, e.is_catch_all, e.section) for e in Exemption.objects.filter(law=law)
    ]
    technologies = list(Technology.objects.order_by("slug").values_list("pk", "name", "slug"))
    if not exemptions or not technologies:
        raise RuntimeError("Load the reference data first: manage.py load_reference.")
    chunks = range(start // CHUNK, (stop - 1) // CHUNK + 1)
    last_end = min(stop, chunks[-1] * CHUNK + CHUNK)
    pools = Pools(
        agencies=_agencies(agencies_for(chunks[-1] * CHUNK + CHUNK)),
        owners=_owners(owners_for(chunks[-1] * CHUNK + CHUNK, spec)),
        technologies=technologies,
        exemptions=exemptions,
        law_id=law.pk,
        rule=law.deadline_rule,
    )
    writer = Writer()
    made = _chunk_rows(spec, pools, writer.next_ids(), chunks, start, stop, today)
    if writer.postgres and len(chunks) > 1:
        # Python makes the next chunk on one core while PostgreSQL writes this one on the other.
        made = in_child_process(made)
    for done, rows in made:
        with transaction.atomic():
            writer.write_rows(rows)
        if progress:
            progress(done, last_end)
    writer.finish()
    denial_log_changed()  # COPY and bulk_create send no signals


def _chunk_rows(spec: BulkSpec, pools: Pools, ids: Ids, chunks, start, stop, today):
    """(requests done, Rows) per chunk; each chunk from its own stream, its own pool sizes."""
    for chunk in chunks:
        chunk_end = (chunk + 1) * CHUNK
        chunk_pools = replace(
            pools,
            agencies=pools.agencies[: agencies_for(chunk_end)],
            owners=pools.owners[: owners_for(chunk_end, spec)],
        )
        rng = random.Random(f"{spec.seed}:{chunk}")  # noqa: S311 - test data, not secrets
        options = {"pools": chunk_pools, "today": today, "communications": spec.communications,
                   "key": spec.key}  # fmt: skip
        builder = RequestBuilder(ids=ids, **options)
        # Requests already there are drawn all the same, to keep the stream, then dropped.
        scratch = RequestBuilder(ids=replace(ids), **options)
        for index in range(chunk * CHUNK, min(chunk_end, stop)):
            (scratch if index < start else builder).add(rng, index)
        yield min(chunk_end, stop), builder.rows


def _agencies(needed: int) -> list[tuple[int, str, str]]:
    existing = dict(Agency.objects.filter(slug__startswith=AGENCY_PREFIX).values_list("slug", "pk"))
    missing = []
    for number in range(needed):
        spec = bulk_names.agency(number)
        if spec["slug"] not in existing:
            missing.append(Agency(**spec))
    if missing:
        Agency.objects.bulk_create(missing, batch_size=500)
    rows = Agency.objects.filter(slug__startswith=AGENCY_PREFIX).values_list(
        "slug", "pk", "name", "records_email"
    )
    by_slug = {slug: (pk, name, email) for slug, pk, name, email in rows}
    return [by_slug[bulk_names.agency(number)["slug"]] for number in range(needed)]


def _owners(needed: int) -> list[int]:
    User = get_user_model()
    names = [f"{OWNER_PREFIX}{number:05d}" for number in range(needed)]
    existing = set(User.objects.filter(username__startswith=OWNER_PREFIX).values_list(
        "username", flat=True))  # fmt: skip
    joined = timezone.now()
    new = [
        User(
            username=name,
            email=f"{name}@bulk.invalid",
            password="!bulk",  # noqa: S106 - unusable (starts with "!")
            date_joined=joined,
        )
        for name in names
        if name not in existing
    ]
    if new:
        User.objects.bulk_create(new, batch_size=1000)
        created = User.objects.filter(username__in=[u.username for u in new])
        # bulk_create sends no post_save: make the profiles every user is expected to have.
        Profile.objects.bulk_create(
            [Profile(user_id=pk, display_name=f"Bulk requester {pk}")
             for pk in created.values_list("pk", flat=True)],
            batch_size=1000,
        )  # fmt: skip
    by_name = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    return [by_name[name] for name in names]


def bulk_reset() -> int:
    """Remove every bulk request (with its rows), bulk owner and bulk agency."""
    removed = _delete_requests(bulk_requests().values("pk"))
    User = get_user_model()
    Profile.objects.filter(user__username__startswith=OWNER_PREFIX).delete()
    User.objects.filter(username__startswith=OWNER_PREFIX).delete()
    Agency.objects.filter(slug__startswith=AGENCY_PREFIX, requests__isnull=True).delete()
    return removed


def vacuum() -> None:
    """After deleting up to a million requests: reclaim their rows and refresh statistics.

    Autovacuum would get there in time; until it does, index scans walk the dead entries
    (a 10 ms page query took 40 ms) and the planner works from the old table sizes.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in ("requests", "reminders", "outbox", "inbound", "auth")
    ]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) " + ", ".join(map(connection.ops.quote_name, tables)))


def _delete_requests_from(spec: BulkSpec, keep: int) -> int:
    first_gone = bulk_requests().filter(demo_key=f"{spec.key}{keep}").values("pk").first()
    if first_gone is None:
        return 0
    doomed = bulk_requests().filter(pk__gte=first_gone["pk"])
    return _delete_requests(doomed.values("pk"))


def _delete_requests(pks) -> int:
    # The ORM's delete() would load millions of rows to cascade in Python; the database does it.
    with transaction.atomic():
        count = RecordsRequest.objects.filter(pk__in=pks).count()
        if count:
            from bench.bulk.delete import cascade_delete

            cascade_delete(RecordsRequest, pks)
            denial_log_changed()
    return count
