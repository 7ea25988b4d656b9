from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "rtcc_requests.letters"
    label = "letters"
