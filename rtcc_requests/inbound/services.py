"""Attach an agency's emailed reply to its request, or hold it for staff. Nothing is dropped.

A reply is matched by the token in `request+<token>@MAIL_DOMAIN`. It is attached only if
its From header names one address however it is parsed (senders.strict_from), that
address is at a domain the request wrote to (the agency's records email, or any address a
letter went to) and, when the message carries our mail server's Authentication-Results,
SPF, DKIM or DMARC passed for that domain (senders.authentication_verdict). Otherwise, or
with no known token, it waits in the review queue with the original message and the
reason.

Which Authentication-Results header is ours: `settings.INBOUND_AUTHSERV_ID` (the
authserv-id the receiving MTA writes, e.g. "mx.rtcc.example"), read with getattr; unset
(None or "") means the topmost header, the one the last server, ours, added. Set it when the MTA
does not remove look-alike headers from incoming mail.

A message is a duplicate, and stored once, when a message with its Message-ID and the
same content (reply address, From, subject, text: `content_hash`) was already stored or
held. A different message reusing a Message-ID is never dropped: it is held for review.
"""

import hashlib
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
from .senders import authentication_verdict, trusted_results
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


def content_hash(*, token: str, from_header: str, subject: str, body: str) -> str:
    """What makes two deliveries one message: the request they are for and what is stored."""
    parts = (token.lower(), from_header, subject, body)
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _stored_fields(parsed: ParsedMessage) -> dict[str, str]:
    """The text of a reply as attach_reply stores it on its Communication."""
    return {
        "from_header": parsed.from_header[:300],
        "subject": parsed.subject[:300],
        "body": parsed.body + _refusal_note(parsed.refused),
    }


def _same_reply(communication: Communication, records_request, content: str) -> bool:
    """Is the stored Communication this message, for this request?"""
    if records_request is None or communication.request_id != records_request.pk:
        return False
    stored = content_hash(
        token=records_request.reply_token,
        from_header=communication.from_address,
        subject=communication.subject,
        body=communication.body,
    )
    return stored == content


def _seen(raw: bytes, parsed: ParsedMessage, records_request, content: str):
    """The IngestResult for a Message-ID seen before (duplicate or held), or None if new."""
    message_id = parsed.message_id
    if ReviewItem.objects.filter(message_id=message_id, content_hash=content).exists():
        return IngestResult(
            "duplicate", reason="a message with this Message-ID is already in the review queue"
        )
    stored = Communication.objects.filter(message_id=message_id).select_related("request").first()
    if stored is None:
        return None
    if _same_reply(stored, records_request, content):
        return IngestResult("duplicate", reason="a reply with this Message-ID is already stored")
    where = f"request {stored.request_id} ({stored.request.title})"
    if records_request is not None and stored.request_id != records_request.pk:
        detail = (
            f"The Message-ID {message_id} is already used by a message on {where}; this one "
            f"was sent to request {records_request.pk}'s reply address."
        )
    else:
        detail = (
            f"The Message-ID {message_id} is already used by a different message on {where} "
            "(its sender, subject or text differs)."
        )
    return _hold(
        raw,
        parsed,
        ReviewReason.MESSAGE_ID_REUSED,
        detail,
        records_request=records_request,
        content=content,
    )


def sender_problem(parsed: ParsedMessage, domains: set[str]) -> tuple[str, str] | None:
    """(review reason, detail) if the sender cannot be trusted to be the agency, else None."""
    if parsed.from_problem:
        detail = (
            f"The From header {parsed.from_header!r} can be read more than one way: "
            f"{parsed.from_problem}."
        )
        return ReviewReason.AMBIGUOUS_SENDER, detail
    if not sender_allowed(parsed.from_address, domains):
        detail = (
            f"Sender {parsed.from_address or '(none)'} is not at "
            f"{', '.join(sorted(domains)) or 'any address the request wrote to'}."
        )
        return ReviewReason.UNEXPECTED_SENDER, detail
    results = trusted_results(
        parsed.authentication_results,
        authserv_id=settings.INBOUND_AUTHSERV_ID or None,  # "" is unset
    )
    verdict = authentication_verdict(results, from_address=parsed.from_address, domains=domains)
    if verdict.verified is False:
        return ReviewReason.SENDER_NOT_VERIFIED, verdict.detail
    return None


