from datetime import date, timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

from rtcc_requests.agencies.models import Deployment, Technology, Vendor
from tests import factories
from tests.support.bulk import bulk_requests
from tests.support.html import assert_valid_and_labelled

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with freeze_time("2026-11-26 12:00:00"):
        yield


@pytest.fixture
def fresno():
    return factories.AgencyFactory(
        name="Fresno Police Department",
        slug="fresno-police-department",
        records_email="records@fresno.example",
        portal_url="https://fresno.example/records",
        phone="559-555-0100",
    )


@pytest.fixture
def alpr() -> Technology:
    return factories.technology("automated-license-plate-readers")


@pytest.fixture
def requests_to_fresno(fresno, alpr, user):
    """Two public answered requests (one late), one private, one draft, one embargoed."""

    def make(title, **fields):
        return factories.RecordsRequestFactory(
            owner=user, agency=fresno, title=title, technologies=[alpr], **fields
        )

    received = TODAY - timedelta(days=40)
    return {
        "public_denied": make(
            "Public ALPR denial",
            visibility="public",
            status="denied",
            is_deficient=True,
            received_on=received,
            filed_on=received,
            responded_on=received + timedelta(days=8),
        ),
        "public_late": make(
            "Public late release",
            visibility="public",
            status="released",
            is_late=True,
            received_on=received,
            filed_on=received,
            responded_on=received + timedelta(days=30),
        ),
        "public_open": make("Public still open", visibility="public", status="filed"),
        "private": make(
            "Secret private request",
            visibility="private",
            status="denied",
            received_on=received,
            filed_on=received,
            responded_on=received + timedelta(days=2),
        ),
        "public_draft": make("Public draft", visibility="public", status="draft"),
        "embargoed": make(
            "Embargoed until next month",
            visibility="embargoed",
            status="filed",
            embargo_until=TODAY + timedelta(days=30),
        ),
        "embargo_over": make(
            "Embargo already over",
            visibility="embargoed",
            status="filed",
            embargo_until=TODAY - timedelta(days=1),
        ),
    }


VISIBLE = {"public_denied", "public_late", "public_open", "embargo_over"}
HIDDEN = {"private", "public_draft", "embargoed"}
VIEWERS = ["anonymous", "other_user", "owner", "staff_user"]


def _log_in(client, request, who: str, owner) -> None:
    if who == "owner":
        client.force_login(owner)
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))


class TestAgencyPage:
    @pytest.mark.parametrize("who", VIEWERS)
    def test_shows_public_requests_and_never_private_ones(
        self, client, request, user, fresno, requests_to_fresno, who
    ):
        _log_in(client, request, who, user)
        response = client.get(fresno.get_absolute_url())
        html = response.content.decode()
        assert_valid_and_labelled(response)
        for key in VISIBLE:
            assert requests_to_fresno[key].title in html, key
        for key in HIDDEN:
            assert requests_to_fresno[key].title not in html, key

    def test_contact_and_deployments_with_sources(self, client, fresno, alpr):
        vendor = Vendor.objects.create(name="Flock Safety", slug="flock-safety")
        Deployment.objects.create(
            agency=fresno,
            technology=alpr,
            vendor=vendor,
            product="Falcon",
            status="active",
            sources=[{"title": "City council minutes", "url": "https://example.org/minutes"}],
        )
        html = client.get(reverse("pages:agency_detail", args=["fresno-police-department"]))
        html = html.content.decode()
        assert "records@fresno.example" in html
        assert "https://fresno.example/records" in html
        assert "559-555-0100" in html
        assert alpr.name in html and "Flock Safety" in html and "Falcon" in html
        assert 'href="https://example.org/minutes"' in html
        assert alpr.get_absolute_url() in html

    def test_statistics_count_public_requests_only(self, client, fresno, requests_to_fresno):
        html = client.get(fresno.get_absolute_url()).content.decode()
        # Public (and past embargo), not drafts: denied, late release, open, embargo over.
        assert "<dt>Public requests</dt><dd>4</dd>" in html
        assert "<dt>Answered</dt><dd>2</dd>" in html
        assert "50% (1 of 2)" in html
        # Median of 8 and 30 days; the private 2-day answer is not counted.
        assert "19 days from receipt" in html
        assert "<dt>Denials (in full or in part)</dt><dd>1, 1 deficient</dd>" in html

    def test_no_public_requests_says_so(self, client, fresno):
        html = client.get(fresno.get_absolute_url()).content.decode()
        assert "No public requests to this agency yet" in html

    def test_unknown_agency_is_404(self, client):
        assert client.get("/agencies/no-such-agency/").status_code == 404

    def test_query_count_is_bounded_with_500_requests(
        self, client, user, other_user, fresno, alpr, django_assert_max_num_queries
    ):
        Deployment.objects.create(agency=fresno, technology=alpr, status="active")
        techs = list(Technology.objects.all()[:3])
        bulk_requests(
            count=500,
            owners=[user, other_user],
            agencies=[fresno],
            today=TODAY,
            technologies=techs,
        )
        # 6, and 3 for what the law makes it publish (the duties, their checks, the records
        # released), whatever the number of requests.
        with django_assert_max_num_queries(9):
            response = client.get(fresno.get_absolute_url())
        assert response.status_code == 200
        assert "The latest 50 of" in response.content.decode()


