"""Attach an agency's emailed reply to its request, or hold it for staff. Nothing is dropped.

A reply is matched by the token in `request+<token>@MAIL_DOMAIN`. It is attached only if
the sender's domain is one the request wrote to (the agency's records email, or any
address a letter went to); otherwise, or with no known token, it waits in the review
queue with the original message. The same Message-ID is stored once.
"""

import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from rtcc_requests.outbox.services import outbox_enqueue
from rtcc_requests.requests.choices import CommunicationKind, Direction
from rtcc_requests.requests.models import Communication, RecordsRequest
from rtcc_requests.requests.services import attachment_add, communication_log

from .mime import ParsedMessage, RefusedFile, fallback_message_id, parse_message
from .models import ReviewItem, ReviewReason, ReviewStatus
from .suggest import suggest_determination

logger = logging.getLogger(__name__)


class InboundError(ValueError):
    """A review action that cannot be done; the message is shown to staff as it is."""


@dataclass
class IngestResult:
    outcome: str  # "stored", "duplicate" or "review"
    communication: Communication | None = None
    review_item: ReviewItem | None = None
    refused: list[RefusedFile] = field(default_factory=list)
    reason: str = ""

    def __str__(self) -> str:
        if self.outcome == "stored":
            reply = self.communication
            text = f"stored as reply {reply.pk} to request {reply.request_id}"
            return text + "".join(f"; refused {r.filename}: {r.reason}" for r in self.refused)
        if self.outcome == "review":
            return f"held for staff review ({self.reason})"
        return f"duplicate of an already stored message ({self.reason})"


def token_from(addresses: list[str]) -> str:
    pattern = re.compile(
        rf"^request\+([a-z0-9]+)@{re.escape(settings.MAIL_DOMAIN.lower())}$", re.IGNORECASE
    )
    for address in addresses:
        match = pattern.match(address.strip().lower())
        if match:
            return match.group(1)
    return ""


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip().strip(">").lower()


def request_sender_domains(records_request: RecordsRequest) -> set[str]:
    """Domains the request wrote to: the agency's records email and every letter's To."""
    addresses = [records_request.agency.records_email]
    sent_to = Communication.objects.filter(
        request=records_request, direction=Direction.OUTGOING
    ).values_list("to_address", flat=True)
    for to in sent_to:
        addresses.extend(re.split(r"[,;\s]+", to))
    return {_domain(a) for a in addresses if "@" in a}


def sender_allowed(address: str, domains: set[str]) -> bool:
    sender = _domain(address) if "@" in address else ""
    return bool(sender) and any(sender == d or sender.endswith("." + d) for d in domains)


def _already_stored(message_id: str) -> str:
    if Communication.objects.filter(message_id=message_id).exists():
        return "a reply with this Message-ID is already stored"
    if ReviewItem.objects.filter(message_id=message_id).exists():
        return "a message with this Message-ID is already in the review queue"
    return ""


