from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "rtcc_requests.agencies"
    label = "agencies"
