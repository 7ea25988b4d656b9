"""Queue and deliver outgoing mail exactly once.

A message is a row with a unique idempotency key. Delivery claims the row with a
conditional UPDATE (pending -> sending) before talking to SMTP, so a retried task, a
redelivered task or a second worker finds nothing to claim and sends nothing.
"""

import contextlib
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from rtcc_requests.common.db import insert_ignoring_conflicts
from rtcc_requests.common.text import single_line

from .models import OutboxMessage, OutboxStatus
from .renderers import render_body
from .signals import message_sent

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=15)


class TransientSendError(Exception):
    """The SMTP server could not take the message now; a later attempt may succeed."""


@dataclass(frozen=True)
class AttachmentRef:
    path: str  # in default storage
    filename: str
    content_type: str


def outbox_enqueue(
    *,
    key: str,
    to: Iterable[str],
    subject: str,
    body_text: str,
    body_html: str = "",
    from_email: str = "",
    reply_to: str = "",
    headers: dict[str, str] | None = None,
    attachments: Iterable[AttachmentRef] = (),
    user=None,
    records_request=None,
    keep_copy: bool = False,
) -> tuple[OutboxMessage, bool]:
    """Store a message once per key and queue its delivery after the transaction commits."""
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "to": list(to),
            "subject": single_line(subject)[:300],
            "body_text": body_text,
            "body_html": body_html,
            "from_email": from_email,
            "reply_to": reply_to,
            "headers": headers or {},
            "attachments": [a.__dict__ for a in attachments],
            "user": user,
            "records_request": records_request,
            "keep_copy": keep_copy,
        },
    )
    if created:
        transaction.on_commit(lambda: _queue_delivery(message.pk))
    return message, created


def outbox_store_many(messages: Iterable[OutboxMessage], *, batch_size: int = 2000) -> None:
    """Store many unsaved messages in bulk; a key already stored keeps its row, silently.

    For sweeps that would otherwise run a query per message. Queue their delivery with
    `outbox_queue_delivery` once their ids are known.
    """
    messages = list(messages)
    for message in messages:
        message.subject = single_line(message.subject)[:300]
    insert_ignoring_conflicts(messages, batch_size=batch_size)


def outbox_queue_delivery(message_ids: Iterable[int]) -> None:
    """Queue these messages' delivery after the current transaction commits."""
    ids = list(message_ids)
    transaction.on_commit(lambda: [_queue_delivery(message_id) for message_id in ids])


def _queue_delivery(message_id: int) -> None:
    from .tasks import send_message

    send_message.delay(message_id=message_id)


class _BuiltOnce(EmailMultiAlternatives):
    """Builds its MIME message once: the backend sends the very object we checked and keep,
    so the copy kept is byte for byte what went out (boundaries and Date included)."""

    _built = None

    def message(self, *args, **kwargs):
        if self._built is None:
            self._built = super().message(*args, **kwargs)
        return self._built

    def as_sent(self) -> bytes:
        # How Django's SMTP backend serialises it (django.core.mail.backends.smtp._send).
        return self.message().as_bytes(linesep="\r\n")


