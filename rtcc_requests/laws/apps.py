from django.apps import AppConfig


class LawsConfig(AppConfig):
    name = "rtcc_requests.laws"
    label = "laws"
