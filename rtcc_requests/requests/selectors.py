"""Reads for pages and exports, with the joins that keep the query count constant."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

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
