from django.urls import path

from . import views

app_name = "agencies"
urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    # Two segments: `agencies/<slug>/` is an agency's page (pages app, matched first).
    path("agencies/proposals/new/", views.agency_propose, name="propose"),
    path("agencies/<slug:slug>/posting-check/", views.posting_check, name="posting_check"),
]
