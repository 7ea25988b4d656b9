"""Incoming mail that could not be attached to a request on its own: staff review it."""

import secrets

from django.conf import settings
from django.db import models


def review_raw_path(instance: "ReviewItem", filename: str) -> str:
    # Unguessable, like request attachments: the original may hold anything.
    return f"inbound/review/{secrets.token_hex(12)}/message.eml"


class ReviewReason(models.TextChoices):
    NO_TOKEN = "no_token", "Not sent to a request's reply address"
    UNKNOWN_TOKEN = "unknown_token", "Reply address of no known request"
    UNEXPECTED_SENDER = "unexpected_sender", "Sender is not at an address the request wrote to"
    AMBIGUOUS_SENDER = "ambiguous_sender", "Sender address can be read more than one way"
    SENDER_NOT_VERIFIED = (
        "sender_unverified",
        "Mail server's SPF/DKIM/DMARC checks did not pass for the sender's domain",
    )
    MESSAGE_ID_REUSED = "message_id_reused", "Message-ID already used by another message"
    UNREADABLE = "unreadable", "Could not be read as an email"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Needs review"
    ATTACHED = "attached", "Attached to a request"
    DISMISSED = "dismissed", "Dismissed"


class ReviewItem(models.Model):
    """One message held for staff, kept whole (raw RFC 5322 bytes): nothing is dropped.

    `detail` says why in words (for a sender: what the strict From parser or the mail
    server's Authentication-Results found).
    """

    reason = models.CharField(max_length=20, choices=ReviewReason.choices)
    detail = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    message_id = models.CharField(max_length=300, blank=True)
    content_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the reply address and what a reply stores.",
    )
    from_address = models.CharField(max_length=300, blank=True)
    to_address = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    raw = models.FileField("original message", upload_to=review_raw_path, max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    records_request = models.ForeignKey(
        "requests.RecordsRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The request it belongs to, if known; staff may set it before attaching.",
    )
    communication = models.ForeignKey(
        "requests.Communication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "message to review"
        verbose_name_plural = "messages to review"
        constraints = [
            # A re-delivery is held once; another message reusing its Message-ID is held too.
            models.UniqueConstraint(
                fields=["message_id", "content_hash"],
                condition=~models.Q(message_id=""),
                name="review_item_unique_message_content",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="review_item_queue")]

    def __str__(self) -> str:
        return self.subject or f"Message from {self.from_address or 'unknown sender'}"
