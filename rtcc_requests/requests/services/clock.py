"""The deadlines in force for a request, counted from what they depend on: the receipt we know
and the one the agency states, the agency's closure days, a valid extension notice, and the
working days a FOIA clock stood still. Every service that changes one of these calls
`recount`, so the stored dates (read by lists and the sweep) never disagree with the statute.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from rtcc_requests.agencies.selectors import closure_days, closure_days_by_agency
from rtcc_requests.laws import calendar

from .. import rules
from ..choices import DeterminationKind, DueKind, EventKind, Status
from ..models import Determination, RecordsRequest, RequestEvent
from ._shared import RequestError, move, record_event


@dataclass(frozen=True)
class Clock:
    """How a request's deadlines are counted now."""

    start: date
    closures: dict[date, str]
    determination: calendar.Deadline
    # The longest extension the law allows (None for a law without extensions).
    maximum: calendar.Deadline | None

    @property
    def latest_lawful(self) -> date:
        """The last day the law lets the agency determine, reading it the agency's way."""
        if self.maximum is None:
            return self.determination.due
        return self.maximum.arguably or self.maximum.due


def clock_for(
    request: RecordsRequest,
    *,
    start: date | None = None,
    closures: dict[date, str] | None = None,
) -> Clock:
    """The count for `request` (from `start` instead of its own receipt dates, if given;
    with `closures` already read, instead of reading the agency's)."""
    start = start or rules.clock_start(request.received_on, request.agency_received_on)
    if start is None:
        raise RequestError("Record the filing first: the clock starts when the agency receives it.")
    rule = request.law.deadline_rule
    if closures is None:
        closures = closure_days(agency=request.agency)
    try:
        determination = calendar.determination_due(rule, start, closures=closures)
        maximum = (
            calendar.determination_due(rule, start, extended=True, closures=closures)
            if rule.extension_days
            else None
        )
    except calendar.OutsideCalendar as outside:
        raise RequestError(str(outside)) from outside
    if request.tolled_days:
        determination = _pushed_back(determination, request, closures)
        maximum = maximum and _pushed_back(maximum, request, closures)
    return Clock(start, closures, determination, maximum)


def _pushed_back(deadline: calendar.Deadline, request, closures) -> calendar.Deadline:
    # FOIA's tolling: the working days the agency waited for the requester do not count.
    due = calendar.add_working_days(
        deadline.due, request.tolled_days, request.law.holiday_calendar, closures=closures
    )
    return replace(deadline, due=due, arguably=None)


def extension_dates(clock: Clock, named: date) -> tuple[date, date | None]:
    """The extended due date a valid notice naming `named` gives, and its second reading.

    §7922.535(b): the notice names the date a determination is expected, at most the legal
    maximum; an earlier named date binds the agency (never earlier than the first deadline).
    """
    assert clock.maximum is not None
    floor = clock.determination.due
    due = max(floor, min(named, clock.maximum.due))
    arguably = clock.maximum.arguably
    arguably = max(floor, min(named, arguably)) if arguably else None
    return due, (arguably if arguably and arguably > due else None)


def deadline_in_force(request: RecordsRequest) -> date | None:
    """The date the agency's answer is measured against now (None while the clock stands
    still); with two readings of an extension, the later one (late only after both)."""
    if request.clock_paused_on is not None:
        return None
    if request.extended_due:
        return request.extended_due_arguably or request.extended_due
    return request.determination_due


def recount(request: RecordsRequest, *, actor, why: str) -> None:
    """Count the determination and extended deadlines again; say so if they moved."""
    notice = _extension_named_dates([request.pk]).get(request.pk)
    moved = _recounted(request, clock_for(request), notice=notice, why=why)
    if moved:
        record_event(
            request,
            actor=actor,
            kind=EventKind.DEADLINE,
            message=moved,
            data={"determination_due": request.determination_due.isoformat()},
        )
    refresh_next_due(request, actor=actor, announce=False)


