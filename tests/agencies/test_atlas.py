import csv
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rtcc_requests.agencies.atlas import NotAtlasCsv, atlas_import, read_atlas
from rtcc_requests.agencies.atlas.normalise import agency_display_name, agency_key
from rtcc_requests.agencies.atlas.parsing import SNIFF_BYTES
from rtcc_requests.agencies.models import Agency, Deployment, Technology, Vendor

from ..factories import AgencyFactory, technology

SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "atlas" / "fresno-sample.csv"
HEADER = [
    "AOSNUMBER",
    "NEWAOSNUMBER (ORI9)",
    "City",
    "County",
    "State",
    "Agency",
    "Type of LEA",
    "Summary",
    "Type of Juris",
    "Technology",
    "TECH ABV",
    "Vendor",
    *[
        f"Link {n}{suffix}"
        for n in (1, 2, 3)
        for suffix in ("", " Snapshot", " Source", " Type", " Date")
    ],
    "Other Links",
]


def atlas_row(aos: str, **values) -> dict:
    row = {
        "AOSNUMBER": aos,
        "City": "Fresno",
        "County": "Fresno",
        "State": "CA",
        "Agency": "Fresno Police Department",
        "Type of LEA": "Police",
        "Type of Juris": "Municipal",
        "Technology": "Automated License Plate Readers",
        "Vendor": "Vigilant Solutions",
    }
    row.update(values)
    return row


def atlas_csv(*rows: dict, header=HEADER, bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


class TestNormalise:
    @pytest.mark.parametrize(
        "variant",
        [
            "Fresno PD",
            "FRESNO POLICE DEPT.",
            "fresno  police department",
            "Fresno Police Dept",
            " Fresno Police Department ",
        ],
    )
    def test_police_department_variants_share_one_key(self, variant):
        assert agency_key(variant, "ca") == agency_key("Fresno Police Department", "CA")

    @pytest.mark.parametrize(
        "variant",
        ["Fresno County SO", "Fresno County Sheriff's Dept", "FRESNO COUNTY SHERIFFS OFFICE"],
    )
    def test_sheriff_variants_share_one_key(self, variant):
        assert agency_key(variant, "CA") == agency_key("Fresno County Sheriff's Office", "CA")

    def test_same_name_in_another_state_is_another_agency(self):
        assert agency_key("Springfield PD", "IL") != agency_key("Springfield PD", "MO")

    def test_display_name_writes_out_abbreviations_and_lowers_shouting(self):
        assert agency_display_name("Fresno PD") == "Fresno Police Department"
        assert agency_display_name("FRESNO COUNTY SHERIFF'S DEPT") == (
            "Fresno County Sheriff's Department"
        )


class TestReadAtlas:
    def test_renamed_headers_of_older_exports_are_understood(self):
        header = ["AOS Number", "ORI", "Agency Name", "State", "Technology Type", "Vendors"]
        data = atlas_csv(
            {
                "AOS Number": "AOS1",
                "ORI": "CA0100500",
                "Agency Name": "Fresno PD",
                "State": "CA",
                "Technology Type": "Drones",
                "Vendors": "DJI",
            },
            header=header,
        )
        (row,) = list(read_atlas(data))
        assert (row.aos_id, row.ori, row.agency, row.technology, row.vendor) == (
            "AOS1",
            "CA0100500",
            "Fresno PD",
            "Drones",
            "DJI",
        )

    def test_byte_order_mark_is_ignored(self):
        (row,) = list(read_atlas(atlas_csv(atlas_row("AOS1"), bom=True)))
        assert row.aos_id == "AOS1"

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "PDF"),
            (b"PK\x03\x04\x14\x00\x06\x00", "Excel"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
            (b"", "empty"),
            (b"# Notes\n\nSome text, with a comma.\n", "Not an Atlas of Surveillance CSV"),
        ],
    )
    def test_a_file_that_is_not_an_atlas_csv_fails_with_one_line(self, data, message):
        with pytest.raises(NotAtlasCsv) as error:
            read_atlas(data)
        assert message in str(error.value)
        assert "\n" not in str(error.value)


