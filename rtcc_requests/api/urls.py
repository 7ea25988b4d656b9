from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import token_views, views

app_name = "api"

router = DefaultRouter()
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("technologies", views.TechnologyViewSet, basename="technology")
router.register("deployments", views.DeploymentViewSet, basename="deployment")
router.register("laws", views.LawViewSet, basename="law")
router.register("exemptions", views.ExemptionViewSet, basename="exemption")
router.register("requests", views.RequestViewSet, basename="request")
router.register("denials", views.DenialViewSet, basename="denial")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("documents", views.DocumentViewSet, basename="document")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/search/", views.SearchView.as_view(), name="search"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up code as a script file of its own: no
    # inline script, so the page keeps our Content-Security-Policy.
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/<slug:token_key>/revoke/", token_views.token_revoke, name="token_revoke"),
]