def recount_for_agencies(*, agency_ids: Iterable[int], why: str) -> int:
    """Recount every request still waiting for a determination from these agencies, after
    their closure days changed; a bounded number of queries however many there are."""
    agency_ids = set(agency_ids)
    waiting = list(
        RecordsRequest.objects.filter(
            agency_id__in=agency_ids, status__in=rules.OPEN_STATUSES, responded_on=None
        )
        .exclude(received_on=None)
        .select_related("law")
    )
    closures = closure_days_by_agency(agency_ids=agency_ids)
    notices = _extension_named_dates([r.pk for r in waiting])
    changed, events = [], []
    for request in waiting:
        try:
            clock = clock_for(request, closures=closures[request.agency_id])
        except RequestError:
            continue  # a date the calendar does not cover: left as it was counted
        moved = _recounted(request, clock, notice=notices.get(request.pk), why=why)
        if moved:
            refresh_next_due(request, actor=None, announce=False)
            changed.append(request)
            events.append(
                RequestEvent(request=request, kind=EventKind.DEADLINE, message=moved[:500])
            )
    RecordsRequest.objects.bulk_update(changed, _COUNTED_FIELDS, batch_size=500)
    RequestEvent.objects.bulk_create(events, batch_size=500)
    return len(changed)


_COUNTED_FIELDS = ["determination_due", "extended_due", "extended_due_arguably", "next_due",
                   "next_due_kind"]  # fmt: skip


def _extension_named_dates(request_ids) -> dict[int, date]:
    """The date each request's (valid) extension notice named, latest notice first."""
    rows = (
        Determination.objects.filter(request_id__in=request_ids, kind=DeterminationKind.EXTENSION)
        .exclude(extension_date=None)
        .order_by("request_id", "date", "pk")
        .values_list("request_id", "extension_date")
    )
    return dict(rows)


def _recounted(request: RecordsRequest, clock: Clock, *, notice: date | None, why: str) -> str:
    """Set the request's counted dates from `clock`; what moved, in words ("" if nothing)."""
    before = (request.determination_due, request.extended_due, request.extended_due_arguably)
    request.determination_due = clock.determination.due
    if request.extended_due is not None and notice is not None and clock.maximum is not None:
        request.extended_due, request.extended_due_arguably = extension_dates(clock, notice)
    if before == (request.determination_due, request.extended_due, request.extended_due_arguably):
        return ""
    moved = f"{why} Determination due {calendar.format_day(request.determination_due)}"
    if request.extended_due:
        moved += f"; extended to {calendar.format_day(request.extended_due)}"
    return f"{moved}."


def refresh_next_due(request: RecordsRequest, *, actor, announce: bool = True) -> None:
    """The one deadline in force now, stored for indexed list filters and the sweep."""
    previous = request.next_due
    if not rules.is_open(request.status) or request.clock_paused_on is not None:
        # Finished, or the ball is in the requester's court (a FOIA question or fee).
        request.next_due, request.next_due_kind = None, ""
    elif request.responded_on:
        # The agency determined; what it still owes is the records it promised.
        request.next_due = request.promised_on
        request.next_due_kind = DueKind.PRODUCTION if request.promised_on else ""
    elif request.extended_due:
        request.next_due, request.next_due_kind = deadline_in_force(request), DueKind.EXTENDED
    else:
        # Waiting, acknowledged, asked a question or a fee under the CPRA: the clock runs on.
        request.next_due = request.determination_due
        request.next_due_kind = DueKind.DETERMINATION if request.determination_due else ""
    if announce and previous != request.next_due and request.next_due:
        record_event(
            request,
            actor=actor,
            kind=EventKind.DEADLINE,
            message=f"Next deadline: {DueKind(request.next_due_kind).label.lower()} "
            f"{request.next_due:%a %-d %b %Y}.",
            data={"next_due": request.next_due.isoformat()},
        )


def resume_after_answer(request: RecordsRequest, *, actor, answered_on: date) -> None:
    """The requester answered the agency's question or fee: the agency owes its answer again,
    and a FOIA clock that stood still runs on, its deadlines pushed back by the working days
    it stood. Call inside the transaction that logs the answer, on a locked request."""
    if request.status not in (Status.CLARIFICATION, Status.AWAITING_FEE):
        return
    if request.clock_paused_on is not None:
        if answered_on < request.clock_paused_on:
            raise RequestError("The answer cannot predate the agency's question.")
        stood = calendar.working_days_between(
            request.clock_paused_on,
            answered_on,
            request.law.holiday_calendar,
            closures=closure_days(agency=request.agency),
        )
        request.tolled_days += stood
        request.clock_paused_on = None
        recount(request, actor=actor, why=f"The clock runs again after {stood} working days.")
    target = Status.PRODUCING if request.responded_on else Status.FILED
    move(request, target, actor=actor, message="You answered the agency.")
    refresh_next_due(request, actor=actor)
