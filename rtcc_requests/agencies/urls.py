from django.urls import path

from . import views

app_name = "agencies"
urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
]
