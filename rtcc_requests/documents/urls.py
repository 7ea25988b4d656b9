from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search.json", views.search_json, name="search_json"),
    path("documents/<int:pk>/", views.document_detail, name="detail"),
    path("documents/<int:pk>/pages/<int:number>.png", views.page_image, name="page_image"),
    path("documents/<int:pk>/retry/", views.retry, name="retry"),
]
