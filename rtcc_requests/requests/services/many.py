"""Many requests at once (a campaign's): drafted and filed in a bounded number of queries,
each still a full request with its own clock, items, events and letters.

Each request gets exactly what `request_create` and `request_file` give one request; the
difference is only that rows are written in bulk, so 500 agencies cost the queries of one.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from rtcc_requests.agencies.models import Agency, ChecklistItem, Technology
from rtcc_requests.agencies.selectors import agencies_open_to, closure_days_by_agency
from rtcc_requests.common.text import single_line
from rtcc_requests.laws.models import Law

from .. import items as item_rules
from ..choices import DueKind, EventKind, FilingMethod, Status, Visibility
from ..letters.wording import placeholder_problem
from ..lifecycle import check_transition
from ..models import RecordsRequest, RequestEvent, RequestItem
from ._shared import RequestError
from .clock import clock_for

BATCH = 500


@dataclass(frozen=True)
class DraftSpec:
    agency: Agency
    law: Law
    title: str
    records_sought: str
    letter_body: str = ""
    technologies: tuple[Technology, ...] = ()
    visibility: str = Visibility.PRIVATE
    # An accounts.Organization the owner files for; the caller checks that they may.
    organization: object = None


def laws_by_state(states: Iterable[str]) -> dict[str, Law]:
    """The records law of each state's agencies (requests.selectors.law_for_agency for many:
    the first law of the jurisdiction), one query."""
    found: dict[str, Law] = {}
    for law in Law.objects.filter(jurisdiction__in=set(states)).order_by("pk"):
        found.setdefault(law.jurisdiction, law)
    return found


def requests_create_many(*, owner, drafts: list[DraftSpec]) -> list[RecordsRequest]:
    """Drafts, one per spec, with their technologies, items and "Draft created." events."""
    if not drafts:
        return []
    for spec in drafts:
        if spec.visibility not in (Visibility.PRIVATE, Visibility.PUBLIC):
            raise RequestError("A campaign's requests are private or public.")
    checklist = {item_rules.text_key(c.ask): c.pk for c in ChecklistItem.objects.only("ask")}
    with transaction.atomic():
        created = RecordsRequest.objects.bulk_create(
            [
                RecordsRequest(
                    owner=owner,
                    agency=spec.agency,
                    law=spec.law,
                    title=single_line(spec.title),
                    records_sought=spec.records_sought,
                    letter_body=spec.letter_body,
                    visibility=spec.visibility,
                    organization=spec.organization,
                )
                for spec in drafts
            ],
            batch_size=BATCH,
        )
        Through = RecordsRequest.technologies.through
        Through.objects.bulk_create(
            [
                Through(recordsrequest_id=request.pk, technology_id=technology.pk)
                for request, spec in zip(created, drafts, strict=True)
                for technology in spec.technologies
            ],
            batch_size=BATCH,
        )
        RequestItem.objects.bulk_create(
            [
                RequestItem(
                    request=request,
                    number=item.number,
                    text=item.text,
                    checklist_item_id=checklist.get(item_rules.text_key(item.text)),
                )
                for request in created
                for item in item_rules.numbered_items(request.records_sought)
            ],
            # A statement per BATCH requests, whatever their number of items (10 items of
            # 500 requests in one, not ten).
            batch_size=BATCH * item_rules.MAX_ITEMS,
        )
        RequestEvent.objects.bulk_create(
            [
                RequestEvent(
                    request=request, actor=owner, kind=EventKind.CREATED, message="Draft created."
                )
                for request in created
            ],
            batch_size=BATCH,
        )
    return created


@dataclass
class FiledMany:
    filed: list[RecordsRequest] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)  # request id -> why not


def requests_file_many(
    *,
    records_requests: list[RecordsRequest],
    actor,
    method: str,
    filed_on: date,
    ready: dict[int, str] | None = None,
) -> FiledMany:
    """File many drafts as `request_file` files one: status, dates and the deadline counted
    with each agency's closure days. Drafts that cannot be filed are left as they are and
    said why (`ready` holds reasons found by the caller, e.g. a letter not finished).

    The caller holds the transaction and writes the letters; this writes only the requests
    and their events.
    """
    if method not in FilingMethod.values or method == FilingMethod.MAIL:
        raise RequestError("Many requests are filed by email, portal or in person on one day.")
    if filed_on > timezone.localdate():
        raise RequestError("The filing date cannot be in the future.")
    report = FiledMany(refused=dict(ready or {}))
    pending = [r for r in records_requests if r.pk not in report.refused]
    owners = {r.owner_id for r in pending}
    allowed = set()
    for owner_id in owners:
        owner = next(r.owner for r in pending if r.owner_id == owner_id)
        allowed |= set(agencies_open_to(owner).values_list("pk", flat=True))
    closures = closure_days_by_agency(agency_ids={r.agency_id for r in pending})
    events = []
    for request in pending:
        if request.status != Status.DRAFT:
            report.refused[request.pk] = "Already filed."
            continue
        if request.agency_id not in allowed:
            report.refused[request.pk] = f"{request.agency.name} is not in the directory."
            continue
        if unfinished := placeholder_problem(request.letter_body):
            report.refused[request.pk] = unfinished
            continue
        check_transition(request.status, Status.FILED)
        request.status = Status.FILED
        request.filing_method = method
        request.filed_on = request.received_on = filed_on
        try:
            deadline = clock_for(request, closures=closures[request.agency_id]).determination
        except RequestError as error:
            request.status, request.filed_on, request.received_on = Status.DRAFT, None, None
            request.filing_method = ""
            report.refused[request.pk] = str(error)
            continue
        request.determination_due = deadline.due
        request.next_due, request.next_due_kind = deadline.due, DueKind.DETERMINATION
        label = FilingMethod(method).label.lower()
        events += [
            RequestEvent(
                request=request,
                actor=actor,
                kind=EventKind.STATUS,
                message=f"Filed by {label}.",
                from_status=Status.DRAFT,
                to_status=Status.FILED,
            ),
            RequestEvent(
                request=request,
                actor=actor,
                kind=EventKind.DEADLINE,
                message=f"Determination due {deadline.due:%a %-d %b %Y}: {deadline.explain()}"[
                    :500
                ],
                data={"determination_due": deadline.due.isoformat()},
            ),
        ]
        report.filed.append(request)
    now = timezone.now()
    for request in report.filed:
        request.updated_at = now
    RecordsRequest.objects.bulk_update(
        report.filed,
        [
            "status",
            "filing_method",
            "filed_on",
            "received_on",
            "determination_due",
            "next_due",
            "next_due_kind",
            "updated_at",
        ],
        batch_size=BATCH,
    )
    RequestEvent.objects.bulk_create(events, batch_size=2 * BATCH)  # two a request
    return report
