"""The top floor: pages that put several apps together (and the health check)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from rtcc_requests.agencies.forms import PostingCheckForm
from rtcc_requests.agencies.models import Agency, Technology
from rtcc_requests.agencies.selectors import (
    agency_with_deployments,
    published_duties,
    technologies_with_agency_counts,
    technology_with_deployments,
)
from rtcc_requests.common import charts
from rtcc_requests.requests.selectors import (
    agency_response_stats,
    dashboard_groups,
    failed_emails_for,
    latest_public_denials,
    public_requests_about_technology,
    public_requests_to_agency,
    released_checklist_items,
)


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if not request.user.is_authenticated:
        return render(
            request,
            "pages/home.html",
            {
                "today": today,
                "denials": latest_public_denials(today=today),
                "denial_log_url": reverse("denials:log"),
            },
        )
    groups = dashboard_groups(user=request.user, today=today)
    return render(
        request,
        "pages/dashboard.html",
        {
            "today": today,
            "groups": groups,
            "has_requests": any(group.rows for group in groups),
            "failed_emails": failed_emails_for(user=request.user),
        },
    )


@require_GET
def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        # A proposal awaiting review is its proposer's and staff's only: 404 to anyone else.
        agency = agency_with_deployments(slug=slug, viewer=request.user)
    except Agency.DoesNotExist as missing:
        raise Http404("No such agency.") from missing
    today = timezone.localdate()
    stats = agency_response_stats(agency=agency, today=today)
    duties = published_duties(agency=agency)
    held = released_checklist_items(
        agency=agency, checklist_item_ids=[d.item.pk for d in duties], today=today
    )
    return render(
        request,
        "pages/agency_detail.html",
        {
            "agency": agency,
            "today": today,
            "public_requests": public_requests_to_agency(agency=agency, today=today),
            "stats": stats,
            "answers_headers": ["Answer", "Public requests"],
            "answers_chart": charts.cached(
                charts.bars,
                title="How it answered public requests",
                labels=[label for label, _ in stats.answers],
                values=[count for _, count in stats.answers],
            ),
            # (duty, the released record we hold, a form to record a check)
            "duties": [
                (
                    duty,
                    held.get(duty.item.pk),
                    PostingCheckForm(
                        initial={"checklist_item": duty.item.pk, "checked_on": today},
                        auto_id=f"duty{duty.item.pk}-%s",
                    ),
                )
                for duty in duties
            ],
        },
    )


@require_GET
def technology_list(request: HttpRequest) -> HttpResponse:
    """The Atlas of Surveillance taxonomy: every technology, and how many agencies use it."""
    return render(
        request, "pages/technology_list.html", {"technologies": technologies_with_agency_counts()}
    )


def technology_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        technology = technology_with_deployments(slug=slug)
    except Technology.DoesNotExist as missing:
        raise Http404("No such technology.") from missing
    today = timezone.localdate()
    return render(
        request,
        "pages/technology_detail.html",
        {
            "technology": technology,
            "today": today,
            "public_requests": public_requests_about_technology(technology=technology, today=today),
        },
    )


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
