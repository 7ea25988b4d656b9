"""Reads for pages and exports, with the joins that keep the query count constant."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from rtcc_requests.agencies.models import Deployment, DeploymentStatus
from rtcc_requests.laws.models import Law

from .models import Communication, Determination, RecordsRequest, RequestEvent


def request_for_viewer(*, pk: int, user) -> RecordsRequest:
    """The request if this user may see it; RecordsRequest.DoesNotExist otherwise."""
    visible = RecordsRequest.objects.visible_to(user, timezone.localdate())
    return (
        visible.select_related("agency", "law", "owner", "owner__profile")
        .prefetch_related(
            "technologies",
            Prefetch(
                "determinations",
                queryset=Determination.objects.prefetch_related("exemptions"),
            ),
            Prefetch(
                "communications", queryset=Communication.objects.prefetch_related("attachments")
            ),
            Prefetch("events", queryset=RequestEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def requests_for_user(*, user) -> QuerySet[RecordsRequest]:
    return (
        RecordsRequest.objects.filter(owner=user)
        .select_related("agency", "law")
        .prefetch_related("technologies")
    )


def can_change(*, user, records_request: RecordsRequest) -> bool:
    return user.is_authenticated and (user.is_staff or records_request.owner_id == user.pk)


# --- Composer and request page (ui-request) ---


def law_for_agency(*, agency) -> Law | None:
    """The records law an agency answers to: its state's law, or FOIA for federal agencies."""
    laws = list(Law.objects.filter(jurisdiction=agency.state).order_by("pk")[:1])
    return laws[0] if laws else None


def technology_ids_for_agency(*, agency_id: int) -> list[int]:
    """Technologies the agency is known to use (rejected proposals are not deployments)."""
    return sorted(
        set(
            Deployment.objects.filter(agency_id=agency_id)
            .exclude(status=DeploymentStatus.REJECTED)
            .values_list("technology_id", flat=True)
        )
    )


@dataclass(frozen=True)
class TimelineItem:
    kind: str  # "communication", "determination" or "event"
    day: date
    at: datetime
    item: object


def request_timeline(*, records_request: RecordsRequest, include_private: bool) -> list:
    """Letters, replies, determinations and other events in date order, from the prefetches.

    Events that only announce a logged communication or determination are left out: the item
    itself is on the timeline.
    """
    items: list[TimelineItem] = []
    for communication in records_request.communications.all():
        if communication.is_private and not include_private:
            continue
        at = timezone.localtime(communication.sent_at)
        items.append(TimelineItem("communication", at.date(), at, communication))
    for determination in records_request.determinations.all():
        at = timezone.localtime(determination.created_at)
        items.append(TimelineItem("determination", determination.date, at, determination))
    for event in records_request.events.all():
        if event.kind == "note" and not include_private:
            continue
        if "communication" in event.data or "determination" in event.data:
            continue
        at = timezone.localtime(event.at)
        day = at.date()
        # Filing is often recorded days after the letter went out: date it when it happened.
        if event.to_status == "filed" and records_request.filed_on:
            day = records_request.filed_on
        elif "determination_due" in event.data and records_request.received_on:
            day = records_request.received_on
        items.append(TimelineItem("event", day, at, event))
    return sorted(items, key=lambda i: (i.day, i.at))
