"""The public request browser and its feed: the public set only, filtered, in bounded queries."""

from datetime import date, datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from rtcc_requests.agencies.models import ReviewStatus
from rtcc_requests.requests import feeds, services
from rtcc_requests.requests.choices import (
    CommunicationKind,
    Direction,
    LetterKind,
    Status,
    Visibility,
)
from rtcc_requests.requests.letters.services import letter_draft_save

from .. import factories

pytestmark = pytest.mark.django_db
LIST, FEED = reverse("requests:public_list"), reverse("requests:public_feed")
ATOM = "{http://www.w3.org/2005/Atom}"


def _filed(title, *, visibility=Visibility.PUBLIC, agency=None, received=None, **kwargs):
    return factories.filed_request(
        received=received or timezone.localdate() - timedelta(days=3),
        title=title,
        visibility=visibility,
        agency=agency or factories.AgencyFactory(),
        **kwargs,
    )


@pytest.fixture
def hidden(user):
    """A private request, one under embargo, a draft and a public request to an agency staff
    have not approved, each to an agency of its own."""
    _filed(
        "Quokka private title",
        visibility=Visibility.PRIVATE,
        agency=factories.AgencyFactory(name="Secretive Sheriff's Office", slug="secretive"),
        owner=user,
    )
    _filed(
        "Marmoset embargoed title",
        visibility=Visibility.EMBARGOED,
        embargo_until=timezone.localdate() + timedelta(days=30),
        agency=factories.AgencyFactory(name="Hushed Harbor Police", slug="hushed"),
        owner=user,
    )
    factories.RecordsRequestFactory(
        title="Obsidian draft title",
        visibility=Visibility.PUBLIC,
        agency=factories.AgencyFactory(name="Drafty Marshal's Office", slug="drafty"),
        owner=user,
    )
    _filed(
        "Pangolin unreviewed title",
        agency=factories.AgencyFactory(
            name="Proposed Parks Rangers",
            slug="proposed",
            review_status=ReviewStatus.PROPOSED,
            proposed_by=user,
        ),
        owner=user,
    )


SECRETS = ("Quokka", "Marmoset", "Obsidian", "Pangolin", "Secretive", "Hushed", "Drafty", "Parks")


def test_visitors_and_owners_see_the_public_requests_only(client, user, hidden):
    _filed("ALPR policy of Fresno PD")
    _filed(
        "Embargo over: drone logs",
        visibility=Visibility.EMBARGOED,
        embargo_until=timezone.localdate() - timedelta(days=1),
    )
    for who in (None, user):
        if who:
            client.force_login(who)
        for url in (LIST, FEED):
            text = client.get(url).text
            assert "ALPR policy of Fresno PD" in text
            assert "Embargo over: drone logs" in text
            for secret in SECRETS:
                assert secret not in text, (who, url, secret)
        page = client.get(LIST)
        assert page.context["page"].paginator.count == 2
        assert "2 public requests" in page.text


def test_a_hidden_requests_agency_finds_nothing(client, user, hidden):
    client.force_login(user)
    for agency in ("secretive", "hushed", "drafty", "proposed"):
        for url in (LIST, FEED):
            text = client.get(url, {"agency": agency}).text
            for secret in SECRETS[:4]:
                assert secret not in text, (agency, url, secret)
        assert "0 public requests match the filters" in client.get(LIST, {"agency": agency}).text


def test_filters_by_agency_technology_status_and_law(client, cpra):
    fresno = factories.AgencyFactory(name="Fresno Police Department", slug="fresno-pd")
    alpr = _filed("ALPR records", agency=fresno)
    alpr.technologies.set([factories.technology()])
    _filed("Drone records").technologies.set([factories.technology("drones")])

    assert _titles(client, agency="fresno-pd") == ["ALPR records"]
    assert _titles(client, agency=str(fresno.pk)) == ["ALPR records"]
    assert _titles(client, agency="fresno police") == ["ALPR records"]
    assert _titles(client, technology="drones") == ["Drone records"]
    assert _titles(client, status=Status.FILED) == ["Drone records", "ALPR records"]
    assert _titles(client, status=Status.DENIED) == []
    assert _titles(client, law="ca-cpra") == ["Drone records", "ALPR records"]
    assert _titles(client, q="  drone ") == ["Drone records"]
    feed = client.get(FEED, {"technology": "drones"}).text
    assert "Drone records" in feed and "ALPR records" not in feed
    feed = client.get(FEED, {"agency": str(fresno.pk)}).text
    assert "ALPR records" in feed and "Drone records" not in feed


def _titles(client, **params) -> list[str]:
    return [r.title for r in client.get(LIST, params).context["page"].object_list]


def test_newest_filed_first_and_25_a_page(client):
    today = timezone.localdate()
    for n in range(27):
        _filed(f"Request filed {n} days ago", received=today - timedelta(days=n))
    first = _titles(client)
    assert len(first) == 25
    assert first[:2] == ["Request filed 0 days ago", "Request filed 1 days ago"]
    assert _titles(client, page="2") == ["Request filed 25 days ago", "Request filed 26 days ago"]


