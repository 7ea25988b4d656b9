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


class Role(models.TextChoices):
    """What a member of an organization may do with its requests."""

    VIEWER = "viewer", "Viewer: reads the organization's requests"
    EDITOR = "editor", "Editor: files, records replies and determinations, sends letters"
    ADMIN = "admin", "Admin: also invites and removes members, changes roles and settings"


# The roles that may change a request of the organization (and file one as it).
CHANGING_ROLES = (Role.EDITOR, Role.ADMIN)


class Organization(models.Model):
    """A newsroom, a civil-liberties group, a clinic: requests and campaigns can belong to
    it, its members see them by role, and its letterhead signs its letters."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    letterhead = models.CharField(
        "name on letters",
        max_length=150,
        blank=True,
        help_text="Signs the organization's letters under the member's name (default: name).",
    )
    mailing_address = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def letterhead_name(self) -> str:
        return self.letterhead.strip() or self.name


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"

    @property
    def can_change_requests(self) -> bool:
        return self.role in CHANGING_ROLES


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation to join, sent to an email address; its link works until it expires or
    is used, and only for the account with that address."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.organization}"


class OrganizationEvent(models.Model):
    """Who did what to an organization's membership, in order: the page's history."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    message = models.CharField(max_length=300)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.message
