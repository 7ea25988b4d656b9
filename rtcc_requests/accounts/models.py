"""A requester's profile: letterhead details and notification preferences."""

import secrets

from django.conf import settings
from django.db import models


class NotifyMode(models.TextChoices):
    EACH = "each", "One email per event"
    DIGEST = "digest", "One daily digest"
    OFF = "off", "No reminder emails"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField("name on letters", max_length=150, blank=True)
    organization = models.CharField(max_length=150, blank=True)
    mailing_address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notify_mode = models.CharField(
        "reminders", max_length=10, choices=NotifyMode.choices, default=NotifyMode.EACH
    )
    notice_days = models.PositiveSmallIntegerField(
        "days of notice before a deadline",
        default=2,
        help_text="How many days before a deadline you want a reminder.",
    )
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notice_days__lte=30), name="notice_days_at_most_30"
            ),
        ]

    def __str__(self) -> str:
        return self.signature_name or self.user.get_username()

    @property
    def signature_name(self) -> str:
        """The name letters are signed with; never the username, which is a login, not a name
        (empty: the draft says so and cannot be sent until the requester gives one)."""
        return self.display_name.strip() or self.user.get_full_name().strip()

    @property
    def signature(self) -> str:
        """The lines under "Sincerely,": the name, then the organization if there is one."""
        name = self.signature_name
        return f"{name}\n{self.organization.strip()}".strip() if name else ""
