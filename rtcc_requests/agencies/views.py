from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rtcc_requests.common.params import search_text

from .selectors import agency_search

AGENCIES_PER_PAGE = 50
SUGGESTIONS = 20


@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    # Without control characters: PostgreSQL refuses a NUL in a query.
    query = search_text(request.GET.get("q"), limit=100)
    agencies = agency_search(query=query)
    if request.GET.get("format") == "json":
        # Suggestions for the composer's agency picker.
        rows = agencies.values("slug", "name", "city", "state")[:SUGGESTIONS]
        return JsonResponse({"results": list(rows)})
    page = Paginator(agencies, AGENCIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "agencies/agency_list.html", {"page": page, "query": query})
