"""An agency page says whether we hold each document the law makes it publish (a released
record, or a URL with the day checked) and offers a request for what is missing; and it
pictures how the agency answered its public requests."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rtcc_requests.agencies.models import (
    ChecklistItem,
    Deployment,
    DeploymentStatus,
    PostingCheck,
)
from rtcc_requests.requests import services
from rtcc_requests.requests.choices import DeterminationKind, ItemOutcome
from rtcc_requests.requests.items import as_list

from .. import factories
from ..support.html import parse_strict

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    agency = factories.AgencyFactory(name="Clovis Police Department")
    Deployment.objects.create(
        agency=agency, technology=factories.technology(), status=DeploymentStatus.ACTIVE
    )
    return agency


@pytest.fixture
def policy():
    return ChecklistItem.objects.get(
        technology__slug="automated-license-plate-readers", key="usage-privacy-policy"
    )


def _duty(page: str, item) -> str:
    return page.split(f'id="duty-{item.technology.slug}-{item.key}"')[1].split("</li>")[0]


def test_an_unchecked_duty_is_unknown_and_offers_a_request(client, user, agency, policy):
    client.force_login(user)
    duty = _duty(client.get(agency.get_absolute_url()).text, policy)
    assert "Unknown" in duty and "Civ. Code §§1798.90.51(b), 1798.90.53(b)" in duty
    query = f"?agency={agency.slug}&technology={policy.technology.slug}&checklist={policy.pk}"
    assert query.replace("&", "&amp;") in duty
    # The composer starts with the document as item 1.
    assert f"1. {policy.ask}" in client.get(reverse("requests:new") + query).text


def test_only_the_duties_of_technologies_it_is_listed_with(client, agency):
    page = client.get(agency.get_absolute_url()).text
    assert "What the law makes it publish" in page
    assert "military equipment use policy" not in page
    unlisted = factories.AgencyFactory(name="Kerman Police Department")
    assert "What the law makes it publish" not in client.get(unlisted.get_absolute_url()).text


def test_a_check_records_where_it_is_posted_and_a_later_one_wins(client, user, agency, policy):
    client.force_login(user)
    url = reverse("agencies:posting_check", kwargs={"slug": agency.slug})
    today = timezone.localdate()
    response = client.post(
        url,
        {"checklist_item": policy.pk, "found": "yes", "url": "", "checked_on": today},
        follow=True,
    )
    assert "Give the address where it is posted." in response.text
    assert not PostingCheck.objects.exists()
    earlier = (today - timedelta(days=30)).isoformat()
    client.post(url, {"checklist_item": policy.pk, "found": "no", "checked_on": earlier})
    assert "Not posted" in _duty(client.get(agency.get_absolute_url()).text, policy)
    client.post(
        url,
        {
            "checklist_item": policy.pk,
            "found": "yes",
            "url": "https://clovis.example/alpr-policy.pdf",
            "checked_on": today.isoformat(),
        },
    )
    client.logout()
    duty = _duty(client.get(agency.get_absolute_url()).text, policy)
    assert "Posted:" in duty and "https://clovis.example/alpr-policy.pdf" in duty
    assert "Not posted" not in duty


def test_a_check_of_what_no_law_makes_it_publish_is_refused(client, user, agency):
    contract = ChecklistItem.objects.get(
        technology__slug="automated-license-plate-readers", key="contract"
    )
    client.force_login(user)
    url = reverse("agencies:posting_check", kwargs={"slug": agency.slug})
    today = timezone.localdate().isoformat()
    response = client.post(
        url, {"checklist_item": contract.pk, "found": "no", "checked_on": today}, follow=True
    )
    assert "No law makes an agency publish that." in response.text
    assert not PostingCheck.objects.exists()


def test_a_released_record_is_what_we_hold(client, user, agency, policy):
    draft = services.request_create(
        owner=user,
        agency=agency,
        law=factories.law(),
        title="The ALPR policy",
        records_sought=as_list([policy.ask]),
        letter_body="Dear Records Officer,\n\nPlease.\n\nSincerely,\nA. Requester",
    )
    filed = services.request_file(
        records_request=draft,
        actor=user,
        method="portal",
        filed_on=timezone.localdate() - timedelta(days=5),
    )
    services.determination_record(
        records_request=filed,
        actor=user,
        kind=DeterminationKind.RELEASED,
        response_date=timezone.localdate(),
        item_outcomes=[services.OutcomeInput(number=1, outcome=ItemOutcome.RELEASED)],
    )
    # Private: not what we hold, to a visitor.
    assert "We hold it" not in _duty(client.get(agency.get_absolute_url()).text, policy)
    services.request_set_visibility(records_request=filed, actor=user, visibility="public")
    duty = _duty(client.get(agency.get_absolute_url()).text, policy)
    assert "We hold it" in duty and filed.get_absolute_url() in duty


def test_a_visitor_cannot_record_a_check(client, agency, policy):
    url = reverse("agencies:posting_check", kwargs={"slug": agency.slug})
    response = client.post(
        url, {"checklist_item": policy.pk, "found": "no", "checked_on": "2026-01-01"}
    )
    assert response.status_code == 302 and "login" in response.url
    assert not PostingCheck.objects.exists()


def test_the_agency_page_pictures_its_answers_beside_their_numbers(client, user, agency):

    late_silent = services.request_create(
        owner=user, agency=agency, law=factories.law(), title="Silent", records_sought="x"
    )
    services.request_file(
        records_request=late_silent,
        actor=user,
        method="portal",
        filed_on=timezone.localdate() - timedelta(days=40),
    )
    services.request_set_visibility(records_request=late_silent, actor=user, visibility="public")
    private = services.request_create(
        owner=user, agency=agency, law=factories.law(), title="Private", records_sought="x"
    )
    services.request_file(
        records_request=private,
        actor=user,
        method="portal",
        filed_on=timezone.localdate() - timedelta(days=40),
    )
    tree = parse_strict(client.get(agency.get_absolute_url()).text)
    [table] = [t for t in tree.iter("table") if t.get("class") == "chart-numbers"]
    rows = {
        "".join(row[0].itertext()).strip(): "".join(row[1].itertext()).strip()
        for row in table.find("tbody")
    }
    # The private one is not counted.
    assert rows == {
        "answered on time": "0",
        "answered late": "0",
        "no answer, past due": "1",
        "waiting": "0",
    }
