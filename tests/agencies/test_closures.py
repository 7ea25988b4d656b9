"""Agency closure days: the CSV import, the selector the deadline count reads, the admin."""

import os
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from rtcc_requests.agencies.closures import NotClosureCsv, closures_import
from rtcc_requests.agencies.models import ClosureDay
from rtcc_requests.agencies.selectors import closure_days

from ..factories import AgencyFactory, ClosureDayFactory
from ..support.worker import database_url

HEADER = "agency,day,reason,source\n"


@pytest.fixture
def fresno(db):
    return AgencyFactory(slug="fresno-pd", name="Fresno Police Department")


@pytest.fixture
def clovis(db):
    return AgencyFactory(slug="clovis-pd", name="Clovis Police Department")


def write_csv(tmp_path, text: str, name: str = "closures.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(path) -> tuple[str, list[str], CommandError | None]:
    """What `import_closures PATH` prints, its stderr lines, and the error it ended with."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_closures", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue().splitlines(), error
    return out.getvalue(), err.getvalue().splitlines(), None


def closures(agency) -> list[tuple[date, str, str]]:
    return list(agency.closure_days.order_by("day").values_list("day", "reason", "source"))


class TestImportClosures:
    def test_a_good_file_is_imported(self, tmp_path, fresno, clovis):
        path = write_csv(
            tmp_path,
            HEADER
            + "fresno-pd,2026-11-27,Furlough day,https://fresno.example/furloughs\n"
            + "fresno-pd,2026-12-24,City holiday,\n"
            + "clovis-pd,2026-12-31,City holiday,\n",
        )
        out, err, error = run_import(path)
        assert out.strip() == "3 closure days imported (3 created, 0 updated)"
        assert (err, error) == ([], None)
        assert closures(fresno) == [
            (date(2026, 11, 27), "Furlough day", "https://fresno.example/furloughs"),
            (date(2026, 12, 24), "City holiday", ""),
        ]
        assert closures(clovis) == [(date(2026, 12, 31), "City holiday", "")]

    def test_the_source_column_may_be_left_out(self, tmp_path, fresno):
        path = write_csv(tmp_path, "Agency, Day ,Reason\r\nfresno-pd,2026-11-27,Furlough day\r\n")
        out, _, _ = run_import(path)
        assert out.strip() == "1 closure day imported (1 created, 0 updated)"
        assert closures(fresno) == [(date(2026, 11, 27), "Furlough day", "")]

    def test_a_spreadsheet_export_with_a_byte_order_mark_and_blank_lines_is_read(
        self, tmp_path, fresno
    ):
        path = tmp_path / "closures.csv"
        path.write_bytes(
            b"\xef\xbb\xbf" + HEADER.encode() + b"\n,,,\nfresno-pd,2026-11-27,Furlough\n"
        )
        out, _, _ = run_import(path)
        assert out.strip() == "1 closure day imported (1 created, 0 updated)"

    def test_reimporting_updates_the_day_and_adds_new_ones(self, tmp_path, fresno):
        ClosureDayFactory(agency=fresno, day=date(2026, 11, 27), reason="Furlough day")
        path = write_csv(
            tmp_path,
            HEADER
            + "fresno-pd,2026-11-27,City holiday,https://fresno.example/holidays\n"
            + "fresno-pd,2026-12-24,Christmas Eve,\n",
        )
        out, _, _ = run_import(path)
        assert out.strip() == "2 closure days imported (1 created, 1 updated)"
        assert closures(fresno) == [
            (date(2026, 11, 27), "City holiday", "https://fresno.example/holidays"),
            (date(2026, 12, 24), "Christmas Eve", ""),
        ]
        out, _, _ = run_import(path)  # the same file again changes nothing
        assert out.strip() == "2 closure days imported (0 created, 2 updated)"
        assert ClosureDay.objects.count() == 2

    def test_bad_rows_are_listed_by_line_and_nothing_is_written(self, tmp_path, fresno):
        ClosureDayFactory(agency=fresno, day=date(2026, 11, 27), reason="Furlough day")
        path = write_csv(
            tmp_path,
            HEADER
            + "fresno-pd,2026-11-27,City holiday,\n"  # line 2: good, an update
            + "fresno-pd,2026-12-24,Christmas Eve,\n"  # line 3: good, new
            + "nowhere-pd,2026-12-24,Furlough day,\n"  # line 4
            + "fresno-pd,2026-02-30,Furlough day,\n"  # line 5
            + "fresno-pd,12/31/2026,Furlough day,\n"  # line 6
            + "fresno-pd,2026-12-31,  ,\n"  # line 7
            + "fresno-pd,2026-12-24,Christmas Eve again,\n"  # line 8: same day as line 3
            + "fresno-pd,2026-12-30,Furlough day,javascript:alert(1)\n"  # line 9
            + "fresno-pd,2026-12-29,Furlough day,,Council vote\n"  # line 10
            + f"fresno-pd,2026-12-28,{'x' * 151},\n",  # line 11
        )
        _, err, error = run_import(path)
        assert str(error) == "8 rows were rejected; nothing was imported."
        assert err == [
            f"{path}: line 4: unknown agency 'nowhere-pd'",
            f"{path}: line 5: day '2026-02-30' is not a date as YYYY-MM-DD",
            f"{path}: line 6: day '12/31/2026' is not a date as YYYY-MM-DD",
            f"{path}: line 7: no reason",
            f"{path}: line 8: 2026-12-24 for fresno-pd is already on line 3",
            f"{path}: line 9: source 'javascript:alert(1)' is not an http(s) address",
            f"{path}: line 10: more cells than the header has columns (4)",
            f"{path}: line 11: reason is longer than 150 characters",
        ]
        assert closures(fresno) == [(date(2026, 11, 27), "Furlough day", "")]

    def test_every_problem_of_a_row_is_said(self, tmp_path, db):
        path = write_csv(tmp_path, HEADER + "nowhere-pd,tomorrow,,\n")
        _, err, error = run_import(path)
        assert str(error) == "1 row was rejected; nothing was imported."
        assert err == [
            f"{path}: line 2: unknown agency 'nowhere-pd'; day 'tomorrow' is not a date as "
            "YYYY-MM-DD; no reason"
        ]

    def test_line_numbers_count_lines_of_the_file_not_rows(self, tmp_path, fresno):
        path = write_csv(
            tmp_path,
            HEADER + 'fresno-pd,2026-11-27,"Furlough day\n(council vote)",\n' + "x,2026-11-30,y,\n",
        )
        _, err, error = run_import(path)
        assert error is not None
        assert err == [f"{path}: line 4: unknown agency 'x'"]

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            pytest.param(b"", "The file is empty.", id="empty"),
            pytest.param(b"%PDF-1.4 ...", "This is a PDF, not a CSV file.", id="pdf"),
            pytest.param(b"PK\x03\x04...", "Excel workbook", id="xlsx"),
            pytest.param("agency,day".encode("utf-16"), "UTF-16", id="utf-16"),
            pytest.param(
                b"agency,day,reason\nfresno-pd,2026-11-27,F\xe9rie\n", "not UTF-8", id="latin-1"
            ),
            pytest.param(
                b"fresno-pd,2026-11-27,Furlough day\n",
                "the first row must be the header agency,day,reason,source (source may be "
                "left out); it has: fresno-pd, 2026-11-27, furlough day.",
                id="no-header",
            ),
            pytest.param(b"agency,date,reason\n", "it has: agency, date, reason", id="wrong-name"),
            pytest.param(
                b"agency,day,reason,note\n", "it has: agency, day, reason, note", id="extra"
            ),
            pytest.param(b"agency,day,reason,day\n", "names day more than once", id="repeated"),
        ],
    )
    def test_a_file_that_is_not_a_closure_csv_is_one_clear_error(
        self, tmp_path, db, content, message
    ):
        path = tmp_path / "closures.csv"
        path.write_bytes(content)
        _, err, error = run_import(path)
        assert err == []
        assert str(error).startswith(f"{path}: ")
        assert message in str(error)
        assert "\n" not in str(error)

    def test_a_missing_file_is_one_error(self, tmp_path, db):
        _, _, error = run_import(tmp_path / "missing.csv")
        assert str(error).startswith(f"Cannot read {tmp_path / 'missing.csv'}: ")

    def test_the_service_reports_errors_without_writing(self, fresno):
        report = closures_import(
            data=(HEADER + "fresno-pd,2026-11-27,Furlough day,\n,,,https://x.example\n").encode()
        )
        assert [str(e) for e in report.errors] == ["line 3: no agency; no day; no reason"]
        assert (report.created, report.updated) == (0, 0)
        assert not ClosureDay.objects.exists()

    def test_the_service_refuses_a_file_without_the_header(self, db):
        with pytest.raises(NotClosureCsv, match="header"):
            closures_import(data=b"just some text\n")


@pytest.mark.slow  # real `manage.py` processes
@pytest.mark.django_db(transaction=True)
def test_command_line_exit_status(tmp_path):
    """Scripts see success as 0 and a rejected file as non-zero, each bad row on stderr."""
    AgencyFactory(slug="fresno-pd")
    env = dict(os.environ, DJANGO_DEBUG="1", DATABASE_URL=database_url())
    command = [sys.executable, "manage.py", "import_closures"]
    good = write_csv(tmp_path, HEADER + "fresno-pd,2026-11-27,Furlough day,\n", "good.csv")
    bad = write_csv(tmp_path, HEADER + "nowhere-pd,2026-11-27,Furlough day,\n", "bad.csv")
    result = subprocess.run([*command, str(good)], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1 closure day imported (1 created, 0 updated)"
    result = subprocess.run([*command, str(bad)], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{bad}: line 2: unknown agency 'nowhere-pd'",
        "CommandError: 1 row was rejected; nothing was imported.",
    ]


class TestClosureDaysSelector:
    def test_the_agencys_days_and_reasons_in_one_query(
        self, fresno, clovis, django_assert_num_queries
    ):
        ClosureDayFactory(agency=fresno, day=date(2026, 11, 30), reason="Furlough day")
        ClosureDayFactory(agency=fresno, day=date(2026, 12, 24), reason="City holiday")
        ClosureDayFactory(agency=clovis, day=date(2026, 12, 31), reason="City holiday")
        with django_assert_num_queries(1):
            days = closure_days(agency=fresno)
        assert days == {date(2026, 11, 30): "Furlough day", date(2026, 12, 24): "City holiday"}

    def test_an_agency_without_closures_has_none(self, fresno):
        assert closure_days(agency=fresno) == {}


@pytest.fixture
def staff_client(client, staff_user):
    """A staff member allowed to edit agencies and their closure days, not a superuser."""
    codenames = ["view_agency", "change_agency", "view_deployment", "change_deployment"]
    codenames += [f"{action}_closureday" for action in ("view", "add", "change", "delete")]
    staff_user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="agencies", codename__in=codenames)
    )
    client.force_login(staff_user)
    return client


class TestClosureDayAdmin:
    def test_the_agency_page_lists_its_closure_days(self, staff_client, fresno):
        ClosureDayFactory(agency=fresno, day=date(2026, 11, 30), reason="Furlough day")
        response = staff_client.get(reverse("admin:agencies_agency_change", args=[fresno.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="closure_days-0-day" value="2026-11-30"' in html
        assert 'value="Furlough day"' in html
        assert 'name="closure_days-TOTAL_FORMS" value="1"' in html

    def test_the_list_shows_filters_and_searches_closure_days(self, staff_client, fresno, clovis):
        ClosureDayFactory(agency=fresno, day=date(2026, 11, 30), reason="Furlough day")
        ClosureDayFactory(agency=clovis, day=date(2026, 12, 31), reason="City holiday")
        url = reverse("admin:agencies_closureday_changelist")
        html = staff_client.get(url).content.decode()
        assert "Furlough day" in html and "City holiday" in html
        filtered = staff_client.get(url, {"agency__id__exact": clovis.pk}).content.decode()
        assert "City holiday" in filtered and "Furlough day" not in filtered
        searched = staff_client.get(url, {"q": "Fresno"}).content.decode()
        assert "Furlough day" in searched and "City holiday" not in searched
        by_month = staff_client.get(url, {"day__year": 2026, "day__month": 12}).content.decode()
        assert "City holiday" in by_month and "Furlough day" not in by_month

    def test_a_second_closure_on_the_same_day_is_a_form_error(self, staff_client, fresno):
        ClosureDayFactory(agency=fresno, day=date(2026, 11, 30))
        response = staff_client.post(
            reverse("admin:agencies_closureday_add"),
            {"agency": fresno.pk, "day": "2026-11-30", "reason": "City holiday", "source": ""},
        )
        assert response.status_code == 200
        assert "already exists" in response.content.decode()
        assert ClosureDay.objects.count() == 1

    def test_staff_can_add_a_closure_day(self, staff_client, fresno):
        response = staff_client.post(
            reverse("admin:agencies_closureday_add"),
            {"agency": fresno.pk, "day": "2026-12-24", "reason": "City holiday", "source": ""},
        )
        assert response.status_code == 302
        assert closure_days(agency=fresno) == {date(2026, 12, 24): "City holiday"}
