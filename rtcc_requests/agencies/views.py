from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .models import Agency, Technology
from .selectors import (
    agency_response_stats,
    agency_search,
    agency_with_deployments,
    public_requests_about_technology,
    public_requests_to_agency,
    technology_with_deployments,
)

AGENCIES_PER_PAGE = 50
SUGGESTIONS = 20


@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    agencies = agency_search(query=query)
    if request.GET.get("format") == "json":
        # Suggestions for the composer's agency picker.
        rows = agencies.values("slug", "name", "city", "state")[:SUGGESTIONS]
        return JsonResponse({"results": list(rows)})
    page = Paginator(agencies, AGENCIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "agencies/agency_list.html", {"page": page, "query": query})


@require_GET
def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        agency = agency_with_deployments(slug=slug)
    except Agency.DoesNotExist as missing:
        raise Http404("No such agency.") from missing
    today = timezone.localdate()
    return render(
        request,
        "agencies/agency_detail.html",
        {
            "agency": agency,
            "today": today,
            "public_requests": public_requests_to_agency(agency=agency, today=today),
            "stats": agency_response_stats(agency=agency, today=today),
        },
    )


@require_GET
def technology_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        technology = technology_with_deployments(slug=slug)
    except Technology.DoesNotExist as missing:
        raise Http404("No such technology.") from missing
    today = timezone.localdate()
    return render(
        request,
        "agencies/technology_detail.html",
        {
            "technology": technology,
            "today": today,
            "public_requests": public_requests_about_technology(technology=technology, today=today),
        },
    )
