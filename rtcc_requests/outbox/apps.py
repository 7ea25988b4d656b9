from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "rtcc_requests.outbox"
    label = "outbox"
