"""The glue django-axes calls for sign-in throttling: who the client is, and what a locked-out
client is told. The limits themselves are settings (AXES_* in settings.py)."""

import ipaddress
from datetime import timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, counting TRUSTED_PROXY_HOPS proxies in front of the app.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with
    N proxies the client is the Nth address from the right; what stands to the left of that
    is whatever the client sent and proves nothing. A header that is missing, too short or
    not an address falls back to REMOTE_ADDR (the nearest proxy: it throttles more, never less).
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_HOPS
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote


def _minutes(cool_off: timedelta | None) -> int:
    return max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """Our page for a refused sign-in: what happened, how long it lasts, what to do instead."""
    return render(
        request,
        "accounts/lockout.html",
        {"minutes": _minutes(get_cool_off(request))},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
