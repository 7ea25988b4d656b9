"""The reminder ledger: one row per deadline event, so each event is emailed once."""

from django.db import models

from rtcc_requests.requests.choices import DueKind
from rtcc_requests.requests.models import RecordsRequest


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Determination overdue"
    EXTENDED_PASSED = "extended_passed", "Extended deadline passed"
    PRODUCTION_PASSED = "production_passed", "Promised production date passed"
    STILL_OVERDUE = "still_overdue", "Still overdue"


# Kinds that mean the agency is late: the email links to the follow-up letter.
LATE_KINDS = frozenset(
    {
        ReminderKind.OVERDUE,
        ReminderKind.EXTENDED_PASSED,
        ReminderKind.PRODUCTION_PASSED,
        ReminderKind.STILL_OVERDUE,
    }
)


class Reminder(models.Model):
    request = models.ForeignKey(RecordsRequest, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    # The deadline the event is about: a moved deadline is a new date, hence a new reminder.
    deadline = models.DateField()
    due_kind = models.CharField(max_length=15, choices=DueKind.choices)
    # 0 for one-off events; the week number for "still overdue" repeats.
    occurrence = models.PositiveSmallIntegerField(default=0)
    event_on = models.DateField(help_text="The day the sweep found the event.")
    # The outbox message that carries it (its own, or the owner's digest of that day).
    outbox_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "deadline", "occurrence"], name="reminder_once_per_event"
            ),
        ]
        indexes = [models.Index(fields=["event_on", "outbox_key"], name="reminder_event_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.deadline:%Y-%m-%d} (request {self.request_id})"

    @property
    def is_late(self) -> bool:
        return self.kind in LATE_KINDS
