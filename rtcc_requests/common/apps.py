from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Leaf helpers (dates, database statements, widgets, the PDF renderer, template tags).

    An app only so Django finds its template tags; it has no models and imports no app of ours.
    """

    name = "rtcc_requests.common"
    label = "common"
