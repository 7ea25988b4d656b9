from django.urls import path

from . import action_views, list_views, public_views, views
from .letters import views as letter_views

app_name = "requests"
urlpatterns = [
    path("", list_views.request_list, name="list"),
    path("public/", public_views.public_list, name="public_list"),
    path("public.atom", public_views.public_feed, name="public_feed"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("new/", views.request_new, name="new"),
    path("new/technologies.json", views.composer_technologies, name="composer_technologies"),
    path("<int:pk>/edit/", views.request_edit, name="edit"),
    path("<int:pk>/file/", views.request_file, name="file"),
    path("<int:pk>/reply/", action_views.reply_log, name="reply"),
    path("<int:pk>/determination/", action_views.determination_add, name="determination"),
    path("<int:pk>/answer/", action_views.answer_log, name="answer"),
    path("<int:pk>/note/", action_views.note_add, name="note"),
    path("<int:pk>/visibility/", action_views.visibility_change, name="visibility"),
    path("<int:pk>/withdraw/", action_views.withdraw, name="withdraw"),
    path("<int:pk>/close/", action_views.close, name="close"),
    path("<int:pk>/draft-letter/<slug:kind>/", letter_views.letter_draft, name="letter"),
    path(
        "<int:pk>/letters/<int:communication_pk>/retry/",
        action_views.letter_retry,
        name="letter_retry",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        action_views.attachment_download,
        name="attachment",
    ),
]
