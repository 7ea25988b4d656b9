"""The public request browser: every public request, filtered by the URL, and its Atom feed.

Visitors and signed-in users see the same list: the public set (public_on_q), never a
private, embargoed or draft request, whoever asks.
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .feeds import PublicRequestsFeed, filter_params
from .public_filters import public_filter

PAGE_SIZE = 25


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    params = filter_params(request)
    filterset = public_filter(params, today=today)
    # get_page reads any ?page= (none, -1, twenty digits, text) as a page that exists.
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = params.urlencode()
    feed_url = reverse("requests:public_feed") + (f"?{query}" if query else "")
    return render(
        request,
        "requests/public_list.html",
        {
            "filter": filterset,
            "page": page,
            "filters_active": bool(query),
            "feed_url": feed_url,
            "today": today,
        },
    )


public_feed = require_safe(PublicRequestsFeed())
