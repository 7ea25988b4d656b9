import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from ..support.worker import database_url


@pytest.mark.django_db
class TestDeadlineCommand:
    def _run(self, *args: str) -> list[str]:
        from io import StringIO

        out = StringIO()
        call_command("deadline", *args, stdout=out)
        return out.getvalue().splitlines()

    def test_thanksgiving_example_prints_the_date_alone_first(self):
        lines = self._run("ca-cpra", "2026-11-16")
        assert lines[0] == "2026-11-30"
        assert "Thanksgiving" in lines[-1] and "Day after Thanksgiving" in lines[-1]

    def test_extended_adds_fourteen_days_and_cites_the_extension(self):
        lines = self._run("ca-cpra", "2026-11-16", "--extended")
        assert lines[0] == "2026-12-10"
        assert "§7922.535(b)" in lines[1]

    def test_foia_counts_working_days(self):
        lines = self._run("us-foia", "2026-11-02")
        assert lines[0] == "2026-12-02"
        assert "Veterans Day" in "\n".join(lines)

    def test_a_2018_request_skips_columbus_day(self):
        lines = self._run("ca-cpra", "2018-09-28")
        assert lines[0] == "2018-10-09"
        assert lines[-1] == "Holidays skipped: Mon 8 Oct 2018: Columbus Day"

    def test_an_unsettled_holiday_is_said_in_words(self):
        lines = self._run("ca-cpra", "2016-09-13")
        assert lines[0] == "2016-09-23"
        assert "status in 2015-2016 is unsettled" in lines[2]
        assert "if it was a holiday, the deadline is Mon 26 Sep 2016" in lines[2]

    def test_california_before_2015_is_refused(self):
        with pytest.raises(CommandError, match="from Thu 1 Jan 2015 on"):
            self._run("ca-cpra", "2014-06-02")

    def test_unknown_law_names_the_known_ones(self):
        with pytest.raises(CommandError, match="Unknown law 'xx'.*ca-cpra"):
            self._run("xx", "2026-11-16")

    def test_bad_date_is_refused(self):
        with pytest.raises(CommandError, match="YYYY-MM-DD"):
            self._run("ca-cpra", "16/11/2026")

    def test_law_without_extension_refuses_extended(self):
        with pytest.raises(CommandError, match="no extension"):
            self._run("tx-pia", "2026-11-16", "--extended")


@pytest.mark.django_db(transaction=True)
def test_command_line_exit_status_and_one_line_error():
    """Scripts rely on the exit status and a single error line."""
    env = dict(os.environ, DJANGO_DEBUG="1", DATABASE_URL=database_url())
    good = subprocess.run(
        [sys.executable, "manage.py", "deadline", "ca-cpra", "2026-11-16"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert good.returncode == 0, good.stderr
    assert good.stdout.splitlines()[0] == "2026-11-30"
    bad = subprocess.run(
        [sys.executable, "manage.py", "deadline", "nope", "2026-11-16"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode != 0
    assert len(bad.stderr.strip().splitlines()) == 1
