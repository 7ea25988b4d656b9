"""API tokens on the profile: create one (shown once, stored only as a digest by knox),
see when each was made and when it expires, revoke any of them at once."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from knox.models import AuthToken

MAX_TOKENS = 10


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    mine = AuthToken.objects.filter(user=request.user).order_by("-created")
    created = ""
    if request.method == "POST":
        if mine.count() >= MAX_TOKENS:
            messages.error(request, f"You have {MAX_TOKENS} tokens: revoke one first.")
            return redirect("api:tokens")
        _instance, created = AuthToken.objects.create(
            user=request.user, expiry=settings.REST_KNOX["TOKEN_TTL"]
        )
    return render(
        request,
        "api/tokens.html",
        {"tokens": list(mine), "created": created, "max_tokens": MAX_TOKENS},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_key: str) -> HttpResponse:
    deleted, _ = AuthToken.objects.filter(user=request.user, token_key=token_key).delete()
    if deleted:
        messages.success(request, "Token revoked: it no longer works.")
    else:
        messages.error(request, "No such token of yours.")
    return redirect("api:tokens")
