"""A records request, its letters and replies, the agency's determinations, and its history."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from rtcc_requests.accounts.models import Organization
from rtcc_requests.accounts.organizations import organization_ids_of
from rtcc_requests.agencies.models import Agency, ChecklistItem, ReviewStatus, Technology
from rtcc_requests.laws.models import Exemption, Law

from .choices import (
    CommunicationKind,
    DeterminationKind,
    Direction,
    DueKind,
    EventKind,
    ExtensionGround,
    FeeCategory,
    FilingMethod,
    ItemOutcome,
    LetterKind,
    PdfStatus,
    Status,
    Visibility,
)
from .rules import OPEN_STATUSES, WITHHOLDING_KINDS


def new_reply_token() -> str:
    return secrets.token_urlsafe(18).lower().replace("_", "x").replace("-", "y")


def worked_on_q(user, *, prefix: str = "", changing: bool = False) -> models.Q:
    """A user's own requests and those of their organizations (membership read now, so a
    member who leaves loses them at once); `changing`: only where the user's role may change
    them (what `selectors.can_change` decides for one request: private material is theirs).
    `prefix` as for `public_on_q`."""
    return models.Q(**{f"{prefix}owner": user}) | models.Q(
        **{f"{prefix}organization_id__in": organization_ids_of(user, changing=changing)}
    )


def public_on_q(today, *, prefix: str = "") -> models.Q:
    """Requests anyone may see today: public, or embargoed with the embargo over; no drafts;
    to an agency staff have approved.

    `prefix` ("request__") applies it across a relation, so a query on determinations can
    test its request's row in the join it already has, with no second pass over requests.
    """
    return (
        (
            models.Q(**{f"{prefix}visibility": Visibility.PUBLIC})
            | models.Q(
                **{
                    f"{prefix}visibility": Visibility.EMBARGOED,
                    f"{prefix}embargo_until__lte": today,
                }
            )
        )
        & ~models.Q(**{f"{prefix}status": Status.DRAFT})
        # A request to an agency a user proposed waits, like the agency, for staff review.
        & models.Q(**{f"{prefix}agency__review_status": ReviewStatus.APPROVED})
    )


class RecordsRequestQuerySet(models.QuerySet):
    def public_on(self, today) -> "RecordsRequestQuerySet":
        """Requests anyone may see today: public, or embargoed with the embargo over."""
        return self.filter(public_on_q(today))

    def visible_to(self, user, today) -> "RecordsRequestQuerySet":
        """What `user` may read: everything (staff); their own and their organizations'
        requests, and the public ones (a member); the public ones (anyone)."""
        if user.is_authenticated and user.is_staff:
            return self
        if not user.is_authenticated:
            return self.public_on(today)
        # One condition, not "pk in (the public set)": as a subquery, PostgreSQL hashes every
        # public request before it reads the first row of a page.
        return self.filter(worked_on_q(user) | public_on_q(today))

    def worked_on_by(self, user) -> "RecordsRequestQuerySet":
        """The requests a user works on: their own and their organizations' (any role); the
        dashboard's, the list's and the calendar's (staff: their own lists too)."""
        return self.filter(worked_on_q(user))

    def open(self) -> "RecordsRequestQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today) -> "RecordsRequestQuerySet":
        return self.filter(next_due__lt=today)

    def due_within(self, today, days: int) -> "RecordsRequestQuerySet":
        return self.filter(next_due__gte=today, next_due__lte=today + timedelta(days=days))


