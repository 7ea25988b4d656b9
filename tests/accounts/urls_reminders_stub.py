"""The project's URLs plus a stand-in for the reminders app's calendar reset view."""

from django.http import HttpResponse
from django.urls import include, path

from rtcc_requests.urls import urlpatterns as project_urlpatterns


def _reset(request):
    return HttpResponse("reset")


_stub = ([path("calendar/reset/", _reset, name="calendar_reset")], "reminders")
urlpatterns = [p for p in project_urlpatterns if getattr(p, "namespace", None) != "reminders"] + [
    path("stub/", include(_stub))
]
