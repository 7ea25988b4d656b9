"""Reads for the sweep, the calendar feed and the dashboard, each one bounded query."""

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from rtcc_requests.accounts.models import CHANGING_ROLES, Membership, NotifyMode, Profile
from rtcc_requests.outbox.models import OutboxMessage, OutboxStatus
from rtcc_requests.requests.choices import Status
from rtcc_requests.requests.models import RecordsRequest
from rtcc_requests.requests.rules import OPEN_STATUSES, TERMINAL_STATUSES

from .models import DIGEST_PREFIX, Reminder

MAX_NOTICE_DAYS = 30  # Profile.notice_days is at most 30 (a database constraint).
REPEAT_EVERY_DAYS = 7
# Weekly "still overdue" reminders stop after a year; by then the user has been told 52 times.
REPEAT_FOR_WEEKS = 52
STREAM_CHUNK = 2000


def _ahead(today: date) -> list[date]:
    return [today + timedelta(days=days) for days in range(1, MAX_NOTICE_DAYS + 1)]


def _notice_condition(field: str, notice: str, ahead: list[date]) -> Q:
    """`field` is as many days ahead as the recipient wants notice (`notice`: the path to
    their Profile.notice_days): one (date, notice) pair per possible preference, so the
    database matches each recipient's own."""
    condition = Q()
    for days, day in enumerate(ahead, start=1):
        condition |= Q(**{field: day, notice: days})
    return condition


def _event_dates_condition(today: date, *, request: str, notice: str) -> Q:
    """Requests whose next deadline makes an event today, whatever the recipient's notice
    days (`request`: the path to the request's fields)."""
    after = [today, today - timedelta(days=1)]
    after += [
        today - timedelta(days=1 + REPEAT_EVERY_DAYS * week)
        for week in range(1, REPEAT_FOR_WEEKS + 1)
    ]
    ahead = _ahead(today)
    field = f"{request}next_due"
    condition = Q(**{f"{field}__in": after}) | _notice_condition(field, notice, ahead)
    # The same dates on the request alone, so the next_due index narrows the scan first.
    return Q(**{f"{field}__in": after + ahead}) & condition


def _appeal_dates_condition(today: date, *, request: str, notice: str) -> Q:
    """Requests whose FOIA appeal deadline is today, was yesterday, or is the recipient's
    notice ahead. Only once after it passed: an appeal deadline missed cannot be met by
    nagging."""
    after = [today, today - timedelta(days=1)]
    ahead = _ahead(today)
    field = f"{request}appeal_due"
    condition = Q(**{f"{field}__in": after}) | _notice_condition(field, notice, ahead)
    return Q(**{f"{field}__in": after + ahead}) & condition


# Not ~Q(status__in=TERMINAL_STATUSES): negated through the membership's join to its
# requests, that is a subquery per row.
_NOT_ENDED = sorted(set(Status.values) - TERMINAL_STATUSES)


def _deadlines_condition(today: date, *, request: str, recipient: str) -> Q:
    """A request (at path `request`) with a deadline event today for a recipient (at path
    `recipient`, a user) who wants reminders and has an address to send them to."""
    notice = f"{recipient}profile__notice_days"
    agency_deadline = Q(
        **{f"{request}status__in": OPEN_STATUSES, f"{request}next_due__isnull": False}
    ) & _event_dates_condition(today, request=request, notice=notice)
    appeal_deadline = (
        Q(**{f"{request}appeal_due__isnull": False})
        & Q(**{f"{request}status__in": _NOT_ENDED})
        & _appeal_dates_condition(today, request=request, notice=notice)
    )
    return (
        (agency_deadline | appeal_deadline)
        & ~Q(**{f"{recipient}profile__notify_mode": NotifyMode.OFF})
        & ~Q(**{f"{recipient}email": ""})
    )


class DeadlineEvent(NamedTuple):
    pk: int
    recipient_id: int
    status: str
    next_due: date | None
    next_due_kind: str
    appeal_due: date | None
    notice_days: int
    notify_mode: str


_COLUMNS = ("pk", "status", "next_due", "next_due_kind", "appeal_due")


