"""The API client's path: a token, public denials, a draft filed, its due date read."""

from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from rtcc_requests.requests.models import RecordsRequest

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(user):
    _token_row, token = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_create_a_draft_file_it_and_read_its_due_date(api, user):
    agency = factories.AgencyFactory(slug="fresno-police-department", state="CA")
    response = api.post(
        "/api/v1/requests/",
        {
            "agency": agency.slug,
            "title": "ALPR policy",
            "records_sought": "1. The ALPR usage and privacy policy.",
            "technologies": ["automated-license-plate-readers"],
            "letter_body": "Dear Records Officer,\n\nPlease send it.\n\nSincerely,\nAda",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    draft = response.json()
    assert (draft["status"], draft["law"], draft["agency"]) == (
        "draft",
        "ca-cpra",
        agency.slug,
    )
    assert draft["items"][0]["text"] == "The ALPR usage and privacy policy."
    filed_on = timezone.localdate() - timedelta(days=1)
    response = api.post(
        f"/api/v1/requests/{draft['id']}/file/",
        {"method": "portal", "filed_on": filed_on.isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.json()
    request = RecordsRequest.objects.get(pk=draft["id"])
    assert response.json()["determination_due"] == request.determination_due.isoformat()
    assert api.get(f"/api/v1/requests/{draft['id']}/").json()["next_due"] == (
        request.next_due.isoformat()
    )
    # Never the inbound address's secret, saved drafts, or the owner.
    body = response.content.decode()
    assert request.reply_token not in body and "letter_drafts" not in body


def test_a_determination_goes_through_the_pages_checks(api, user):
    request = factories.filed_request(received=timezone.localdate() - timedelta(days=3), owner=user)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    refused = api.post(
        f"/api/v1/requests/{request.pk}/determinations/",
        {"kind": "denial", "response_date": future},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["response_date"] == ["This date is in the future."]
    exemption = factories.exemption("§7923.600")
    response = api.post(
        f"/api/v1/requests/{request.pk}/determinations/",
        {
            "kind": "denial",
            "response_date": timezone.localdate().isoformat(),
            "exemptions": [exemption.pk],
            "in_writing": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    [determination] = response.json()["determinations"]
    assert determination["exemptions"] == ["§7923.600"]
    assert "no_official" in " ".join(determination["deficiencies"])


def test_a_reply_is_logged_with_its_attachment(api, user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = factories.filed_request(received=timezone.localdate() - timedelta(days=3), owner=user)
    response = api.post(
        f"/api/v1/requests/{request.pk}/replies/",
        {
            "received_on": timezone.localdate().isoformat(),
            "subject": "Your request",
            "body": "We received it.",
            "attachments": [SimpleUploadedFile("note.txt", b"hello", "text/plain")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    [reply] = [c for c in response.json()["communications"] if c["direction"] == "in"]
    assert reply["subject"] == "Your request"


def test_public_denials_without_a_token(client, user):
    from rtcc_requests.requests import services

    request = factories.filed_request(received=timezone.localdate() - timedelta(days=5), owner=user)
    services.determination_record(
        records_request=request,
        actor=user,
        kind="denial",
        response_date=timezone.localdate(),
        exemptions=[factories.exemption("§7923.600")],
        official_name="J. Clerk",
        official_title="Records Manager",
    )
    assert client.get("/api/v1/denials/").json()["results"] == []  # private yet
    services.request_set_visibility(records_request=request, actor=user, visibility="public")
    response = client.get("/api/v1/denials/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["exemptions"][0]["section"] == "§7923.600"
    assert row["request_id"] == request.pk
