"""Requests to an agency a user proposed: its proposer files at once; nobody else sees it in
the composer, and the public sees the request once staff approve the agency."""

import pytest
from django.urls import reverse
from django.utils import timezone

from rtcc_requests.agencies.models import ReviewStatus
from rtcc_requests.agencies.services import propose_agency
from rtcc_requests.requests.models import RecordsRequest
from rtcc_requests.requests.services import RequestError, request_file

from .. import factories

pytestmark = pytest.mark.django_db


def _proposed(user):
    return propose_agency(
        user=user,
        name="Clovis Police Department",
        kind="police",
        state="CA",
        city="Clovis",
        county="Fresno",
        records_email="records@clovis.example",
    )


def test_the_composer_offers_a_proposal_to_its_proposer_only(client, user, other_user):
    agency = _proposed(user)
    client.force_login(user)
    mine = client.get(reverse("requests:new"), {"agency": agency.pk}).text
    assert f'<option value="{agency.pk}" selected>' in mine

    client.force_login(other_user)
    theirs = client.get(reverse("requests:new"), {"agency": agency.pk}).text
    assert "Clovis Police Department" not in theirs
    json = client.get(reverse("requests:composer_technologies"), {"agency": agency.pk})
    assert json.status_code == 404


def test_a_request_to_a_rejected_agency_cannot_be_filed(user):
    agency = _proposed(user)
    draft = factories.RecordsRequestFactory(owner=user, agency=agency, letter_body="Please.")
    type(agency).objects.filter(pk=agency.pk).update(review_status=ReviewStatus.REJECTED)
    with pytest.raises(RequestError, match="not in the directory"):
        request_file(
            records_request=draft,
            actor=user,
            method="portal",
            filed_on=timezone.localdate(),
        )


def test_a_public_request_to_a_proposal_waits_for_review(client, user):
    agency = _proposed(user)
    published = factories.filed_request(
        received=timezone.localdate(), owner=user, agency=agency, visibility="public"
    )
    today = timezone.localdate()
    assert not RecordsRequest.objects.public_on(today).filter(pk=published.pk).exists()
    assert client.get(published.get_absolute_url()).status_code == 404

    type(agency).objects.filter(pk=agency.pk).update(review_status=ReviewStatus.APPROVED)
    assert RecordsRequest.objects.public_on(today).filter(pk=published.pk).exists()
    assert client.get(published.get_absolute_url()).status_code == 200
