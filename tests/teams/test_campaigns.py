"""A campaign of an organization: its members follow it, its editors file it, its
letterhead signs every letter."""

import pytest
from django.urls import reverse

from rtcc_requests.campaigns.models import Campaign
from rtcc_requests.campaigns.services import CampaignError, campaign_create
from rtcc_requests.requests.choices import LetterKind, Status
from rtcc_requests.requests.letters.documents import default_body
from rtcc_requests.requests.models import RecordsRequest

from .. import factories

pytestmark = pytest.mark.django_db

ASK = "1. The ALPR usage and privacy policy."


@pytest.fixture
def org_campaign(newsroom):
    agencies = [factories.AgencyFactory(), factories.AgencyFactory()]
    return campaign_create(
        owner=newsroom["editor"],
        title="Newsroom ALPR campaign",
        records_sought=ASK,
        agencies=agencies,
        organization=newsroom["organization"],
    )


def test_its_requests_belong_to_the_organization_and_carry_its_letterhead(newsroom, org_campaign):
    requests = RecordsRequest.objects.filter(campaign_entry__campaign=org_campaign)
    assert {r.organization for r in requests} == {newsroom["organization"]}
    letter = default_body(requests.first(), LetterKind.REQUEST, None)
    assert letter.endswith(f"\n{newsroom['organization'].letterhead_name}")


def test_a_viewer_follows_it_but_cannot_file_and_a_stranger_does_not_see_it(
    client, newsroom, org_campaign
):
    file_url = reverse("campaigns:file", kwargs={"pk": org_campaign.pk})
    client.force_login(newsroom["viewer"])
    page = client.get(org_campaign.get_absolute_url())
    assert page.status_code == 200 and "File wave 1 by email" not in page.text
    assert (
        client.get(reverse("campaigns:letters", kwargs={"pk": org_campaign.pk})).status_code == 200
    )
    assert client.post(file_url, {"wave": 1}).status_code == 403
    theirs = RecordsRequest.objects.filter(campaign_entry__campaign=org_campaign)
    assert not theirs.exclude(status=Status.DRAFT).exists()

    client.force_login(factories.UserFactory())
    assert client.get(org_campaign.get_absolute_url()).status_code == 404

    client.force_login(newsroom["admin"])  # an admin who did not start it files it
    assert "File wave 1 by email" in client.get(org_campaign.get_absolute_url()).text
    client.post(file_url, {"wave": 1})
    assert theirs.filter(status=Status.FILED).count() == 2


def test_only_its_editors_start_one(newsroom):
    with pytest.raises(CampaignError, match="editors and admins"):
        campaign_create(
            owner=newsroom["viewer"],
            title="Not allowed",
            records_sought=ASK,
            agencies=[factories.AgencyFactory()],
            organization=newsroom["organization"],
        )
    assert not Campaign.objects.exists()


def test_the_form_offers_the_organization_to_its_editors(client, newsroom):
    agency = factories.AgencyFactory(county="Fresno", state="CA")
    client.force_login(newsroom["editor"])
    url = reverse("campaigns:new") + "?state=CA&county=Fresno"
    response = client.post(
        url,
        {
            "title": "Via the form",
            "records_sought": ASK,
            "visibility": "private",
            "waves": 1,
            "agencies": [agency.pk],
            "organization": newsroom["organization"].pk,
        },
    )
    assert response.status_code == 302
    assert Campaign.objects.get().organization == newsroom["organization"]
    client.force_login(newsroom["viewer"])
    assert 'name="organization"' not in client.get(url).text
