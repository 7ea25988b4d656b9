"""Each filter of the denial log, some combinations, and the exports agreeing with the page."""

from datetime import date

import pytest
from django.urls import reverse

from rtcc_requests.agencies.models import AgencyKind
from rtcc_requests.denials.filters import AGENCY_MENU_LIMIT
from rtcc_requests.denials.selectors import denial_log_rows
from tests import factories
from tests.support.builders import bulk_denials
from tests.support.html import assert_valid_and_labelled

from .parsing import body, ids_of

TODAY = date(2026, 11, 26)
ALPR, FACE, PREDPOL, DRONES = "ALPR Fresno 2025", "Face Alameda late", "PredPol partial", "Drones"


@pytest.fixture
def titles_by_id(make_denial):
    fresno = factories.AgencyFactory(name="Fresno PD", slug="fresno-pd", county="Fresno")
    alameda = factories.AgencyFactory(
        name="Alameda Sheriff", slug="alameda-so", county="Alameda", kind=AgencyKind.SHERIFF
    )
    sacramento = factories.AgencyFactory(
        name="City of Sacramento", slug="sacramento", county="Sacramento", kind=AgencyKind.CITY
    )
    made = [
        # Lawful: §7923.600 against ALPR records would not be (rules.ALPR_TECHNOLOGY).
        make_denial(
            title=ALPR, agency=fresno, exemptions=("§7927.500",), received=date(2025, 6, 2), days=7
        ),
        make_denial(
            title=FACE,
            agency=alameda,
            technologies=("face-recognition",),
            exemptions=("§7922.000",),
            received=date(2026, 3, 2),
            days=30,
        ),
        make_denial(
            title=PREDPOL,
            agency=fresno,
            technologies=("predictive-policing", "automated-license-plate-readers"),
            exemptions=("§7927.705",),
            kind="partial",
            official_name="",
            official_title="",
            received=date(2026, 3, 2),
            days=5,
        ),
        make_denial(
            title=DRONES,
            agency=sacramento,
            technologies=("drones",),
            law="us-foia",
            exemptions=(),
            received=date(2024, 5, 6),
            days=10,
        ),
    ]
    return {r.pk: r.title for r in made}


def _page_titles(client, query: str) -> set[str]:
    response = client.get(f"{reverse('denials:log')}?{query}")
    assert response.status_code == 200, response.content[:500]
    return {row.title for row in response.context["rows"]}


def _catch_all_id() -> str:
    return str(factories.exemption("§7922.000").pk)


CASES = [
    ("agency=fresno-pd", {ALPR, PREDPOL}),
    ("agency_kind=sheriff", {FACE}),
    ("agency_kind=city", {DRONES}),
    ("county=Alameda", {FACE}),
    ("technology=automated-license-plate-readers", {ALPR, PREDPOL}),
    ("technology=face-recognition", {FACE}),
    ("technology_category=predictive_policing", {PREDPOL}),
    ("technology_category=alpr", {ALPR, PREDPOL}),
    ("exemption=CATCH_ALL", {FACE}),
    ("law=us-foia", {DRONES}),
    ("law=ca-cpra", {ALPR, FACE, PREDPOL}),
    ("year=2025", {ALPR}),
    ("year=2026", {FACE, PREDPOL}),
    ("deficient=yes", {FACE, PREDPOL, DRONES}),
    ("deficient=no", {ALPR}),
    ("late=yes", {FACE}),
    ("late=no", {ALPR, PREDPOL, DRONES}),
    ("agency=fresno-pd&technology=predictive-policing", {PREDPOL}),
    ("county=Fresno&deficient=yes", {PREDPOL}),
    ("year=2026&late=no", {PREDPOL}),
    ("technology_category=alpr&year=2025", {ALPR}),
    ("law=ca-cpra&deficient=yes&agency_kind=sheriff", {FACE}),
    ("agency=fresno-pd&late=yes", set()),
    ("", {ALPR, FACE, PREDPOL, DRONES}),
]


class TestEachFilter:
    @pytest.mark.parametrize(("query", "expected"), CASES, ids=[c[0] or "none" for c in CASES])
    def test_page_shows_exactly_the_matching_denials(self, client, titles_by_id, query, expected):
        query = query.replace("CATCH_ALL", _catch_all_id())
        assert _page_titles(client, query) == expected

    @pytest.mark.parametrize(
        "query",
        [
            "",
            "agency=fresno-pd",
            "technology_category=alpr",
            "deficient=yes&year=2026",
            "law=us-foia",
            "late=yes",
        ],
    )
    def test_csv_json_atom_and_print_carry_the_same_rows_as_the_page(
        self, client, titles_by_id, query
    ):
        page = ids_of("/denials/", body(client.get(f"/denials/?{query}")))
        assert page, "every case matches at least one denial"
        for path in ("/denials.csv", "/denials.json", "/denials.atom", "/denials/print/"):
            assert ids_of(path, body(client.get(f"{path}?{query}"))) == page, path

    def test_denial_log_rows_takes_the_filters_as_keywords(self, titles_by_id):
        rows = denial_log_rows(today=TODAY, agency="fresno-pd", deficient=True)
        assert [r.title for r in rows] == [PREDPOL]
        assert {r.title for r in denial_log_rows(today=TODAY, late=False, year=2026)} == {PREDPOL}


