from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Reference data (laws, exemptions, technologies) and the Fresno demo: `setup_demo`."""

    name = "rtcc_requests.demo"
    label = "demo"
