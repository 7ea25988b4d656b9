"""Cache-Control for what only one person may see."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def _signed_in(request: HttpRequest) -> bool:
    # Without a session key nobody is signed in, and reading request.user would load the
    # session and add "Vary: Cookie" to a visitor's public page or export for nothing.
    # (Signing in sets the key in the same request, so the redirect after it counts.)
    session = getattr(request, "session", None)
    if session is None or session.session_key is None:
        return False
    return request.user.is_authenticated


def _forbids_storing(response: HttpResponse) -> bool:
    # A view that already said no-store (the letter preview) said everything: no cache of any
    # kind may keep it, so `private` would add nothing.
    return "no-store" in (part.strip() for part in response.get("Cache-Control", "").split(","))


class PrivateCacheControlMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user.

    A signed-in page shows the user's own requests, drafts and deadlines, and the downloads
    (attachments, letter PDFs of private requests) are theirs: no shared cache may keep them
    and no browser should leave them on disk after sign-out. Visitors' public pages and the
    denial log's exports keep whatever their views say. A view that answers someone known
    another way says so itself: the token calendar feed sends `private, max-age=900`, and a
    view that must never be stored for anyone uses Django's `never_cache`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _signed_in(request) and not _forbids_storing(response):
            patch_cache_control(response, private=True, no_store=True)
        return response