class TestTechnologyPage:
    @pytest.mark.parametrize("who", VIEWERS)
    def test_shows_where_deployed_and_only_public_requests(
        self, client, request, user, fresno, alpr, requests_to_fresno, who
    ):
        Deployment.objects.create(agency=fresno, technology=alpr, status="active")
        _log_in(client, request, who, user)
        response = client.get(reverse("pages:technology_detail", args=[alpr.slug]))
        html = response.content.decode()
        assert_valid_and_labelled(response)
        assert fresno.name in html
        assert fresno.get_absolute_url() in html
        for key in VISIBLE:
            assert requests_to_fresno[key].title in html, key
        for key in HIDDEN:
            assert requests_to_fresno[key].title not in html, key

    def test_requests_about_other_technologies_are_not_listed(self, client, fresno, alpr, user):
        drones = Technology.objects.exclude(pk=alpr.pk).first()
        factories.RecordsRequestFactory(
            owner=user,
            agency=fresno,
            title="About drones",
            technologies=[drones],
            visibility="public",
            status="filed",
        )
        assert "About drones" not in client.get(alpr.get_absolute_url()).content.decode()
        assert "About drones" in client.get(drones.get_absolute_url()).content.decode()

    def test_unknown_technology_is_404(self, client):
        assert client.get("/technologies/no-such-thing/").status_code == 404

    def test_query_count_is_bounded_with_500_requests(
        self, client, user, other_user, alpr, django_assert_max_num_queries
    ):
        agencies = [factories.AgencyFactory() for _ in range(20)]
        for agency in agencies:
            Deployment.objects.create(agency=agency, technology=alpr, status="active")
        bulk_requests(
            count=500,
            owners=[user, other_user],
            agencies=agencies,
            today=TODAY,
            technologies=[alpr],
        )
        with django_assert_max_num_queries(4):
            response = client.get(alpr.get_absolute_url())
        assert response.status_code == 200


class TestTechnologyIndex:
    def test_lists_every_technology_by_category_with_its_agencies(
        self, client, django_assert_max_num_queries
    ):
        alpr = Technology.objects.get(slug="automated-license-plate-readers")
        for _ in range(3):
            Deployment.objects.create(agency=factories.AgencyFactory(), technology=alpr)
        with django_assert_max_num_queries(3):
            response = client.get(reverse("pages:technology_list"))
        assert_valid_and_labelled(response)
        html = response.content.decode()
        for technology in Technology.objects.all():
            assert f'href="{technology.get_absolute_url()}"' in html
        assert 'Automated License Plate Readers</a>\n      <span class="muted">· 3 agencies' in html
        assert "no agency recorded yet" in html