@pytest.mark.django_db
class TestAtlasImport:
    def test_sample_file_imports_fresno_as_one_agency(self):
        report = atlas_import(data=SAMPLE.read_bytes())
        assert report.errors == []
        # "Fresno PD", "FRESNO POLICE DEPT." and the full name are one agency.
        assert list(Agency.objects.values_list("name", flat=True)) == ["Fresno Police Department"]
        assert Deployment.objects.count() == report.deployments_created == 7
        assert set(Vendor.objects.values_list("name", flat=True)) == {
            "Vigilant Solutions",
            "ShotSpotter",
            "PredPol",
            "Pelco",
            "Intrado",
        }

    def test_running_the_same_file_again_changes_nothing(self):
        atlas_import(data=SAMPLE.read_bytes())
        before = list(Deployment.objects.values().order_by("pk"))
        again = atlas_import(data=SAMPLE.read_bytes())
        assert again.changes == 0
        assert again.deployments_unchanged == 7
        assert list(Deployment.objects.values().order_by("pk")) == before

    def test_changed_row_updates_and_missing_row_is_not_deleted(self):
        atlas_import(
            data=atlas_csv(atlas_row("AOS1"), atlas_row("AOS2", Technology="Drones", Vendor=""))
        )
        changed = atlas_row(
            "AOS1",
            Vendor="Flock Safety",
            **{"Link 1": "https://news.example/alpr", "Link 1 Date": "12/27/2012"},
        )
        report = atlas_import(data=atlas_csv(changed))
        assert (report.deployments_updated, report.vendors_created) == (1, 1)
        deployment = Deployment.objects.get(atlas_id="AOS1")
        assert deployment.vendor.name == "Flock Safety"
        assert deployment.first_reported == date(2012, 12, 27)
        assert Deployment.objects.filter(atlas_id="AOS2").exists()

    def test_sources_keep_links_and_first_reported_is_the_earliest_date(self):
        row = atlas_row(
            "AOS1",
            **{
                "Link 1": "https://news.example/b",
                "Link 1 Source": "Fresno Bee",
                "Link 1 Type": "News",
                "Link 1 Date": "03/05/2018",
                "Link 2": "https://city.example/report.pdf",
                "Link 2 Source": "Annual Report 2015",
                "Link 2 Type": "Government",
                "Link 2 Date": "7/1/2015",
            },
        )
        atlas_import(data=atlas_csv(row))
        deployment = Deployment.objects.get(atlas_id="AOS1")
        assert deployment.first_reported == date(2015, 7, 1)
        assert [(s["title"], s["url"], s["date"], s["type"]) for s in deployment.sources] == [
            ("Fresno Bee", "https://news.example/b", "2018-03-05", "News"),
            ("Annual Report 2015", "https://city.example/report.pdf", "2015-07-01", "Government"),
        ]

    def test_every_kind_of_bad_row_is_reported_and_good_rows_still_import(self):
        good = atlas_csv(
            atlas_row("AOS1"),
            atlas_row("AOS2", Technology="Mind Reading"),
            atlas_row("AOS3", **{"Link 1 Date": "31/12/2019"}),
            atlas_row("AOS4", Agency=""),
            atlas_row("AOS5", **{"Link 1": "javascript:alert(1)"}),
            atlas_row("AOS1", Technology="Drones"),
            atlas_row("AOS6", Technology="drones"),
        ).decode()
        lines = good.split("\r\n")
        lines.insert(3, "AOS7,,Fresno,Fresno,CA")  # a row cut short
        data = "\r\n".join(lines).encode()
        # A Latin-1 "é" in a UTF-8 file: that row alone is bad.
        data += (
            atlas_csv(atlas_row("AOS8", Agency="Caf\u00e9 PD"))
            .split(b"\r\n", 1)[1]
            .replace("é".encode(), b"\xe9")
        )
        report = atlas_import(data=data)
        reasons = {e.line: e.reason for e in report.errors}
        assert "unknown technology 'Mind Reading'" in reasons[3]
        assert reasons[4].startswith("missing columns: ")
        assert "Technology" in reasons[4]
        assert "Link 1 Date '31/12/2019' is not a date" in reasons[5]
        assert reasons[6] == "missing value for Agency"
        assert "not an http(s) address" in reasons[7]
        assert reasons[8] == "AOSNUMBER AOS1 is already used on line 2"
        assert reasons[10] == "bad encoding: Agency is not valid UTF-8 (byte 0xe9)"
        assert len(report.errors) == 7
        assert set(Deployment.objects.values_list("atlas_id", flat=True)) == {"AOS1", "AOS6"}
        assert not Technology.objects.filter(name__iexact="Mind Reading").exists()

    def test_dry_run_reports_changes_and_writes_nothing(self):
        report = atlas_import(data=SAMPLE.read_bytes(), dry_run=True)
        assert report.deployments_created == 7 and report.agencies_created == 1
        assert "Dry run: nothing was written." in report.summary()
        assert not Agency.objects.exists()
        assert not Deployment.objects.exists()
        assert not Vendor.objects.exists()

    def test_existing_agency_is_matched_by_normalised_name(self):
        agency = AgencyFactory(name="Fresno Police Department", slug="fresno-police-department")
        atlas_import(
            data=atlas_csv(
                atlas_row("AOS1", Agency="Fresno PD", **{"NEWAOSNUMBER (ORI9)": "CA0100500"}),
                atlas_row("AOS2", Agency="fresno police dept", Technology="Drones"),
                atlas_row("AOS3", Agency="Fresno County SO", Technology="Drones"),
                atlas_row("AOS4", Agency="Fresno County Sheriff's Dept"),
            )
        )
        agency.refresh_from_db()
        assert agency.atlas_ori == "CA0100500"
        assert agency.deployments.count() == 2
        assert Agency.objects.count() == 2
        sheriff = Agency.objects.exclude(pk=agency.pk).get()
        assert (sheriff.name, sheriff.kind) == ("Fresno County Sheriff's Office", "sheriff")

    def test_hand_made_deployment_is_adopted_not_duplicated(self):
        agency = AgencyFactory(name="Fresno Police Department")
        manual = Deployment.objects.create(
            agency=agency,
            technology=technology(),
            product="Mobile ALPR",
            notes="Typed by staff.",
            sources=[{"title": "Staff note"}],
        )
        row = atlas_row("AOS1", Summary="From Atlas.", **{"Link 1": "https://n.example/a"})
        atlas_import(data=atlas_csv(row))
        manual.refresh_from_db()
        assert Deployment.objects.count() == 1
        assert manual.atlas_id == "AOS1"
        assert manual.notes == "Typed by staff."
        assert [s.get("url") or s["title"] for s in manual.sources] == [
            "https://n.example/a",
            "Staff note",
        ]
        assert atlas_import(data=atlas_csv(row)).changes == 0

    def test_a_kept_source_the_atlas_now_lists_is_not_kept_twice(self):
        # Before, the demo's Pelco deployment listed its vendor article twice after an
        # import: once as the Atlas writes it, once in quotes as typed from fresno.md.
        agency = AgencyFactory(name="Fresno Police Department")
        manual = Deployment.objects.create(
            agency=agency,
            technology=technology(),
            sources=[
                {"title": 'Pelco: "Fresno PD improves safety"'},
                {"title": "Staff note"},
                {"title": "Pelco: Fresno PD improves safety", "url": "https://other.example/"},
            ],
        )
        row = atlas_row("AOS1", **{"Link 1 Source": "Pelco: Fresno PD improves  safety"})
        atlas_import(data=atlas_csv(row))
        manual.refresh_from_db()
        # The one with its own URL is another copy somewhere else: kept.
        assert [(s["title"], s.get("url", "")) for s in manual.sources] == [
            ("Pelco: Fresno PD improves safety", ""),
            ("Staff note", ""),
            ("Pelco: Fresno PD improves safety", "https://other.example/"),
        ]

    def test_query_count_does_not_grow_with_rows(self, django_assert_max_num_queries):
        def rows(n):
            return [
                atlas_row(f"AOS{i}", Agency=f"Town {i} PD", Vendor=f"Vendor {i % 7}")
                for i in range(n)
            ]

        with django_assert_max_num_queries(20):
            atlas_import(data=atlas_csv(*rows(300)))
        changed = rows(300)
        changed[0]["Vendor"] = "Changed"
        with django_assert_max_num_queries(20):
            atlas_import(data=atlas_csv(*changed))
        assert Deployment.objects.get(atlas_id="AOS0").vendor.name == "Changed"


