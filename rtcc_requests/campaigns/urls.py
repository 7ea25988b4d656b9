from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_new, name="new"),
    path("technology/<slug:slug>/", views.technology_compare, name="technology_compare"),
    path("technology/<slug:slug>.csv", views.technology_compare_csv, name="technology_csv"),
    path("technology/<slug:slug>.json", views.technology_compare_json, name="technology_json"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/letters/", views.campaign_letters, name="letters"),
    path("<int:pk>/file/", views.campaign_file, name="file"),
    path("<int:pk>/record-filed/", views.campaign_record_filed, name="record_filed"),
    path("<int:pk>/compare/", views.campaign_compare, name="compare"),
    path("<int:pk>/compare.csv", views.campaign_compare_csv, name="compare_csv"),
    path("<int:pk>/compare.json", views.campaign_compare_json, name="compare_json"),
]
