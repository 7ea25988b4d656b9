from django.apps import AppConfig


class DenialsConfig(AppConfig):
    name = "rtcc_requests.denials"
    verbose_name = "Public denial log"
