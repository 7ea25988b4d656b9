from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "rtcc_requests.documents"
    verbose_name = "Released records"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the attachment and search receivers
