"""A court packet: one ZIP of everything a request holds, made per request and audience."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from rtcc_requests.requests.models import RecordsRequest


class Audience(models.TextChoices):
    # Owners, editors, admins and staff: every communication, note and original email.
    FULL = "full", "Full packet"
    # Whoever else may see the request: what its public page shows, and nothing more.
    PUBLIC = "public", "Public packet"


class PacketStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be made"
    BUILDING = "building", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"


def new_build_token() -> str:
    return secrets.token_hex(16)


def packet_path(instance: "Packet", filename: str) -> str:
    # Unguessable: a full packet carries the requester's address and the secret reply address.
    return f"packets/{instance.request_id}/{secrets.token_hex(12)}/{filename}"


class Packet(models.Model):
    """The latest packet of a request for one audience, rebuilt in place.

    `build_token` names the build asked for last: a task carries it, claims the row with it
    (pending -> building, one conditional UPDATE) and may finish only while it still matches,
    so a redelivered task or a superseded build never overwrites a newer one. `built_from`
    is what the packet was made from (packets.sources); when the request's source differs
    now, the packet is out of date.
    """

    request = models.ForeignKey(RecordsRequest, on_delete=models.CASCADE, related_name="packets")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    status = models.CharField(
        max_length=10, choices=PacketStatus.choices, default=PacketStatus.PENDING
    )
    build_token = models.CharField(max_length=32, default=new_build_token)
    # The last packet made, kept (and served, if still current) while the next one is made.
    file = models.FileField(upload_to=packet_path, blank=True, max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    files = models.PositiveIntegerField("files in the packet", default=0)
    built_at = models.DateTimeField(null=True, blank=True)
    built_from = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "audience"], name="one_packet_per_audience"),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(file=""),
                name="ready_packet_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} of request {self.request_id} ({self.status})"