class RecordsRequest(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="records_requests"
    )
    # Who it belongs to besides its owner (who made it): an organization's members see it
    # (viewers) and change it (editors, admins), and its letterhead signs the letters.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="requests")
    technologies = models.ManyToManyField(Technology, blank=True, related_name="requests")
    law = models.ForeignKey(Law, on_delete=models.PROTECT, related_name="requests")
    title = models.CharField(max_length=200)
    records_sought = models.TextField(help_text="What records you are asking for.")
    letter_body = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    embargo_until = models.DateField(null=True, blank=True)

    filing_method = models.CharField(max_length=10, choices=FilingMethod.choices, blank=True)
    filed_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    # What the agency says; the clock runs from the later of the two (rules.clock_start).
    agency_received_on = models.DateField("receipt date the agency states", null=True, blank=True)
    tracking_number = models.CharField("agency tracking number", max_length=100, blank=True)
    reply_token = models.CharField(max_length=40, unique=True, default=new_reply_token)

    # Deadlines, stored so lists and sweeps filter with one indexed query.
    determination_due = models.DateField(null=True, blank=True)
    extended_due = models.DateField(null=True, blank=True)
    # The second reading of §7922.535(b) (14 days added to the limit §12a moved), when later.
    extended_due_arguably = models.DateField(null=True, blank=True)
    # The agency stopped the clock to ask a question or about fees (FOIA only,
    # §552(a)(6)(A)(ii)); the working days it stood still push its deadlines back.
    clock_paused_on = models.DateField(null=True, blank=True)
    tolled_days = models.PositiveSmallIntegerField(default=0)
    clarification_tolled = models.BooleanField(default=False)  # a question tolls once
    promised_on = models.DateField("promised production date", null=True, blank=True)
    next_due = models.DateField(null=True, blank=True)
    next_due_kind = models.CharField(max_length=15, choices=DueKind.choices, blank=True)

    responded_on = models.DateField(null=True, blank=True)
    days_late = models.PositiveIntegerField(default=0)
    is_late = models.BooleanField(default=False)
    is_deficient = models.BooleanField(default=False)
    deficiencies = models.JSONField(default=list, blank=True)
    # What the agency's other moves lacked (extensions, promises, fees): Deficiency codes.
    procedure_flags = models.JSONField(default=list, blank=True)
    # A federal FOIA requester's own deadline to appeal an adverse determination.
    appeal_due = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # The requester's unsent follow-up and challenge letters, {letter kind: text}: private
    # drafts, never on the timeline until sent.
    letter_drafts = models.JSONField(default=dict, blank=True)

    # What a FOIA request asks for beyond the records (5 U.S.C. §552(a)(4)(A), (a)(6)(E)).
    fee_category = models.CharField(max_length=15, choices=FeeCategory.choices, blank=True)
    fee_waiver_requested = models.BooleanField(default=False)
    fee_waiver_reason = models.TextField(blank=True)
    expedited_requested = models.BooleanField("expedited processing requested", default=False)
    expedited_reason = models.TextField(blank=True)

    demo_key = models.CharField(max_length=60, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecordsRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(visibility="embargoed") | models.Q(embargo_until__isnull=False),
                name="embargo_needs_date",
            ),
            models.CheckConstraint(
                condition=models.Q(received_on__isnull=True)
                | models.Q(filed_on__isnull=True)
                | models.Q(received_on__gte=models.F("filed_on")),
                name="received_not_before_filed",
            ),
            models.CheckConstraint(
                condition=models.Q(extended_due__isnull=True)
                | models.Q(determination_due__isnull=True)
                | models.Q(extended_due__gte=models.F("determination_due")),
                name="extension_not_earlier_than_due",
            ),
            models.UniqueConstraint(
                fields=["demo_key"], condition=~models.Q(demo_key=""), name="unique_demo_key"
            ),
        ]
        indexes = [
            # A user's list sorted by deadline, with or without a status filter, reads the first
            # page straight from the index (at 1M requests a newsroom has 20k of its own).
            models.Index(fields=["owner", "status", "next_due"], name="request_owner_status_due"),
            models.Index(fields=["owner", "next_due"], name="request_owner_due"),
            # The agencies a user has asked (the list's agency menu), by index-only scan.
            models.Index(fields=["owner", "agency"], name="request_owner_agency"),
            models.Index(fields=["status", "next_due"], name="request_status_next_due"),
            models.Index(fields=["next_due"], name="request_next_due"),
            models.Index(fields=["agency", "status"], name="request_agency_status"),
            models.Index(fields=["visibility", "status"], name="request_visibility_status"),
            models.Index(fields=["is_deficient"], name="request_deficient"),
            # The reminder sweep's FOIA appeal deadlines: few rows have one.
            models.Index(
                fields=["appeal_due"],
                condition=models.Q(appeal_due__isnull=False),
                name="request_appeal_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("requests:detail", kwargs={"pk": self.pk})

    @property
    def reply_address(self) -> str:
        return f"request+{self.reply_token}@{settings.MAIL_DOMAIN}"

    def is_public_on(self, today) -> bool:
        if self.visibility == Visibility.PUBLIC:
            return True
        return (
            self.visibility == Visibility.EMBARGOED
            and self.embargo_until is not None
            and self.embargo_until <= today
        )

    @property
    def is_public(self) -> bool:
        return self.is_public_on(timezone.localdate())


def raw_message_path(instance: "Communication", filename: str) -> str:
    return f"messages/{instance.request_id}/{secrets.token_hex(8)}/{filename}"


class Communication(models.Model):
    request = models.ForeignKey(
        RecordsRequest, on_delete=models.CASCADE, related_name="communications"
    )
    direction = models.CharField(max_length=4, choices=Direction.choices)
    kind = models.CharField(max_length=10, choices=CommunicationKind.choices)
    letter_kind = models.CharField(max_length=20, choices=LetterKind.choices, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    from_address = models.CharField(max_length=300, blank=True)
    to_address = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(max_length=300, blank=True)
    # How an outgoing letter went when not by this app's email (portal, post, fax, in person).
    sent_via = models.CharField(max_length=10, choices=FilingMethod.choices, blank=True)
    is_private = models.BooleanField(
        default=False, help_text="Never shown on public pages, feeds or exports."
    )
    pdf = models.FileField(upload_to="letters/%Y/%m/", blank=True)
    # The email byte for byte (RFC 5322): a reply as it arrived, a letter as it went to the
    # server. What a court packet files; never parsed again.
    raw_message = models.FileField(
        "original email", upload_to=raw_message_path, blank=True, max_length=300
    )
    pdf_status = models.CharField(
        max_length=10, choices=PdfStatus.choices, blank=True, default=PdfStatus.NONE
    )
    pdf_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~models.Q(message_id=""),
                name="communication_unique_message_id",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="letter") | models.Q(letter_kind=""),
                name="letter_kind_only_on_letters",
            ),
        ]
        indexes = [models.Index(fields=["request", "sent_at"], name="communication_timeline")]

    def __str__(self) -> str:
        return self.subject or f"{self.get_kind_display()} of {self.sent_at:%Y-%m-%d}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.communication.request_id}/{secrets.token_hex(8)}/{filename}"


