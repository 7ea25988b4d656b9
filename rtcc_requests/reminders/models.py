"""The reminder ledger: one row per deadline event and person told, so each event is
emailed once to each of them."""

from django.conf import settings
from django.db import models

from rtcc_requests.requests.choices import DueKind
from rtcc_requests.requests.models import RecordsRequest

# The outbox key of a digest starts so: one recipient's reminders of one day, in one email.
DIGEST_PREFIX = "reminder-digest:"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Determination overdue"
    EXTENDED_PASSED = "extended_passed", "Extended deadline passed"
    PRODUCTION_PASSED = "production_passed", "Promised production date passed"
    STILL_OVERDUE = "still_overdue", "Still overdue"
    # The requester's own deadline to file a federal FOIA appeal (RecordsRequest.appeal_due).
    APPEAL_SOON = "appeal_soon", "Appeal deadline soon"
    APPEAL_TODAY = "appeal_today", "Appeal deadline today"
    APPEAL_PASSED = "appeal_passed", "Appeal deadline passed"


# What a reminder is about: the agency's deadline in force (DueKind), or the appeal deadline.
APPEAL_DUE = "appeal"
DUE_KIND_CHOICES = [*DueKind.choices, (APPEAL_DUE, "FOIA appeal due")]

# Kinds that mean the agency is late: the email links to the follow-up letter.
LATE_KINDS = frozenset(
    {
        ReminderKind.OVERDUE,
        ReminderKind.EXTENDED_PASSED,
        ReminderKind.PRODUCTION_PASSED,
        ReminderKind.STILL_OVERDUE,
    }
)
# Kinds about the requester's appeal deadline, not the agency's.
APPEAL_KINDS = frozenset(
    {ReminderKind.APPEAL_SOON, ReminderKind.APPEAL_TODAY, ReminderKind.APPEAL_PASSED}
)


class Reminder(models.Model):
    request = models.ForeignKey(RecordsRequest, on_delete=models.CASCADE, related_name="reminders")
    # Who is told: the request's owner, or a current editor or admin of its organization.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    # The deadline the event is about: a moved deadline is a new date, hence a new reminder.
    deadline = models.DateField()
    due_kind = models.CharField(max_length=15, choices=DUE_KIND_CHOICES)
    # 0 for one-off events; the week number for "still overdue" repeats.
    occurrence = models.PositiveSmallIntegerField(default=0)
    event_on = models.DateField(help_text="The day the sweep found the event.")
    # The outbox message that carries it (its own, or the recipient's digest of that day).
    outbox_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "recipient", "kind", "deadline", "occurrence"],
                name="reminder_once_per_recipient",
            ),
        ]
        indexes = [models.Index(fields=["event_on", "outbox_key"], name="reminder_event_on")]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.deadline:%Y-%m-%d} "
            f"(request {self.request_id}, to user {self.recipient_id})"
        )

    @property
    def is_late(self) -> bool:
        return self.kind in LATE_KINDS
