from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from rtcc_requests.common.pdf import PdfRenderError
from rtcc_requests.requests import composing
from rtcc_requests.requests.choices import LetterKind, PdfStatus, Status
from rtcc_requests.requests.forms import ComposerForm
from rtcc_requests.requests.models import Communication, RecordsRequest
from rtcc_requests.requests.selectors import can_change
from rtcc_requests.requests.services import RequestError
from rtcc_requests.requests.views import REFUSED, changeable_or_403

from .documents import subject_for
from .forms import LetterDraftForm
from .selectors import letter_for_viewer, thread_start
from .services import (
    DRAFTED_KINDS,
    letter_draft_save,
    letter_draft_text,
    letter_preview_pdf,
    letter_public_copy,
    letter_record_sent,
    letter_send,
)


@require_GET
def letter_pdf(request: HttpRequest, pk: int, communication_pk: int) -> HttpResponse:
    try:
        letter = letter_for_viewer(pk=pk, communication_pk=communication_pk, user=request.user)
    except Communication.DoesNotExist as missing:
        # The same answer for "missing" and "not yours": existence is not disclosed.
        raise Http404("No such letter.") from missing
    if letter.pdf_status != PdfStatus.READY or not letter.pdf:
        # 202 while the task works on it, 409 when it failed: never a broken "PDF".
        status = 202 if letter.pdf_status == PdfStatus.PENDING else 409
        return render(request, "letters/pdf_not_ready.html", {"letter": letter}, status=status)
    filename = f"{letter.letter_kind or 'letter'}-{slugify(letter.request.title)[:60]}.pdf"
    if can_change(user=request.user, records_request=letter.request):
        handle = letter.pdf.open("rb")
    else:
        # The public sees the letter without the requester's address, phone and email.
        handle = default_storage.open(letter_public_copy(communication_id=letter.pk), "rb")
    return FileResponse(handle, content_type="application/pdf", filename=filename)


@login_required
@require_POST
def letter_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The composer's "preview PDF": the draft as posted, rendered now, for its owner only."""
    records_request = (
        RecordsRequest.objects.select_related("agency", "law", "owner__profile")
        .filter(pk=pk)
        .first()
    )
    if records_request is None or not can_change(
        user=request.user, records_request=records_request
    ):
        # One you may read but not change (an organization's viewer) is refused, as on
        # every other page; one you may not read might as well not exist.
        today = timezone.localdate()
        if records_request is not None and (
            RecordsRequest.objects.visible_to(request.user, today).filter(pk=pk).exists()
        ):
            raise PermissionDenied("Only the requester can preview its letters.")
        raise Http404("No such request.")
    kind = request.POST.get("kind") or LetterKind.REQUEST
    body = request.POST.get("body")
    if kind == LetterKind.REQUEST and "records_sought" in request.POST:
        body = _as_composed(request, records_request, body or "")
    try:
        data = letter_preview_pdf(records_request=records_request, kind=kind, body=body)
    except (RequestError, PdfRenderError) as error:
        return render(
            request,
            "letters/preview_error.html",
            {"req": records_request, "error": str(error)},
            status=400,
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{kind}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _as_composed(request: HttpRequest, records_request: RecordsRequest, body: str) -> str:
    """From the composer: the letter it would save now (FOIA options ticked since the letter
    was drafted are in it), or the text as typed if the form is not complete."""
    form = ComposerForm(request.POST, user=request.user, draft_agency_id=records_request.agency_id)
    if records_request.status != Status.DRAFT or not form.is_valid():
        return body
    return composing.letter_to_keep(
        form, saved=records_request, signature=composing.signature_of(records_request.owner)
    )


@login_required
def letter_draft(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A follow-up or challenge as an editable draft: kept, previewed, then sent by email in
    the request's thread or recorded as sent another way. Owner and staff only."""
    records_request = changeable_or_403(request, pk)
    if kind not in DRAFTED_KINDS:
        raise Http404("No such letter.")
    label = LetterKind(kind).label
    if request.method == "POST":
        action = request.POST.get("action", "save")
        form = LetterDraftForm(request.POST, action=action)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "send":
                    letter_send(
                        records_request=records_request,
                        kind=kind,
                        body=data["body"],
                        actor=request.user,
                    )
                    messages.success(
                        request,
                        f"{label} sent by email to {records_request.agency.records_email}, in "
                        "the request's thread, with its PDF.",
                    )
                    return redirect(records_request)
                if action == "record":
                    letter_record_sent(
                        records_request=records_request,
                        kind=kind,
                        body=data["body"],
                        actor=request.user,
                        method=data["method"],
                        sent_on=data["sent_on"],
                    )
                    messages.success(request, f"{label} recorded as sent.")
                    return redirect(records_request)
                letter_draft_save(
                    records_request=records_request,
                    kind=kind,
                    body=data["body"],
                    actor=request.user,
                )
                messages.success(request, "Draft kept. Nothing has been sent.")
                return redirect("requests:letter", pk=records_request.pk, kind=kind)
            except REFUSED as refused:
                form.add_error(None, str(refused))
    else:
        try:
            body = letter_draft_text(records_request=records_request, kind=kind)
        except REFUSED as refused:
            messages.error(request, str(refused))
            return redirect(records_request)
        form = LetterDraftForm(initial={"body": body, "sent_on": timezone.localdate()})
    return render(
        request,
        "letters/draft.html",
        {
            "req": records_request,
            "kind": kind,
            "label": label,
            "form": form,
            "subject": subject_for(records_request, kind),
            "thread": thread_start(records_request=records_request),
        },
    )
