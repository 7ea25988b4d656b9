from django.apps import AppConfig


class PacketsConfig(AppConfig):
    name = "rtcc_requests.packets"
    verbose_name = "Court packets"
