"""Sending a failed email again: a deliberate choice of the person it belongs to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import OutboxMessage
from .services import outbox_retry


@login_required
@require_POST
def message_retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = OutboxMessage.objects.select_related("records_request").filter(pk=pk).first()
    owner_id = message and (
        message.user_id or (message.records_request and message.records_request.owner_id)
    )
    if message is None or not (request.user.is_staff or owner_id == request.user.pk):
        raise Http404("No such email.")
    if outbox_retry(message_id=message.pk):
        messages.success(request, f"Sending “{message.subject}” again.")
    else:
        messages.error(request, "That email has not failed, so there is nothing to send again.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect(message.records_request or "pages:home")
