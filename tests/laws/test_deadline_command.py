import os
import subprocess
import sys
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from ..factories import AgencyFactory, ClosureDayFactory
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


@pytest.mark.slow  # a real `manage.py` process
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


@pytest.mark.django_db
class TestDeadlineCommandForAnAgency:
    """--agency counts the agency's closure days; --extended shows the second reading."""

    def _run(self, *args: str) -> list[str]:
        from io import StringIO

        out = StringIO()
        call_command("deadline", *args, stdout=out)
        return out.getvalue().splitlines()

    def test_a_closure_on_the_due_date_moves_it_and_is_named(self):
        # Received Mon 16 Nov 2026: due Mon 30 Nov, but the office is closed that day: Tue 1 Dec.
        closure = ClosureDayFactory(day=date(2026, 11, 30), reason="Furlough day")
        lines = self._run("ca-cpra", "2026-11-16", "--agency", closure.agency.slug)
        assert lines[0] == "2026-12-01"
        assert lines[1].endswith(f"counting the closure days of {closure.agency.name}:")
        assert lines[-1] == (
            "Holidays skipped: Thu 26 Nov 2026: Thanksgiving; Fri 27 Nov 2026: Day after "
            "Thanksgiving; Mon 30 Nov 2026: agency closed: Furlough day"
        )

    def test_an_agency_without_closures_counts_as_the_law_does(self):
        agency = AgencyFactory()
        assert self._run("ca-cpra", "2026-11-16", "--agency", agency.slug)[0] == "2026-11-30"

    def test_another_agencys_closures_do_not_count(self):
        ClosureDayFactory(day=date(2026, 11, 30))
        agency = AgencyFactory()
        assert self._run("ca-cpra", "2026-11-16", "--agency", agency.slug)[0] == "2026-11-30"

    def test_foia_does_not_count_a_closed_working_day(self):
        # 20 working days after Mon 2 Nov 2026 = Wed 2 Dec; closed Fri 27 Nov: Thu 3 Dec.
        closure = ClosureDayFactory(day=date(2026, 11, 27), reason="City holiday")
        lines = self._run("us-foia", "2026-11-02", "--agency", closure.agency.slug)
        assert lines[0] == "2026-12-03"
        assert "agency closed: City holiday (Fri 27 Nov 2026)" in lines[2]

    def test_unknown_agency_is_refused(self):
        with pytest.raises(CommandError, match=r"^Unknown agency 'nope'$"):
            self._run("ca-cpra", "2026-11-16", "--agency", "nope")

    def test_extended_prints_the_second_reading_after_the_date(self):
        # First reading: 16 Nov + 24 = Thu 10 Dec; second: Mon 30 Nov + 14 = Mon 14 Dec.
        lines = self._run("ca-cpra", "2026-11-16", "--extended")
        assert lines[0] == "2026-12-10"
        assert "it is due Mon 14 Dec 2026; the agency is late only after both dates" in lines[2]
        assert lines[-1].startswith("Arguably due 2026-12-14")

    def test_no_second_reading_when_both_agree(self):
        # 2 Nov + 24 = Thu 26 Nov and Thu 12 Nov + 14 = Thu 26 Nov: both Mon 30 Nov.
        lines = self._run("ca-cpra", "2026-11-02", "--extended")
        assert lines[0] == "2026-11-30"
        assert not any(line.startswith("Arguably") for line in lines)