class Attachment(models.Model):
    communication = models.ForeignKey(
        Communication, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=150)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class Determination(models.Model):
    request = models.ForeignKey(
        RecordsRequest, on_delete=models.CASCADE, related_name="determinations"
    )
    kind = models.CharField(max_length=20, choices=DeterminationKind.choices)
    date = models.DateField(help_text="The date of the agency's response.")
    exemptions = models.ManyToManyField(Exemption, blank=True, related_name="determinations")
    other_exemptions = models.CharField(
        max_length=300, blank=True, help_text="Grounds cited that are not in our list."
    )
    official_name = models.CharField("responsible official", max_length=150, blank=True)
    official_title = models.CharField("official's title", max_length=150, blank=True)
    # Further people responsible for a denial, [{"name": ..., "title": ...}] (§7922.540(a)).
    more_officials = models.JSONField(default=list, blank=True)
    in_writing = models.BooleanField(default=True)
    other_law = models.CharField(
        "other law named", max_length=200, blank=True, help_text="For §7927.705 (former §6254(k))."
    )
    segregation_stated = models.BooleanField(
        "says no part could be released", default=False, help_text="§7922.525(b)."
    )
    fee_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    fee_basis = models.JSONField(default=list, blank=True)  # FeeBasis codes
    promised_date = models.DateField("records promised by", null=True, blank=True)
    extension_date = models.DateField(
        "determination expected by", null=True, blank=True, help_text="For extension notices."
    )
    extension_reason = models.TextField(blank=True)
    extension_ground = models.CharField(max_length=20, choices=ExtensionGround.choices, blank=True)
    catch_all_reasons = models.TextField(
        blank=True, help_text="The agency's explanation of the public interest, if any."
    )
    notes = models.TextField(blank=True)
    is_late = models.BooleanField(default=False)
    days_late = models.PositiveIntegerField(default=0)
    deficiencies = models.JSONField(default=list, blank=True)
    communication = models.ForeignKey(
        Communication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="determinations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fee_amount__isnull=True) | models.Q(fee_amount__gte=0),
                name="fee_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "date"], name="determination_kind_date"),
            # The denial log reads only withholdings: newest first, and "is there a later
            # one for this request" (its latest-per-request test), each an index range.
            models.Index(
                fields=["-date", "-id"],
                condition=models.Q(kind__in=sorted(WITHHOLDING_KINDS)),
                name="determination_withheld_date",
            ),
            models.Index(
                fields=["request", "date", "id"],
                condition=models.Q(kind__in=sorted(WITHHOLDING_KINDS)),
                name="determination_withheld_req",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.date:%Y-%m-%d}"

    @property
    def officials(self) -> list[tuple[str, str]]:
        """Every person named responsible, as (name, title); the first one first."""
        named = [(self.official_name, self.official_title)]
        named += [(o.get("name", ""), o.get("title", "")) for o in self.more_officials]
        return [(name, title) for name, title in named if name or title]

    @property
    def official(self) -> str:
        return "; ".join(", ".join(p for p in pair if p) for pair in self.officials)


class RequestItem(models.Model):
    """One numbered item of what a request asks for, and what the agency did with it.

    Read from the records sought as written ("1. The usage and privacy policy..."), so the
    letter and the items never disagree; linked to the checklist item it came from, which is
    how a campaign compares agencies item by item.
    """

    request = models.ForeignKey(RecordsRequest, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    checklist_item = models.ForeignKey(
        ChecklistItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="asked"
    )
    outcome = models.CharField(
        max_length=12, choices=ItemOutcome.choices, default=ItemOutcome.PENDING
    )
    exemption = models.ForeignKey(
        Exemption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="withheld_items",
        help_text="The exemption the agency cited for this item.",
    )
    promised_on = models.DateField(null=True, blank=True)
    determination = models.ForeignKey(
        Determination,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        help_text="The determination this outcome was recorded with.",
    )

    class Meta:
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="one_item_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class RequestEvent(models.Model):
    """Append-only history of every status and deadline change."""

    request = models.ForeignKey(RecordsRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    message = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "at"], name="event_timeline")]

    def __str__(self) -> str:
        return self.message
