"""The daily deadline sweep: record each deadline event once per recipient, email it once.

Who is told: the request's owner and the current editors and admins of its organization
(selectors.deadline_events_on), each by their own preferences (notice days, one email per
event or a daily digest, or none).

Exactly once, in two layers. A `Reminder` row is unique per (request, recipient, kind,
deadline date, occurrence), so sweeping twice, or from two processes at once, records each
event once for each recipient. Its email is an outbox row whose idempotency key derives from
the reminder (or from the recipient and the day, for a digest), stored in the same
transaction and delivered after commit by the outbox's claim-before-send. A crash before
the commit loses nothing (the next run redoes it); a crash after it leaves pending outbox
rows, which the next sweep of the day or the outbox's periodic recovery queues again.

The sweep stores each email's subject and what it is about, not its body: the worker that
sends it writes the body (outbox/renderers.py). At a million open requests that is a
hundred thousand emails, whose text would otherwise be half a gigabyte in one transaction.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.db import transaction

from rtcc_requests.accounts.models import NotifyMode, Profile, new_calendar_token
from rtcc_requests.common.db import insert_ignoring_conflicts, read_to_the_end
from rtcc_requests.outbox.models import OutboxMessage
from rtcc_requests.outbox.services import outbox_queue_delivery, outbox_store_many
from rtcc_requests.requests.choices import DueKind
from rtcc_requests.requests.rules import OPEN_STATUSES, TERMINAL_STATUSES

from . import selectors
from .emails import (
    DIGEST_RENDERER,
    EVENT_RENDERER,
    Links,
    digest_subject,
    email_headers,
    render_args,
    subject_line,
    working_days_calendar,
)
from .models import APPEAL_DUE, DIGEST_PREFIX, Reminder, ReminderKind

# Rows per INSERT: well under PostgreSQL's 65,535 parameters, and bounds the memory held.
REMINDER_BATCH = 5000
EMAIL_BATCH = 2000
# ... and a cap on the data held at once: a digest of a busy newsroom lists many reminders.
EMAIL_BATCH_BYTES = 16 * 1024 * 1024

_DAY_AFTER = {
    DueKind.DETERMINATION: ReminderKind.OVERDUE,
    DueKind.EXTENDED: ReminderKind.EXTENDED_PASSED,
    DueKind.PRODUCTION: ReminderKind.PRODUCTION_PASSED,
}


@dataclass
class SweepResult:
    today: date
    counts: Counter = field(default_factory=Counter)  # new reminders by kind
    emails: int = 0  # outbox messages created by this run (digests count once)

    @property
    def reminders(self) -> int:
        return sum(self.counts.values())


def event_for(
    *, next_due: date, next_due_kind: str, notice_days: int, today: date
) -> tuple[str, int] | None:
    """The reminder (kind, occurrence) a deadline makes today, if any."""
    days = (next_due - today).days
    if days == 0:
        return ReminderKind.DUE_TODAY, 0
    if days > 0:
        return (ReminderKind.DUE_SOON, 0) if days == notice_days else None
    late = -days - 1  # days since the day after the deadline
    if late == 0:
        return _DAY_AFTER.get(next_due_kind, ReminderKind.OVERDUE), 0
    week, rest = divmod(late, selectors.REPEAT_EVERY_DAYS)
    if rest == 0 and week <= selectors.REPEAT_FOR_WEEKS:
        return ReminderKind.STILL_OVERDUE, week
    return None


def appeal_event_for(*, appeal_due: date, notice_days: int, today: date) -> str | None:
    """The reminder kind the requester's FOIA appeal deadline makes today, if any.

    The agency's schedule before and on the day; after it, one notice the day after: weekly
    repeats are for an agency that is still late, and a missed appeal deadline stays missed.
    """
    days = (appeal_due - today).days
    if days == 0:
        return ReminderKind.APPEAL_TODAY
    if days > 0:
        return ReminderKind.APPEAL_SOON if days == notice_days else None
    return ReminderKind.APPEAL_PASSED if days == -1 else None


def events_of(row: selectors.DeadlineEvent, *, today: date) -> list[tuple[str, date, str, int]]:
    """(kind, deadline, due kind, occurrence) of every event one request makes today."""
    found = []
    if row.status in OPEN_STATUSES and row.next_due is not None:
        event = event_for(
            next_due=row.next_due,
            next_due_kind=row.next_due_kind,
            notice_days=row.notice_days,
            today=today,
        )
        if event is not None:
            kind, occurrence = event
            found.append((kind, row.next_due, row.next_due_kind, occurrence))
    if row.appeal_due is not None and row.status not in TERMINAL_STATUSES:
        kind = appeal_event_for(appeal_due=row.appeal_due, notice_days=row.notice_days, today=today)
        if kind is not None:
            found.append((kind, row.appeal_due, APPEAL_DUE, 0))
    return found


def event_key(
    *, request_id: int, recipient_id: int, kind: str, deadline: date, occurrence: int
) -> str:
    """One recipient's email of one event. (Before reminders had recipients, keys had no
    recipient: `reminder:{request}:{kind}:{deadline}:{occurrence}`, one part fewer, so the
    two never collide.)"""
    return f"reminder:{request_id}:{recipient_id}:{kind}:{deadline.isoformat()}:{occurrence}"


def digest_key(*, user_id: int, today: date, sequence: int = 0) -> str:
    """The key of a recipient's `sequence`-th digest of the day (the first has no number)."""
    key = f"{DIGEST_PREFIX}{user_id}:{today.isoformat()}"
    return f"{key}:{sequence}" if sequence else key


