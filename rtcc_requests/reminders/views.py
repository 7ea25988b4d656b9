"""The per-user calendar feed and its reset."""

from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from icalendar import Calendar, Event

from rtcc_requests.accounts.models import Profile
from rtcc_requests.requests.choices import DueKind

from . import selectors, services
from .emails import FOIA_APPEAL, Links


def _feed(profile: Profile) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//rtcc-requests//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Records request deadlines")
    stamp = datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())
    links = Links.current()
    for records_request in selectors.open_deadlines_for(user=profile.user):
        label = DueKind(records_request.next_due_kind or DueKind.DETERMINATION).label
        url = links.request(records_request.pk)
        event = Event()
        # One UID per request and kind of deadline: a moved deadline updates the event.
        uid = f"request-{records_request.pk}-{records_request.next_due_kind or 'due'}"
        event.add("uid", f"{uid}@{settings.MAIL_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", records_request.next_due)
        event.add("summary", f"{label}: {records_request.agency.name} – {records_request.title}")
        event.add("url", url)
        event.add("description", f"{label} ({records_request.law.short_name}). {url}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    # The requester's own deadlines: a FOIA appeal of an adverse determination.
    for records_request in selectors.appeal_deadlines_for(user=profile.user):
        url = links.request(records_request.pk)
        event = Event()
        event.add("uid", f"request-{records_request.pk}-appeal@{settings.MAIL_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", records_request.appeal_due)
        event.add(
            "summary",
            f"FOIA appeal deadline: {records_request.agency.name} – {records_request.title}",
        )
        event.add("url", url)
        event.add(
            "description",
            f"Your deadline to file an administrative appeal under {FOIA_APPEAL}. {url}",
        )
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    try:
        profile = selectors.profile_for_calendar_token(token=token)
    except Profile.DoesNotExist:
        raise Http404("No calendar at this address.") from None
    response = HttpResponse(_feed(profile), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    services.calendar_token_reset(user=request.user)
    messages.success(request, "Your calendar has a new address; the old one no longer works.")
    return redirect("accounts:profile")
