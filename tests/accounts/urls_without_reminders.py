"""The project's URLs without the reminders app, as before it is wired in."""

from rtcc_requests.urls import urlpatterns as project_urlpatterns

urlpatterns = [p for p in project_urlpatterns if getattr(p, "namespace", None) != "reminders"]
