"""Writing letters: the draft text, the outgoing Communication, its PDF, and the email.

The PDF is rendered by a Celery task (tasks.render_letter) after the transaction commits;
the email is an outbox row keyed `letter-<communication id>`, so however often the task
runs, the agency gets the letter once.
"""

import secrets
from datetime import date, datetime, time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import make_msgid
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from rtcc_requests.common.pdf import render_pdf
from rtcc_requests.outbox.models import OutboxMessage
from rtcc_requests.outbox.services import AttachmentRef, outbox_enqueue
from rtcc_requests.requests.choices import (
    CommunicationKind,
    Direction,
    EventKind,
    FilingMethod,
    LetterKind,
    PdfStatus,
)
from rtcc_requests.requests.lifecycle import TransitionError
from rtcc_requests.requests.models import Communication, RecordsRequest, RequestEvent
from rtcc_requests.requests.selectors import can_change
from rtcc_requests.requests.services import RequestError, request_file
from rtcc_requests.requests.services.many import FiledMany, requests_file_many

from .documents import default_body, late_facts, letter_html, subject_for
from .wording import is_foia, placeholder_problem

# The letters written on the request's own page; the request letter has the composer.
DRAFTED_KINDS = (LetterKind.FOLLOW_UP, LetterKind.DENIAL_CHALLENGE)

# Ten pages of dense text; a longer "letter" is a paste mistake.
MAX_BODY_CHARS = 30_000
# About twenty pages of printed lines (a line holds ~75 characters). Blank lines count: a
# body of thousands of empty lines would otherwise lay out hundreds of pages before the page
# limit could refuse it.
MAX_BODY_LINES = 900
CHARS_PER_LINE = 75
# The composer waits for its preview; a render that takes longer than this is refused.
PREVIEW_TIMEOUT = 20


def _check_kind(records_request: RecordsRequest, kind: str, today: date) -> None:
    if kind not in LetterKind.values:
        raise RequestError(f"Unknown letter kind {kind!r}.")
    if kind == LetterKind.FOLLOW_UP and late_facts(records_request, today) is None:
        if records_request.next_due:
            raise RequestError(
                "A follow-up is for a missed deadline; the agency is not late: the next "
                f"deadline is {records_request.next_due:%a %-d %b %Y}."
            )
        raise RequestError("A follow-up is for a missed deadline; no deadline is running.")
    # A FOIA requester may appeal any adverse determination, deficient or not: appeal_due is
    # set when one is recorded (5 U.S.C. §552(a)(6)(A)(i)(III)(aa)).
    appealable = is_foia(records_request.law) and records_request.appeal_due is not None
    if kind == LetterKind.DENIAL_CHALLENGE and not (
        appealable or (records_request.is_deficient and records_request.deficiencies)
    ):
        if is_foia(records_request.law):
            raise RequestError(
                "A FOIA appeal answers an adverse determination (a denial, a partial release "
                "or a 'no records' answer); this request has none recorded."
            )
        raise RequestError(
            "A denial challenge answers a deficient denial; this request has none recorded."
        )