@pytest.mark.django_db
class TestImportAtlasCommand:
    def test_imports_and_prints_a_summary(self):
        out = io.StringIO()
        call_command("import_atlas", str(SAMPLE), stdout=out)
        assert "Changed 13 records from 7 rows" in out.getvalue()
        out = io.StringIO()
        call_command("import_atlas", str(SAMPLE), stdout=out)
        assert "Changed 0 records" in out.getvalue()

    def test_dry_run_writes_nothing(self):
        out = io.StringIO()
        call_command("import_atlas", str(SAMPLE), "--dry-run", stdout=out)
        assert out.getvalue().startswith("Would change 13 records")
        assert not Deployment.objects.exists()

    def test_bad_rows_are_listed_with_line_numbers_and_exit_status_2(self, tmp_path):
        path = tmp_path / "atlas.csv"
        path.write_bytes(atlas_csv(atlas_row("AOS1"), atlas_row("AOS2", Technology="Sonar")))
        err = io.StringIO()
        with pytest.raises(CommandError) as error:
            call_command("import_atlas", str(path), stdout=io.StringIO(), stderr=err)
        assert error.value.returncode == 2
        assert f"{path}: line 3 (AOS2): unknown technology 'Sonar'" in err.getvalue()
        assert Deployment.objects.filter(atlas_id="AOS1").exists()

    @pytest.mark.slow  # a real `manage.py` process
    def test_not_a_csv_exits_non_zero_with_one_line(self, tmp_path):
        path = tmp_path / "scan.pdf"
        path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
        result = subprocess.run(
            [sys.executable, "manage.py", "import_atlas", str(path)],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "DJANGO_DEBUG": "1"},
            check=False,
        )
        assert result.returncode == 1
        errors = [line for line in result.stderr.splitlines() if "CommandError" in line]
        assert errors == [f"CommandError: {path}: This is a PDF, not a CSV file."]


