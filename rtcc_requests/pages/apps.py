from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The pages that bring several apps together: home, dashboard, agency and technology."""

    name = "rtcc_requests.pages"
    label = "pages"
