from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from rtcc_requests.common.params import search_text

from .forms import AgencyProposalForm, PostingCheckForm
from .models import ChecklistItem
from .selectors import agencies_visible_to, agency_search
from .services import DuplicateAgency, posting_check_record, propose_agency

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


@login_required
@require_http_methods(["POST"])
def posting_check(request: HttpRequest, slug: str) -> HttpResponse:
    """Record a look for a document the law makes this agency publish."""
    agency = agencies_visible_to(request.user).filter(slug=slug).first()
    if agency is None:
        raise Http404("No such agency.")
    form = PostingCheckForm(request.POST)
    back = reverse("pages:agency_detail", kwargs={"slug": agency.slug}) + "#published"
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(back)
    data = form.cleaned_data
    item = ChecklistItem.objects.filter(pk=data["checklist_item"], published_duty=True).first()
    if item is None:
        messages.error(request, "No law makes an agency publish that.")
        return redirect(back)
    try:
        posting_check_record(
            agency=agency,
            checklist_item=item,
            found=data["found"],
            url=data["url"],
            checked_on=data["checked_on"],
            user=request.user,
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, "Thank you: the check is recorded.")
    return redirect(back)