@pytest.mark.django_db
class TestAtlasImportAdminPage:
    url = "/admin/agencies/atlas-import/"

    def test_staff_upload_imports_the_file(self, client, django_user_model):
        admin = django_user_model.objects.create_superuser("boss", "b@example.org", "pw-123456!")
        client.force_login(admin)
        assert reverse("admin:agencies_atlas_import") == self.url
        with SAMPLE.open("rb") as handle:
            response = client.post(self.url, {"file": handle, "dry_run": ""})
        assert response.status_code == 200
        assert "Import finished" in response.content.decode()
        assert Deployment.objects.count() == 7

    def test_page_offers_a_dry_run_upload_form(self, client, django_user_model):
        admin = django_user_model.objects.create_superuser("boss", "b@example.org", "pw-123456!")
        client.force_login(admin)
        html = client.get(self.url).content.decode()
        assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
        assert 'name="dry_run" id="id_dry_run" checked' in html
        changelist = client.get(reverse("admin:agencies_deployment_changelist")).content.decode()
        assert self.url in changelist

    def test_dry_run_upload_writes_nothing(self, client, django_user_model):
        admin = django_user_model.objects.create_superuser("boss", "b@example.org", "pw-123456!")
        client.force_login(admin)
        with SAMPLE.open("rb") as handle:
            response = client.post(self.url, {"file": handle, "dry_run": "on"})
        assert "Dry run: nothing was written" in response.content.decode()
        assert not Deployment.objects.exists()

    def test_not_a_csv_is_shown_as_a_form_error(self, client, django_user_model):
        admin = django_user_model.objects.create_superuser("boss", "b@example.org", "pw-123456!")
        client.force_login(admin)
        upload = io.BytesIO(b"%PDF-1.4 not really")
        upload.name = "scan.pdf"
        response = client.post(self.url, {"file": upload})
        assert "This is a PDF, not a CSV file." in response.content.decode()

    def test_staff_without_import_permissions_is_refused(self, client, staff_user):
        client.force_login(staff_user)
        assert client.get(self.url).status_code == 403

    def test_anonymous_user_is_sent_to_login(self, client):
        response = client.get(self.url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_utf16_export_gets_a_hint():
    with pytest.raises(NotAtlasCsv, match="UTF-16"):
        read_atlas("AOSNUMBER,Agency".encode("utf-16"))


def _with_open_quote(data: bytes, marker: str = "BROKEN") -> bytes:
    """The file with the cell `marker` opening a quote that never closes where it should."""
    assert data.count(f",{marker},".encode()) == 1
    return data.replace(f",{marker},".encode(), b',"Half a summary,')


def _admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "b@example.org", "pw-123456!")
    client.force_login(user)
    return client


LONG = "Acme Surveillance Systems " * 6  # 156 characters: more than a Vendor name holds


