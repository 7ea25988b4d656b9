from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "rtcc-requests administration"
admin.site.site_title = "rtcc-requests"

urlpatterns = [
    path("", include("rtcc_requests.pages.urls")),
    path("accounts/", include("rtcc_requests.accounts.urls")),
    path("requests/", include("rtcc_requests.requests.urls")),
    path("requests/", include("rtcc_requests.requests.letters.urls")),
    path("requests/", include("rtcc_requests.inbound.urls")),
    path("requests/", include("rtcc_requests.packets.urls")),
    path("", include("rtcc_requests.documents.urls")),
    path("campaigns/", include("rtcc_requests.campaigns.urls")),
    path("api/", include("rtcc_requests.api.urls")),
    path("organizations/", include("rtcc_requests.teams.urls")),
    path("", include("rtcc_requests.agencies.urls")),
    path("", include("rtcc_requests.denials.urls")),
    path("", include("rtcc_requests.reminders.urls")),
    path("", include("rtcc_requests.outbox.urls")),
    path("admin/", admin.site.urls),
]
