from django.urls import path

from . import views

app_name = "inbound"
urlpatterns = [
    path(
        "<int:pk>/replies/<int:communication_pk>/apply/",
        views.suggestion_apply,
        name="apply",
    ),
]