@pytest.mark.django_db
class TestOverLongNames:
    """A name longer than its column is a per-line error, never a truncated collision."""

    def test_two_vendors_sharing_their_first_150_characters_are_rejected_per_line(self):
        report = atlas_import(
            data=atlas_csv(
                atlas_row("AOS1", Vendor=LONG + "East"),
                atlas_row("AOS2", Vendor=LONG + "West", Technology="Drones"),
                atlas_row("AOS3", Vendor="Axon", Technology="Body-worn Cameras"),
            )
        )
        reasons = {e.line: str(e) for e in report.errors}
        assert reasons == {
            2: "line 2 (AOS1): Vendor is longer than 150 characters (160)",
            3: "line 3 (AOS2): Vendor is longer than 150 characters (160)",
        }
        assert list(Vendor.objects.values_list("name", flat=True)) == ["Axon"]
        assert list(Deployment.objects.values_list("atlas_id", flat=True)) == ["AOS3"]

    def test_agency_name_is_measured_as_it_would_be_stored(self):
        # "PD" is written out as "Police Department": 188 characters become 203.
        name = "Town of " + "Very Long Name " * 12 + "PD"
        report = atlas_import(data=atlas_csv(atlas_row("AOS1", Agency=name), atlas_row("AOS2")))
        [error] = report.errors
        assert str(error) == "line 2 (AOS1): Agency is longer than 200 characters (205)"
        assert list(Agency.objects.values_list("name", flat=True)) == ["Fresno Police Department"]

    def test_an_ori_longer_than_its_column_is_not_cut_to_match_another_agency(self):
        AgencyFactory(name="Clovis Police Department", atlas_ori="CA0100500CA0100500XX")
        ori = "CA0100500CA0100500XX-and-more"
        report = atlas_import(data=atlas_csv(atlas_row("AOS1", **{"NEWAOSNUMBER (ORI9)": ori})))
        [error] = report.errors
        assert error.reason == "NEWAOSNUMBER (ORI9) is longer than 20 characters (29)"
        assert not Deployment.objects.exists()

    def test_the_limits_are_the_models(self):
        from rtcc_requests.agencies.atlas import parsing

        limits = {
            "aos_id": Deployment._meta.get_field("atlas_id").max_length,
            "ori": Agency._meta.get_field("atlas_ori").max_length,
            "agency": Agency._meta.get_field("name").max_length,
            "vendor": Vendor._meta.get_field("name").max_length,
        }
        assert limits == parsing.MAX_LENGTH

    def test_command_lists_them_instead_of_a_traceback(self, tmp_path):
        path = tmp_path / "atlas.csv"
        path.write_bytes(
            atlas_csv(atlas_row("AOS1", Vendor=LONG + "East"), atlas_row("AOS2", Vendor=LONG))
        )
        err = io.StringIO()
        with pytest.raises(CommandError) as error:
            call_command("import_atlas", str(path), "--dry-run", stdout=io.StringIO(), stderr=err)
        assert error.value.returncode == 2
        assert f"{path}: line 2 (AOS1): Vendor is longer than 150 characters" in err.getvalue()
        assert f"{path}: line 3 (AOS2): Vendor is longer than 150 characters" in err.getvalue()

    @pytest.mark.parametrize("dry_run", ["on", ""])
    def test_admin_upload_shows_them_instead_of_a_server_error(
        self, client, django_user_model, dry_run
    ):
        upload = io.BytesIO(
            atlas_csv(atlas_row("AOS1", Vendor=LONG + "East"), atlas_row("AOS2", Vendor=LONG))
        )
        upload.name = "atlas.csv"
        response = _admin(client, django_user_model).post(
            "/admin/agencies/atlas-import/", {"file": upload, "dry_run": dry_run}
        )
        assert response.status_code == 200
        assert "line 2 (AOS1): Vendor is longer than 150 characters (160)" in (
            response.content.decode()
        )
        assert not Vendor.objects.exists()