def _build_email(message: OutboxMessage) -> _BuiltOnce:
    email = _BuiltOnce(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_email or None,
        to=message.to,
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=message.headers,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        with default_storage.open(attachment["path"], "rb") as handle:
            email.attach(attachment["filename"], handle.read(), attachment["content_type"])
    return email


def _refused_for_now(error: Exception) -> bool:
    """A 4xx answer: the server explicitly kept nothing and asked us to come back later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return False


def _retry_later(message_id: int, error: Exception) -> None:
    OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING).update(
        status=OutboxStatus.PENDING, claimed_at=None, last_error=_describe(error)
    )
    raise TransientSendError(_describe(error)) from error


def _write_body(message_id: int) -> None:
    """Write the body of a message queued without one (renderers.py), before claiming it.

    Before, so a renderer's failure leaves no claim that looks like an interrupted send. Two
    workers may both write it; only one can then claim and send. A body that cannot be
    written makes the message fail visibly: retrying would fail the same way.
    """
    message = (
        OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING, body_text="")
        .exclude(render_with="")
        .only("render_with", "render_args")
        .first()
    )
    if message is None:
        return
    try:
        body = render_body(message.render_with, message.render_args)
    except Exception as error:  # noqa: BLE001 - any failure is the message's, shown to its user
        logger.exception("outbox message %s: writing its body failed", message_id)
        outbox_mark_failed(
            message_id=message_id, error=f"The email could not be written: {_describe(error)}"
        )
        return
    OutboxMessage.objects.filter(pk=message_id, body_text="").update(
        body_text=body.text, body_html=body.html
    )


def outbox_deliver(*, message_id: int) -> str:
    """Send one message if nobody else has; returns the row's resulting status."""
    _write_body(message_id)
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return OutboxMessage.objects.filter(pk=message_id).values_list("status", flat=True).first()
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        email = _build_email(message)
        email.message()  # every header checked here, before the server sees a byte
    except ValueError as error:  # BadHeaderError among them: a newline in a header
        problem = f"Not sent: the message could not be built ({error})."
        outbox_mark_failed(message_id=message_id, error=problem)
        logger.warning("outbox message %s not sent: %s", message_id, problem)
        return OutboxStatus.FAILED
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:
        # Refused, unreachable, timed out before any of the message went out: safe to retry.
        _retry_later(message_id, error)
    try:
        connection.send_messages([email])
    except Exception as error:
        if _refused_for_now(error):
            _retry_later(message_id, error)
        problem = _describe(error)
        if not isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
            # A timeout or a dropped line after the data went out: the server may have taken
            # it. Sending again could deliver it twice; the user sees it and decides.
            problem += " It may or may not have been delivered."
        outbox_mark_failed(message_id=message_id, error=problem)
        logger.warning("outbox message %s failed: %s", message_id, problem)
        return OutboxStatus.FAILED
    finally:
        # The message's fate is already known; a failed QUIT must not change it.
        with contextlib.suppress(Exception):
            connection.close()
    message.sent_at = timezone.now()
    if message.keep_copy:
        try:
            message.sent_copy.save("message.eml", ContentFile(email.as_sent()), save=False)
        except OSError:
            # The mail is gone either way: it must not look unsent for want of its copy.
            logger.exception("outbox message %s: its sent copy could not be stored", message_id)
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxStatus.SENT,
        sent_at=message.sent_at,
        last_error="",
        sent_copy=message.sent_copy.name or "",
    )
    for receiver, result in message_sent.send_robust(
        sender=OutboxMessage, message=message, sent_at=message.sent_at
    ):
        if isinstance(result, Exception):
            logger.error(
                "after sending outbox message %s, %r failed: %s", message_id, receiver, result
            )
    return OutboxStatus.SENT


def outbox_mark_failed(*, message_id: int, error: str) -> None:
    OutboxMessage.objects.filter(
        pk=message_id, status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]
    ).update(status=OutboxStatus.FAILED, last_error=error, claimed_at=None)


def outbox_recover(*, older_than: timedelta = timedelta(minutes=5)) -> list[int]:
    """Re-queue pending messages whose task was lost; fail claims abandoned mid-send.

    An abandoned claim is never re-sent: the server may have taken the message before
    the worker died, and a duplicate is worse than a visible failure the user can retry.
    """
    now = timezone.now()
    OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(
        status=OutboxStatus.FAILED,
        last_error="Interrupted while sending: it may or may not have been delivered.",
    )
    pending = list(
        OutboxMessage.objects.filter(
            status=OutboxStatus.PENDING, created_at__lt=now - older_than
        ).values_list("pk", flat=True)
    )
    for message_id in pending:
        _queue_delivery(message_id)
    return pending


def outbox_retry(*, message_id: int) -> bool:
    """Let the user send a failed message again (a deliberate, visible choice)."""
    retried = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, claimed_at=None
    )
    if retried:
        transaction.on_commit(lambda: _queue_delivery(message_id))
    return bool(retried)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:1000]
