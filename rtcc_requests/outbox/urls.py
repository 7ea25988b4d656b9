from django.urls import path

from . import views

app_name = "outbox"
urlpatterns = [
    path("emails/<int:pk>/retry/", views.message_retry, name="retry"),
]
