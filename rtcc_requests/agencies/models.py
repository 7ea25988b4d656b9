"""Who is asked (agencies) and about what (surveillance technologies and their deployments)."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police department"
    SHERIFF = "sheriff", "Sheriff's office"
    CITY = "city", "City"
    COUNTY = "county", "County"
    SCHOOL_DISTRICT = "school_district", "School district"
    STATE = "state", "State agency"
    OTHER = "other", "Other"


class ReviewStatus(models.TextChoices):
    """Whether staff have checked an agency: imports and the admin's own are approved; a
    user's proposal waits for review (its proposer can file to it meanwhile)."""

    APPROVED = "approved", "Approved"
    PROPOSED = "proposed", "Proposed, awaiting review"
    REJECTED = "rejected", "Rejected"


class AgencyManager(models.Manager):
    def get_by_natural_key(self, slug: str) -> "Agency":
        return self.get(slug=slug)


class Agency(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    city = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, help_text="Two-letter code, e.g. CA.")
    records_email = models.EmailField("records-request email", blank=True)
    records_office = models.CharField(
        "records office",
        max_length=150,
        blank=True,
        help_text="Who letters are addressed to, e.g. 'FOIA/PA Unit' or 'Records Division'.",
    )
    portal_url = models.URLField("records portal", blank=True)
    mailing_address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    atlas_ori = models.CharField("ORI / Atlas agency id", max_length=20, blank=True)
    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.APPROVED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_agencies",
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_agencies",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(
        blank=True, help_text="Why it was rejected, or what staff corrected; shown to the proposer."
    )

    objects = AgencyManager()

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__regex=r"^[A-Z]{2}$"), name="agency_state_two_letters"
            ),
            models.CheckConstraint(
                condition=models.Q(review_status__in=ReviewStatus.values),
                name="agency_review_status_known",
            ),
        ]
        indexes = [
            models.Index(Lower("name"), name="agency_name_lower"),
            # The admin's queue of proposals: a few rows of many.
            models.Index(
                fields=["review_status"],
                condition=~models.Q(review_status=ReviewStatus.APPROVED),
                name="agency_awaiting_review",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pages:agency_detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def is_approved(self) -> bool:
        return self.review_status == ReviewStatus.APPROVED


class ClosureDay(models.Model):
    """A whole day the agency's office is closed (a furlough day, a city holiday).

    Code Civ. Proc. §12b counts such a day as a holiday for that agency's deadlines.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="closure_days")
    day = models.DateField()
    reason = models.CharField(max_length=150, help_text="e.g. 'Furlough day', 'City holiday'.")
    source = models.URLField(blank=True, help_text="Where the closure is announced.")

    class Meta:
        ordering = ["agency", "day"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="one_closure_per_agency_day")
        ]

    def __str__(self) -> str:
        return f"{self.agency} closed {self.day:%Y-%m-%d}: {self.reason}"


class TechnologyCategory(models.TextChoices):
    """The Atlas of Surveillance taxonomy, plus our own categories where none fits."""

    ALPR = "alpr", "Automated License Plate Readers"
    BODY_CAMERAS = "body_cameras", "Body-worn Cameras"
    CAMERA_REGISTRY = "camera_registry", "Camera Registry"
    CELL_SITE_SIMULATOR = "cell_site_simulator", "Cell-site Simulator"
    DRONES = "drones", "Drones"
    FACE_RECOGNITION = "face_recognition", "Face Recognition"
    GUNSHOT_DETECTION = "gunshot_detection", "Gunshot Detection"
    PREDICTIVE_POLICING = "predictive_policing", "Predictive Policing"
    RTCC = "rtcc", "Real-Time Crime Center"
    THIRD_PARTY_PLATFORMS = "third_party_platforms", "Third-party Investigative Platforms"
    VIDEO_ANALYTICS = "video_analytics", "Video Analytics"
    # Not Atlas categories: Fresno's PTZ camera network, "Beware" scores, social media scans.
    CAMERA_NETWORK = "camera_network", "Camera network (not an Atlas category)"
    THREAT_SCORING = "threat_scoring", "Threat scoring (not an Atlas category)"
    SOCIAL_MEDIA_MONITORING = "social_media", "Social media monitoring (not an Atlas category)"
    # AB 481's "military equipment" (Gov. Code §7070): a legal class, not an Atlas category.
    MILITARY_EQUIPMENT = "military_equipment", "Military equipment (not an Atlas category)"


class TechnologyManager(models.Manager):
    def get_by_natural_key(self, slug: str) -> "Technology":
        return self.get(slug=slug)


class Technology(models.Model):
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    category = models.CharField(max_length=30, choices=TechnologyCategory.choices)
    description = models.TextField(blank=True)

    objects = TechnologyManager()

    class Meta:
        verbose_name_plural = "technologies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pages:technology_detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class VendorManager(models.Manager):
    def get_by_natural_key(self, slug: str) -> "Vendor":
        return self.get(slug=slug)


class Vendor(models.Model):
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)

    objects = VendorManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class DeploymentStatus(models.TextChoices):
    ACTIVE = "active", "In use"
    PILOT = "pilot", "Pilot or trial"
    SUSPENDED = "suspended", "Suspended"
    ENDED = "ended", "Ended"
    REJECTED = "rejected", "Proposed, rejected"
    UNKNOWN = "unknown", "Unknown"


class DeploymentManager(models.Manager):
    def get_by_natural_key(self, agency: str, technology: str, product: str) -> "Deployment":
        return self.get(agency__slug=agency, technology__slug=technology, product=product)


class Deployment(models.Model):
    """An agency's use of a technology, as reported by a source the user can check."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="deployments")
    technology = models.ForeignKey(Technology, on_delete=models.PROTECT, related_name="deployments")
    vendor = models.ForeignKey(
        Vendor, on_delete=models.SET_NULL, null=True, blank=True, related_name="deployments"
    )
    product = models.CharField("product name", max_length=150, blank=True)
    status = models.CharField(
        max_length=20, choices=DeploymentStatus.choices, default=DeploymentStatus.UNKNOWN
    )
    first_reported = models.DateField(null=True, blank=True)
    sources = models.JSONField(
        default=list, blank=True, help_text="List of {title, url} where the deployment is reported."
    )
    notes = models.TextField(blank=True)
    atlas_id = models.CharField("AOSNUMBER", max_length=20, blank=True)

    objects = DeploymentManager()

    class Meta:
        ordering = ["agency__name", "technology__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "technology", "product"], name="one_deployment_per_product"
            ),
            models.UniqueConstraint(
                fields=["atlas_id"],
                condition=~models.Q(atlas_id=""),
                name="deployment_unique_atlas_id",
            ),
        ]

    def __str__(self) -> str:
        product = f" ({self.product})" if self.product else ""
        return f"{self.agency} – {self.technology}{product}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.agency.slug, self.technology.slug, self.product)

    natural_key.dependencies = ["agencies.agency", "agencies.technology"]


class ChecklistItemManager(models.Manager):
    def get_by_natural_key(self, technology: str, key: str) -> "ChecklistItem":
        return self.get(technology__slug=technology, key=key)


class ChecklistItem(models.Model):
    """A record an agency that uses a technology should hold, and why it should exist.

    Kept as data (fixtures/reference/checklists.json, editable in the admin): the composer
    offers a technology's items as the letter's numbered list, and campaigns compare the
    agencies' answers item by item. `basis` is the law that makes the record exist, written
    only from a checked source; an item that exists by practice (a contract, a purchase
    order) has no basis and says so in `why`. `published_duty` marks a record the law
    requires the agency to post, which an agency page checks for.
    """

    technology = models.ForeignKey(Technology, on_delete=models.CASCADE, related_name="checklist")
    key = models.SlugField(max_length=60, help_text="Stable id within the technology.")
    position = models.PositiveSmallIntegerField(default=0)
    ask = models.TextField(help_text="The item as a letter asks for it, one sentence.")
    why = models.TextField(help_text="Why the agency should have it, for the requester.")
    basis = models.CharField(
        "law that requires it",
        max_length=200,
        blank=True,
        help_text="e.g. Civ. Code §1798.90.51(b)",
    )
    published_duty = models.BooleanField("the law requires the agency to publish it", default=False)
    sources = models.JSONField(
        default=list, help_text="List of {title, url}: where the basis or the practice is shown."
    )

    objects = ChecklistItemManager()

    class Meta:
        ordering = ["technology__name", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["technology", "key"], name="one_checklist_key"),
        ]

    def __str__(self) -> str:
        return f"{self.technology}: {self.ask[:60]}"

    def natural_key(self) -> tuple[str, str]:
        return (self.technology.slug, self.key)

    natural_key.dependencies = ["agencies.technology"]


class PostingCheck(models.Model):
    """Someone looked for a document the law makes an agency publish (a checklist item with
    `published_duty`), on a day: found at a URL, or not posted. The latest check is what an
    agency's page says; the earlier ones stay as its history."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="posting_checks")
    checklist_item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.CASCADE,
        related_name="posting_checks",
        limit_choices_to={"published_duty": True},
    )
    checked_on = models.DateField()
    found = models.BooleanField()
    url = models.URLField("where it is posted", max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency", "checklist_item", "-checked_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(found=False) | ~models.Q(url=""), name="found_has_url"
            ),
        ]

    def __str__(self) -> str:
        where = self.url if self.found else "not posted"
        return f"{self.agency}: {self.checklist_item.key} ({where}, {self.checked_on})"
