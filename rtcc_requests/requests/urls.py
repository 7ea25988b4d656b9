from django.urls import path

from . import views

app_name = "requests"
urlpatterns = [
    path("<int:pk>/", views.request_detail, name="detail"),
]
