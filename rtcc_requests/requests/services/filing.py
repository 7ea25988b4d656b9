"""The request itself: drafting, filing (the clock starts), who may see it, ending it."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from rtcc_requests.accounts.organizations import changes_for
from rtcc_requests.agencies.models import Agency, Technology
from rtcc_requests.agencies.selectors import agencies_open_to
from rtcc_requests.common.text import single_line
from rtcc_requests.laws.models import Law

from ..choices import DueKind, EventKind, FilingMethod, Status, Visibility
from ..letters.wording import placeholder_problem
from ..models import RecordsRequest
from ._shared import RequestError, locked, move, record_event
from .clock import clock_for, recount
from .items import items_sync


def request_create(
    *,
    owner,
    agency: Agency,
    law: Law,
    title: str,
    records_sought: str,
    technologies: Iterable[Technology] = (),
    letter_body: str = "",
    visibility: str = Visibility.PRIVATE,
    embargo_until: date | None = None,
    fee_category: str = "",
    fee_waiver_requested: bool = False,
    fee_waiver_reason: str = "",
    expedited_requested: bool = False,
    expedited_reason: str = "",
    organization=None,
) -> RecordsRequest:
    """A draft (of `organization`, which the owner must be able to file for). The FOIA
    options (fee category, waiver, expedited processing) are kept for a
    federal FOIA request only; a waiver or expedited processing needs its reason."""
    foia = _foia_fields(
        law,
        fee_category=fee_category,
        fee_waiver_requested=fee_waiver_requested,
        fee_waiver_reason=fee_waiver_reason,
        expedited_requested=expedited_requested,
        expedited_reason=expedited_reason,
    )
    _check_organization(owner, organization)
    with transaction.atomic():
        records_request = RecordsRequest.objects.create(
            owner=owner,
            organization=organization,
            agency=agency,
            law=law,
            title=single_line(title),
            records_sought=records_sought,
            letter_body=letter_body,
            visibility=visibility,
            embargo_until=embargo_until,
            **foia,
        )
        records_request.technologies.set(technologies)
        items_sync(records_request)
        record_event(records_request, actor=owner, kind=EventKind.CREATED, message="Draft created.")
    return records_request


def _check_organization(user, organization) -> None:
    if organization is not None and not changes_for(user, organization.pk):
        raise RequestError(
            f"You cannot file for {organization.name}: only its editors and admins can."
        )


def request_update_draft(
    *,
    records_request: RecordsRequest,
    agency: Agency,
    law: Law,
    title: str,
    records_sought: str,
    letter_body: str,
    technologies: Iterable[Technology],
    fee_category: str = "",
    fee_waiver_requested: bool = False,
    fee_waiver_reason: str = "",
    expedited_requested: bool = False,
    expedited_reason: str = "",
) -> RecordsRequest:
    """Change a draft; its FOIA options as in request_create (cleared under another law)."""
    foia = _foia_fields(
        law,
        fee_category=fee_category,
        fee_waiver_requested=fee_waiver_requested,
        fee_waiver_reason=fee_waiver_reason,
        expedited_requested=expedited_requested,
        expedited_reason=expedited_reason,
    )
    with transaction.atomic():
        request = locked(records_request)
        if request.status != Status.DRAFT:
            raise RequestError("Only a draft can be edited; this request has been filed.")
        request.agency, request.law, request.title = agency, law, single_line(title)
        request.records_sought, request.letter_body = records_sought, letter_body
        for name, value in foia.items():
            setattr(request, name, value)
        request.save()
        request.technologies.set(technologies)
        items_sync(request)
    return request


def _foia_fields(law: Law, **options) -> dict:
    """The FOIA options a draft keeps, checked (RequestError naming what is missing)."""
    # Imported here: letters imports this package, and the options are the letters' rule.
    from ..letters.wording import FoiaOptions

    foia = FoiaOptions(**options).for_law(law)
    if problems := foia.problems():
        raise RequestError(" ".join(problems.values()))
    return foia.as_fields()


def request_file(
    *,
    records_request: RecordsRequest,
    actor,
    method: str,
    filed_on: date,
    received_on: date | None = None,
    tracking_number: str = "",
) -> RecordsRequest:
    """Record that the request was sent; the statutory clock starts from receipt."""
    if method not in FilingMethod.values:
        raise RequestError(f"Unknown filing method {method!r}.")
    if method == FilingMethod.MAIL and received_on is None:
        raise RequestError("For a letter sent by post, give the date the agency received it.")
    received_on = received_on or filed_on
    if received_on < filed_on:
        raise RequestError("The agency cannot have received the request before it was sent.")
    if filed_on > timezone.localdate():
        raise RequestError("The filing date cannot be in the future.")
    unfinished = placeholder_problem(records_request.letter_body)
    if unfinished:
        raise RequestError(f"Not filed. {unfinished}")
    if not agencies_open_to(records_request.owner).filter(pk=records_request.agency_id).exists():
        raise RequestError(
            f"Not filed: {records_request.agency.name} is not in the directory (a proposal "
            "that staff rejected, or someone else's awaiting review). Choose another agency."
        )
    with transaction.atomic():
        request = locked(records_request)
        move(request, Status.FILED, actor=actor, message=f"Filed by {method_label(method)}.")
        request.filing_method = method
        request.filed_on, request.received_on = filed_on, received_on
        request.tracking_number = tracking_number or request.tracking_number
        deadline = clock_for(request).determination
        request.determination_due = deadline.due
        request.next_due, request.next_due_kind = deadline.due, DueKind.DETERMINATION
        request.save()
        record_event(
            request,
            actor=actor,
            kind=EventKind.DEADLINE,
            message=f"Determination due {deadline.due:%a %-d %b %Y}: {deadline.explain()}",
            data={"determination_due": deadline.due.isoformat()},
        )
    return request


def request_received_by_email(*, records_request: RecordsRequest, sent_on: date) -> None:
    """The request letter's email went out on `sent_on`: that is when the agency received it.

    A letter that failed and was sent again days later is received on the day it was sent;
    the clock counts from then, unless the agency already answered (nothing to recount).
    """
    with transaction.atomic():
        request = locked(records_request)
        if request.filing_method != FilingMethod.EMAIL or request.received_on is None:
            return
        if sent_on <= request.received_on or request.responded_on is not None:
            return
        request.received_on = sent_on
        recount(
            request,
            actor=None,
            why=f"The request's email went out on {sent_on:%a %-d %b %Y}, its day of receipt.",
        )
        request.save()


def method_label(method: str) -> str:
    return FilingMethod(method).label.lower()


def request_withdraw(*, records_request: RecordsRequest, actor, reason: str = "") -> RecordsRequest:
    """The requester no longer wants the records."""
    return _end(records_request, Status.WITHDRAWN, actor=actor, message="Withdrawn. " + reason)


def request_close(*, records_request: RecordsRequest, actor, reason: str = "") -> RecordsRequest:
    """The requester is done with it: the records came, or the answer is final for them."""
    return _end(records_request, Status.CLOSED, actor=actor, message="Closed. " + reason)


def _end(records_request: RecordsRequest, target: str, *, actor, message: str) -> RecordsRequest:
    with transaction.atomic():
        request = locked(records_request)
        move(request, target, actor=actor, message=message.strip())
        request.next_due, request.next_due_kind = None, ""
        request.appeal_due = None  # nothing left to appeal for
        request.save()
    return request


def request_set_visibility(
    *, records_request: RecordsRequest, actor, visibility: str, embargo_until: date | None = None
) -> RecordsRequest:
    if visibility not in Visibility.values:
        raise RequestError(f"Unknown visibility {visibility!r}.")
    if visibility == Visibility.EMBARGOED and embargo_until is None:
        raise RequestError("Give the date the embargo ends.")
    with transaction.atomic():
        request = locked(records_request)
        request.visibility = visibility
        request.embargo_until = embargo_until if visibility == Visibility.EMBARGOED else None
        request.save(update_fields=["visibility", "embargo_until", "updated_at"])
        label = Visibility(visibility).label
        if request.embargo_until:
            label = f"public from {request.embargo_until:%-d %b %Y}"
        record_event(
            request,
            actor=actor,
            kind=EventKind.VISIBILITY,
            message=f"Visibility: {label}.",
            data={"visibility": visibility},
        )
    return request
