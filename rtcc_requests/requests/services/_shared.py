"""What every request service needs: the refusal error, the row lock, the status move and
the history event."""

from django.utils import timezone

from ..choices import EventKind
from ..lifecycle import check_transition
from ..models import RecordsRequest, RequestEvent
from ..rules import CLOSING_STATUSES


class RequestError(ValueError):
    """Input a service refuses; the message is shown to the user as it is."""


def record_event(
    records_request: RecordsRequest,
    *,
    actor,
    kind: str,
    message: str,
    from_status: str = "",
    to_status: str = "",
    data: dict | None = None,
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=records_request,
        actor=actor,
        kind=kind,
        message=message[:500],
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )


def locked(records_request: RecordsRequest) -> RecordsRequest:
    # Serialise concurrent changes to one request (two tabs, a worker and a user).
    return RecordsRequest.objects.select_for_update().get(pk=records_request.pk)


def move(request: RecordsRequest, target: str, *, actor, message: str, data=None) -> None:
    """Change the status (if the lifecycle allows it) and record why."""
    check_transition(request.status, target)
    previous = request.status
    request.status = target
    if target in CLOSING_STATUSES:
        request.closed_on = request.closed_on or timezone.localdate()
    record_event(
        request,
        actor=actor,
        kind=EventKind.STATUS,
        message=message,
        from_status=previous,
        to_status=target,
        data=data,
    )
