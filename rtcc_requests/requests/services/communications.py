"""Letters, replies and notes on a request's timeline."""

from collections.abc import Iterable
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from ..choices import CommunicationKind, Direction, EventKind
from ..models import Communication, RecordsRequest
from ._shared import RequestError, locked, record_event
from .attachments import attachment_add, attachment_content_type
from .clock import resume_after_answer

_LOGGED = {
    Direction.INCOMING: "Reply received",
    Direction.OUTGOING: "Letter sent",
    Direction.INTERNAL: "Note added",
}


def communication_log(
    *,
    records_request: RecordsRequest,
    actor,
    direction: str,
    kind: str,
    subject: str = "",
    body: str = "",
    sent_at=None,
    from_address: str = "",
    to_address: str = "",
    letter_kind: str = "",
    is_private: bool = False,
    message_id: str = "",
) -> Communication:
    with transaction.atomic():
        communication = Communication.objects.create(
            request=records_request,
            direction=direction,
            kind=kind,
            letter_kind=letter_kind if kind == CommunicationKind.LETTER else "",
            subject=subject,
            body=body,
            sent_at=sent_at or timezone.now(),
            from_address=from_address,
            to_address=to_address,
            is_private=is_private,
            message_id=message_id,
            created_by=actor,
        )
        what = _LOGGED[direction]
        record_event(
            records_request,
            actor=actor,
            kind=EventKind.COMMUNICATION,
            message=f"{what}: {subject}" if subject else f"{what}.",
            data={"communication": communication.pk},
        )
    return communication


def reply_log(
    *,
    records_request: RecordsRequest,
    actor,
    subject: str = "",
    body: str = "",
    sent_at=None,
    received_on: date | None = None,
    from_address: str = "",
    files: Iterable = (),
) -> Communication:
    """Log a reply received outside the app, with its attachments, all or nothing.

    `received_on` (the day the requester says it came) dates it when `sent_at` is not
    given: now if that is today, else noon of that day in the legal clock's zone.
    """
    if sent_at is None and received_on is not None:
        sent_at = timezone.now()
        if received_on != timezone.localdate():
            sent_at = timezone.make_aware(datetime.combine(received_on, time(12)))
    # The browser's claimed type; the policy uses it only for a name with no extension.
    files = [(uploaded, getattr(uploaded, "content_type", None) or "") for uploaded in files]
    # Every file checked before anything is written: storage is not rolled back.
    for uploaded, declared in files:
        attachment_content_type(file=uploaded, declared_type=declared)
    with transaction.atomic():
        communication = communication_log(
            records_request=records_request,
            actor=actor,
            direction=Direction.INCOMING,
            kind=CommunicationKind.REPLY,
            subject=subject,
            body=body,
            sent_at=sent_at,
            from_address=from_address,
        )
        for uploaded, declared in files:
            attachment_add(communication=communication, file=uploaded, declared_type=declared)
    return communication


def answer_log(
    *, records_request: RecordsRequest, actor, answered_on: date, subject: str = "", body: str
) -> Communication:
    """Log the requester's answer to the agency's question or fee estimate (sent outside
    the app); the agency's clock runs again from it."""
    if answered_on > timezone.localdate():
        raise RequestError("The answer cannot be dated in the future.")
    with transaction.atomic():
        request = locked(records_request)
        communication = communication_log(
            records_request=request,
            actor=actor,
            direction=Direction.OUTGOING,
            kind=CommunicationKind.REPLY,
            subject=subject or "Answer to the agency",
            body=body,
            sent_at=timezone.make_aware(datetime.combine(answered_on, time(12))),
        )
        resume_after_answer(request, actor=actor, answered_on=answered_on)
        request.save()
    return communication
