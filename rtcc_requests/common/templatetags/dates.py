from datetime import date

from django import template
from django.utils import timezone

from rtcc_requests.common import dates

register = template.Library()


def _today(today: date | None) -> date:
    return today or timezone.localdate()


@register.filter
def long_date(day: date | None) -> str:
    return dates.long_date(day) if day else ""


@register.filter
def deadline(day: date | None, today: date | None = None) -> str:
    """'Fri 4 Dec 2026, in 3 days' / 'Mon 30 Nov 2026, 2 days late'."""
    if not day:
        return ""
    return f"{dates.long_date(day)}, {dates.late_or_in(day, _today(today))}"


@register.filter
def relative(day: date | None, today: date | None = None) -> str:
    return dates.relative_days(day, _today(today)) if day else ""
