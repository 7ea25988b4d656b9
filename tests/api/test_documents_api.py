"""Documents and search through the API: uploaded as a reply's file, read, found; what each
client may see is what the pages show them."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from knox.models import AuthToken
from rest_framework.test import APIClient

from rtcc_requests.documents.models import Document
from rtcc_requests.documents.services import document_read

from ..documents.conftest import released
from ..support.scans import text_pdf

pytestmark = pytest.mark.django_db
PAGE = "Audit of the automated license plate reader database, quarter three."


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        _row, token = AuthToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _read(records_request, name, **kwargs):
    document = released(records_request, name, text_pdf([PAGE]), **kwargs)
    document_read(document_id=document.pk)
    return document


def test_upload_a_document_then_read_it_and_find_it(
    public_request, django_capture_on_commit_callbacks
):
    owner = _client(public_request.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(
            f"/api/v1/requests/{public_request.pk}/replies/",
            {
                "received_on": date(2026, 11, 20).isoformat(),
                "subject": "Records",
                "body": "Attached.",
                "attachments": [
                    SimpleUploadedFile("audit.pdf", text_pdf([PAGE]), "application/pdf")
                ],
            },
            format="multipart",
        )
    assert response.status_code == 201, response.json()
    [listed] = owner.get("/api/v1/documents/", {"request": public_request.pk}).json()["results"]
    assert (listed["title"], listed["status"], listed["page_count"]) == ("audit.pdf", "read", 1)
    detail = owner.get(f"/api/v1/documents/{listed['id']}/").json()
    assert "license plate reader database" in detail["text"]
    assert detail["pages"][0]["image"].endswith(f"/documents/{listed['id']}/pages/1.png")
    found = _client().get("/api/v1/search/", {"q": "license plate database"}).json()
    assert [hit["title"] for hit in found["results"]] == ["audit.pdf"]
    assert found["counts"]["documents"] == 1


def test_clients_see_only_the_documents_they_may(public_request, private_request, other_user):
    public = _read(public_request, "public.pdf")
    private = _read(private_request, "private.pdf")
    kept = _read(public_request, "kept.pdf", private=True)
    anonymous = _client()
    assert [d["title"] for d in anonymous.get("/api/v1/documents/").json()["results"]] == [
        "public.pdf"
    ]
    for hidden in (private, kept):
        assert anonymous.get(f"/api/v1/documents/{hidden.pk}/").status_code == 404
        assert _client(other_user).get(f"/api/v1/documents/{hidden.pk}/").status_code == 404
    assert _client(private_request.owner).get(f"/api/v1/documents/{private.pk}/").status_code == 200
    search = anonymous.get("/api/v1/search/", {"q": "license plate"}).json()
    assert [hit["title"] for hit in search["results"]] == [public.title]


def test_the_document_list_runs_the_same_queries_however_many(
    public_request, django_assert_max_num_queries
):
    for number in range(12):
        _read(public_request, f"p{number}.pdf")
    assert Document.objects.count() == 12
    with django_assert_max_num_queries(6):
        response = _client().get("/api/v1/documents/")
    assert len(response.json()["results"]) == 12


def test_a_bad_filter_is_a_400_that_says_which(public_request):
    response = _client().get("/api/v1/search/", {"q": "plate", "year": "1800"})
    assert response.status_code == 400 and "year" in response.json()
