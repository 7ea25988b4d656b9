"""The agency's answers: status, deadlines, lateness and what each answer lacks, at once.

Every move is checked against the statute before it is believed: an extension notice that
came late, gives no allowed reason or names no date extends nothing; an acknowledgement is
not an answer; a fee estimate does not stop the CPRA clock (rules.py says why).
"""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from rtcc_requests.laws import calendar
from rtcc_requests.laws.models import Exemption

from .. import rules
from ..choices import DeterminationKind, EventKind, FeeBasis, FilingMethod
from ..items import OutcomeInput
from ..lifecycle import STATUS_FOR_DETERMINATION, check_transition
from ..models import Communication, Determination, RecordsRequest
from ._shared import RequestError, locked, move, record_event
from .clock import Clock, clock_for, deadline_in_force, extension_dates, recount, refresh_next_due
from .items import items_record

# An acknowledgement's promised date is no production date: the 10-day clock runs on.
_NOT_PRODUCTION_DATES = frozenset(
    {DeterminationKind.ACKNOWLEDGEMENT, DeterminationKind.CLARIFICATION}
)


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
    more_officials: Iterable[tuple[str, str]] = (),
    in_writing: bool = True,
    other_law: str = "",
    segregation_stated: bool = False,
    fee_amount: Decimal | None = None,
    fee_basis: Iterable[str] = (),
    promised_date: date | None = None,
    extension_date: date | None = None,
    extension_ground: str = "",
    extension_reason: str = "",
    catch_all_reasons: str = "",
    agency_received_on: date | None = None,
    notes: str = "",
    communication: Communication | None = None,
    item_outcomes: Iterable[OutcomeInput] = (),
) -> Determination:
    """Record the agency's response of `response_date` and what it does to the request.

    `agency_received_on` is the receipt date the response states, if it gives one;
    `item_outcomes` what it does with each numbered item (services.items.items_record).
    """
    exemptions, fee_basis = list(exemptions), sorted(set(fee_basis))
    item_outcomes = list(item_outcomes)
    more_officials = [(n.strip(), t.strip()) for n, t in more_officials if n.strip() or t.strip()]
    if more_officials and not (official_name.strip() or official_title.strip()):
        # The first person named is the official: counts and exports read that field.
        (official_name, official_title), *more_officials = more_officials
    if kind not in DeterminationKind.values:
        raise RequestError(f"Unknown determination kind {kind!r}.")
    if fee_amount is not None and fee_amount < 0:
        raise RequestError("A fee cannot be negative.")
    if unknown := set(fee_basis) - set(FeeBasis.values):
        raise RequestError(f"Unknown fee basis {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        request = locked(records_request)
        if request.received_on and response_date < request.received_on:
            raise RequestError("The response cannot predate the agency's receipt of the request.")
        # An exemption cited for one item is cited by the response: its deficiencies, the
        # campaign table and the denial log count it like one ticked for the whole answer.
        exemptions += _item_exemptions(item_outcomes, besides=exemptions)
        if any(e.law_id != request.law_id for e in exemptions):
            raise RequestError(f"Cite only exemptions of the {request.law.short_name}.")
        target = STATUS_FOR_DETERMINATION[kind]
        check_transition(request.status, target)
        if agency_received_on and agency_received_on != request.agency_received_on:
            _set_agency_receipt(request, agency_received_on, response_date, actor=actor)

        cpra = request.law.is_cpra
        clock = clock_for(request)
        late_by = rules.days_late(
            kind, deadline=deadline_in_force(request), answered_on=response_date
        )
        flags = _procedure_flags(
            request,
            clock,
            kind=kind,
            response_date=response_date,
            promised_date=promised_date,
            extension_date=extension_date,
            extension_ground=extension_ground,
            fee_basis=fee_basis,
        )
        withholding = rules.deficiencies(
            kind=kind,
            is_late=late_by > 0,
            official_name=official_name,
            official_title=official_title,
            more_officials=more_officials,
            in_writing=in_writing,
            request_was_oral=request.filing_method == FilingMethod.ORAL,
            exemptions=exemptions,
            other_exemptions=other_exemptions,
            other_law=other_law,
            segregation_stated=segregation_stated,
            catch_all_reasons=catch_all_reasons,
            technology_slugs=request.technologies.values_list("slug", flat=True),
            records_sought=request.records_sought,
            cpra=cpra,
        )
        determination = Determination.objects.create(
            request=request,
            kind=kind,
            date=response_date,
            other_exemptions=other_exemptions,
            official_name=official_name,
            official_title=official_title,
            more_officials=[{"name": n, "title": t} for n, t in more_officials],
            in_writing=in_writing,
            other_law=other_law,
            segregation_stated=segregation_stated,
            fee_amount=fee_amount,
            fee_basis=fee_basis,
            promised_date=promised_date,
            extension_date=extension_date,
            extension_ground=extension_ground,
            extension_reason=extension_reason,
            catch_all_reasons=catch_all_reasons,
            notes=notes,
            is_late=late_by > 0,
            days_late=late_by,
            deficiencies=withholding + flags,
            communication=communication,
            created_by=actor,
        )
        determination.exemptions.set(exemptions)
        items_record(
            records_request=request,
            determination=determination,
            outcomes=item_outcomes,
            exemption_ids=[e.pk for e in exemptions],
        )

        voided = kind == DeterminationKind.EXTENSION and rules.extension_voided(flags)
        label = DeterminationKind(kind).label
        late_text = f", {late_by} day{'s' if late_by != 1 else ''} late" if late_by else ""
        message = f"{label} of {response_date:%-d %b %Y}{late_text}."
        if voided:
            # Recorded as what it is, and the request stays where it was.
            record_event(
                request,
                actor=actor,
                kind=EventKind.DETERMINATION,
                message=message,
                data={"determination": determination.pk},
            )
        else:
            move(
                request,
                target,
                actor=actor,
                message=message,
                data={"determination": determination.pk},
            )
        if rules.counts_against_clock(kind) and request.responded_on is None:
            if kind != DeterminationKind.EXTENSION:
                request.responded_on = response_date
            if late_by or kind != DeterminationKind.EXTENSION:
                request.is_late, request.days_late = late_by > 0, late_by
        if kind == DeterminationKind.EXTENSION:
            _apply_extension(request, clock, flags=flags, named=extension_date, actor=actor)
        if kind in rules.PROMISING_KINDS:
            # The date of the records (or of the next installment), or none: flagged above.
            request.promised_on = promised_date
        elif promised_date and kind not in _NOT_PRODUCTION_DATES:
            request.promised_on = promised_date
        _pause_if_tolled(request, kind=kind, on=response_date, actor=actor)
        if request.law.code == "us-foia" and kind in rules.ADVERSE_KINDS:
            request.appeal_due = response_date + timedelta(days=rules.FOIA_APPEAL_DAYS)
        request.procedure_flags = sorted({*request.procedure_flags, *flags})
        if kind in rules.WITHHOLDING_KINDS:
            request.deficiencies = withholding
            request.is_deficient = bool(withholding)
        elif kind == DeterminationKind.RELEASED:
            request.deficiencies, request.is_deficient = [], False
        refresh_next_due(request, actor=actor, announce=kind != DeterminationKind.EXTENSION)
        request.save()
    return determination


def _item_exemptions(outcomes: list[OutcomeInput], *, besides: list[Exemption]) -> list[Exemption]:
    """The exemptions the items cite that `besides` does not hold yet (one query, or none)."""
    cited = {o.exemption_id for o in outcomes if o.exemption_id} - {e.pk for e in besides}
    return list(Exemption.objects.filter(pk__in=cited).order_by("pk")) if cited else []


def _procedure_flags(
    request: RecordsRequest,
    clock: Clock,
    *,
    kind: str,
    response_date: date,
    promised_date: date | None,
    extension_date: date | None,
    extension_ground: str,
    fee_basis: list[str],
) -> list[str]:
    """What the agency's move lacks besides a withholding's wants."""
    cpra = request.law.is_cpra
    found = []
    if kind == DeterminationKind.EXTENSION:
        if clock.maximum is None:
            raise RequestError(f"The {request.law.short_name} provides no extension.")
        found += rules.extension_flags(
            notice_on=response_date,
            ground=extension_ground,
            named_date=extension_date,
            deadline=request.determination_due,
            maximum=clock.latest_lawful,
            cpra=cpra,
        )
    found += rules.promise_flags(
        kind=kind, promised_date=promised_date, maximum=clock.latest_lawful, cpra=cpra
    )
    found += rules.fee_flags(kind=kind, fee_basis=fee_basis, cpra=cpra)
    return found


def _apply_extension(
    request: RecordsRequest, clock: Clock, *, flags: list[str], named: date | None, actor
) -> None:
    labels = "; ".join(rules.deficiency_label(f).lower() for f in flags)
    if rules.extension_voided(flags):
        due = calendar.format_day(request.determination_due)
        record_event(
            request,
            actor=actor,
            kind=EventKind.DEADLINE,
            message=f"The extension notice does not extend the deadline ({labels}): the "
            f"determination was due {due} and still is.",
            data={"extension_voided": flags},
        )
        return
    assert named is not None  # a notice with no date is voided
    request.extended_due, request.extended_due_arguably = extension_dates(clock, named)
    message = f"Extended: determination now due {calendar.format_day(request.extended_due)}."
    if request.extended_due_arguably:
        message += f" Arguably {calendar.format_day(request.extended_due_arguably)}."
    if flags:
        message += (
            f" The notice named {calendar.format_day(named)}, beyond the "
            f"{request.law.extension_days}-day legal maximum; we count the maximum."
        )
    record_event(
        request,
        actor=actor,
        kind=EventKind.DEADLINE,
        message=message,
        data={"extended_due": request.extended_due.isoformat(), "flags": flags},
    )


def _pause_if_tolled(request: RecordsRequest, *, kind: str, on: date, actor) -> None:
    """FOIA: a question stops the clock once, a fee question each time (§552(a)(6)(A)(ii)).
    Under the CPRA neither does, and the event says so."""
    if kind not in (DeterminationKind.CLARIFICATION, DeterminationKind.FEE_ESTIMATE):
        return
    tolls = request.law.code in rules.TOLLING_LAWS and request.responded_on is None
    if kind == DeterminationKind.CLARIFICATION:
        tolls = tolls and not request.clarification_tolled
    if tolls and request.clock_paused_on is None:
        request.clock_paused_on = on
        request.clarification_tolled |= kind == DeterminationKind.CLARIFICATION
        message = (
            f"The {request.law.short_name} clock stands still from {calendar.format_day(on)} "
            "until you answer the agency."
        )
    elif request.law.is_cpra:
        message = (
            "The CPRA clock keeps running: a question or a fee estimate does not stop it, and "
            "the agency must help you identify the records (Gov. Code §7922.600 [§6253.1])."
        )
    else:
        message = f"The {request.law.short_name} clock keeps running."
    record_event(request, actor=actor, kind=EventKind.DEADLINE, message=message)


def _set_agency_receipt(request: RecordsRequest, stated: date, response_date: date, *, actor):
    if request.filed_on and stated < request.filed_on:
        raise RequestError("The agency cannot have received the request before it was sent.")
    if stated > response_date:
        raise RequestError("The stated receipt date cannot be after the response itself.")
    request.agency_received_on = stated
    record_event(
        request,
        actor=actor,
        kind=EventKind.NOTE,
        message=f"The agency states it received the request on {calendar.format_day(stated)}.",
        data={"agency_received_on": stated.isoformat()},
    )
    recount(request, actor=actor, why="Counted from the later receipt date.")
