"""Reads for the sweep, the calendar feed and the dashboard, each one bounded query."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q, QuerySet

from rtcc_requests.accounts.models import NotifyMode, Profile
from rtcc_requests.outbox.models import OutboxMessage, OutboxStatus
from rtcc_requests.requests.models import RecordsRequest

from .models import Reminder

MAX_NOTICE_DAYS = 30  # Profile.notice_days is at most 30 (a database constraint).
REPEAT_EVERY_DAYS = 7
# Weekly "still overdue" reminders stop after a year; by then the user has been told 52 times.
REPEAT_FOR_WEEKS = 52
STREAM_CHUNK = 2000


def _event_dates_condition(today: date) -> Q:
    """Requests whose next deadline makes an event today, whatever the owner's notice days."""
    after = [today, today - timedelta(days=1)]
    after += [
        today - timedelta(days=1 + REPEAT_EVERY_DAYS * week)
        for week in range(1, REPEAT_FOR_WEEKS + 1)
    ]
    ahead = [today + timedelta(days=days) for days in range(1, MAX_NOTICE_DAYS + 1)]
    condition = Q(next_due__in=after)
    # One (date, notice) pair per possible preference: the database matches each owner's own.
    for days, day in enumerate(ahead, start=1):
        condition |= Q(next_due=day, owner__profile__notice_days=days)
    # The same dates on the request alone, so the next_due index narrows the scan first.
    return Q(next_due__in=after + ahead) & condition


def deadline_events_on(*, today: date) -> Iterator[tuple]:
    """(request id, owner id, next_due, next_due_kind, notice_days, notify_mode), by request id.

    Only open requests of owners who want reminders and have an address to send them to.
    """
    return (
        RecordsRequest.objects.open()
        .filter(_event_dates_condition(today), next_due__isnull=False)
        .exclude(owner__profile__notify_mode=NotifyMode.OFF)
        .exclude(owner__email="")
        .order_by("pk")
        .values_list(
            "pk",
            "owner_id",
            "next_due",
            "next_due_kind",
            "owner__profile__notice_days",
            "owner__profile__notify_mode",
        )
        .iterator(chunk_size=STREAM_CHUNK)
    )


class UnsentReminder(NamedTuple):
    pk: int
    outbox_key: str
    kind: str
    due_kind: str
    deadline: date
    request_id: int
    title: str
    agency: str
    owner_id: int
    owner_email: str


def reminders_to_email(*, today: date) -> Iterator[UnsentReminder]:
    """Today's reminders whose email is not in the outbox yet, grouped by outbox key.

    Plain rows with what the sweep stores (subject, address, ids), not model instances: at
    a million open requests they are a hundred thousand, and the bodies are written later.
    """
    queued = OutboxMessage.objects.filter(idempotency_key=OuterRef("outbox_key"))
    rows = (
        Reminder.objects.filter(event_on=today)
        .filter(~Exists(queued))
        .order_by("outbox_key", "request__next_due", "pk")
        .values_list(
            "pk",
            "outbox_key",
            "kind",
            "due_kind",
            "deadline",
            "request_id",
            "request__title",
            "request__agency__name",
            "request__owner_id",
            "request__owner__email",
        )
        .iterator(chunk_size=STREAM_CHUNK)
    )
    return (UnsentReminder(*row) for row in rows)


def pending_message_ids_for(*, today: date) -> list[int]:
    keys = Reminder.objects.filter(event_on=today).values("outbox_key")
    return list(
        OutboxMessage.objects.filter(
            idempotency_key__in=keys, status=OutboxStatus.PENDING
        ).values_list("pk", flat=True)
    )


def open_deadlines_for(*, user) -> QuerySet[RecordsRequest]:
    """The deadline in force of each open request of this user, for the calendar feed."""
    return (
        RecordsRequest.objects.open()
        .filter(owner=user, next_due__isnull=False)
        .select_related("agency", "law")
        .order_by("next_due", "pk")
    )


def profile_for_calendar_token(*, token: str) -> Profile:
    """Profile.DoesNotExist for an unknown (or reset) token."""
    return Profile.objects.select_related("user").get(calendar_token=token)