@pytest.mark.django_db
class TestUnterminatedQuote:
    """A quote left open is reported on its own line; the rows it ran into still import."""

    def test_the_rows_it_swallowed_are_read_again_as_rows(self):
        data = _with_open_quote(
            atlas_csv(
                atlas_row("AOS1", Summary="BROKEN"),
                atlas_row("AOS2", Technology="Drones", Vendor="DJI, Ltd"),
                atlas_row("AOS3", Technology="Body-worn Cameras", Vendor="Axon"),
            )
        )
        report = atlas_import(data=data)
        [error] = report.errors
        assert (error.line, error.aos_id) == (2, "AOS1")
        assert error.reason.startswith("unterminated quote in Summary")
        assert "line 3" in error.reason
        assert set(Deployment.objects.values_list("atlas_id", flat=True)) == {"AOS2", "AOS3"}
        assert report.rows == 3

    def test_a_swallowed_row_that_leaves_the_right_number_of_cells_is_not_imported_as_one(self):
        # The open quote closes at the next row's quoted Summary, in the same column: the
        # merged record has exactly a row's cells, AOS1's start and AOS2's end.
        data = _with_open_quote(
            atlas_csv(
                atlas_row("AOS1", Summary="BROKEN"),
                atlas_row("AOS2", Summary='Said "yes"', Technology="Drones", Vendor="DJI"),
            )
        )
        report = atlas_import(data=data)
        [error] = report.errors
        assert str(error).startswith(
            "line 2 (AOS1): unterminated quote in Summary (the cell runs on to line 3;"
        )
        deployment = Deployment.objects.get()
        assert (deployment.atlas_id, deployment.technology.name) == ("AOS2", "Drones")

    def test_a_quote_open_at_the_end_of_the_file_is_reported_on_its_line(self):
        data = _with_open_quote(
            atlas_csv(atlas_row("AOS1"), atlas_row("AOS2", Summary="BROKEN", Technology="Drones"))
        )
        report = atlas_import(data=data)
        [error] = report.errors
        assert str(error).startswith("line 3 (AOS2): unterminated quote in Summary")
        assert "end of the file" in error.reason
        assert list(Deployment.objects.values_list("atlas_id", flat=True)) == ["AOS1"]

    def test_end_of_file_without_a_final_line_break_too(self):
        data = _with_open_quote(atlas_csv(atlas_row("AOS1", Summary="BROKEN"))).rstrip(b"\r\n")
        [error] = list(read_atlas(data))
        assert (error.line, error.reason.split(" (")[0]) == (2, "unterminated quote in Summary")

    def test_a_summary_quoted_over_several_lines_is_one_good_row(self):
        report = atlas_import(
            data=atlas_csv(
                atlas_row("AOS1", Summary="First line,\nsecond line,\n\nthird."),
                atlas_row("AOS2", Technology="Drones"),
            )
        )
        assert report.errors == []
        assert Deployment.objects.get(atlas_id="AOS1").notes == "First line, second line, third."
        assert Deployment.objects.filter(atlas_id="AOS2").exists()

    def test_line_numbers_after_it_stay_right(self):
        data = _with_open_quote(
            atlas_csv(
                atlas_row("AOS1", Summary="BROKEN"),
                atlas_row("AOS2", Summary="Two\nlines", Technology="Drones"),
                atlas_row("AOS3", Technology="Mind Reading"),
            )
        )
        report = atlas_import(data=data)
        assert [(e.line, e.reason.split(" ")[0]) for e in report.errors] == [
            (2, "unterminated"),
            (5, "unknown"),
        ]

    def test_a_quote_that_runs_past_csvs_field_limit_is_reported_the_same_way(self):
        filler = [
            atlas_row(f"AOS{n}", Summary="x" * 120, Vendor="", Technology="Drones")
            for n in range(100, 1300)
        ]
        data = _with_open_quote(atlas_csv(atlas_row("AOS1", Summary="BROKEN"), *filler))
        report = atlas_import(data=data, dry_run=True)
        [error] = report.errors
        assert error.line == 2
        assert error.reason.startswith("unterminated quote (a quoted cell runs on to line ")
        assert report.deployments_created == 1200

    @pytest.mark.parametrize("dry_run", ["on", ""])
    def test_admin_upload_lists_it(self, client, django_user_model, dry_run):
        upload = io.BytesIO(
            _with_open_quote(
                atlas_csv(atlas_row("AOS1", Summary="BROKEN"), atlas_row("AOS2", Vendor="A, B"))
            )
        )
        upload.name = "atlas.csv"
        response = _admin(client, django_user_model).post(
            "/admin/agencies/atlas-import/", {"file": upload, "dry_run": dry_run}
        )
        assert response.status_code == 200
        assert "line 2 (AOS1): unterminated quote in Summary" in response.content.decode()
        assert Deployment.objects.filter(atlas_id="AOS2").exists() is not bool(dry_run)


@pytest.mark.django_db
class TestCellsTheDatabaseCannotStore:
    def test_a_nul_character_is_the_rows_error_not_a_database_error(self):
        # Past the first 8 KB, which are checked for binary content as a whole.
        filler = [atlas_row(f"AOS{n}", Summary="x" * 100, Vendor="") for n in range(100, 160)]
        data = atlas_csv(*filler, atlas_row("AOS1", Agency="Fresno\x00 PD", Technology="Drones"))
        assert data.index(b"\x00") > 8192
        report = atlas_import(data=data, dry_run=True)  # PostgreSQL refuses NUL in text
        assert [str(e) for e in report.errors] == [
            "line 62 (AOS1): Agency contains a NUL character"
        ]
        assert report.deployments_created == 60

    def test_bad_bytes_in_a_column_the_import_does_not_read_are_ignored(self):
        header = [*HEADER, "Internal notes"]
        data = atlas_csv(atlas_row("AOS1", **{"Internal notes": "Caf\u00e9"}), header=header)
        report = atlas_import(data=data.replace("é".encode(), b"\xe9"))
        assert report.errors == []
        assert Deployment.objects.filter(atlas_id="AOS1").exists()

    def test_bad_bytes_in_an_error_message_are_shown_as_replacement_characters(self, tmp_path):
        path = tmp_path / "atlas.csv"
        path.write_bytes(atlas_csv(atlas_row("AOS1")) + b"AOS\xe9,short row\r\n")
        err = io.StringIO()
        with pytest.raises(CommandError):
            call_command("import_atlas", str(path), stdout=io.StringIO(), stderr=err)
        assert "line 3 (AOS\ufffd): missing columns" in err.getvalue()
        err.getvalue().encode("utf-8")  # what the terminal or the admin page must write