def reminders_sweep(*, today: date) -> SweepResult:
    """Record today's deadline events and queue their emails; safe to run any number of times."""
    result = SweepResult(today=today)
    with transaction.atomic():
        read_to_the_end()
        _record_reminders(today)
        _queue_emails(today, result)
        # Every pending message of today's reminders, not only ours: re-queuing one another
        # sweep queued is harmless (the outbox claims before sending) and heals lost tasks.
        outbox_queue_delivery(selectors.pending_message_ids_for(today=today))
    return result


def _record_reminders(today: date) -> None:
    # A digest already made today has its email: reminders recorded since (a deadline that
    # appeared after the first sweep, a new member) go in the recipient's next digest of the
    # day, not into one that is queued or sent.
    digests_made = selectors.digests_made_on(today=today)
    batch: list[Reminder] = []
    for row in selectors.deadline_events_on(today=today):
        for kind, due, due_kind, occurrence in events_of(row, today=today):
            if row.notify_mode == NotifyMode.DIGEST:
                sequence = digests_made.get(row.recipient_id, 0)
                key = digest_key(user_id=row.recipient_id, today=today, sequence=sequence)
            else:
                key = event_key(
                    request_id=row.pk,
                    recipient_id=row.recipient_id,
                    kind=kind,
                    deadline=due,
                    occurrence=occurrence,
                )
            batch.append(
                Reminder(
                    request_id=row.pk,
                    recipient_id=row.recipient_id,
                    kind=kind,
                    deadline=due,
                    due_kind=due_kind,
                    occurrence=occurrence,
                    event_on=today,
                    outbox_key=key,
                )
            )
        if len(batch) >= REMINDER_BATCH:
            _insert_reminders(batch)
            batch = []
    _insert_reminders(batch)


def _insert_reminders(batch: list[Reminder]) -> None:
    # A row another sweep (or an earlier run) inserted is skipped, not an error.
    if batch:
        insert_ignoring_conflicts(batch, batch_size=REMINDER_BATCH)


def _queue_emails(today: date, result: SweepResult) -> None:
    messages: list[OutboxMessage] = []
    size = 0
    links = Links.current()
    unsent = selectors.reminders_to_email(today=today)
    for key, group in groupby(unsent, key=lambda reminder: reminder.outbox_key):
        reminders = list(group)
        result.counts.update(reminder.kind for reminder in reminders)
        message = _message(key, reminders, today, links)
        messages.append(message)
        size += len(message.subject) + 12 * len(message.render_args["reminders"])
        if len(messages) >= EMAIL_BATCH or size >= EMAIL_BATCH_BYTES:
            _insert_messages(messages, result)
            messages, size = [], 0
    _insert_messages(messages, result)


def _message(
    key: str, reminders: list[selectors.UnsentReminder], today: date, links: Links
) -> OutboxMessage:
    """The email of one event (or one recipient's digest), its body written when it is sent."""
    first = reminders[0]
    if key.startswith(DIGEST_PREFIX):
        subject, renderer, about = digest_subject(reminders, today=today), DIGEST_RENDERER, None
    else:
        subject = subject_line(
            kind=first.kind, due_kind=first.due_kind, deadline=first.deadline,
            agency=first.agency, title=first.title, today=today,
            working_days=working_days_calendar(first.day_type, first.holiday_calendar),
        )  # fmt: skip
        renderer, about = EVENT_RENDERER, first.request_id
    return OutboxMessage(
        idempotency_key=key,
        to=[first.recipient_email],
        subject=subject[:300],
        body_text="",
        render_with=renderer,
        render_args=render_args(reminders, today=today),
        headers=email_headers(key, links.preferences),
        user_id=first.recipient_id,
        records_request_id=about,
    )


def _insert_messages(messages: list[OutboxMessage], result: SweepResult) -> None:
    # The unique idempotency key keeps one row per email when two sweeps race.
    if messages:
        outbox_store_many(messages, batch_size=EMAIL_BATCH)
        result.emails += len(messages)


def calendar_token_reset(*, user) -> str:
    """Give the user a new calendar address; the old one stops working at once."""
    token = new_calendar_token()
    with transaction.atomic():
        Profile.objects.filter(user=user).update(calendar_token=token)
    return token


__all__ = [
    "SweepResult",
    "appeal_event_for",
    "calendar_token_reset",
    "event_for",
    "events_of",
    "reminders_sweep",
]
