from django.apps import AppConfig


class DenialsConfig(AppConfig):
    name = "rtcc_requests.denials"
    verbose_name = "Public denial log"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
