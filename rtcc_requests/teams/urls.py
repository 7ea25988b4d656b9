from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("invitations/<str:token>/", views.invitation_accept, name="accept"),
    path("<slug:slug>/", views.organization_detail, name="detail"),
    path("<slug:slug>/invite/", views.invitation_send, name="invite"),
    path("<slug:slug>/members/<int:pk>/role/", views.membership_role, name="role"),
    path("<slug:slug>/members/<int:pk>/remove/", views.membership_end, name="remove"),
]
