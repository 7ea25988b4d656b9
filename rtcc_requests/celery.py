"""The Celery app and the beat schedule."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rtcc_requests.settings")

app = Celery("rtcc_requests")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule_periodic_tasks(sender: Celery, **_kwargs) -> None:
    from django.conf import settings

    # Once a day, California time (CELERY_TIMEZONE), at a configurable hour.
    sender.conf.beat_schedule = {
        "sweep-deadlines-daily": {
            "task": "reminders.sweep_deadlines",
            "schedule": crontab(
                hour=settings.REMINDER_SWEEP_HOUR, minute=settings.REMINDER_SWEEP_MINUTE
            ),
        },
        "outbox-recover": {"task": "outbox.recover", "schedule": 300.0},
        # Agency replies delivered to the maildir (and IMAP, if configured).
        "inbound-poll-mailboxes": {"task": "inbound.poll_mailboxes", "schedule": 60.0},
        # Documents waiting to be read, or whose reader died: read (again).
        "documents-read-waiting": {"task": "documents.read_waiting", "schedule": 300.0},
    }