def test_each_row_says_what_was_asked_and_where_it_stands(client, user):
    today = timezone.localdate()
    denied = _filed("Denied ALPR audit", received=today - timedelta(days=20), owner=user)
    denied.technologies.set([factories.technology()])
    services.determination_record(
        records_request=denied, actor=user, kind="denial", response_date=today - timedelta(days=2)
    )
    withdrawn = _filed("Withdrawn drone logs", owner=user)
    services.request_withdraw(records_request=withdrawn, actor=user)

    text = client.get(LIST).text
    answered = today - timedelta(days=2)
    assert f"Answered {answered.day} {answered:%b %Y}" in text
    assert f"Closed {today.day} {today:%b %Y}" in text
    assert "Automated License Plate Readers" in text
    assert f'href="{denied.get_absolute_url()}"' in text


def _entries(text: str) -> list[dict]:
    root = ElementTree.fromstring(text)  # noqa: S314 (our own feed)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "updated": datetime.fromisoformat(entry.findtext(f"{ATOM}updated")),
            "link": entry.find(f"{ATOM}link").get("href"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_feed_lists_the_newest_filed_first_up_to_its_limit(client, monkeypatch, settings):
    monkeypatch.setattr(feeds, "FEED_ENTRIES", 2)
    today = timezone.localdate()
    # Created newest-filed first, so the order of creation (or of saving) is not the answer.
    newest = _filed("Newest", received=today - timedelta(days=1))
    _filed("Middle", received=today - timedelta(days=2))
    _filed("Oldest", received=today - timedelta(days=3))

    response = client.get(FEED)
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = _entries(response.text)
    assert [e["title"].split(": ", 1)[1] for e in entries] == ["Newest", "Middle"]
    assert entries[0]["link"] == f"{settings.SITE_URL}{newest.get_absolute_url()}"


def test_the_feed_dates_an_entry_by_its_last_public_activity(client, user):
    with freeze_time("2026-11-02 18:00:00"):  # 10:00 in California
        records_request = _filed("ALPR audit", received=date(2026, 11, 2), owner=user)
    with freeze_time("2026-11-09 17:30:00"):
        services.reply_log(
            records_request=records_request, actor=user, subject="Your request", body="Soon."
        )
    # What the requester keeps to themselves moves nothing in the feed.
    with freeze_time("2026-11-12 20:00:00"):
        letter_draft_save(
            records_request=records_request,
            kind=LetterKind.DENIAL_CHALLENGE,
            body="Draft.",
            actor=user,
        )
        services.communication_log(
            records_request=records_request,
            actor=user,
            direction=Direction.INTERNAL,
            kind=CommunicationKind.NOTE,
            body="Call the clerk.",
            is_private=True,
        )

    (entry,) = _entries(client.get(FEED).text)
    assert entry["updated"] == datetime.fromisoformat("2026-11-09T17:30:00+00:00")


@pytest.mark.parametrize("params", [{"page": "-1"}, {"page": "9" * 25}, {"status": "draft"}])
def test_bad_input_is_no_server_error(client, params):
    assert client.get(LIST, params).status_code == 200
    assert client.get(FEED, params).status_code == 200


def test_a_filter_not_understood_is_said_and_ignored(client):
    _filed("ALPR records")
    page = client.get(LIST, {"technology": "no-such-thing", "law": "nope"})
    assert page.status_code == 200
    assert "Some filters were not understood" in page.text
    assert "ALPR records" in page.text


def test_the_page_links_its_feed_with_the_filters(client):
    text = client.get(LIST, {"technology": "drones", "page": "1"}).text
    assert f'href="{FEED}?technology=drones"' in text
    assert 'type="application/atom+xml"' in text
    assert "Atom feed of these requests" in text
    feed = client.get(FEED, {"technology": "drones"}).text
    assert f"{LIST}?technology=drones" in feed


def test_an_empty_form_applied_is_no_filter(client):
    _filed("ALPR records")
    text = client.get(LIST, {"q": "", "agency": "", "technology": "", "status": "", "law": ""}).text
    assert f'href="{FEED}"' in text
    assert "match the filters" not in text
    assert "Clear filters" not in text


def test_the_site_links_the_browser(client):
    assert f'href="{LIST}"' in client.get("/").text


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("count", [5, 40])
def test_queries_are_bounded_whatever_the_number_of_requests(
    client, user, django_assert_max_num_queries, count, signed_in
):
    agency = factories.AgencyFactory()
    for n in range(count):
        _filed(f"Request {n}", agency=agency).technologies.set([factories.technology()])
    if signed_in:
        client.force_login(user)
    alpr = factories.technology().slug
    # Menus 4, count 1, rows and their technologies 2; signed in, the session and the user.
    with django_assert_max_num_queries(10):
        assert client.get(LIST, {"technology": alpr}).status_code == 200
    with django_assert_max_num_queries(6):
        assert len(_entries(client.get(FEED).text)) == count
