from django.apps import AppConfig


class InboundConfig(AppConfig):
    name = "rtcc_requests.inbound"
    verbose_name = "Inbound email"
