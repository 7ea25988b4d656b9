from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .models import RecordsRequest
from .selectors import can_change, request_for_viewer


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        records_request = request_for_viewer(pk=pk, user=request.user)
    except RecordsRequest.DoesNotExist as missing:
        # The same answer for "missing" and "private": existence is not disclosed.
        raise Http404("No such request.") from missing
    return render(
        request,
        "requests/request_detail.html",
        {
            "req": records_request,
            "can_change": can_change(user=request.user, records_request=records_request),
        },
    )
