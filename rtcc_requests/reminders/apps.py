from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "rtcc_requests.reminders"
    label = "reminders"
    verbose_name = "Deadline reminders"

    def ready(self) -> None:
        from rtcc_requests.outbox.renderers import register_renderer

        from . import emails

        register_renderer(emails.EVENT_RENDERER, emails.event_body)
        register_renderer(emails.DIGEST_RENDERER, emails.digest_body)
