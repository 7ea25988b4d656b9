"""Reads for the request page: letters that could not be rendered or mailed, and the PDF."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from rtcc_requests.common.params import db_id
from rtcc_requests.outbox.models import OutboxMessage, OutboxStatus
from rtcc_requests.requests.choices import CommunicationKind, PdfStatus
from rtcc_requests.requests.models import Communication, RecordsRequest
from rtcc_requests.requests.selectors import can_change

# Rendering takes seconds; a letter still pending after this has lost its task.
STUCK_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class DeliveryProblem:
    what: str  # "pdf" or "email"
    message: str  # for the requester, as it is
    at: datetime
    communication_id: int | None = None
    outbox_message_id: int | None = None
    retrying: bool = False  # the system is still trying; no action needed yet


def delivery_problems(*, records_request: RecordsRequest) -> list[DeliveryProblem]:
    """Letters whose PDF failed or is stuck, emails that failed or are being retried.

    Two queries whatever the number of letters and messages.
    """
    now = timezone.now()
    problems: list[DeliveryProblem] = []
    letters = Communication.objects.filter(
        request=records_request,
        kind=CommunicationKind.LETTER,
        pdf_status__in=[PdfStatus.FAILED, PdfStatus.PENDING],
    ).only("pk", "subject", "pdf_status", "pdf_error", "created_at")
    for letter in letters:
        if letter.pdf_status == PdfStatus.FAILED:
            problems.append(
                DeliveryProblem(
                    what="pdf",
                    message=f"The PDF of “{letter.subject}” could not be made: {letter.pdf_error}",
                    at=letter.created_at,
                    communication_id=letter.pk,
                )
            )
        elif letter.created_at < now - STUCK_AFTER:
            problems.append(
                DeliveryProblem(
                    what="pdf",
                    message=f"The PDF of “{letter.subject}” has been waiting to be made since "
                    f"{timezone.localtime(letter.created_at):%-d %b %Y %H:%M}.",
                    at=letter.created_at,
                    communication_id=letter.pk,
                )
            )
    messages = OutboxMessage.objects.filter(records_request=records_request).exclude(
        status=OutboxStatus.SENT
    )
    for message in messages.only("pk", "subject", "status", "last_error", "created_at", "to"):
        if message.status == OutboxStatus.FAILED:
            problems.append(
                DeliveryProblem(
                    what="email",
                    message=f"The email “{message.subject}” to {', '.join(message.to)} "
                    f"was not sent: {message.last_error or 'unknown error'}",
                    at=message.created_at,
                    outbox_message_id=message.pk,
                )
            )
        elif message.last_error:
            problems.append(
                DeliveryProblem(
                    what="email",
                    message=f"The email “{message.subject}” could not be sent yet and will be "
                    f"retried: {message.last_error}",
                    at=message.created_at,
                    outbox_message_id=message.pk,
                    retrying=True,
                )
            )
    problems.sort(key=lambda p: p.at)
    return problems


def letter_for_viewer(*, pk: int, communication_pk: int, user) -> Communication:
    """A letter of a request this user may see; Communication.DoesNotExist otherwise.

    Owner and staff see every letter; others only non-private letters of public requests.
    """
    if db_id(pk) is None or db_id(communication_pk) is None:
        raise Communication.DoesNotExist  # beyond any row id: SQLite would overflow
    visible = RecordsRequest.objects.visible_to(user, timezone.localdate())
    communication = Communication.objects.select_related("request").get(
        pk=communication_pk,
        request_id=pk,
        request__in=visible,
        kind=CommunicationKind.LETTER,
    )
    owner_or_staff = can_change(user=user, records_request=communication.request)
    if communication.is_private and not owner_or_staff:
        raise Communication.DoesNotExist
    return communication


def thread_start(*, records_request: RecordsRequest) -> Communication | None:
    """The request letter as emailed by the app: later letters go in its email thread."""
    return (
        Communication.objects.filter(
            request=records_request, kind=CommunicationKind.LETTER, letter_kind="request"
        )
        .exclude(message_id="")
        .order_by("sent_at", "pk")
        .first()
    )
