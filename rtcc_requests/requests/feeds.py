"""The public request browser's Atom feed: the page's filtered set, newest filed first.

Each entry is dated `updated` by its last public activity (selectors.public_feed_entries),
so a reader sees a request again when a reply, a determination or a status change is
recorded, and never because its requester edited a private draft or note.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from .models import RecordsRequest
from .public_filters import public_filter
from .selectors import public_feed_entries

FEED_ENTRIES = 50


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def filter_params(request: HttpRequest) -> QueryDict:
    """The filters of this URL, without the page and the ones left blank: what the page and
    its feed share (an "Apply" with nothing chosen is no filter)."""
    params = request.GET.copy()
    params.pop("page", None)
    for key in list(params):
        if not any(value.strip() for value in params.getlist(key)):
            del params[key]
    return params


@dataclass(frozen=True)
class _Filtered:
    entries: list[RecordsRequest]
    suffix: str  # "?agency=..." or ""


class PublicRequestsFeed(Feed):
    feed_type = Atom1Feed
    language = "en"
    description = "Public records requests about police surveillance technology."

    def get_object(self, request: HttpRequest) -> _Filtered:
        params = filter_params(request)
        query = params.urlencode()
        filterset = public_filter(params, today=timezone.localdate(), menus=False)
        entries = public_feed_entries(requests=filterset.qs, limit=FEED_ENTRIES)
        return _Filtered(entries=entries, suffix=f"?{query}" if query else "")

    def title(self, obj: _Filtered) -> str:
        return "Public records requests" + (" (filtered)" if obj.suffix else "")

    def link(self, obj: _Filtered) -> str:
        return absolute(reverse("requests:public_list") + obj.suffix)

    def feed_url(self, obj: _Filtered) -> str:
        return absolute(reverse("requests:public_feed") + obj.suffix)

    def items(self, obj: _Filtered) -> list[RecordsRequest]:
        return obj.entries

    def item_title(self, item: RecordsRequest) -> str:
        return f"{item.agency.name}: {item.title}"

    def item_link(self, item: RecordsRequest) -> str:
        return absolute(item.get_absolute_url())

    def item_description(self, item: RecordsRequest) -> str:
        filed = f", filed {item.filed_on:%-d %b %Y}" if item.filed_on else ""
        closed = f", closed {item.closed_on:%-d %b %Y}" if item.closed_on else ""
        return f"{item.get_status_display()}. Under the {item.law.short_name}{filed}{closed}."

    def item_pubdate(self, item: RecordsRequest) -> datetime | None:
        """Noon of the filing date, or the filing itself if recorded before noon."""
        if item.filed_on is None:
            return None
        noon = timezone.make_aware(datetime.combine(item.filed_on, time(12)))
        return min(noon, item.last_activity)

    def item_updateddate(self, item: RecordsRequest) -> datetime:
        return item.last_activity

    def item_categories(self, item: RecordsRequest) -> list[str]:
        return [technology.name for technology in item.technologies.all()]
