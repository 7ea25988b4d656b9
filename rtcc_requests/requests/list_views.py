"""The request list: your requests (staff: all), filtered, sorted and paginated by the URL."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .filters import RecordsRequestFilter
from .selectors import requests_listed_for

PAGE_SIZE = 25


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filterset = RecordsRequestFilter(
        request.GET,
        queryset=requests_listed_for(user=request.user),
        request=request,
        today=today,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    active = any(
        value for key, value in request.GET.items() if key not in ("page", "sort") and value
    )
    return render(
        request,
        "requests/request_list.html",
        {"filter": filterset, "page": page, "today": today, "filters_active": active},
    )
