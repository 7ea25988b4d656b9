"""The log's summary and menus are cached, and a change the log shows is never read stale."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from rtcc_requests.agencies.atlas.services import atlas_import
from rtcc_requests.denials.versioning import denial_log_version, params_digest
from rtcc_requests.requests import services
from tests import factories
from tests.agencies.test_atlas import atlas_csv, atlas_row

pytestmark = pytest.mark.django_db
URL = reverse("denials:log")


def _count(client, url=URL) -> int:
    return client.get(url).context["summary"].count


def _queries(client, url=URL) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


class TestCache:
    def test_a_second_read_skips_the_aggregates(self, client, make_denial):
        make_denial(title="Public ALPR denial")
        cold = _queries(client)
        warm = _queries(client)
        # Summary (3 queries) and menus (2) come from the cache; the rows are read afresh.
        assert warm <= cold - 5
        assert "Public ALPR denial" in client.get(URL).content.decode()

    def test_each_filter_has_its_own_summary(self, client, make_denial):
        oakland = factories.AgencyFactory(name="Oakland PD", slug="oakland-pd")
        make_denial(title="Oakland denial", agency=oakland)
        make_denial(title="Elsewhere denial")
        assert _count(client) == 2
        assert _count(client, URL + "?agency=oakland-pd") == 1
        assert _count(client, URL + "?late=no&agency=oakland-pd") == 1
        assert _count(client) == 2

    def test_sorting_paging_and_unknown_parameters_share_one_summary(self, client, make_denial):
        make_denial(title="Public ALPR denial")
        cold = _queries(client)
        for junk in ("?sort=agency", "?page=1&sort=-days", "?utm_source=x"):
            assert _queries(client, URL + junk) <= cold - 5, junk
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL + "?year=nope").status_code == 400  # shown, and ignored
        assert len(captured) <= cold - 5

    def test_parameter_order_does_not_matter(self):
        assert params_digest({"a": "1", "b": "2"}) == params_digest({"b": "2", "a": "1"})
        assert params_digest({"a": "1"}) != params_digest({"a": "2"})


class TestNeverStale:
    def test_a_denial_made_private_leaves_the_cached_count_at_once(self, client, make_denial):
        kept = make_denial(title="Stays public")
        hidden = make_denial(title="Goes private")
        assert _count(client) == 2
        services.request_set_visibility(
            records_request=hidden, actor=hidden.owner, visibility="private"
        )
        assert _count(client) == 1
        html = client.get(URL).content.decode()
        assert "Goes private" not in html and kept.title in html

    def test_a_new_denial_counts_at_once(self, client, make_denial):
        make_denial(title="First")
        assert _count(client) == 1
        make_denial(title="Second")
        assert _count(client) == 2

    def test_a_new_citation_shows_in_the_top_exemptions(self, client, make_denial):
        denied = make_denial(title="Denied", exemptions=("§7923.600",))
        top = client.get(URL).context["summary"].top_exemptions
        assert [e.exemption.section for e in top] == ["§7923.600"]
        determination = denied.determinations.get()
        determination.exemptions.add(factories.exemption("§7922.000"))
        top = client.get(URL).context["summary"].top_exemptions
        assert sorted(e.exemption.section for e in top) == ["§7922.000", "§7923.600"]

    def test_an_embargo_lapses_at_midnight_whatever_was_cached(self, client, make_denial):
        make_denial(title="Public")
        make_denial(title="Embargoed", visibility="embargoed", embargo_until=date(2026, 11, 27))
        assert _count(client) == 1
        with freeze_time("2026-11-27 09:00:00"):
            assert _count(client) == 2

    def test_an_atlas_import_moves_the_version_though_it_writes_in_bulk(self, make_denial):
        make_denial(title="Denied")
        before = denial_log_version()
        atlas_import(data=atlas_csv(atlas_row("AOS-1", County="Fresno")))
        assert denial_log_version() != before

    def test_a_rolled_back_change_does_not_leave_its_version_for_another(self, make_denial):
        denied = make_denial(title="Denied")
        before = denial_log_version()
        with transaction.atomic():
            services.request_set_visibility(
                records_request=denied, actor=denied.owner, visibility="private"
            )
            inside = denial_log_version()
            transaction.set_rollback(True)
        assert denial_log_version() == before
        denied.refresh_from_db()
        services.request_set_visibility(
            records_request=denied, actor=denied.owner, visibility="embargoed",
            embargo_until=date(2027, 1, 1),
        )  # fmt: skip
        assert denial_log_version() not in (before, inside)
