"""The agency's answers: status, deadlines, lateness and deficiencies recorded at once."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction

from rtcc_requests.laws import calendar
from rtcc_requests.laws.models import Exemption

from .. import rules
from ..choices import DeterminationKind, DueKind, EventKind, Status
from ..lifecycle import STATUS_FOR_DETERMINATION, check_transition
from ..models import Communication, Determination, RecordsRequest
from ._shared import RequestError, locked, move, record_event


def determination_record(
    *,
    records_request: RecordsRequest,
    actor,
    kind: str,
    response_date: date,
    exemptions: Iterable[Exemption] = (),
    other_exemptions: str = "",
    official_name: str = "",
    official_title: str = "",
    in_writing: bool = True,
    fee_amount: Decimal | None = None,
    promised_date: date | None = None,
    extension_date: date | None = None,
    extension_reason: str = "",
    catch_all_reasons: str = "",
    notes: str = "",
    communication: Communication | None = None,
) -> Determination:
    """Record the agency's response of `response_date` and what it does to the request."""
    exemptions = list(exemptions)
    if kind not in DeterminationKind.values:
        raise RequestError(f"Unknown determination kind {kind!r}.")
    if fee_amount is not None and fee_amount < 0:
        raise RequestError("A fee cannot be negative.")
    with transaction.atomic():
        request = locked(records_request)
        if request.received_on and response_date < request.received_on:
            raise RequestError("The response cannot predate the agency's receipt of the request.")
        if any(e.law_id != request.law_id for e in exemptions):
            raise RequestError(f"Cite only exemptions of the {request.law.short_name}.")
        target = STATUS_FOR_DETERMINATION[kind]
        check_transition(request.status, target)

        late_by = rules.days_late(
            kind,
            deadline=request.extended_due or request.determination_due,
            answered_on=response_date,
            promised_date=promised_date,
        )
        deficiencies = rules.deficiencies(
            kind=kind,
            is_late=late_by > 0,
            official_name=official_name,
            official_title=official_title,
            in_writing=in_writing,
            exemptions=exemptions,
            other_exemptions=other_exemptions,
            catch_all_reasons=catch_all_reasons,
        )
        determination = Determination.objects.create(
            request=request,
            kind=kind,
            date=response_date,
            other_exemptions=other_exemptions,
            official_name=official_name,
            official_title=official_title,
            in_writing=in_writing,
            fee_amount=fee_amount,
            promised_date=promised_date,
            extension_date=extension_date,
            extension_reason=extension_reason,
            catch_all_reasons=catch_all_reasons,
            notes=notes,
            is_late=late_by > 0,
            days_late=late_by,
            deficiencies=deficiencies,
            communication=communication,
            created_by=actor,
        )
        determination.exemptions.set(exemptions)

        label = DeterminationKind(kind).label
        late_text = f", {late_by} day{'s' if late_by != 1 else ''} late" if late_by else ""
        move(
            request,
            target,
            actor=actor,
            message=f"{label} of {response_date:%-d %b %Y}{late_text}.",
            data={"determination": determination.pk},
        )
        counted = rules.counts_against_clock(kind, promised_date=promised_date)
        if counted and request.responded_on is None and kind != DeterminationKind.EXTENSION:
            request.responded_on = response_date
            request.is_late, request.days_late = late_by > 0, late_by
        if kind == DeterminationKind.EXTENSION:
            _apply_extension(request, actor=actor, notice_date=extension_date, late_by=late_by)
        if promised_date:
            request.promised_on = promised_date
        _refresh_next_due(request, kind=kind, actor=actor)
        if kind in rules.WITHHOLDING_KINDS:
            request.deficiencies = deficiencies
            request.is_deficient = bool(deficiencies)
        elif kind == DeterminationKind.RELEASED:
            request.deficiencies, request.is_deficient = [], False
        request.save()
    return determination


def _apply_extension(
    request: RecordsRequest, *, actor, notice_date: date | None, late_by: int
) -> None:
    if request.received_on is None:
        raise RequestError("Record the filing before an extension.")
    if request.law.extension_days == 0:
        raise RequestError(f"The {request.law.short_name} provides no extension.")
    due, overlong = calendar.extended_due(
        request.law.deadline_rule, request.received_on, notice_date=notice_date
    )
    # A notice naming a date before the original deadline cannot shorten it.
    due = max(due, request.determination_due or due)
    request.extended_due, request.extension_overlong = due, overlong
    if late_by:
        request.is_late, request.days_late = True, late_by
    message = f"Extended: determination now due {due:%a %-d %b %Y}."
    if overlong:
        message += (
            f" The notice named {notice_date:%-d %b %Y}, beyond the "
            f"{request.law.extension_days}-day legal maximum; we count the maximum."
        )
    record_event(
        request,
        actor=actor,
        kind=EventKind.DEADLINE,
        message=message,
        data={"extended_due": due.isoformat(), "overlong": overlong},
    )


def _refresh_next_due(request: RecordsRequest, *, kind: str, actor) -> None:
    """The one deadline in force now, stored for indexed list filters and the sweep."""
    previous = request.next_due
    if not rules.is_open(request.status):
        request.next_due, request.next_due_kind = None, ""
    elif request.promised_on and request.responded_on:
        request.next_due, request.next_due_kind = request.promised_on, DueKind.PRODUCTION
    elif request.status == Status.AWAITING_FEE or request.responded_on:
        # The agency answered; the ball is in the requester's court or nothing is owed.
        request.next_due, request.next_due_kind = None, ""
    elif request.extended_due:
        request.next_due, request.next_due_kind = request.extended_due, DueKind.EXTENDED
    else:
        request.next_due = request.determination_due
        request.next_due_kind = DueKind.DETERMINATION if request.determination_due else ""
    if previous != request.next_due and request.next_due and kind != DeterminationKind.EXTENSION:
        record_event(
            request,
            actor=actor,
            kind=EventKind.DEADLINE,
            message=f"Next deadline: {DueKind(request.next_due_kind).label.lower()} "
            f"{request.next_due:%a %-d %b %Y}.",
            data={"next_due": request.next_due.isoformat()},
        )
