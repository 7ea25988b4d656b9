"""The public request browser and its feed: the public set only, filtered, in bounded queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rtcc_requests.requests.choices import Status, Visibility

from .. import factories

pytestmark = pytest.mark.django_db
LIST, FEED = reverse("requests:public_list"), reverse("requests:public_feed")


def _filed(title, *, visibility=Visibility.PUBLIC, agency=None, **kwargs):
    return factories.filed_request(
        received=timezone.localdate() - timedelta(days=3),
        title=title,
        visibility=visibility,
        agency=agency or factories.AgencyFactory(),
        **kwargs,
    )


@pytest.fixture
def hidden(user):
    """A private request, one under embargo and a draft, each to an agency of its own."""
    secret = factories.AgencyFactory(name="Secretive Sheriff's Office", slug="secretive")
    _filed("Quokka private title", visibility=Visibility.PRIVATE, agency=secret, owner=user)
    _filed(
        "Marmoset embargoed title",
        visibility=Visibility.EMBARGOED,
        embargo_until=timezone.localdate() + timedelta(days=30),
        owner=user,
    )
    factories.RecordsRequestFactory(
        title="Obsidian draft title", visibility=Visibility.PUBLIC, owner=user
    )


def test_visitors_and_owners_see_the_public_requests_only(client, user, hidden):
    _filed("ALPR policy of Fresno PD")
    for who in (None, user):
        if who:
            client.force_login(who)
        for url in (LIST, FEED):
            text = client.get(url).text
            assert "ALPR policy of Fresno PD" in text
            for secret in ("Quokka", "Marmoset", "Obsidian", "Secretive"):
                assert secret not in text, (who, url, secret)
    page = client.get(LIST)
    assert page.context["page"].paginator.count == 1


def test_filters_by_agency_technology_status_and_law(client, cpra):
    fresno = factories.AgencyFactory(name="Fresno Police Department", slug="fresno-pd")
    alpr = _filed("ALPR records", agency=fresno)
    alpr.technologies.set([factories.technology()])
    _filed("Drone records").technologies.set([factories.technology("drones")])

    assert _titles(client, agency="fresno-pd") == ["ALPR records"]
    assert _titles(client, technology="drones") == ["Drone records"]
    assert _titles(client, status=Status.FILED) == ["Drone records", "ALPR records"]
    assert _titles(client, status=Status.DENIED) == []
    assert _titles(client, law="ca-cpra") == ["Drone records", "ALPR records"]
    feed = client.get(FEED, {"technology": "drones"}).text
    assert "Drone records" in feed and "ALPR records" not in feed


def _titles(client, **params) -> list[str]:
    return [r.title for r in client.get(LIST, params).context["page"].object_list]


@pytest.mark.parametrize("params", [{"page": "-1"}, {"page": "9" * 25}, {"status": "draft"}])
def test_bad_input_is_no_server_error(client, params):
    assert client.get(LIST, params).status_code == 200
    assert client.get(FEED, params).status_code == 200


def test_the_page_links_its_feed_with_the_filters(client):
    text = client.get(LIST, {"technology": "drones"}).text
    assert f'href="{FEED}?technology=drones"' in text
    assert 'type="application/atom+xml"' in text


@pytest.mark.parametrize("count", [5, 40])
def test_queries_are_bounded_whatever_the_number_of_requests(
    client, django_assert_max_num_queries, count
):
    agency = factories.AgencyFactory()
    for n in range(count):
        _filed(f"Request {n}", agency=agency).technologies.set([factories.technology()])
    with django_assert_max_num_queries(8):
        client.get(LIST)
    with django_assert_max_num_queries(6):
        client.get(FEED)
