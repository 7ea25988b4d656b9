from django.urls import path

from . import views

app_name = "denials"
urlpatterns = [
    path("denials/", views.log_page, name="log"),
    path("denials.csv", views.csv_export, name="csv"),
    path("denials.json", views.json_export, name="json"),
    path("denials.atom", views.atom_export, name="atom"),
    path("denials.pdf", views.pdf_export, name="pdf"),
    path("denials/print/", views.print_page, name="print"),
    path("denials/agencies/<slug:slug>/", views.agency_page, name="agency"),
    path("denials/exemptions/<int:pk>/", views.exemption_page, name="exemption"),
]
