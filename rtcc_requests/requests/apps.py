from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "rtcc_requests.requests"
    label = "requests"
