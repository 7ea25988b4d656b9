"""A campaign: one ask sent as separate requests to many agencies, followed as one table.

Each request stays a full request (its own clock, reminders, letters, replies and
visibility); the campaign only groups them, records how its agencies were picked, and
splits them into waves to file at different times.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from rtcc_requests.accounts.models import Organization
from rtcc_requests.agencies.models import Agency, Technology
from rtcc_requests.requests.models import RecordsRequest


class CampaignVisibility(models.TextChoices):
    PRIVATE = "private", "Private (only you)"
    PUBLIC = "public", "Public"


class Campaign(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaigns"
    )
    # Whom it is for besides its owner: the organization's members see it and its requests
    # (viewers), and file them (editors, admins).
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="campaigns"
    )
    title = models.CharField(max_length=200)
    technology = models.ForeignKey(
        Technology, on_delete=models.PROTECT, null=True, blank=True, related_name="campaigns"
    )
    records_sought = models.TextField(help_text="The ask every agency receives.")
    description = models.TextField(
        blank=True, help_text="Why this campaign: shown on its page, public if it is."
    )
    visibility = models.CharField(
        max_length=10, choices=CampaignVisibility.choices, default=CampaignVisibility.PRIVATE
    )
    # How the agencies were picked ({"technology": "alpr", "state": "CA", ...}), in words on
    # the page; the entries are what was picked.
    selection = models.JSONField(default=dict, blank=True)
    demo_key = models.CharField(max_length=60, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", kwargs={"pk": self.pk})


class CampaignEntry(models.Model):
    """One agency of a campaign and the request it gets."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="campaign_entries")
    request = models.OneToOneField(
        RecordsRequest, on_delete=models.CASCADE, related_name="campaign_entry"
    )
    wave = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["campaign", "agency__name"]
        verbose_name_plural = "campaign entries"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "agency"], name="one_request_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.agency}"
