from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from rtcc_requests.requests.selectors import (
    dashboard_groups,
    failed_emails_for,
    latest_public_denials,
)


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if not request.user.is_authenticated:
        return render(
            request,
            "core/home.html",
            {
                "today": today,
                "denials": latest_public_denials(today=today),
                "denial_log_url": reverse("denials:log"),
            },
        )
    groups = dashboard_groups(user=request.user, today=today)
    return render(
        request,
        "core/dashboard.html",
        {
            "today": today,
            "groups": groups,
            "has_requests": any(group.rows for group in groups),
            "failed_emails": failed_emails_for(user=request.user),
        },
    )


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
