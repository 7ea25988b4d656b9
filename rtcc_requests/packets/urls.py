from django.urls import path

from . import views

app_name = "packets"
urlpatterns = [
    path("<int:pk>/packet/", views.packet_status, name="status"),
    path("<int:pk>/packet/make/", views.packet_make, name="make"),
    path("<int:pk>/packet/download/", views.packet_download, name="download"),
]
