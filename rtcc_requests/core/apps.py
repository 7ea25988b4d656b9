from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rtcc_requests.core"
    label = "core"
