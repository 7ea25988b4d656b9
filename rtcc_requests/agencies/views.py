from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from rtcc_requests.common.params import search_text

from .forms import AgencyProposalForm
from .selectors import agency_search
from .services import DuplicateAgency, propose_agency

AGENCIES_PER_PAGE = 50
SUGGESTIONS = 20


@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    # Without control characters: PostgreSQL refuses a NUL in a query.
    query = search_text(request.GET.get("q"), limit=100)
    agencies = agency_search(query=query, user=request.user)
    if request.GET.get("format") == "json":
        # Suggestions for the composer's agency picker.
        rows = agencies.values("slug", "name", "city", "state")[:SUGGESTIONS]
        return JsonResponse({"results": list(rows)})
    page = Paginator(agencies, AGENCIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/agency_list.html",
        {"page": page, "query": query, "propose_url": reverse("agencies:propose")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_propose(request: HttpRequest) -> HttpResponse:
    """A signed-in user adds an agency missing from the directory and files to it at once."""
    initial = {"name": search_text(request.GET.get("name"), limit=200)}
    form = AgencyProposalForm(request.POST or None, initial=initial)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            agency = propose_agency(user=request.user, **form.cleaned_data)
        except DuplicateAgency as refused:
            duplicate = refused.agency
            form.add_error(None, refused)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                f"Agency proposed: you can file to {agency.name} now; staff will review it.",
            )
            return redirect(f"{reverse('requests:new')}?agency={agency.pk}")
    return render(request, "agencies/agency_propose.html", {"form": form, "duplicate": duplicate})
