"""Everything that changes a records request: one transaction each, with its event."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from rtcc_requests.agencies.models import Agency, Technology
from rtcc_requests.laws import calendar
from rtcc_requests.laws.models import Exemption, Law

from .lifecycle import STATUS_FOR_DETERMINATION, TransitionError, check_transition
from .models import (
    Attachment,
    Communication,
    CommunicationKind,
    Deficiency,
    Determination,
    DeterminationKind,
    Direction,
    DueKind,
    EventKind,
    FilingMethod,
    RecordsRequest,
    RequestEvent,
    Status,
    Visibility,
)

# Kinds that answer the statutory clock (a determination whether records are disclosable).
_ANSWERING_KINDS = {
    DeterminationKind.FEE_ESTIMATE,
    DeterminationKind.RELEASED,
    DeterminationKind.PARTIAL,
    DeterminationKind.NO_RECORDS,
    DeterminationKind.DENIAL,
}
_WITHHOLDING_KINDS = {DeterminationKind.DENIAL, DeterminationKind.PARTIAL}
_FINAL_KINDS = {DeterminationKind.RELEASED, DeterminationKind.NO_RECORDS, DeterminationKind.DENIAL}


class RequestError(ValueError):
    """Input a service refuses; the message is shown to the user as it is."""


def _event(
    records_request: RecordsRequest,
    *,
    actor,
    kind: str,
    message: str,
    from_status: str = "",
    to_status: str = "",
    data: dict | None = None,
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=records_request,
        actor=actor,
        kind=kind,
        message=message[:500],
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )


def _locked(records_request: RecordsRequest) -> RecordsRequest:
    # Serialise concurrent changes to one request (two tabs, a worker and a user).
    return RecordsRequest.objects.select_for_update().get(pk=records_request.pk)


def _move(request: RecordsRequest, target: str, *, actor, message: str, data=None) -> None:
    check_transition(request.status, target)
    previous = request.status
    request.status = target
    if target in (Status.WITHDRAWN, Status.CLOSED, Status.RELEASED, Status.NO_RECORDS):
        request.closed_on = request.closed_on or timezone.localdate()
    _event(
        request,
        actor=actor,
        kind=EventKind.STATUS,
        message=message,
        from_status=previous,
        to_status=target,
        data=data,
    )


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
) -> RecordsRequest:
    with transaction.atomic():
        records_request = RecordsRequest.objects.create(
            owner=owner,
            agency=agency,
            law=law,
            title=title,
            records_sought=records_sought,
            letter_body=letter_body,
            visibility=visibility,
            embargo_until=embargo_until,
        )
        records_request.technologies.set(technologies)
        _event(records_request, actor=owner, kind=EventKind.CREATED, message="Draft created.")
    return records_request


def request_update_draft(
    *,
    records_request: RecordsRequest,
    actor,
    agency: Agency,
    law: Law,
    title: str,
    records_sought: str,
    letter_body: str,
    technologies: Iterable[Technology],
) -> RecordsRequest:
    with transaction.atomic():
        request = _locked(records_request)
        if request.status != Status.DRAFT:
            raise RequestError("Only a draft can be edited; this request has been filed.")
        request.agency, request.law, request.title = agency, law, title
        request.records_sought, request.letter_body = records_sought, letter_body
        request.save()
        request.technologies.set(technologies)
    return request


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
    with transaction.atomic():
        request = _locked(records_request)
        _move(request, Status.FILED, actor=actor, message=f"Filed by {method_label(method)}.")
        deadline = calendar.determination_due(request.law.deadline_rule, received_on)
        request.filing_method = method
        request.filed_on, request.received_on = filed_on, received_on
        request.tracking_number = tracking_number or request.tracking_number
        request.determination_due = deadline.due
        request.next_due, request.next_due_kind = deadline.due, DueKind.DETERMINATION
        request.save()
        _event(
            request,
            actor=actor,
            kind=EventKind.DEADLINE,
            message=f"Determination due {deadline.due:%a %-d %b %Y}: {deadline.explain()}",
            data={"determination_due": deadline.due.isoformat()},
        )
    return request


def method_label(method: str) -> str:
    return FilingMethod(method).label.lower()


def _deficiencies(
    *,
    kind: str,
    is_late: bool,
    official_name: str,
    official_title: str,
    in_writing: bool,
    exemptions: list[Exemption],
    other_exemptions: str,
    catch_all_reasons: str,
) -> list[str]:
    if kind not in _WITHHOLDING_KINDS:
        return []
    found = []
    if not in_writing:
        found.append(Deficiency.NOT_IN_WRITING)
    if not (official_name.strip() and official_title.strip()):
        found.append(Deficiency.NO_OFFICIAL)
    if not exemptions and not other_exemptions.strip():
        found.append(Deficiency.NO_EXEMPTION)
    if is_late:
        found.append(Deficiency.LATE)
    if any(e.is_catch_all for e in exemptions) and not catch_all_reasons.strip():
        found.append(Deficiency.CATCH_ALL_UNEXPLAINED)
    return [str(d) for d in found]


def determination_record(
    *,
    records_request: RecordsRequest,
    actor,
    kind: str,
    date: date,
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
    """Record the agency's response: status, deadlines, lateness and deficiencies at once."""
    exemptions = list(exemptions)
    if kind not in DeterminationKind.values:
        raise RequestError(f"Unknown determination kind {kind!r}.")
    if fee_amount is not None and fee_amount < 0:
        raise RequestError("A fee cannot be negative.")
    with transaction.atomic():
        request = _locked(records_request)
        if request.received_on and date < request.received_on:
            raise RequestError("The response cannot predate the agency's receipt of the request.")
        if any(e.law_id != request.law_id for e in exemptions):
            raise RequestError(f"Cite only exemptions of the {request.law.short_name}.")
        target = STATUS_FOR_DETERMINATION[kind]
        check_transition(request.status, target)

        deadline_in_force = request.extended_due or request.determination_due
        counts = (
            kind in _ANSWERING_KINDS
            or kind == DeterminationKind.EXTENSION
            or (kind == DeterminationKind.ACKNOWLEDGEMENT and promised_date is not None)
        )
        late_by = calendar.days_late(deadline_in_force, date) if deadline_in_force else 0
        is_late = counts and late_by > 0
        deficiencies = _deficiencies(
            kind=kind,
            is_late=is_late,
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
            date=date,
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
            is_late=is_late,
            days_late=late_by if is_late else 0,
            deficiencies=deficiencies,
            communication=communication,
            created_by=actor,
        )
        determination.exemptions.set(exemptions)

        label = DeterminationKind(kind).label
        late_text = f", {late_by} day{'s' if late_by != 1 else ''} late" if is_late else ""
        _move(
            request,
            target,
            actor=actor,
            message=f"{label} of {date:%-d %b %Y}{late_text}.",
            data={"determination": determination.pk},
        )
        if counts and request.responded_on is None and kind != DeterminationKind.EXTENSION:
            request.responded_on = date
            request.is_late, request.days_late = is_late, determination.days_late
        if kind == DeterminationKind.EXTENSION:
            _apply_extension(
                request, actor=actor, notice_date=extension_date, late=is_late, late_by=late_by
            )
        if promised_date:
            request.promised_on = promised_date
        _refresh_next_due(request, kind=kind, actor=actor)
        if kind in _WITHHOLDING_KINDS:
            request.deficiencies = deficiencies
            request.is_deficient = bool(deficiencies)
        elif kind in (DeterminationKind.RELEASED,):
            request.deficiencies, request.is_deficient = [], False
        request.save()
    return determination