def _check_body(body: str) -> str:
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise RequestError("The letter is empty.")
    if len(body) > MAX_BODY_CHARS:
        raise RequestError(
            f"The letter is too long ({len(body):,} characters; the limit is {MAX_BODY_CHARS:,})."
        )
    lines = sum(max(1, -(-len(line) // CHARS_PER_LINE)) for line in body.split("\n"))
    if lines > MAX_BODY_LINES:
        raise RequestError(
            f"The letter is too long: about {lines:,} printed lines; the limit is "
            f"{MAX_BODY_LINES:,}. Remove blank lines or shorten it."
        )
    return body


def _check_ready(body: str) -> str:
    """A letter about to reach the agency: within the limits, and no placeholder left."""
    body = _check_body(body)
    unfinished = placeholder_problem(body)
    if unfinished:
        raise RequestError(f"Not sent. {unfinished}")
    return body


def _fresh(records_request: RecordsRequest) -> RecordsRequest:
    return RecordsRequest.objects.select_related("agency", "law", "owner__profile").get(
        pk=records_request.pk
    )


def letter_preview_pdf(
    *, records_request: RecordsRequest, kind: str = LetterKind.REQUEST, body: str | None = None
) -> bytes:
    """The PDF of a draft, rendered now, by the same template and renderer as the task."""
    records_request = _fresh(records_request)
    today = timezone.localdate()
    _check_kind(records_request, kind, today)
    body = _check_body(default_body(records_request, kind, today) if body is None else body)
    html = letter_html(
        records_request=records_request,
        kind=kind,
        body=body,
        subject=subject_for(records_request, kind),
        letter_date=today,
    )
    return render_pdf(html, timeout=PREVIEW_TIMEOUT)


def _create_letter(
    records_request: RecordsRequest,
    *,
    kind: str,
    body: str,
    actor,
    to_address: str = "",
    sent_at=None,
    sent_via: str = "",
    done: str = "prepared",
) -> Communication:
    communication = Communication.objects.create(
        request=records_request,
        direction=Direction.OUTGOING,
        kind=CommunicationKind.LETTER,
        letter_kind=kind,
        subject=subject_for(records_request, kind),
        body=body,
        from_address=settings.DEFAULT_FROM_EMAIL if to_address else "",
        to_address=to_address,
        sent_at=sent_at or timezone.now(),
        sent_via=sent_via,
        pdf_status=PdfStatus.PENDING,
        created_by=actor,
    )
    RequestEvent.objects.create(
        request=records_request,
        actor=actor,
        kind=EventKind.COMMUNICATION,
        message=f"{LetterKind(kind).label} {done}: {communication.subject}"[:500],
        data={"communication": communication.pk},
    )
    return communication


def _queue_render(communication_id: int, *, send: bool) -> None:
    from .tasks import render_letter

    render_letter.delay(communication_id=communication_id, send=send)


def _check_actor(records_request: RecordsRequest, actor) -> None:
    if not can_change(user=actor, records_request=records_request):
        raise RequestError("Only the requester can write letters for this request.")


def letter_queue(*, records_request: RecordsRequest, kind: str, actor) -> Communication:
    """Create the outgoing letter and render its PDF in the background."""
    records_request = _fresh(records_request)
    _check_actor(records_request, actor)
    today = timezone.localdate()
    _check_kind(records_request, kind, today)
    body = _check_body(default_body(records_request, kind, today))
    with transaction.atomic():
        communication = _create_letter(records_request, kind=kind, body=body, actor=actor)
        transaction.on_commit(lambda: _queue_render(communication.pk, send=False))
    return communication


def _check_drafted_kind(kind: str) -> None:
    if kind not in DRAFTED_KINDS:
        raise RequestError(f"Unknown letter kind {kind!r}.")


def letter_draft_text(*, records_request: RecordsRequest, kind: str) -> str:
    """The follow-up or challenge as the requester left it, or as drafted for them today."""
    _check_drafted_kind(kind)
    records_request, today = _fresh(records_request), timezone.localdate()
    _check_kind(records_request, kind, today)  # no follow-up to an agency that is not late
    saved = (records_request.letter_drafts or {}).get(kind, "")
    return saved or default_body(records_request, kind, today)


def letter_draft_save(*, records_request: RecordsRequest, kind: str, body: str, actor) -> None:
    """Keep an edited follow-up or challenge for later; nothing reaches the agency."""
    _check_actor(records_request, actor)
    _check_drafted_kind(kind)
    body = _check_body(body)
    with transaction.atomic():
        locked = RecordsRequest.objects.select_for_update().get(pk=records_request.pk)
        locked.letter_drafts = {**(locked.letter_drafts or {}), kind: body}
        locked.save(update_fields=["letter_drafts", "updated_at"])
    records_request.letter_drafts = locked.letter_drafts


def _forget_draft(records_request: RecordsRequest, kind: str) -> None:
    locked = RecordsRequest.objects.select_for_update().get(pk=records_request.pk)
    if kind in (locked.letter_drafts or {}):
        locked.letter_drafts = {k: v for k, v in locked.letter_drafts.items() if k != kind}
        locked.save(update_fields=["letter_drafts", "updated_at"])


def letter_send(*, records_request: RecordsRequest, kind: str, body: str, actor) -> Communication:
    """Send a follow-up or challenge by email in the request's own thread (reply address,
    In-Reply-To and References: letter_email_enqueue), as the requester wrote it."""
    records_request = _fresh(records_request)
    _check_actor(records_request, actor)
    _check_drafted_kind(kind)
    _check_kind(records_request, kind, timezone.localdate())
    agency = records_request.agency
    if not agency.records_email:
        raise RequestError(
            f"We have no records-request email address for {agency.name}. Send the letter "
            "another way (portal, post) and record it here."
        )
    body = _check_ready(body)
    with transaction.atomic():
        communication = _create_letter(
            records_request,
            kind=kind,
            body=body,
            actor=actor,
            to_address=agency.records_email,
            done="sent by email",
        )
        _forget_draft(records_request, kind)
        transaction.on_commit(lambda: _queue_render(communication.pk, send=True))
    return communication


def letter_record_sent(
    *, records_request: RecordsRequest, kind: str, body: str, actor, method: str, sent_on: date
) -> Communication:
    """Record a follow-up or challenge the requester sent another way, on the day they did."""
    records_request = _fresh(records_request)
    _check_actor(records_request, actor)
    _check_drafted_kind(kind)
    if method not in FilingMethod.values or method in (FilingMethod.EMAIL, FilingMethod.ORAL):
        raise RequestError("Say how the letter was sent: portal, post, fax or in person.")
    today = timezone.localdate()
    if sent_on > today:
        raise RequestError("The date sent cannot be in the future.")
    if records_request.filed_on and sent_on < records_request.filed_on:
        raise RequestError("The letter cannot have been sent before the request was filed.")
    _check_kind(records_request, kind, sent_on)
    body = _check_ready(body)
    sent_at = timezone.now() if sent_on == today else _noon(sent_on)
    with transaction.atomic():
        communication = _create_letter(
            records_request,
            kind=kind,
            body=body,
            actor=actor,
            sent_at=sent_at,
            sent_via=method,
            done=f"sent by {FilingMethod(method).label.lower()}",
        )
        _forget_draft(records_request, kind)
        transaction.on_commit(lambda: _queue_render(communication.pk, send=False))
    return communication


def _noon(day: date):
    return timezone.make_aware(datetime.combine(day, time(12)))


def request_send_by_email(*, records_request: RecordsRequest, actor) -> Communication:
    """File the request by email: record the filing, render the letter, then mail it."""
    records_request = _fresh(records_request)
    _check_actor(records_request, actor)
    agency = records_request.agency
    if not agency.records_email:
        raise RequestError(
            f"We have no records-request email address for {agency.name}. "
            "Send the letter another way (portal, post) and record how you filed it."
        )
    today = timezone.localdate()
    body = _check_ready(default_body(records_request, LetterKind.REQUEST, today))
    with transaction.atomic():
        try:
            filed = request_file(
                records_request=records_request,
                actor=actor,
                method=FilingMethod.EMAIL,
                filed_on=today,
            )
        except TransitionError as error:
            raise RequestError(str(error)) from error
        communication = _create_letter(
            filed, kind=LetterKind.REQUEST, body=body, actor=actor, to_address=agency.records_email
        )
        transaction.on_commit(lambda: _queue_render(communication.pk, send=True))
    return communication


LETTERS_PER_TASK = 25


def requests_send_by_email_many(*, records_requests: list[RecordsRequest], actor) -> FiledMany:
    """File many drafts by email at once (a campaign): what `request_send_by_email` does for
    one, in a bounded number of queries. Each letter is its request's own communication;
    the PDFs are rendered and the emails queued through the outbox by tasks of
    LETTERS_PER_TASK letters each. Drafts without an email address, or whose letter is not
    finished, stay drafts, each with the reason."""
    today = timezone.localdate()
    refused, bodies = {}, {}
    for request in records_requests:
        if not can_change(user=actor, records_request=request):
            refused[request.pk] = "Only the requester can file it."
        elif not request.agency.records_email:
            refused[request.pk] = (
                f"We have no records-request email address for {request.agency.name}: "
                "send it another way and record how you filed it."
            )
        else:
            body = default_body(request, LetterKind.REQUEST, today)
            problem = placeholder_problem(body) or ("" if body.strip() else "The letter is empty.")
            if problem:
                refused[request.pk] = problem
            else:
                bodies[request.pk] = body
    with transaction.atomic():
        report = requests_file_many(
            records_requests=records_requests,
            actor=actor,
            method=FilingMethod.EMAIL,
            filed_on=today,
            ready=refused,
        )
        now = timezone.now()
        letters = Communication.objects.bulk_create(
            [
                Communication(
                    request=request,
                    direction=Direction.OUTGOING,
                    kind=CommunicationKind.LETTER,
                    letter_kind=LetterKind.REQUEST,
                    subject=subject_for(request, LetterKind.REQUEST),
                    body=bodies[request.pk],
                    from_address=settings.DEFAULT_FROM_EMAIL,
                    to_address=request.agency.records_email,
                    sent_at=now,
                    pdf_status=PdfStatus.PENDING,
                    created_by=actor,
                )
                for request in report.filed
            ],
            batch_size=500,
        )
        RequestEvent.objects.bulk_create(
            [
                RequestEvent(
                    request_id=letter.request_id,
                    actor=actor,
                    kind=EventKind.COMMUNICATION,
                    message=f"{LetterKind.REQUEST.label} prepared: {letter.subject}"[:500],
                    data={"communication": letter.pk},
                )
                for letter in letters
            ],
            batch_size=500,
        )
        ids = [letter.pk for letter in letters]
        transaction.on_commit(lambda: _queue_render_many(ids, send=True))
    return report


def _queue_render_many(communication_ids: list[int], *, send: bool) -> None:
    from .tasks import render_letters

    for start in range(0, len(communication_ids), LETTERS_PER_TASK):
        chunk = communication_ids[start : start + LETTERS_PER_TASK]
        render_letters.delay(communication_ids=chunk, send=send)


def _letter(communication_id: int, *, lock: bool = False) -> Communication:
    letters = Communication.objects.select_related(
        "request__agency", "request__law", "request__owner__profile"
    )
    if lock:
        letters = letters.select_for_update(of=("self",))
    return letters.get(pk=communication_id, kind=CommunicationKind.LETTER)


def public_pdf_name(name: str) -> str:
    """Where the copy for public viewers (no address, phone or email) is stored."""
    return name.removesuffix(".pdf") + "-public.pdf"


def _letter_pdf(communication: Communication, *, public: bool) -> bytes:
    html = letter_html(
        records_request=communication.request,
        kind=communication.letter_kind,
        body=communication.body,
        subject=communication.subject,
        letter_date=timezone.localdate(communication.sent_at),
        public=public,
    )
    return render_pdf(html)


def letter_render(*, communication_id: int) -> Communication:
    """Render and store a letter's PDF and its public copy, unless done (a re-run does nothing)."""
    communication = _letter(communication_id)
    if communication.pdf_status == PdfStatus.READY and communication.pdf:
        return communication
    data = _letter_pdf(communication, public=False)
    public_data = _letter_pdf(communication, public=True)
    # A random part: the file name must not let anyone guess another letter's path.
    name = f"{communication.letter_kind}-{communication.pk}-{secrets.token_hex(8)}.pdf"
    communication.pdf.save(name, ContentFile(data), save=False)
    default_storage.save(public_pdf_name(communication.pdf.name), ContentFile(public_data))
    Communication.objects.filter(pk=communication.pk).update(
        pdf=communication.pdf.name, pdf_status=PdfStatus.READY, pdf_error=""
    )
    communication.pdf_status, communication.pdf_error = PdfStatus.READY, ""
    return communication


def letter_public_copy(*, communication_id: int) -> str:
    """The storage path of a ready letter's public copy, made now if it is missing."""
    communication = _letter(communication_id)
    if communication.pdf_status != PdfStatus.READY or not communication.pdf:
        raise RequestError("The letter's PDF is not ready.")
    path = public_pdf_name(communication.pdf.name)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(_letter_pdf(communication, public=True)))
    return path


def letter_render_failed(*, communication_id: int, error: str) -> None:
    """The final failure, kept on the letter so the request page shows it."""
    Communication.objects.filter(pk=communication_id).exclude(pdf_status=PdfStatus.READY).update(
        pdf_status=PdfStatus.FAILED, pdf_error=error[:2000]
    )


def letter_retry(*, communication: Communication, actor) -> Communication:
    """Render a failed letter again; one filed by email is then mailed as before."""
    _check_actor(communication.request, actor)
    with transaction.atomic():
        retried = Communication.objects.filter(
            pk=communication.pk, kind=CommunicationKind.LETTER, pdf_status=PdfStatus.FAILED
        ).update(pdf_status=PdfStatus.PENDING, pdf_error="")
        if not retried:
            raise RequestError("Only a letter whose PDF could not be made can be tried again.")
        send = bool(communication.to_address)
        transaction.on_commit(lambda: _queue_render(communication.pk, send=send))
    communication.refresh_from_db()
    return communication


def thread_headers(communication: Communication) -> dict[str, str]:
    """In-Reply-To and References that put a later letter in the request's email thread.

    The thread starts at the request letter's Message-ID; the letter answers the latest
    message of the thread before it (the agency's last reply, or our last letter). The first
    letter of a request has none.
    """
    earlier = list(
        Communication.objects.filter(request_id=communication.request_id)
        .exclude(pk=communication.pk)
        .exclude(message_id="")
        .filter(sent_at__lte=communication.sent_at)
        .order_by("sent_at", "pk")
        .values_list("message_id", "direction", "letter_kind")
    )
    if not earlier:
        return {}
    first = next(
        (mid for mid, direction, kind in earlier if kind == LetterKind.REQUEST), earlier[0][0]
    )
    parent = earlier[-1][0]
    references = [first] if first == parent else [first, parent]
    return {"In-Reply-To": parent, "References": " ".join(references)}


def letter_email_enqueue(*, communication_id: int) -> OutboxMessage:
    """Queue the letter's email once; the outbox key makes every later call a no-op."""
    with transaction.atomic():
        # Locked: two runs of the task cannot both mint a Message-ID.
        communication = _letter(communication_id, lock=True)
        if communication.pdf_status != PdfStatus.READY:
            raise RequestError("The letter's PDF is not ready; it cannot be sent yet.")
        records_request = communication.request
        if not communication.message_id:
            # Our own Message-ID, so the agency's reply (In-Reply-To) can be matched to it.
            communication.message_id = make_msgid(domain=settings.MAIL_DOMAIN)
            communication.save(update_fields=["message_id"])
        filename = f"{communication.letter_kind}-{slugify(records_request.title)[:60]}.pdf"
        headers = {"Message-ID": communication.message_id, **thread_headers(communication)}
        message, _created = outbox_enqueue(
            key=f"letter-{communication.pk}",
            to=[communication.to_address or records_request.agency.records_email],
            subject=communication.subject,
            body_text=f"{communication.body}\n\n(The letter is attached as a PDF.)\n",
            from_email=communication.from_address or settings.DEFAULT_FROM_EMAIL,
            reply_to=records_request.reply_address,
            headers=headers,
            attachments=[
                AttachmentRef(
                    path=communication.pdf.name,
                    filename=filename.replace("_", "-"),
                    content_type="application/pdf",
                )
            ],
            user=records_request.owner,
            records_request=records_request,
            keep_copy=True,
        )
    return message


__all__ = [
    "requests_send_by_email_many",
    "letter_draft_save",
    "letter_draft_text",
    "letter_email_enqueue",
    "letter_preview_pdf",
    "letter_public_copy",
    "letter_queue",
    "letter_record_sent",
    "letter_render",
    "letter_render_failed",
    "letter_retry",
    "letter_send",
    "request_send_by_email",
    "thread_headers",
]
