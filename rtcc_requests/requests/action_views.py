"""The request page's forms: each its own POST URL, owner or staff only; and attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from rtcc_requests.requests.letters import services as letters

from . import services
from .choices import CommunicationKind, Direction
from .forms import (
    AnswerForm,
    CloseForm,
    DeterminationForm,
    NoteForm,
    ReplyForm,
    VisibilityForm,
    WithdrawForm,
)
from .models import Attachment
from .selectors import can_change
from .views import REFUSED, changeable_or_403, render_detail, visible_or_404


def _action(request: HttpRequest, pk: int, form_name: str, form, perform) -> HttpResponse:
    """Validate, call the service, redirect; or show the page again with the form's errors."""
    if form.is_valid():
        try:
            message = perform(form.cleaned_data)
        except REFUSED as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, message)
            return redirect("requests:detail", pk=pk)
    return render_detail(request, changeable_or_403(request, pk), **{form_name: form})


@login_required
@require_POST
def reply_log(request: HttpRequest, pk: int) -> HttpResponse:
    records_request = changeable_or_403(request, pk)

    def perform(data) -> str:
        services.reply_log(
            records_request=records_request,
            actor=request.user,
            subject=data["subject"],
            body=data["body"],
            received_on=data["received_on"],
            from_address=data["from_address"],
            files=data["attachments"],
        )
        return "Reply logged."

    form = ReplyForm(request.POST, request.FILES)
    return _action(request, pk, "reply_form", form, perform)


@login_required
@require_POST
def determination_add(request: HttpRequest, pk: int) -> HttpResponse:
    records_request = changeable_or_403(request, pk)

    def perform(data) -> str:
        determination = services.determination_record(
            records_request=records_request, actor=request.user, **data
        )
        return f"{determination.get_kind_display()} recorded."

    form = DeterminationForm(request.POST, law=records_request.law, records_request=records_request)
    return _action(request, pk, "determination_form", form, perform)


@login_required
@require_POST
def answer_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester answered the agency's question or fee estimate outside the app."""
    records_request = changeable_or_403(request, pk)

    def perform(data) -> str:
        services.answer_log(
            records_request=records_request,
            actor=request.user,
            answered_on=data["answered_on"],
            body=data["body"],
        )
        return "Your answer is logged; the agency owes its determination."

    return _action(request, pk, "answer_form", AnswerForm(request.POST), perform)


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    records_request = changeable_or_403(request, pk)

    def perform(data) -> str:
        services.communication_log(
            records_request=records_request,
            actor=request.user,
            direction=Direction.INTERNAL,
            kind=CommunicationKind.NOTE,
            body=data["body"],
            is_private=data["is_private"],
        )
        return "Note added."

    return _action(request, pk, "note_form", NoteForm(request.POST), perform)


@login_required
@require_POST
def visibility_change(request: HttpRequest, pk: int) -> HttpResponse:
    records_request = changeable_or_403(request, pk)

    def perform(data) -> str:
        changed = services.request_set_visibility(
            records_request=records_request,
            actor=request.user,
            visibility=data["visibility"],
            embargo_until=data["embargo_until"],
        )
        return f"Visibility: {changed.get_visibility_display().lower()}."

    return _action(request, pk, "visibility_form", VisibilityForm(request.POST), perform)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    records_request = changeable_or_403(request, pk)

    def perform(data) -> str:
        services.request_withdraw(
            records_request=records_request, actor=request.user, reason=data["reason"]
        )
        return "Request withdrawn."

    return _action(request, pk, "withdraw_form", WithdrawForm(request.POST), perform)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    records_request = changeable_or_403(request, pk)

    def perform(data) -> str:
        services.request_close(
            records_request=records_request, actor=request.user, reason=data["reason"]
        )
        return "Request closed."

    return _action(request, pk, "close_form", CloseForm(request.POST), perform)


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    records_request = visible_or_404(request, pk)
    try:
        attachment = Attachment.objects.select_related("communication").get(
            pk=attachment_pk, communication__request=records_request
        )
    except Attachment.DoesNotExist as missing:
        raise Http404("No such attachment.") from missing
    if attachment.communication.is_private and not can_change(
        user=request.user, records_request=records_request
    ):
        raise Http404("No such attachment.")
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def letter_retry(request: HttpRequest, pk: int, communication_pk: int) -> HttpResponse:
    records_request = changeable_or_403(request, pk)
    communication = records_request.communications.filter(pk=communication_pk).first()
    if communication is None:
        raise Http404("No such letter.")
    try:
        letters.letter_retry(communication=communication, actor=request.user)
    except REFUSED as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Making the PDF again.")
    return redirect(records_request)
