"""The campaign pages: create from a pick, the table, its privacy, filing a wave."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rtcc_requests.campaigns.models import Campaign
from rtcc_requests.campaigns.services import campaign_create
from rtcc_requests.requests import services
from rtcc_requests.requests.choices import Status, Visibility
from rtcc_requests.requests.models import RecordsRequest

from .. import factories
from ..support.html import parse_strict

pytestmark = pytest.mark.django_db

ASK = "1. The ALPR usage and privacy policy.\n2. The audit logs."
PICK = "?technology={tech}&deployed_only=on&state=CA&county=Fresno"


def _pick_url():
    return reverse("campaigns:new") + PICK.format(tech=factories.technology().pk)


def test_the_new_page_offers_the_picked_agencies_all_ticked(client, user, fresno_alpr):
    client.force_login(user)
    page = client.get(_pick_url()).text
    tree = parse_strict(page)
    boxes = [e for e in tree.iter("input") if e.get("name") == "agencies"]
    assert [b.get("value") for b in boxes] == [str(a.pk) for a in fresno_alpr]
    assert all(b.get("checked") is not None for b in boxes)
    assert "3 agencies: every agency in Fresno County, CA the directory lists with" in page


def test_creating_keeps_the_agencies_left_ticked_and_refuses_others(client, user, fresno_alpr):
    client.force_login(user)
    outsider = factories.AgencyFactory(name="Kern County Sheriff", county="Kern")
    response = client.post(
        _pick_url(),
        {
            "title": "ALPR in Fresno County",
            "records_sought": ASK,
            "visibility": "private",
            "waves": 1,
            "agencies": [fresno_alpr[0].pk, fresno_alpr[2].pk, outsider.pk],
        },
    )
    # An agency outside the pick is not a valid choice: the form says so, nothing is made.
    assert response.status_code == 200
    assert Campaign.objects.count() == 0
    assert "is not one of the available choices" in response.text

    response = client.post(
        _pick_url(),
        {
            "title": "ALPR in Fresno County",
            "records_sought": ASK,
            "visibility": "private",
            "waves": 1,
            "agencies": [fresno_alpr[0].pk, fresno_alpr[2].pk],
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == campaign.get_absolute_url()
    assert sorted(campaign.entries.values_list("agency_id", flat=True)) == [
        fresno_alpr[0].pk,
        fresno_alpr[2].pk,
    ]
    assert campaign.technology == factories.technology()


def test_a_visitor_sees_a_public_campaign_with_only_its_public_requests(client, user, fresno_alpr):
    campaign = campaign_create(
        owner=user,
        title="ALPR in Fresno County",
        records_sought=ASK,
        agencies=fresno_alpr,
        visibility="public",
    )
    secret = RecordsRequest.objects.get(agency=fresno_alpr[1])
    for request in RecordsRequest.objects.all():
        services.request_file(
            records_request=request, actor=user, method="portal", filed_on=timezone.localdate()
        )
    services.request_set_visibility(
        records_request=secret, actor=user, visibility=Visibility.PRIVATE
    )
    page = client.get(campaign.get_absolute_url()).text
    assert fresno_alpr[0].name in page and fresno_alpr[2].name in page
    assert fresno_alpr[1].name not in page
    assert secret.get_absolute_url() not in page

    client.force_login(user)
    assert fresno_alpr[1].name in client.get(campaign.get_absolute_url()).text


def test_a_private_campaign_is_a_404_to_anyone_but_its_owner_and_staff(
    client, user, other_user, staff_user, fresno_alpr
):
    campaign = campaign_create(owner=user, title="Quiet", records_sought=ASK, agencies=fresno_alpr)
    assert client.get(campaign.get_absolute_url()).status_code == 404
    assert "Quiet" not in client.get(reverse("campaigns:list")).text
    client.force_login(other_user)
    assert client.get(campaign.get_absolute_url()).status_code == 404
    assert client.get(reverse("campaigns:letters", kwargs={"pk": campaign.pk})).status_code == 404
    assert client.post(reverse("campaigns:file", kwargs={"pk": campaign.pk})).status_code == 404
    client.force_login(staff_user)
    assert client.get(campaign.get_absolute_url()).status_code == 200


def test_a_stranger_cannot_file_a_public_campaign(client, user, other_user, fresno_alpr):
    campaign = campaign_create(
        owner=user, title="Open", records_sought=ASK, agencies=fresno_alpr, visibility="public"
    )
    client.force_login(other_user)
    assert client.get(reverse("campaigns:letters", kwargs={"pk": campaign.pk})).status_code == 403
    response = client.post(reverse("campaigns:file", kwargs={"pk": campaign.pk}), {"wave": 1})
    assert response.status_code == 403
    assert not RecordsRequest.objects.exclude(status=Status.DRAFT).exists()


def test_the_letters_page_shows_each_agencys_address_and_law(client, user, fresno_alpr):
    campaign = campaign_create(owner=user, title="ALPR", records_sought=ASK, agencies=fresno_alpr)
    client.force_login(user)
    page = client.get(reverse("campaigns:letters", kwargs={"pk": campaign.pk})).text
    for agency in fresno_alpr:
        assert agency.records_email in page
    assert page.count("California Public Records Act") >= 3
    assert "1. The ALPR usage and privacy policy." in page


def test_filing_a_wave_from_the_page(client, user, fresno_alpr, django_capture_on_commit_callbacks):
    campaign = campaign_create(
        owner=user, title="ALPR", records_sought=ASK, agencies=fresno_alpr, waves=3
    )
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("campaigns:file", kwargs={"pk": campaign.pk}), {"wave": 2}, follow=True
        )
    assert "1 request filed by email" in response.text
    statuses = dict(
        RecordsRequest.objects.values_list("agency_id", "status").order_by("agency__name")
    )
    assert list(statuses.values()) == [Status.DRAFT, Status.FILED, Status.DRAFT]


def test_the_table_costs_the_same_queries_for_3_or_30_agencies(client, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import fresno_county_agencies

    client.force_login(user)

    def page_queries(count):
        campaign = campaign_create(
            owner=user,
            title="ALPR",
            records_sought=ASK,
            agencies=fresno_county_agencies(count=count),
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(campaign.get_absolute_url()).status_code == 200
        return len(queries.captured_queries)

    assert page_queries(30) == page_queries(3)


def test_recording_a_wave_filed_through_the_portals(client, user, fresno_alpr):
    campaign = campaign_create(
        owner=user, title="ALPR", records_sought=ASK, agencies=fresno_alpr, waves=3
    )
    client.force_login(user)
    url = reverse("campaigns:record_filed", kwargs={"pk": campaign.pk})
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(url, {"method": "portal", "filed_on": future, "wave": 3}, follow=True)
    assert "This date is in the future." in response.text
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    response = client.post(url, {"method": "portal", "filed_on": day, "wave": 3}, follow=True)
    assert "1 request recorded as filed." in response.text
    filed = RecordsRequest.objects.get(status=Status.FILED)
    assert filed.agency == fresno_alpr[2]
    assert (filed.filing_method, filed.received_on.isoformat()) == ("portal", day)
    assert not filed.communications.exists()  # no letter sent


def test_the_new_page_offers_the_picked_technologys_checklist_only(client, user, fresno_alpr):
    client.force_login(user)
    tree = parse_strict(client.get(_pick_url()).text)
    offered = {e.get("value") for e in tree.iter("input") if e.get("name") == "checklist"}
    alpr = factories.technology().checklist.values_list("pk", flat=True)
    assert offered == {str(pk) for pk in alpr}
