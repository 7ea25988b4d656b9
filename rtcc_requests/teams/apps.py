from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "rtcc_requests.teams"
    verbose_name = "Organizations (pages)"
