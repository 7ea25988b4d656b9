from datetime import date

from celery import shared_task
from django.utils import timezone

from .services import reminders_sweep


@shared_task(name="reminders.sweep_deadlines")
def sweep_deadlines(*, today: str | None = None) -> dict[str, int]:
    """The daily beat task; `today` (ISO date) only for re-running a given day."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    result = reminders_sweep(today=day)
    return {**result.counts, "emails": result.emails}