def _apply_extension(
    request: RecordsRequest, *, actor, notice_date: date | None, late: bool, late_by: int
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
    if late:
        request.is_late, request.days_late = True, late_by
    message = f"Extended: determination now due {due:%a %-d %b %Y}."
    if overlong:
        message += (
            f" The notice named {notice_date:%-d %b %Y}, beyond the "
            f"{request.law.extension_days}-day legal maximum; we count the maximum."
        )
    _event(
        request,
        actor=actor,
        kind=EventKind.DEADLINE,
        message=message,
        data={"extended_due": due.isoformat(), "overlong": overlong},
    )


def _refresh_next_due(request: RecordsRequest, *, kind: str, actor) -> None:
    """The one deadline in force now, stored for indexed list filters and the sweep."""
    previous = request.next_due
    if request.status in (
        Status.RELEASED,
        Status.NO_RECORDS,
        Status.DENIED,
        Status.WITHDRAWN,
        Status.CLOSED,
    ):
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
        _event(
            request,
            actor=actor,
            kind=EventKind.DEADLINE,
            message=f"Next deadline: {DueKind(request.next_due_kind).label.lower()} "
            f"{request.next_due:%a %-d %b %Y}.",
            data={"next_due": request.next_due.isoformat()},
        )


def request_withdraw(*, records_request: RecordsRequest, actor, reason: str = "") -> RecordsRequest:
    return _end(records_request, Status.WITHDRAWN, actor=actor, message="Withdrawn. " + reason)


def request_close(*, records_request: RecordsRequest, actor, reason: str = "") -> RecordsRequest:
    return _end(records_request, Status.CLOSED, actor=actor, message="Closed. " + reason)


def _end(records_request: RecordsRequest, target: str, *, actor, message: str) -> RecordsRequest:
    with transaction.atomic():
        request = _locked(records_request)
        _move(request, target, actor=actor, message=message.strip())
        request.next_due, request.next_due_kind = None, ""
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
        request = _locked(records_request)
        request.visibility = visibility
        request.embargo_until = embargo_until if visibility == Visibility.EMBARGOED else None
        request.save(update_fields=["visibility", "embargo_until", "updated_at"])
        label = Visibility(visibility).label
        if request.embargo_until:
            label = f"public from {request.embargo_until:%-d %b %Y}"
        _event(
            request,
            actor=actor,
            kind=EventKind.VISIBILITY,
            message=f"Visibility: {label}.",
            data={"visibility": visibility},
        )
    return request


def communication_log(
    *,
    records_request: RecordsRequest,
    actor,
    direction: str,
    kind: str,
    subject: str = "",
    body: str = "",
    sent_at=None,
    from_address: str = "",
    to_address: str = "",
    letter_kind: str = "",
    is_private: bool = False,
    message_id: str = "",
) -> Communication:
    with transaction.atomic():
        communication = Communication.objects.create(
            request=records_request,
            direction=direction,
            kind=kind,
            letter_kind=letter_kind if kind == CommunicationKind.LETTER else "",
            subject=subject,
            body=body,
            sent_at=sent_at or timezone.now(),
            from_address=from_address,
            to_address=to_address,
            is_private=is_private,
            message_id=message_id,
            created_by=actor,
        )
        what = {
            Direction.INCOMING: "Reply received",
            Direction.OUTGOING: "Letter sent",
            Direction.INTERNAL: "Note added",
        }[direction]
        _event(
            records_request,
            actor=actor,
            kind=EventKind.COMMUNICATION,
            message=f"{what}: {subject}" if subject else f"{what}.",
            data={"communication": communication.pk},
        )
    return communication


__all__ = [
    "RequestError",
    "TransitionError",
    "communication_log",
    "determination_record",
    "request_close",
    "request_create",
    "request_file",
    "request_set_visibility",
    "request_update_draft",
    "request_withdraw",
]


# Uploads we keep: what agencies send (letters, scans, spreadsheets, forwarded mail). Decided by
# the file name, never the browser's claimed type; anything else (executables, archives) is refused.
ATTACHMENT_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".heic": "image/heic",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".eml": "message/rfc822",
    ".msg": "application/vnd.ms-outlook",
}


