"""Reads for packets: who gets which packet, what a packet is made from, and its state now.

A packet is out of date when what it would be made from now differs from what it was made
from (`Packet.built_from`). `RecordsRequest.updated_at` cannot say so: a communication or a
determination does not always touch it, and a saved letter draft (private) does. So the
source is counted per audience in one query (communications, files, determinations and
events: how many, the latest id) plus the request's own fields the packet prints and the
deadlines that have passed since (a deadline's outcome, "open" or "missed", depends on the
day). The public packet's source counts only what the public packet shows: its "out of date"
must not betray a private note, a private reply or a draft.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from rtcc_requests.requests.choices import EventKind
from rtcc_requests.requests.models import (
    Attachment,
    Communication,
    Determination,
    RecordsRequest,
    RequestEvent,
    RequestItem,
)
from rtcc_requests.requests.selectors import can_change

from .models import Audience, Packet, PacketStatus

# Part of every source: a packet made by an older version of this code is out of date.
PACKET_FORMAT = 1
# A queued build that has not started in this time lost its task; a build running longer than
# the task's hard time limit (tasks.py) lost its worker. Either may be asked for again.
QUEUED_TTL = timedelta(minutes=30)
BUILDING_TTL = timedelta(minutes=20)

# The request's fields the packet prints (the timeline's header, deadlines, flags).
_PRINTED_FIELDS = (
    "title", "records_sought", "status", "agency_id", "law_id", "filing_method", "filed_on",
    "received_on", "agency_received_on", "tracking_number", "determination_due",
    "extended_due", "extended_due_arguably", "tolled_days", "promised_on", "next_due",
    "next_due_kind", "responded_on", "is_late", "days_late", "is_deficient", "deficiencies",
    "procedure_flags", "appeal_due", "closed_on", "clock_paused_on",
)  # fmt: skip
_DUE_FIELDS = (
    "determination_due", "extended_due", "extended_due_arguably", "promised_on", "appeal_due",
)  # fmt: skip


def audience_for(*, user, records_request: RecordsRequest) -> str:
    """The packet this user gets of a request they may see: whoever may change it gets the
    full one, everyone else (visitors, an organization's viewers) the public one."""
    if can_change(user=user, records_request=records_request):
        return Audience.FULL
    return Audience.PUBLIC


def request_for_packet(*, pk: int, user) -> RecordsRequest:
    """The request if this user may see it (RecordsRequest.DoesNotExist otherwise)."""
    visible = RecordsRequest.objects.visible_to(user, timezone.localdate())
    return visible.select_related("agency", "law", "owner").get(pk=pk)


def _count(queryset: QuerySet, group: str):
    rows = queryset.order_by().values(group).annotate(value=Count("pk")).values("value")
    return Coalesce(Subquery(rows[:1]), Value(0))


def _latest(queryset: QuerySet, group: str):
    rows = queryset.order_by().values(group).annotate(value=Max("pk")).values("value")
    return Coalesce(Subquery(rows[:1]), Value(0))


def source_annotations(ref: str, *, audience: str) -> dict:
    """Subqueries counting what a packet of `audience` is made from, for the request whose id
    the outer query's `ref` column holds ("pk" on requests, "request_id" on packets)."""
    public = audience == Audience.PUBLIC
    communications = Communication.objects.filter(request=OuterRef(ref))
    attachments = Attachment.objects.filter(communication__request=OuterRef(ref))
    events = RequestEvent.objects.filter(request=OuterRef(ref))
    if public:
        communications = communications.filter(is_private=False)
        attachments = attachments.filter(communication__is_private=False)
        # A note's event, or a private communication's, would tell that one was added.
        events = events.exclude(kind=EventKind.NOTE).exclude(data__has_key="communication")
    determinations = Determination.objects.filter(request=OuterRef(ref))
    found = {
        "src_communications": _count(communications, "request"),
        "src_communications_latest": _latest(communications, "request"),
        "src_letter_pdfs": _count(communications.filter(pdf_status="ready"), "request"),
        "src_attachments": _count(attachments, "communication__request"),
        "src_attachments_latest": _latest(attachments, "communication__request"),
        "src_determinations": _count(determinations, "request"),
        "src_determinations_latest": _latest(determinations, "request"),
        "src_events": _count(events, "request"),
        "src_events_latest": _latest(events, "request"),
    }
    if not public:
        # A letter's sent copy arrives after it is sent; the public packet never has one.
        found["src_originals"] = _count(communications.exclude(raw_message=""), "request")
    return found


def _printed(records_request: RecordsRequest) -> str:
    values = {name: getattr(records_request, name) for name in _PRINTED_FIELDS}
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _source(row, records_request: RecordsRequest, *, audience: str, today: date) -> dict:
    counted = {
        name.removeprefix("src_"): int(value)
        for name, value in sorted(vars(row).items())
        if name.startswith("src_")
    }
    passed = [
        getattr(records_request, name).isoformat()
        for name in _DUE_FIELDS
        if getattr(records_request, name) is not None and getattr(records_request, name) < today
    ]
    return {
        "format": PACKET_FORMAT,
        "audience": audience,
        "request": _printed(records_request),
        "passed": passed,
        **counted,
    }


def source_counts(*, request_id: int, audience: str) -> RecordsRequest:
    """The counted part of a packet's source (one query). A build reads it before anything
    else: whatever is added meanwhile makes the packet out of date, never silently missing."""
    return (
        RecordsRequest.objects.filter(pk=request_id)
        .annotate(**source_annotations("pk", audience=audience))
        .only("pk")
        .get()
    )


def source_of(counts, records_request: RecordsRequest, *, audience: str, today: date) -> dict:
    """The whole source: the counts (read with `source_counts` or annotated on a packet) and
    the request's own fields as they are now."""
    return _source(counts, records_request, audience=audience, today=today)


def packet_source(*, records_request: RecordsRequest, audience: str, today: date) -> dict:
    """What a packet of this request for `audience` would be made from now (one query)."""
    counts = source_counts(request_id=records_request.pk, audience=audience)
    return _source(counts, records_request, audience=audience, today=today)


def request_for_build(*, pk: int) -> RecordsRequest:
    """The request with everything its packet holds, in a fixed number of queries."""
    return (
        RecordsRequest.objects.select_related(
            "agency", "law", "organization", "owner", "owner__profile"
        )
        .prefetch_related(
            "technologies",
            Prefetch("items", queryset=RequestItem.objects.select_related("exemption")),
            Prefetch(
                "determinations", queryset=Determination.objects.prefetch_related("exemptions")
            ),
            Prefetch(
                "communications", queryset=Communication.objects.prefetch_related("attachments")
            ),
            Prefetch("events", queryset=RequestEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class PacketState:
    """What the request page says about its packet for one audience."""

    # "none", "pending", "building", "stuck", "ready", "out_of_date" or "failed"
    state: str
    audience: str
    packet: Packet | None = None
    # The packet's file, if any, is what the request holds now.
    current: bool = False

    @property
    def downloadable(self) -> bool:
        """A file to serve: the full packet even when out of date (its readers may see
        everything in it); the public one only while current, since something it holds may
        have been made private since."""
        if self.packet is None or not self.packet.file:
            return False
        return self.audience == Audience.FULL or self.current

    @property
    def can_make(self) -> bool:
        return self.state in ("none", "stuck", "out_of_date", "failed")

    @property
    def working(self) -> bool:
        return self.state in ("pending", "building")


def packet_state(*, records_request: RecordsRequest, audience: str, today: date) -> PacketState:
    """The packet of this request for `audience` and whether it is current: one query."""
    packet = (
        Packet.objects.filter(request_id=records_request.pk, audience=audience)
        .annotate(**source_annotations("request_id", audience=audience))
        .first()
    )
    if packet is None:
        return PacketState("none", audience)
    source = _source(packet, records_request, audience=audience, today=today)
    current = bool(packet.file) and packet.built_from == source
    return PacketState(_state_of(packet, current), audience, packet, current)


def _state_of(packet: Packet, current: bool) -> str:
    now = timezone.now()
    if packet.status == PacketStatus.PENDING:
        return "stuck" if packet.requested_at < now - QUEUED_TTL else "pending"
    if packet.status == PacketStatus.BUILDING:
        claimed = packet.claimed_at or packet.requested_at
        return "stuck" if claimed < now - BUILDING_TTL else "building"
    if packet.status == PacketStatus.FAILED:
        return "failed"
    return "ready" if current else "out_of_date"


def is_lost(packet: Packet) -> bool:
    """A build asked for that nothing is working on any more (its task or worker lost)."""
    return _state_of(packet, current=False) == "stuck"
