import argparse
from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from rtcc_requests.reminders.models import ReminderKind
from rtcc_requests.reminders.services import reminders_sweep


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        message = f"--today must be a date like 2026-11-30, not {value!r}."
        raise argparse.ArgumentTypeError(message) from error


class Command(BaseCommand):
    help = "Run the deadline sweep (the daily beat task) now: record reminders, queue emails."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=_iso_date, help="Sweep as if it were this day (YYYY-MM-DD)."
        )

    def handle(self, *args, today: date | None = None, **options):
        today = today or timezone.localdate()
        result = reminders_sweep(today=today)
        self.stdout.write(f"Deadline sweep for {today.isoformat()}:")
        for kind in ReminderKind:
            self.stdout.write(f"  {kind.value}: {result.counts.get(kind.value, 0)}")
        self.stdout.write(f"  reminders: {result.reminders}")
        self.stdout.write(f"  emails queued: {result.emails}")
