from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "rtcc_requests.reminders"
    label = "reminders"
    verbose_name = "Deadline reminders"
