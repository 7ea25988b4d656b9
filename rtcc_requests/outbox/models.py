"""Outgoing email as rows: each message is sent at most once, whatever retries or workers do."""

import secrets

from django.conf import settings
from django.db import models


def sent_copy_path(instance: "OutboxMessage", filename: str) -> str:
    # Unguessable: a letter carries the requester's name and address.
    return f"outbox/{secrets.token_hex(12)}/{filename}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboxMessage(models.Model):
    idempotency_key = models.CharField(max_length=200, unique=True)
    to = models.JSONField(default=list)
    from_email = models.CharField(max_length=300, blank=True)
    reply_to = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Empty bodies and a renderer name: the body is written when the message is sent
    # (outbox/renderers.py), from these JSON arguments.
    render_with = models.CharField(max_length=50, blank=True)
    render_args = models.JSONField(default=dict, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text="[{path, filename, content_type}] in default storage."
    )
    # Letters to agencies keep the bytes that went to the server (their court record);
    # reminders and notifications do not.
    keep_copy = models.BooleanField(default=False)
    sent_copy = models.FileField(
        "message as sent", upload_to=sent_copy_path, blank=True, max_length=300
    )
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who the message is about, so its failures show on the right page.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    records_request = models.ForeignKey(
        "requests.RecordsRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbox_status"),
            models.Index(fields=["user", "status"], name="outbox_user_status"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"