def attachment_content_type(*, filename: str, size: int) -> str:
    """The type we store for an upload; RequestError (with the reason) if we refuse it."""
    from pathlib import PurePath

    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    extension = PurePath(filename).suffix.lower()
    if extension not in ATTACHMENT_TYPES:
        allowed = ", ".join(sorted(e.lstrip(".") for e in ATTACHMENT_TYPES))
        raise RequestError(
            f"{filename}: this type of file is not accepted. Attach PDF, images, office "
            f"documents, text or email files ({allowed})."
        )
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise RequestError(
            f"{filename} is {filesizeformat(size)}; the largest file accepted is "
            f"{filesizeformat(settings.ATTACHMENT_MAX_BYTES)}."
        )
    return ATTACHMENT_TYPES[extension]


def attachment_add(*, communication: Communication, uploaded_file, actor=None) -> Attachment:
    """Store one uploaded file on a communication, after the type and size checks."""
    from pathlib import PurePath

    filename = PurePath(uploaded_file.name or "attachment").name[:200]
    content_type = attachment_content_type(filename=filename, size=uploaded_file.size)
    with transaction.atomic():
        attachment = Attachment(
            communication=communication,
            filename=filename,
            content_type=content_type,
            size=uploaded_file.size,
        )
        attachment.file.save(filename, uploaded_file, save=False)
        attachment.save()
    return attachment


def reply_log(
    *,
    records_request: RecordsRequest,
    actor,
    subject: str = "",
    body: str = "",
    sent_at=None,
    from_address: str = "",
    files: Iterable = (),
) -> Communication:
    """Log a reply received outside the app, with its attachments, all or nothing."""
    files = list(files)
    for uploaded in files:
        attachment_content_type(filename=uploaded.name or "", size=uploaded.size)
    with transaction.atomic():
        communication = communication_log(
            records_request=records_request,
            actor=actor,
            direction=Direction.INCOMING,
            kind=CommunicationKind.REPLY,
            subject=subject,
            body=body,
            sent_at=sent_at,
            from_address=from_address,
        )
        for uploaded in files:
            attachment_add(communication=communication, uploaded_file=uploaded, actor=actor)
    return communication


__all__ += ["attachment_add", "attachment_content_type", "reply_log"]
