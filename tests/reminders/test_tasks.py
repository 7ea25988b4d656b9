import pytest
from freezegun import freeze_time

from rtcc_requests.celery import app
from rtcc_requests.reminders.models import Reminder, ReminderKind
from rtcc_requests.reminders.tasks import sweep_deadlines

from ..factories import filed_request
from .conftest import RECEIVED


class TestBeatSchedule:
    def test_daily_sweep_calls_the_registered_task_at_the_configured_time(self, settings):
        app.finalize()
        entry = app.conf.beat_schedule["sweep-deadlines-daily"]
        assert entry["task"] == sweep_deadlines.name == "reminders.sweep_deadlines"
        assert entry["task"] in app.tasks
        assert entry["schedule"].hour == {settings.REMINDER_SWEEP_HOUR}
        assert entry["schedule"].minute == {settings.REMINDER_SWEEP_MINUTE}


@pytest.mark.django_db
class TestSweepDeadlinesTask:
    def test_sweeps_californias_today(self, user, mailoutbox, django_capture_on_commit_callbacks):
        filed_request(received=RECEIVED, owner=user)
        # 07:00 on 30 Nov in California is already 15:00 UTC; 1 Dec starts at 08:00 UTC.
        with freeze_time("2026-12-01 07:30"), django_capture_on_commit_callbacks(execute=True):
            counts = sweep_deadlines.delay().get()
        assert counts == {ReminderKind.DUE_TODAY: 1, "emails": 1}
        assert Reminder.objects.get().event_on.isoformat() == "2026-11-30"
        assert len(mailoutbox) == 1

    def test_a_given_day_can_be_swept_again(self, user):
        filed_request(received=RECEIVED, owner=user)
        assert sweep_deadlines.delay(today="2026-12-01").get() == {
            ReminderKind.OVERDUE: 1,
            "emails": 1,
        }
        assert sweep_deadlines.delay(today="2026-12-01").get() == {"emails": 0}
