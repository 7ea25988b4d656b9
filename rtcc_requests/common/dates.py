"""Dates as people read them: "Fri 4 Dec 2026, in 3 days"."""

from datetime import date


def relative_days(day: date, today: date) -> str:
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    if delta > 0:
        return f"in {delta} days"
    return f"{-delta} days ago"


def late_or_in(day: date, today: date) -> str:
    """For a deadline: "in 3 days", "due today", "2 days late"."""
    delta = (day - today).days
    if delta == 0:
        return "due today"
    if delta > 0:
        return "tomorrow" if delta == 1 else f"in {delta} days"
    return "1 day late" if delta == -1 else f"{-delta} days late"


def long_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"
