"""The court packet's pages: thin views that check who is asking, then call one service or
selector. Whoever may see a request gets a packet of it; which one is `audience_for`'s."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from rtcc_requests.common.params import db_id
from rtcc_requests.requests.models import RecordsRequest

from .selectors import PacketState, audience_for, packet_state, request_for_packet
from .services import packet_filename, packet_request

_ASKED = {
    "queued": "Making the court packet. This page shows it when it is ready.",
    "working": "The court packet is already being made.",
    "current": "The court packet is up to date: nothing has changed since it was made.",
}


def _visible_or_404(request: HttpRequest, pk: int) -> RecordsRequest:
    if db_id(pk) is None:
        raise Http404("No such request.")
    try:
        return request_for_packet(pk=pk, user=request.user)
    except RecordsRequest.DoesNotExist as missing:
        # The same answer for "missing" and "private": existence is not disclosed.
        raise Http404("No such request.") from missing


def _state(request: HttpRequest, records_request: RecordsRequest) -> PacketState:
    return packet_state(
        records_request=records_request,
        audience=audience_for(user=request.user, records_request=records_request),
        today=timezone.localdate(),
    )


@require_POST
def packet_make(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Make the court packet" (and "try again"): queues one build, whoever presses it."""
    records_request = _visible_or_404(request, pk)
    asked = packet_request(
        records_request=records_request,
        audience=audience_for(user=request.user, records_request=records_request),
        actor=request.user,
    )
    messages.info(request, _ASKED[asked.outcome])
    return redirect("packets:status", pk=records_request.pk)


@require_GET
def packet_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The packet's state: a page that checks again while it is made, or (?fragment=1) the
    part the request page shows, for a script to poll."""
    records_request = _visible_or_404(request, pk)
    context = {"req": records_request, "packet_state": _state(request, records_request)}
    if request.GET.get("fragment"):
        return render(request, "packets/_status.html", context)
    return render(request, "packets/status.html", context)


@require_GET
def packet_download(request: HttpRequest, pk: int) -> HttpResponse:
    records_request = _visible_or_404(request, pk)
    state = _state(request, records_request)
    if state.packet is None:
        raise Http404("No packet has been made of this request.")
    if not state.downloadable:
        # Being made, failed, or a public packet made before the request last changed.
        context = {"req": records_request, "packet_state": state}
        return render(request, "packets/status.html", context, status=409)
    response = FileResponse(
        state.packet.file.open("rb"),
        as_attachment=True,
        filename=packet_filename(records_request.pk, state.audience),
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response
