"""Bulk builders shared by tests and benchmarks: plain bulk_create, no factory_boy.

`bench` (development only) imports them too, and runs where only the app's own packages are
installed, so nothing here may use the test-only packages.
"""

import secrets
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import cycle

from django.contrib.auth import get_user_model

from rtcc_requests.accounts.models import NotifyMode, Profile
from rtcc_requests.agencies.models import Agency, AgencyKind, Technology
from rtcc_requests.denials.versioning import denial_log_changed
from rtcc_requests.laws.models import Law
from rtcc_requests.requests.choices import DueKind, Status
from rtcc_requests.requests.models import Determination, RecordsRequest

INSERT_BATCH = 5000
DENIALS_KEY = "denials-bench"


def _agencies(n: int = 25) -> list[Agency]:
    kinds = [AgencyKind.POLICE, AgencyKind.SHERIFF, AgencyKind.CITY]
    counties = ["Fresno", "Alameda", "Los Angeles", "San Diego", "Sacramento"]
    return [
        Agency.objects.get_or_create(
            slug=f"{DENIALS_KEY}-{i}",
            defaults={
                "name": f"Bench Agency {i}",
                "kind": kinds[i % len(kinds)],
                "county": counties[i % len(counties)],
                "state": "CA",
            },
        )[0]
        for i in range(n)
    ]


def bulk_denials(
    *, count: int, today: date, start: int = 0, agencies=None, owner=None, visibility="public"
) -> list[RecordsRequest]:
    """`count` denied or partly denied requests with their determination, bulk-inserted.

    Varied agencies, technologies, exemptions, years, lateness and deficiencies, so filters
    and sorts have something to do. Rows are numbered from `start` (demo_key is unique).
    """
    law = Law.objects.get(code="ca-cpra")
    exemptions = list(law.exemptions.order_by("pk"))
    technologies = list(Technology.objects.order_by("pk"))
    agencies = agencies or _agencies()
    owner = owner or get_user_model().objects.get_or_create(username=DENIALS_KEY)[0]
    made: list[RecordsRequest] = []
    for first in range(start, start + count, INSERT_BATCH):
        numbers = range(first, min(first + INSERT_BATCH, start + count))
        requests, determinations = [], []
        for i in numbers:
            received = today - timedelta(days=20 + (i * 7) % 3000)
            took = 3 + i % 25
            late = max(0, took - 10)
            deficiencies = (["no_official"] if i % 3 == 0 else []) + (["late"] if late else [])
            requests.append(
                RecordsRequest(
                    owner=owner,
                    agency=agencies[i % len(agencies)],
                    law=law,
                    title=f"Bench request {i}: surveillance contracts and audits",
                    records_sought="Contracts, policies and audit logs.",
                    status="partial" if i % 4 == 0 else "denied",
                    visibility=visibility,
                    filing_method="email",
                    filed_on=received,
                    received_on=received,
                    responded_on=received + timedelta(days=took),
                    is_late=bool(late),
                    days_late=late,
                    is_deficient=bool(deficiencies),
                    deficiencies=deficiencies,
                    demo_key=f"{DENIALS_KEY}:{i}",
                )
            )
            determinations.append(
                Determination(
                    kind="partial" if i % 4 == 0 else "denial",
                    date=received + timedelta(days=took),
                    official_name="" if i % 3 == 0 else f"Records Officer {i % 50}",
                    official_title="" if i % 3 == 0 else "Custodian of Records",
                    is_late=bool(late),
                    days_late=late,
                    deficiencies=deficiencies,
                )
            )
        RecordsRequest.objects.bulk_create(requests, batch_size=1000)
        for request, determination in zip(requests, determinations, strict=True):
            determination.request = request
        Determination.objects.bulk_create(determinations, batch_size=1000)
        tech_links, exemption_links = [], []
        for i, request, determination in zip(numbers, requests, determinations, strict=True):
            tech_links.append(
                RecordsRequest.technologies.through(
                    recordsrequest_id=request.pk, technology_id=technologies[i % 5].pk
                )
            )
            for e in {exemptions[i % len(exemptions)], exemptions[(i // 3) % len(exemptions)]}:
                exemption_links.append(
                    Determination.exemptions.through(
                        determination_id=determination.pk, exemption_id=e.pk
                    )
                )
        RecordsRequest.technologies.through.objects.bulk_create(tech_links, batch_size=2000)
        Determination.exemptions.through.objects.bulk_create(exemption_links, batch_size=2000)
        made.extend(requests)
    denial_log_changed()  # bulk_create sends no signals
    return made


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
