"""The denial log pages: sorting, paging, the fixed agency and exemption pages, query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.support.builders import bulk_denials
from tests.support.html import assert_valid_and_labelled

from .parsing import body, csv_rows, html_ids

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)
SURFACES = ["/denials/", "/denials.csv", "/denials.json", "/denials.atom", "/denials/print/"]


class TestLogPage:
    def test_is_valid_html_with_every_filter_labelled(self, client, make_denial):
        make_denial(title="Denied ALPR policy")
        response = client.get(reverse("denials:log"))
        assert_valid_and_labelled(response)
        html = body(response)
        assert "<h1>Public denial log</h1>" in html
        assert "Denied ALPR policy" in html
        assert 'type="application/atom+xml"' in html

    def test_row_shows_dates_days_exemptions_official_and_deficiencies(self, client, make_denial):
        make_denial(
            title="Late catch-all denial",
            exemptions=("§7922.000",),
            official_name="",
            official_title="",
            received=date(2026, 3, 2),
            days=20,
        )
        html = body(client.get(reverse("denials:log")))
        assert "Mon 2 Mar 2026" in html  # filed and received
        assert "Sun 22 Mar 2026" in html  # denied
        assert "20 days" in html
        assert "Late by 10 days" in html  # due Thu 12 Mar 2026
        assert "§7922.000" in html and "[§6255(a)]" in html
        assert "None named" in html
        assert "Names no responsible official and title" in html
        assert "Relies on the catch-all with no reasons" in html

    def test_each_flag_shows_its_citation_and_every_official_is_listed(self, client, make_denial):
        make_denial(
            title="Signed twice, extended too far",
            exemptions=("§7927.705",),
            official_name="Ann Lee",
            official_title="Records Manager",
            more_officials=[("Bo Diaz", "")],
            received=date(2026, 3, 2),
            days=20,
            earlier=[
                {"kind": "extension", "days": 5, "extension_date": date(2026, 4, 30),
                 "extension_ground": "voluminous"},
            ],
        )  # fmt: skip
        response = client.get(reverse("denials:log"))
        assert_valid_and_labelled(response)
        html = body(response)
        [row] = response.context["rows"]
        assert row.officials == [("Ann Lee", "Records Manager"), ("Bo Diaz", "")]
        assert "Ann Lee" in html and "Bo Diaz" in html and "No title given" in html
        cited = {
            "Names an official without a title": "Gov. Code §7922.540(a) [§6253(d)]",
            "Cites §7927.705 without naming the other law": "Gov. Code §7927.705 [§6254(k)]",
            "Extension beyond the legal maximum": "Gov. Code §7922.535(b)-(c) [§6253(c)]",
        }
        for label, citation in cited.items():
            assert f'<li>{label} <span class="cite">{citation}</span></li>' in html, label
        assert "Extensions, dates and fees:" in html
        assert "None found" not in html

    def test_a_receipt_date_the_agency_states_shows_beside_ours(self, client, make_denial):
        make_denial(
            title="Received later, says the agency",
            received=date(2026, 3, 2),
            earlier=[
                {"kind": "acknowledgement", "days": 2, "agency_received_on": date(2026, 3, 4)}
            ],
        )
        html = body(client.get(reverse("denials:log")))
        assert 'the agency says <time datetime="2026-03-04">Wed 4 Mar 2026</time>' in html
        [row] = csv_rows(body(client.get(reverse("denials:csv"))))
        assert (row["received_on"], row["agency_received_on"]) == ("2026-03-02", "2026-03-04")

    def test_newest_denial_first_then_any_whitelisted_column(self, client, make_denial):
        slow = make_denial(title="Slow", received=date(2026, 1, 5), days=40)
        quick = make_denial(title="Quick", received=date(2026, 2, 2), days=2)
        middle = make_denial(title="Middle", received=date(2026, 1, 12), days=9)
        # Denied 14 Feb, 4 Feb and 21 Jan 2026.
        assert html_ids(body(client.get("/denials/"))) == [slow.pk, quick.pk, middle.pk]
        assert html_ids(body(client.get("/denials/?sort=days"))) == [quick.pk, middle.pk, slow.pk]
        assert html_ids(body(client.get("/denials/?sort=-days"))) == [slow.pk, middle.pk, quick.pk]
        assert html_ids(body(client.get("/denials/?sort=title"))) == [middle.pk, quick.pk, slow.pk]
        # Sorting is whitelisted: anything else is the default order.
        assert html_ids(body(client.get("/denials/?sort=owner__email"))) == [
            slow.pk,
            quick.pk,
            middle.pk,
        ]

    def test_sort_links_reverse_the_current_column_and_keep_the_filter(self, client, make_denial):
        make_denial(title="One")
        html = body(client.get("/denials/?sort=days&late=no"))
        assert 'aria-sort="ascending"' in html
        assert 'aria-sort="ascending"><a href="?sort=-days&amp;late=no"' in html

    def test_pages_keep_the_filter_in_their_links(self, client, make_denial):
        bulk_denials(count=120, today=TODAY)
        response = client.get("/denials/?deficient=yes")
        html = body(response)
        assert response.context["page"].paginator.num_pages > 1
        assert "?deficient=yes&amp;page=2" in html
        second = client.get("/denials/?deficient=yes&page=2")
        first_ids = {r.request_id for r in response.context["rows"]}
        second_ids = {r.request_id for r in second.context["rows"]}
        assert first_ids and second_ids and not first_ids & second_ids

    def test_no_match_says_so(self, client, make_denial):
        make_denial(title="One")
        html = body(client.get("/denials/?late=yes"))
        assert "No published denials match this filter." in html


class TestFixedPages:
    def test_agency_page_shows_only_that_agency_and_drops_its_filter(self, client, make_denial):
        agency = factories.AgencyFactory(name="San Diego Police Department", slug="sdpd")
        mine = make_denial(title="San Diego denial", agency=agency)
        make_denial(title="Elsewhere denial")
        response = client.get(reverse("denials:agency", kwargs={"slug": "sdpd"}))
        assert_valid_and_labelled(response)
        html = body(response)
        assert "Denials by San Diego Police Department" in html
        assert html_ids(html) == [mine.pk]
        assert 'name="agency"' not in html
        assert "/denials.csv?agency=sdpd" in html
        assert client.get("/denials/agencies/no-such-agency/").status_code == 404

    def test_exemption_page_shows_only_denials_citing_it(self, client, make_denial):
        catch_all = factories.exemption("§7922.000")
        citing = make_denial(title="Catch-all denial", exemptions=("§7922.000", "§7923.600"))
        make_denial(title="Investigatory denial", exemptions=("§7923.600",))
        response = client.get(reverse("denials:exemption", kwargs={"pk": catch_all.pk}))
        html = body(response)
        assert "Denials citing §7922.000" in html
        assert "former §6255(a)" in html
        assert html_ids(html) == [citing.pk]
        assert f"/denials.json?exemption={catch_all.pk}" in html
        # Filters still narrow the fixed page.
        later = client.get(f"/denials/exemptions/{catch_all.pk}/?year=2020")
        assert later.context["rows"] == []
        assert client.get("/denials/exemptions/99999/").status_code == 404


class TestQueryCount:
    @pytest.mark.parametrize(
        "query", ["", "?agency=springfield-pd-x&technology=drones", "?deficient=yes&sort=-days"]
    )
    def test_page_and_exports_use_the_same_few_queries_for_2000_denials(
        self, client, django_assert_max_num_queries, query
    ):
        factories.AgencyFactory(slug="springfield-pd-x")
        bulk_denials(count=20, today=TODAY)
        small = {}
        for path in SURFACES:
            with CaptureQueriesContext(connection) as captured:
                body(client.get(path + query))
            small[path] = len(captured)
        bulk_denials(count=1980, today=TODAY, start=20)
        for path in SURFACES:
            # The first read after the change recomputes the summary: the same queries.
            with django_assert_max_num_queries(16):
                with CaptureQueriesContext(connection) as captured:
                    body(client.get(path + query))
            assert len(captured) == small[path], path
