from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Agency, Technology
from .selectors import agency_with_deployments, technology_with_deployments


def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        agency = agency_with_deployments(slug=slug)
    except Agency.DoesNotExist as missing:
        raise Http404("No such agency.") from missing
    return render(request, "agencies/agency_detail.html", {"agency": agency})


def technology_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        technology = technology_with_deployments(slug=slug)
    except Technology.DoesNotExist as missing:
        raise Http404("No such technology.") from missing
    return render(request, "agencies/technology_detail.html", {"technology": technology})