class TestFilterState:
    def test_the_form_shows_the_filter_from_the_url(self, client, titles_by_id):
        html = body(client.get("/denials/?agency=fresno-pd&late=no"))
        assert '<option value="fresno-pd" selected>' in html
        assert '<option value="no" selected>' in html
        assert "Fresno PD" in html  # the active-filter chip

    def test_agency_choices_list_only_agencies_with_public_denials(self, client, titles_by_id):
        factories.AgencyFactory(name="Quiet Agency Without Denials", slug="quiet")
        html = body(client.get("/denials/"))
        assert "Alameda Sheriff" in html
        assert "Quiet Agency Without Denials" not in html
        # ...but a filter on it is valid: it matches nothing.
        assert _page_titles(client, "agency=quiet") == set()

    def test_export_links_carry_the_current_filter(self, client, titles_by_id):
        html = body(client.get("/denials/?technology=drones&page=1"))
        for name in ("csv", "json", "atom", "print", "pdf"):
            assert f'{reverse(f"denials:{name}")}?technology=drones"' in html, name

    def test_an_unreadable_filter_is_explained_and_the_others_are_kept(self, client, titles_by_id):
        response = client.get("/denials/?year=last&agency=fresno-pd")
        assert response.status_code == 400
        html = body(response)
        assert "could not be read" in html
        assert "Enter a whole number" in html
        assert {row.title for row in response.context["rows"]} == {ALPR, PREDPOL}

    @pytest.mark.parametrize("path", ["/denials.csv", "/denials.json", "/denials.atom"])
    def test_an_export_refuses_a_filter_it_cannot_read(self, client, titles_by_id, path):
        response = client.get(f"{path}?agency=fresno-pd&technology=no-such-thing")
        assert response.status_code == 400
        assert "technology" in response.content.decode()


class TestManyAgencies:
    def test_a_statewide_log_offers_an_agency_search_not_a_menu(self, client, db):
        agencies = [
            factories.AgencyFactory(name=f"Agency {n:03d} Police Department", slug=f"a-{n:03d}")
            for n in range(AGENCY_MENU_LIMIT + 1)
        ]
        bulk_denials(count=len(agencies), today=TODAY, agencies=agencies)
        response = client.get("/denials/")
        html = body(response)
        assert "Agency 007 Police Department</option>" not in html
        assert '<input type="search" name="agency"' in html
        assert_valid_and_labelled(response)

        typed = client.get("/denials/?agency=agency+007")
        assert [row.agency_slug for row in typed.context["rows"]] == ["a-007"]
        assert "Agency 007 Police Department" in body(typed)  # the active filter
        by_slug = client.get("/denials/?agency=a-012")
        assert len(by_slug.context["rows"]) == 1


class TestOutOfRangeValues:
    """Issue 16: a value no denial can have is explained (400), never a server error."""

    SURFACES = ["/denials/", "/denials.csv", "/denials.json", "/denials.atom", "/denials/print/"]

    @pytest.mark.parametrize("year", ["0", "-1", "1989", "2028", "10000", "9" * 20, "9" * 5000])
    def test_a_year_outside_the_log_is_refused_on_every_surface(self, client, titles_by_id, year):
        for path in self.SURFACES:
            response = client.get(path, {"year": year, "agency": "fresno-pd"})
            assert response.status_code == 400, path
            assert "year" in body(response).lower(), path

    @pytest.mark.parametrize("year", ["0", "10000", "9" * 20])
    def test_the_fixed_pages_refuse_it_too(self, client, titles_by_id, year):
        agency = reverse("denials:agency", kwargs={"slug": "fresno-pd"})
        exemption = reverse("denials:exemption", kwargs={"pk": _catch_all_id()})
        for path in (agency, exemption):
            assert client.get(path, {"year": year}).status_code == 400, path

    def test_the_page_says_which_years_it_can_read(self, client, titles_by_id):
        response = client.get("/denials/", {"year": "0", "agency": "fresno-pd"})
        html = body(response)
        assert "Give a year from 1990 to 2027." in html
        # The other filters still apply.
        assert {row.title for row in response.context["rows"]} == {ALPR, PREDPOL}

    def test_the_first_and_next_year_are_read(self, client, titles_by_id):
        for year in ("1990", "2027"):
            assert client.get("/denials/", {"year": year}).status_code == 200

    @pytest.mark.parametrize("name", ["exemption", "technology", "law", "agency"])
    @pytest.mark.parametrize("value", ["9" * 20, "-1", "9" * 5000])
    def test_an_id_or_slug_no_row_has_is_no_server_error(self, client, titles_by_id, name, value):
        assert client.get("/denials/", {name: value}).status_code in (200, 400)


class TestPageNumbers:
    @pytest.mark.parametrize("page", ["-1", "0", "abc", "1e400", "9" * 20, "9" * 5000, "²"])
    def test_a_page_that_is_not_there_shows_the_first_or_last(self, client, titles_by_id, page):
        response = client.get("/denials/", {"page": page})
        assert response.status_code == 200
        assert response.context["page"].number == 1
        assert len(response.context["rows"]) == len(titles_by_id)
