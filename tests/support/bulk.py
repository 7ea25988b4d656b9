"""Many requests at once (bulk_create), for query-count tests at realistic sizes."""

from datetime import date, timedelta

from rtcc_requests.denials.versioning import denial_log_changed
from rtcc_requests.requests.models import RecordsRequest

from .. import factories

_STATUSES = ["draft", "filed", "extended", "awaiting_fee", "denied", "partial", "released"]
_VISIBILITIES = ["private", "public"]


def _cycle(items, count: int) -> list:
    return [items[i % len(items)] for i in range(count)]


def bulk_requests(*, count: int, owners, agencies, today: date, technologies=()) -> list:
    """`count` requests spread over owners, agencies, statuses, deadlines and visibility."""
    law = factories.law()
    rows = []
    for i in range(count):
        status = _STATUSES[i % len(_STATUSES)]
        answered = status in ("denied", "partial", "released")
        received = today - timedelta(days=5 + i % 40)
        rows.append(
            RecordsRequest(
                owner=owners[i % len(owners)],
                agency=agencies[i % len(agencies)],
                law=law,
                title=f"Bulk request {i}",
                records_sought="Policies and audit logs.",
                status=status,
                visibility=_VISIBILITIES[i % 2],
                filed_on=None if status == "draft" else received,
                received_on=None if status == "draft" else received,
                next_due=None if status == "draft" or answered else today + timedelta(i % 21 - 7),
                responded_on=received + timedelta(days=i % 15) if answered else None,
                is_late=answered and i % 3 == 0,
                is_deficient=status == "denied" and i % 2 == 0,
            )
        )
    created = RecordsRequest.objects.bulk_create(rows)
    if technologies:
        through = RecordsRequest.technologies.through
        through.objects.bulk_create(
            [
                through(recordsrequest_id=r.pk, technology_id=tech.pk)
                for r, tech in zip(created, _cycle(technologies, len(created)), strict=True)
            ]
        )
    denial_log_changed()  # bulk_create sends no signals
    return created
