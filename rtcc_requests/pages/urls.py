from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import views


class FaviconRedirect(RedirectView):
    # Browsers ask for /favicon.ico whatever the page links; the file lives with the statics
    # (its hashed name in production, so it is resolved per request, not at import).
    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("favicon.ico")


app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("agencies/<slug:slug>/", views.agency_detail, name="agency_detail"),
    path("technologies/", views.technology_list, name="technology_list"),
    path("technologies/<slug:slug>/", views.technology_detail, name="technology_detail"),
]
