from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path(
        "<int:pk>/letters/<int:communication_pk>/pdf/",
        views.letter_pdf,
        name="pdf",
    ),
    path("<int:pk>/letters/preview/", views.letter_preview, name="preview"),
]