def inbound_ingest(*, raw: bytes, recipient: str = "") -> IngestResult:
    """Store one raw RFC 5322 message; `recipient` is the envelope address, if the MTA gives it."""
    try:
        parsed = parse_message(raw, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except Exception as error:  # noqa: BLE001 - an unreadable message still reaches staff
        logger.warning("inbound message could not be parsed: %s", error)
        return _hold(raw, None, ReviewReason.UNREADABLE, f"{type(error).__name__}: {error}")
    token = token_from([recipient, *parsed.recipients] if recipient else parsed.recipients)
    records_request = (
        RecordsRequest.objects.select_related("agency", "owner").filter(reply_token=token).first()
        if token
        else None
    )
    content = content_hash(token=token, **_stored_fields(parsed))
    if (seen := _seen(raw, parsed, records_request, content)) is not None:
        return seen
    if not token:
        detail = f"No request+<token>@{settings.MAIL_DOMAIN} among the recipients."
        return _hold(raw, parsed, ReviewReason.NO_TOKEN, detail, content=content)
    if records_request is None:
        detail = f"No request has token {token!r}."
        return _hold(raw, parsed, ReviewReason.UNKNOWN_TOKEN, detail, content=content)
    problem = sender_problem(parsed, request_sender_domains(records_request))
    if problem is not None:
        reason, detail = problem
        return _hold(raw, parsed, reason, detail, records_request=records_request, content=content)
    try:
        communication = attach_reply(records_request=records_request, parsed=parsed, raw=raw)
    except IntegrityError:
        # Delivered twice at the same moment (the other delivery stored it), or another
        # message with this Message-ID stored meanwhile: which, _seen tells.
        seen = _seen(raw, parsed, records_request, content)
        return seen or IngestResult("duplicate", reason="stored concurrently by another delivery")
    return IngestResult("stored", communication=communication, refused=parsed.refused)


def _refusal_note(refused: list[RefusedFile]) -> str:
    if not refused:
        return ""
    lines = [f"- {r.filename} ({r.content_type}): {r.reason}" for r in refused]
    return "\n\n[rtcc-requests: attachments not stored]\n" + "\n".join(lines)


def attach_reply(
    *,
    records_request: RecordsRequest,
    parsed: ParsedMessage,
    raw: bytes,
    actor=None,
    message_id: str | None = None,
) -> Communication:
    """The reply as an incoming Communication with its files and its original bytes (`raw`,
    kept unparsed for a court packet), and the requester told.

    `message_id` overrides the message's own ("" to store none: its Message-ID is on another
    Communication already, and stays on the review item it came from).
    """
    text = _stored_fields(parsed)
    with transaction.atomic():
        communication = communication_log(
            records_request=records_request,
            actor=actor,
            direction=Direction.INCOMING,
            kind=CommunicationKind.REPLY,
            subject=text["subject"],
            body=text["body"],
            sent_at=parsed.sent_at,
            from_address=text["from_header"],
            to_address=parsed.to_header[:300],
            message_id=parsed.message_id if message_id is None else message_id,
        )
        communication.raw_message.save("message.eml", ContentFile(raw), save=False)
        Communication.objects.filter(pk=communication.pk).update(
            raw_message=communication.raw_message.name
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


def _hold(raw, parsed, reason, detail, *, records_request=None, content: str = "") -> IngestResult:
    message_id = parsed.message_id if parsed else fallback_message_id(raw)
    try:
        with transaction.atomic():
            item = ReviewItem.objects.create(
                reason=reason,
                detail=detail,
                message_id=message_id,
                content_hash=content or hashlib.sha256(raw).hexdigest(),
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
        raw = handle.read()
    parsed = parse_message(raw, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    content = content_hash(token=records_request.reply_token, **_stored_fields(parsed))
    with transaction.atomic():
        existing = Communication.objects.filter(message_id=parsed.message_id).first()
        if existing is not None and _same_reply(existing, records_request, content):
            communication = existing  # stored meanwhile, e.g. delivered again
        else:
            # Another message holds this Message-ID: this one is stored without it.
            communication = attach_reply(
                records_request=records_request,
                parsed=parsed,
                raw=raw,
                actor=actor,
                message_id="" if existing is not None else None,
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