class _Trickle(io.RawIOBase):
    """A stream that, like a pipe, gives a few bytes a read and cannot seek: every character
    and line break of a file is split between two reads somewhere."""

    def __init__(self, data: bytes, size: int = 3) -> None:
        self._data, self._size = memoryview(data), size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = min(len(buffer), self._size, len(self._data))
        buffer[:size] = self._data[:size]
        self._data = self._data[size:]
        return size


def _town_rows(n: int, *, towns: int = 40) -> list[dict]:
    """n rows for `towns` agencies, each agency's rows spread over the whole file."""
    technologies = ("Automated License Plate Readers", "Drones", "Body-worn Cameras")
    return [
        atlas_row(
            f"AOST{i}",
            Agency=f"Town {i % towns} " + ("PD", "Police Department")[i // towns % 2],
            Technology=technologies[i // towns % 3],
            Vendor=f"Vendor {i % 7}",
            Summary=f"Row {i}, caf\u00e9 and all.",
        )
        for i in range(n)
    ]


def _mixed_file() -> bytes:
    """Good rows, bad rows, an open quote, a quoted line break and UTF-8 past SNIFF_BYTES,
    with the first byte of an "é" the last byte sniffed."""
    rows = [
        atlas_row("AOS1", Summary="BROKEN"),
        atlas_row("AOS2", Technology="Mind Reading"),
        atlas_row("AOS3", Summary="Two\nlines, quoted", Agency="Caf\u00e9 PD"),
        *_town_rows(120),
        atlas_row("AOS3", Technology="Drones"),
    ]
    data = _with_open_quote(atlas_csv(*rows, bom=True))
    last = data.rindex("é".encode(), 0, SNIFF_BYTES)
    padded = data.replace(b"Two", b"Two" + b" " * (SNIFF_BYTES - 1 - last), 1)
    assert padded[SNIFF_BYTES - 1 : SNIFF_BYTES + 1] == "é".encode()
    return padded


@pytest.mark.django_db
class TestStreaming:
    """The file is read as a stream and imported in batches; the report is the same."""

    def test_a_file_object_gives_the_same_report_as_bytes(self, tmp_path):
        data = _mixed_file()
        path = tmp_path / "atlas.csv"
        path.write_bytes(data)
        expected = atlas_import(data=data, dry_run=True)
        assert len(expected.errors) == 3 and expected.deployments_created == 121
        with path.open("rb") as handle:
            from_file = atlas_import(data=handle, dry_run=True)
            assert not handle.closed  # the caller's file is the caller's to close
        assert from_file == expected
        assert atlas_import(data=_Trickle(data), dry_run=True) == expected
        assert atlas_import(data=io.BytesIO(data), dry_run=True, batch_size=7) == expected

    def test_rows_read_from_a_trickling_stream_are_the_rows_of_the_bytes(self):
        data = _mixed_file()
        assert list(read_atlas(_Trickle(data, size=1))) == list(read_atlas(data))

    def test_an_error_in_a_later_batch_is_reported_on_its_line_and_a_dry_run_writes_nothing(
        self,
    ):
        clovis = AgencyFactory(name="Clovis Police Department", city="Clovis")
        Deployment.objects.create(agency=clovis, technology=technology(), sources=[])
        Deployment.objects.create(
            agency=clovis, technology=technology("drones"), atlas_id="AOS6", sources=[]
        )
        before = (Agency.objects.count(), Deployment.objects.count(), Vendor.objects.count())
        rows = [atlas_row(f"AOS{n}", Technology="Drones" if n % 2 else "Body-worn Cameras")
                for n in range(100, 112)]  # fmt: skip
        rows[4]["Link 1 Date"] = "31/12/2019"  # line 6, the second batch of three
        # Line 10: AOS6 moves to ALPR, which Clovis's hand-made deployment already is.
        rows[8] = atlas_row("AOS6", Agency="Clovis PD", City="Clovis")
        rows[10]["Technology"] = "Mind Reading"  # line 12
        rows[11]["AOSNUMBER"] = "AOS101"  # line 13: the AOSNUMBER of line 3, two batches back
        report = atlas_import(data=atlas_csv(*rows), dry_run=True, batch_size=3)
        assert [(e.line, e.aos_id, e.reason.split(" (")[0]) for e in report.errors] == [
            (6, "AOS104", "Link 1 Date '31/12/2019' is not a date"),
            (10, "AOS6", "another deployment already links Clovis Police Department to "
                         "Automated License Plate Readers"),
            (12, "AOS110", "unknown technology 'Mind Reading'"),
            (13, "AOS101", "AOSNUMBER AOS101 is already used on line 3"),
        ]  # fmt: skip
        assert report.deployments_created == 8
        assert (Agency.objects.count(), Deployment.objects.count(), Vendor.objects.count()) == (
            before
        )

    def test_the_same_agency_in_several_batches_is_one_agency(self):
        rows = [
            atlas_row("AOS1", Agency="Fresno PD", City="", County=""),
            atlas_row("AOS2", Agency="Clovis PD", City="Clovis"),
            atlas_row("AOS3", Agency="FRESNO POLICE DEPT.", Technology="Drones"),
            atlas_row("AOS4", Agency="Clovis PD", Technology="Drones"),
            # Only its ORI says which agency this is; the ORI came two batches before.
            atlas_row("AOS5", Agency="Fresno Police", Technology="Body-worn Cameras"),
        ]
        rows[2]["NEWAOSNUMBER (ORI9)"] = rows[4]["NEWAOSNUMBER (ORI9)"] = "CA0100500"
        data = atlas_csv(*rows)
        report = atlas_import(data=data, batch_size=1)
        assert report.errors == []
        assert (report.agencies_created, report.agencies_updated) == (2, 0)
        fresno = Agency.objects.get(atlas_ori="CA0100500")
        assert (fresno.name, fresno.city, fresno.county) == (
            "Fresno Police Department",
            "Fresno",
            "Fresno",
        )
        assert sorted(fresno.deployments.values_list("atlas_id", flat=True)) == [
            "AOS1",
            "AOS3",
            "AOS5",
        ]
        assert Agency.objects.count() == 2
        assert atlas_import(data=data, batch_size=2).changes == 0

    def test_an_agency_changed_by_two_batches_is_counted_once(self):
        madera = AgencyFactory(name="Madera Police Department", city="", county="")
        report = atlas_import(
            data=atlas_csv(
                atlas_row("AOS1", Agency="Madera PD", City="Madera", County=""),
                atlas_row("AOS2", Agency="Fresno PD"),
                atlas_row(
                    "AOS3", Agency="Madera PD", City="", County="Madera", Technology="Drones"
                ),
            ),
            batch_size=1,
        )
        assert (report.agencies_created, report.agencies_updated) == (1, 1)
        madera.refresh_from_db()
        assert (madera.city, madera.county) == ("Madera", "Madera")

    def test_queries_grow_with_batches_not_rows(self):
        def import_queries(rows: int) -> list[str]:
            with CaptureQueriesContext(connection) as captured:
                atlas_import(data=atlas_csv(*_town_rows(rows)), dry_run=True, batch_size=100)
            return [query["sql"] for query in captured]

        def reads(queries: list[str]) -> int:
            return len([sql for sql in queries if sql.startswith("SELECT")])

        one_batch, ten_batches = import_queries(100), import_queries(1000)
        # Looked up per batch of 100: its agencies, its AOSNUMBERs' deployments and the
        # hand-made ones it adopts; never one query per row.
        assert reads(ten_batches) - reads(one_batch) <= 9 * 3
        # Written per batch: at most a few statements per table (SQLite takes 99 rows a
        # statement), whether a batch is the first or the tenth.
        assert len(ten_batches) <= 10 * len(one_batch)
        assert len(ten_batches) <= 10 * 10

    def test_a_batch_is_written_before_the_rest_of_the_file_is_read(self):
        stream = io.BytesIO(atlas_csv(*_town_rows(1000)))
        read_at_first_insert = []

        def note_position(execute, sql, params, many, context):
            if sql.startswith('INSERT INTO "agencies_deployment"') and not read_at_first_insert:
                read_at_first_insert.append(stream.tell())
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note_position):
            report = atlas_import(data=stream, dry_run=True, batch_size=100)
        assert report.deployments_created == 1000
        # The first 100 rows, and what the reader buffers ahead: not the whole file.
        assert read_at_first_insert[0] < len(stream.getvalue()) / 4


@pytest.mark.django_db
def test_command_says_when_the_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.csv: No such file"):
        call_command("import_atlas", str(tmp_path / "missing.csv"), stdout=io.StringIO())
