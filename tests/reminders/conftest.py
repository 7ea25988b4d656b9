from datetime import date

import pytest

from rtcc_requests.reminders.services import reminders_sweep

# Received Mon 16 Nov 2026: day 10 is Thanksgiving, then the day after, then the weekend,
# so the CPRA determination is due Mon 30 Nov 2026 (cpra.md).
RECEIVED = date(2026, 11, 16)
DUE = date(2026, 11, 30)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the sweep as the beat would: commit, then deliver through the outbox (eagerly)."""

    def run(today: date):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_sweep(today=today)

    return run
