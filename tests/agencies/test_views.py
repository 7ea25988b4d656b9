import json
from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from tests.support.html import assert_valid_and_labelled

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


class TestAgencyIndex:
    def test_url_and_search_by_name_city_or_county(self, client):
        assert reverse("agencies:agency_list") == "/agencies/"
        factories.AgencyFactory(name="Fresno Police Department", slug="fpd", city="Fresno")
        factories.AgencyFactory(
            name="Clovis Police Department", slug="cpd", city="Clovis", county="Fresno"
        )
        factories.AgencyFactory(
            name="Oakland Police Department", slug="opd", city="Oakland", county="Alameda"
        )
        response = client.get("/agencies/", {"q": "fresno"})
        html = response.content.decode()
        assert_valid_and_labelled(response)
        assert "Fresno Police Department" in html and "Clovis Police Department" in html
        assert "Oakland" not in html
        assert 'value="fresno"' in html
        html = client.get("/agencies/", {"q": "police clovis"}).content.decode()
        assert "Clovis Police Department" in html and "Fresno Police Department" not in html

    def test_json_suggestions_for_the_composer(self, client):
        factories.AgencyFactory(name="Fresno Police Department", slug="fpd", city="Fresno")
        response = client.get("/agencies/", {"q": "fres", "format": "json"})
        data = json.loads(response.content)
        assert data["results"] == [
            {"slug": "fpd", "name": "Fresno Police Department", "city": "Fresno", "state": "CA"}
        ]

    def test_paginated_with_bounded_queries(self, client, django_assert_max_num_queries):
        for _ in range(120):
            factories.AgencyFactory()
        with django_assert_max_num_queries(3):
            html = client.get("/agencies/", {"page": "2"}).content.decode()
        assert "Page 2 of 3" in html


class TestOutOfRangeValues:
    @pytest.mark.parametrize("page", ["-1", "0", "abc", "1e400", "9" * 20, "9" * 5000, "²"])
    def test_a_page_that_is_not_there_shows_the_first_or_last(self, client, page):
        factories.AgencyFactory(name="Fresno Police Department")
        response = client.get("/agencies/", {"page": page})
        assert response.status_code == 200
        assert "Fresno Police Department" in response.content.decode()

    @pytest.mark.parametrize("output", ["html", "json"])
    def test_a_search_with_control_characters_is_read_without_them(self, client, output):
        # PostgreSQL refuses a NUL in a query; it is no character anyone searches for.
        factories.AgencyFactory(name="Fresno Police Department", slug="fpd")
        response = client.get("/agencies/", {"q": "fres\x00no\x1f", "format": output})
        assert response.status_code == 200
        assert "Fresno Police Department" in response.content.decode()
