"""The public request browser: every public request, filtered by the URL, and its Atom feed.

Visitors and signed-in users see the same list: the public set (public_on_q), never a
private, embargoed or draft request, whoever asks.
"""

from datetime import datetime, time

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from .public_filters import PublicRequestFilter
from .selectors import public_requests_listed

PAGE_SIZE = 25
FEED_ENTRIES = 50


def _filtered(request: HttpRequest) -> tuple[PublicRequestFilter, str]:
    today = timezone.localdate()
    params = request.GET.copy()
    params.pop("page", None)
    filterset = PublicRequestFilter(
        params, queryset=public_requests_listed(today=today), today=today
    )
    return filterset, params.urlencode()


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    filterset, query = _filtered(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    feed_url = reverse("requests:public_feed") + (f"?{query}" if query else "")
    return render(
        request,
        "requests/public_list.html",
        {
            "filter": filterset,
            "page": page,
            "filters_active": bool(query),
            "feed_url": feed_url,
            "today": timezone.localdate(),
        },
    )


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@require_safe
def public_feed(request: HttpRequest) -> HttpResponse:
    filterset, query = _filtered(request)
    suffix = f"?{query}" if query else ""
    feed = Atom1Feed(
        title="Public records requests" + (" (filtered)" if query else ""),
        link=_absolute(reverse("requests:public_list") + suffix),
        feed_url=_absolute(reverse("requests:public_feed") + suffix),
        description="Public records requests about police surveillance technology.",
        language="en",
    )
    for records_request in filterset.qs.order_by("-updated_at", "-pk")[:FEED_ENTRIES]:
        url = _absolute(records_request.get_absolute_url())
        filed = records_request.filed_on
        feed.add_item(
            title=f"{records_request.agency.name}: {records_request.title}",
            link=url,
            unique_id=url,
            description=(
                f"{records_request.get_status_display()}. Under the "
                f"{records_request.law.short_name}"
                + (f", filed {filed:%-d %b %Y}" if filed else "")
                + "."
            ),
            pubdate=timezone.make_aware(datetime.combine(filed, time(12))) if filed else None,
            updateddate=records_request.updated_at,
            categories=[t.name for t in records_request.technologies.all()],
        )
    response = HttpResponse(content_type=feed.content_type)
    feed.write(response, "utf-8")
    return response
