from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("agencies/<slug:slug>/", views.agency_detail, name="agency_detail"),
    path("technologies/<slug:slug>/", views.technology_detail, name="technology_detail"),
]
