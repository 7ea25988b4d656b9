from django.urls import path

from . import views

app_name = "agencies"
urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<slug:slug>/", views.agency_detail, name="agency_detail"),
    path("technologies/<slug:slug>/", views.technology_detail, name="technology_detail"),
]
