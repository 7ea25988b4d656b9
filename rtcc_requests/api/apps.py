from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "rtcc_requests.api"
    verbose_name = "REST API"
