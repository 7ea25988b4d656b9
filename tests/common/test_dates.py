from datetime import date

import pytest

from rtcc_requests.common.dates import late_or_in, long_date, relative_days

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 4), "in 3 days"),
        (date(2026, 12, 2), "tomorrow"),
        (date(2026, 12, 1), "due today"),
        (date(2026, 11, 30), "1 day late"),
        (date(2026, 11, 28), "3 days late"),
    ],
)
def test_deadline_phrases(day, expected):
    assert late_or_in(day, TODAY) == expected


def test_long_date_reads_like_people_write_it():
    assert long_date(date(2026, 12, 4)) == "Fri 4 Dec 2026"


def test_relative_days_for_past_events():
    assert relative_days(date(2026, 11, 28), TODAY) == "3 days ago"
    assert relative_days(date(2026, 11, 30), TODAY) == "yesterday"
