from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "rtcc_requests.requests"
    label = "requests"

    def ready(self) -> None:
        # Connect the receivers: the outbox's message_sent, the agencies' closure days.
        from . import receivers  # noqa: F401
        from .letters import receivers as letter_receivers  # noqa: F401
