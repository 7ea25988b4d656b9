"""A signed-in user proposes a missing agency and files to it at once; staff review it;
visitors see only the approved directory."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from rtcc_requests.agencies.models import Agency, Deployment, ReviewStatus
from rtcc_requests.agencies.selectors import agencies_open_to
from rtcc_requests.agencies.services import (
    MAX_PENDING_PROPOSALS,
    DuplicateAgency,
    propose_agency,
)
from tests import factories
from tests.support.html import assert_valid_and_labelled

pytestmark = pytest.mark.django_db
PROPOSE = "/agencies/proposals/new/"


def form_data(**overrides) -> dict:
    data = {
        "name": "Los Angeles Police Department",
        "kind": "police",
        "state": "CA",
        "city": "Los Angeles",
        "county": "Los Angeles",
        "records_email": "",
        "portal_url": "https://lapdonlinerequests.nextrequest.com/",
        "records_office": "Discovery Section",
        "mailing_address": "100 W 1st St\nLos Angeles, CA 90012",
        "phone": "",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def alice(client):
    user = factories.UserFactory(username="alice")
    client.force_login(user)
    return user


@pytest.fixture
def bob():
    return factories.UserFactory(username="bob")


@pytest.fixture
def bob_client(bob):
    other = Client()
    other.force_login(bob)
    return other


@pytest.fixture
def staff_client():
    admin = factories.UserFactory(username="staff", is_staff=True, is_superuser=True)
    staff = Client()
    staff.force_login(admin)
    return staff


def alices_proposal(alice, **overrides) -> Agency:
    fields = form_data(**overrides)
    return propose_agency(user=alice, **fields)


class TestProposingAnAgency:
    def test_url_and_a_labelled_form_with_the_searched_name(self, client, alice):
        assert reverse("agencies:propose") == PROPOSE
        response = client.get(PROPOSE, {"name": "Pasadena Police"})
        assert_valid_and_labelled(response)
        html = response.content.decode()
        assert 'value="Pasadena Police"' in html
        assert 'name="csrfmiddlewaretoken"' in html

    def test_the_agency_list_links_to_it_with_the_search(self, client):
        html = client.get("/agencies/", {"q": "pasadena"}).content.decode()
        assert "Can't find the agency? Propose it" in html
        assert f'href="{PROPOSE}?name=pasadena"' in html

    def test_a_visitor_is_sent_to_log_in_first(self, client):
        response = client.get(PROPOSE)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
        response = client.post(PROPOSE, form_data())
        assert response.status_code == 302
        assert not Agency.objects.exists()

    def test_a_post_without_the_csrf_token_is_refused(self, alice):
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(alice)
        assert strict.post(PROPOSE, form_data()).status_code == 403
        assert not Agency.objects.exists()

    def test_proposing_takes_the_user_to_the_composer_with_the_agency_chosen(self, client, alice):
        response = client.post(PROPOSE, form_data())
        agency = Agency.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('requests:new')}?agency={agency.pk}"
        assert [str(m) for m in get_messages(response.wsgi_request)] == [
            "Agency proposed: you can file to Los Angeles Police Department now; "
            "staff will review it."
        ]
        assert agency.review_status == ReviewStatus.PROPOSED
        assert agency.proposed_by == alice and agency.proposed_at is not None
        assert agency.slug == "los-angeles-police-department"
        assert agency.portal_url == "https://lapdonlinerequests.nextrequest.com/"
        assert agency.mailing_address == "100 W 1st St\nLos Angeles, CA 90012"
        composer = client.get(response["Location"]).content.decode()
        assert re.search(rf'<option value="{agency.pk}" selected>', composer)

    def test_without_an_email_or_a_portal_the_form_says_so_and_keeps_what_was_typed(
        self, client, alice
    ):
        response = client.post(PROPOSE, form_data(portal_url="", records_email=""))
        assert response.status_code == 200
        html = response.content.decode()
        assert "records-request email or its records portal" in html
        assert 'value="Los Angeles Police Department"' in html
        assert "100 W 1st St" in html
        assert 'value="Discovery Section"' in html
        assert not Agency.objects.exists()

    def test_an_email_alone_is_enough(self, client, alice):
        response = client.post(
            PROPOSE, form_data(portal_url="", records_email="records@lapd.example")
        )
        assert response.status_code == 302
        assert Agency.objects.get().records_email == "records@lapd.example"

    def test_an_agency_already_in_the_directory_is_refused_with_a_link_to_it(self, client, alice):
        existing = factories.AgencyFactory(
            name="Los Angeles Police Department", slug="lapd", state="CA"
        )
        response = client.post(PROPOSE, form_data(name="los angeles  PD"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Los Angeles Police Department (CA) is already in the directory" in html
        assert 'href="/agencies/lapd/"' in html
        assert f'href="/requests/new/?agency={existing.pk}"' in html
        assert Agency.objects.count() == 1

    def test_the_same_name_in_another_state_is_another_agency(self, alice):
        factories.AgencyFactory(name="Springfield Police Department", slug="spd", state="CA")
        agency = alices_proposal(alice, name="Springfield Police Department", state="IL")
        assert agency.state == "IL"
        assert agency.slug == "springfield-police-department"

    def test_the_proposers_own_proposal_twice_is_refused(self, alice):
        first = alices_proposal(alice)
        with pytest.raises(DuplicateAgency) as refused:
            alices_proposal(alice, name="Los Angeles Police Dept")
        assert refused.value.agency == first

    def test_a_taken_slug_gets_the_state(self, alice):
        factories.AgencyFactory(name="Los Angeles Police Department", slug="lapd-old", state="CA")
        factories.AgencyFactory(name="Something else", slug="los-angeles-police-department")
        agency = alices_proposal(alice, state="NM")
        assert agency.slug == "los-angeles-police-department-nm"

    def test_a_user_cannot_pile_up_proposals(self, alice):
        for n in range(MAX_PENDING_PROPOSALS):
            alices_proposal(alice, name=f"Agency number {n} of many")
        with pytest.raises(ValidationError, match="awaiting review"):
            alices_proposal(alice, name="One agency too many")


class TestWhoSeesAProposal:
    def test_the_proposer_finds_it_others_do_not(self, client, alice, bob_client):
        agency = alices_proposal(alice)
        for search in ("los angeles", ""):
            mine = client.get("/agencies/", {"q": search}).content.decode()
            assert "Los Angeles Police Department" in mine
            assert "proposed, awaiting review" in mine
            theirs = bob_client.get("/agencies/", {"q": search}).content.decode()
            assert "Los Angeles Police Department" not in theirs
        suggestions = bob_client.get("/agencies/", {"q": "angeles", "format": "json"}).json()
        assert suggestions["results"] == []
        assert client.get("/agencies/", {"q": "angeles", "format": "json"}).json()["results"]
        visitor = Client().get("/agencies/", {"q": "angeles"}).content.decode()
        assert "Los Angeles Police Department" not in visitor and "0 agencies match" in visitor

        page = client.get(agency.get_absolute_url())
        assert_valid_and_labelled(page)
        assert "Proposed by you" in page.content.decode()
        assert bob_client.get(agency.get_absolute_url()).status_code == 404
        assert Client().get(agency.get_absolute_url()).status_code == 404

    def test_staff_see_it_marked_as_a_proposal(self, alice, staff_client):
        agency = alices_proposal(alice)
        html = staff_client.get(agency.get_absolute_url()).content.decode()
        assert "awaiting review by staff" in html

    def test_only_its_proposer_and_staff_can_file_to_it(self, alice, bob):
        agency = alices_proposal(alice)
        staff = factories.UserFactory(is_staff=True)
        assert agency in agencies_open_to(alice)
        assert agency in agencies_open_to(staff)
        assert agency not in agencies_open_to(bob)

    def test_a_rejected_proposal_shows_its_proposer_why_and_takes_no_request(
        self, client, alice, staff_client
    ):
        agency = alices_proposal(alice)
        Agency.objects.filter(pk=agency.pk).update(
            review_status=ReviewStatus.REJECTED, review_note="This is the Sheriff's job."
        )
        page = client.get(agency.get_absolute_url())
        assert_valid_and_labelled(page)
        html = page.content.decode()
        assert "Staff rejected this proposal" in html
        assert "This is the Sheriff&#x27;s job." in html
        assert "Request records from this agency" not in html
        assert "Los Angeles" not in client.get("/agencies/").content.decode()
        assert agency not in agencies_open_to(alice)

    def test_technology_pages_leave_out_deployments_at_proposals(self, client, alice):
        agency = alices_proposal(alice)
        alpr = factories.technology()
        Deployment.objects.create(agency=agency, technology=alpr, product="Flock")
        html = client.get(alpr.get_absolute_url()).content.decode()
        assert "Los Angeles Police Department" not in html
        index = client.get(reverse("pages:technology_list")).content.decode()
        assert re.search(
            rf'{re.escape(alpr.name)}</a>\s*<span class="muted">· no agency recorded yet', index
        )


class TestStaffReview:
    def test_the_admin_lists_proposals_with_their_proposer(self, alice, staff_client):
        alices_proposal(alice)
        factories.AgencyFactory(name="Fresno Police Department")
        response = staff_client.get(
            reverse("admin:agencies_agency_changelist"), {"review_status__exact": "proposed"}
        )
        html = response.content.decode()
        assert "Los Angeles Police Department" in html and "alice" in html
        assert "Fresno Police Department" not in html

    def test_approving_puts_it_in_the_public_directory(self, alice, bob_client, staff_client):
        agency = alices_proposal(alice)
        response = staff_client.post(
            reverse("admin:agencies_agency_changelist"),
            {"action": "approve", "_selected_action": [agency.pk]},
        )
        assert response.status_code == 302
        agency.refresh_from_db()
        assert agency.review_status == ReviewStatus.APPROVED
        assert agency.reviewed_by.username == "staff"
        assert "Los Angeles Police Department" in bob_client.get("/agencies/").content.decode()
        assert Client().get(agency.get_absolute_url()).status_code == 200

    def test_rejecting_leaves_approved_agencies_alone(self, alice, staff_client):
        agency = alices_proposal(alice)
        fresno = factories.AgencyFactory(name="Fresno Police Department")
        staff_client.post(
            reverse("admin:agencies_agency_changelist"),
            {"action": "reject", "_selected_action": [agency.pk, fresno.pk]},
        )
        agency.refresh_from_db()
        fresno.refresh_from_db()
        assert agency.review_status == ReviewStatus.REJECTED
        assert fresno.review_status == ReviewStatus.APPROVED


class TestSearchByPartOfTheName:
    @pytest.fixture
    def agencies(self):
        factories.AgencyFactory(
            name="East Los Angeles College Police", slug="elac", city="Monterey Park"
        )
        factories.AgencyFactory(
            name="Los Angeles Police Department", slug="lapd", city="Los Angeles"
        )
        factories.AgencyFactory(name="Fresno Police Department", slug="fpd", city="Fresno")

    def names(self, client, query) -> list[str]:
        rows = client.get("/agencies/", {"q": query, "format": "json"}).json()["results"]
        return [row["name"] for row in rows]

    @pytest.mark.parametrize(
        "query", ["los angeles", "LOS ANGELES", "angeles police", "Angeles, Los", "angeles"]
    )
    def test_words_in_any_order_and_case_find_it(self, client, agencies, query):
        assert "Los Angeles Police Department" in self.names(client, query)
        assert "Fresno Police Department" not in self.names(client, query)

    def test_a_name_that_begins_with_the_search_comes_first(self, client, agencies):
        assert self.names(client, "los angeles") == [
            "Los Angeles Police Department",
            "East Los Angeles College Police",
        ]
        html = client.get("/agencies/", {"q": "los angeles"}).content.decode()
        assert html.index("Los Angeles Police Department") < html.index("East Los Angeles")

    def test_the_list_costs_the_same_with_proposals(
        self, client, alice, django_assert_max_num_queries
    ):
        bob = factories.UserFactory()
        for _ in range(40):
            factories.AgencyFactory()
            factories.AgencyFactory(review_status=ReviewStatus.PROPOSED, proposed_by=alice)
            factories.AgencyFactory(review_status=ReviewStatus.PROPOSED, proposed_by=bob)
        # The session and the user, the count and the page.
        with django_assert_max_num_queries(4):
            html = client.get("/agencies/", {"q": "police", "page": "2"}).content.decode()
        assert "Page 2 of 2" in html
        assert "80 agencies match" in html  # 40 approved, 40 of alice's; none of bob's