def _values(*, request: str, recipient: str) -> list[str]:
    """The columns of a DeadlineEvent, in its order, from these paths."""
    request_id, *columns = (f"{request}{column}" for column in _COLUMNS)
    preferences = (f"{recipient}profile__notice_days", f"{recipient}profile__notify_mode")
    return [request_id, f"{recipient}id", *columns, *preferences]


def deadline_events_on(*, today: date) -> Iterator[DeadlineEvent]:
    """(Request, recipient) pairs with a deadline event today, by request id, in one query.

    The agency's deadline in force of open requests, and the requester's own FOIA appeal
    deadline of any request not ended. Its recipients: the owner, and the current editors
    and admins of its organization (memberships are read now: who left or was removed is
    not told; viewers only read), each by their own notice days, if they want reminders and
    have an address. The owner is told once, whatever their role. A row may carry both
    deadlines; the sweep tells which makes an event.
    """
    owners = RecordsRequest.objects.filter(
        _deadlines_condition(today, request="", recipient="owner__")
    ).values_list(*_values(request="", recipient="owner__"))
    # From the membership: a request's fields through one join, all in one filter() call so
    # every condition and column reads the same request row.
    request = "organization__requests__"
    members = Membership.objects.filter(
        _deadlines_condition(today, request=request, recipient="user__"),
        ~Q(user=F(f"{request}owner")),
        role__in=CHANGING_ROLES,
    ).values_list(*_values(request=request, recipient="user__"))
    rows = (
        owners.order_by()
        .union(members.order_by(), all=True)
        .order_by("pk", "owner__id")
        .iterator(chunk_size=STREAM_CHUNK)
    )
    return (DeadlineEvent(*row) for row in rows)


class UnsentReminder(NamedTuple):
    pk: int
    outbox_key: str
    kind: str
    due_kind: str
    deadline: date
    request_id: int
    title: str
    agency: str
    recipient_id: int
    recipient_email: str
    # The law's count, so the subject says "working days" where the law counts them.
    day_type: str
    holiday_calendar: str


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
            "recipient_id",
            "recipient__email",
            "request__law__day_type",
            "request__law__holiday_calendar",
        )
        .iterator(chunk_size=STREAM_CHUNK)
    )
    return (UnsentReminder(*row) for row in rows)


def digests_made_on(*, today: date) -> dict[int, int]:
    """How many digests each recipient has had today (one query): their reminders' distinct
    keys."""
    rows = (
        Reminder.objects.filter(event_on=today, outbox_key__startswith=DIGEST_PREFIX)
        .values_list("recipient_id", "outbox_key")
        .order_by()  # not by Meta.ordering's pk, which would make every row distinct
        .distinct()
    )
    made: dict[int, int] = {}
    for recipient_id, _key in rows:
        made[recipient_id] = made.get(recipient_id, 0) + 1
    return made


def pending_message_ids_for(*, today: date) -> list[int]:
    keys = Reminder.objects.filter(event_on=today).values("outbox_key")
    return list(
        OutboxMessage.objects.filter(
            idempotency_key__in=keys, status=OutboxStatus.PENDING
        ).values_list("pk", flat=True)
    )


def open_deadlines_for(*, user) -> QuerySet[RecordsRequest]:
    """The deadline in force of each open request this user works on (their own and their
    organizations'), for the calendar feed."""
    return (
        RecordsRequest.objects.open()
        .worked_on_by(user)
        .filter(next_due__isnull=False)
        .select_related("agency", "law")
        .order_by("next_due", "pk")
    )


def appeal_deadlines_for(*, user) -> QuerySet[RecordsRequest]:
    """The FOIA appeal deadline of each request of this user not ended, for the calendar feed."""
    return (
        RecordsRequest.objects.worked_on_by(user)
        .filter(appeal_due__isnull=False)
        .exclude(status__in=TERMINAL_STATUSES)
        .select_related("agency", "law")
        .order_by("appeal_due", "pk")
    )


def profile_for_calendar_token(*, token: str) -> Profile:
    """Profile.DoesNotExist for an unknown (or reset) token."""
    if not _TOKEN.fullmatch(token):
        raise Profile.DoesNotExist  # not one we could have made (a NUL, say): no query
    return Profile.objects.select_related("user").get(calendar_token=token)


# accounts.models.new_calendar_token: URL-safe base64 (secrets.token_urlsafe).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