def inbound_ingest(*, raw: bytes, recipient: str = "") -> IngestResult:
    """Store one raw RFC 5322 message; `recipient` is the envelope address, if the MTA gives it."""
    try:
        parsed = parse_message(raw, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except Exception as error:  # noqa: BLE001 - an unreadable message still reaches staff
        logger.warning("inbound message could not be parsed: %s", error)
        return _hold(raw, None, ReviewReason.UNREADABLE, f"{type(error).__name__}: {error}")
    duplicate = _already_stored(parsed.message_id)
    if duplicate:
        return IngestResult("duplicate", reason=duplicate)
    token = token_from([recipient, *parsed.recipients] if recipient else parsed.recipients)
    if not token:
        detail = f"No request+<token>@{settings.MAIL_DOMAIN} among the recipients."
        return _hold(raw, parsed, ReviewReason.NO_TOKEN, detail)
    records_request = (
        RecordsRequest.objects.select_related("agency", "owner").filter(reply_token=token).first()
    )
    if records_request is None:
        return _hold(raw, parsed, ReviewReason.UNKNOWN_TOKEN, f"No request has token {token!r}.")
    domains = request_sender_domains(records_request)
    if not sender_allowed(parsed.from_address, domains):
        detail = (
            f"Sender {parsed.from_address or '(none)'} is not at "
            f"{', '.join(sorted(domains)) or 'any address the request wrote to'}."
        )
        return _hold(
            raw, parsed, ReviewReason.UNEXPECTED_SENDER, detail, records_request=records_request
        )
    try:
        communication = attach_reply(records_request=records_request, parsed=parsed)
    except IntegrityError:
        # Delivered twice at the same moment: the other delivery stored it.
        return IngestResult("duplicate", reason="stored concurrently by another delivery")
    return IngestResult("stored", communication=communication, refused=parsed.refused)


def _refusal_note(refused: list[RefusedFile]) -> str:
    if not refused:
        return ""
    lines = [f"- {r.filename} ({r.content_type}): {r.reason}" for r in refused]
    return "\n\n[rtcc-requests: attachments not stored]\n" + "\n".join(lines)


def attach_reply(
    *, records_request: RecordsRequest, parsed: ParsedMessage, actor=None
) -> Communication:
    """The reply as an incoming Communication with its files, and the requester told."""
    with transaction.atomic():
        communication = communication_log(
            records_request=records_request,
            actor=actor,
            direction=Direction.INCOMING,
            kind=CommunicationKind.REPLY,
            subject=parsed.subject[:300],
            body=parsed.body + _refusal_note(parsed.refused),
            sent_at=parsed.sent_at,
            from_address=parsed.from_header[:300],
            to_address=parsed.to_header[:300],
            message_id=parsed.message_id,
        )
        # Stored by the requests service, which applies the same attachment policy the
        # parser sorted these by: what an upload would refuse is never stored from email.
        for incoming in parsed.attachments:
            attachment_add(
                communication=communication,
                file=ContentFile(incoming.data, name=incoming.filename),
                declared_type=incoming.content_type,
            )
        _notify_owner(records_request, communication, parsed)
    return communication


def _notify_owner(records_request, communication, parsed: ParsedMessage) -> None:
    owner = records_request.owner
    if not owner.email:
        return
    link = settings.SITE_URL + reverse("requests:detail", kwargs={"pk": records_request.pk})
    context = {
        "req": records_request,
        "communication": communication,
        "parsed": parsed,
        "link": link,
        "suggestions": suggest_determination(parsed.body),
    }
    outbox_enqueue(
        key=f"reply-{communication.pk}",
        to=[owner.email],
        subject=f"{records_request.agency.name} replied to: {records_request.title}",
        body_text=render_to_string("inbound/reply_notification.txt", context),
        user=owner,
        records_request=records_request,
    )


def _hold(raw, parsed, reason, detail, *, records_request=None) -> IngestResult:
    message_id = parsed.message_id if parsed else fallback_message_id(raw)
    try:
        with transaction.atomic():
            item = ReviewItem.objects.create(
                reason=reason,
                detail=detail,
                message_id=message_id,
                from_address=(parsed.from_header if parsed else "")[:300],
                to_address=(parsed.to_header if parsed else "")[:300],
                subject=(parsed.subject if parsed else "")[:300],
                sent_at=parsed.sent_at if parsed else None,
                raw=ContentFile(raw, name="message.eml"),
                size=len(raw),
                records_request=records_request,
            )
    except IntegrityError:
        return IngestResult("duplicate", reason="already in the review queue")
    return IngestResult(
        "review", review_item=item, refused=parsed.refused if parsed else [], reason=detail
    )


def review_attach(*, item: ReviewItem, actor, records_request: RecordsRequest | None = None):
    """Staff confirm a held message belongs to a request: attach it as the agency's reply."""
    records_request = records_request or item.records_request
    if records_request is None:
        raise InboundError("Choose the request this message belongs to first.")
    if item.status != ReviewStatus.OPEN:
        raise InboundError("This message was already dealt with.")
    with item.raw.open("rb") as handle:
        parsed = parse_message(handle.read(), max_bytes=settings.ATTACHMENT_MAX_BYTES)
    with transaction.atomic():
        existing = Communication.objects.filter(message_id=parsed.message_id).first()
        communication = existing or attach_reply(
            records_request=records_request, parsed=parsed, actor=actor
        )
        ReviewItem.objects.filter(pk=item.pk).update(
            status=ReviewStatus.ATTACHED,
            records_request=records_request,
            communication=communication,
            resolved_by=actor,
            resolved_at=timezone.now(),
        )
    return communication


def review_dismiss(*, item: ReviewItem, actor) -> None:
    """Spam or misdirected: kept (with the original) but out of the queue."""
    ReviewItem.objects.filter(pk=item.pk, status=ReviewStatus.OPEN).update(
        status=ReviewStatus.DISMISSED, resolved_by=actor, resolved_at=timezone.now()
    )
