"""The document page, its page images and retry, as each person meets them."""

import pytest
from django.urls import reverse

from rtcc_requests.documents.models import Document, TextStatus
from rtcc_requests.documents.services import document_read

from ..support.scans import scanned_pdf, text_pdf
from .conftest import released

pytestmark = pytest.mark.django_db


@pytest.fixture
def read_document(private_request):
    document = released(private_request, "audit.pdf", scanned_pdf([["ALPR audit log March"]]))
    document_read(document_id=document.pk)
    return Document.objects.get(pk=document.pk)


def test_the_owner_sees_the_document_its_text_and_its_page_image(client, read_document):
    client.force_login(read_document.request.owner)
    page = client.get(read_document.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "ALPR audit log March" in html and read_document.sha256 in html
    assert "Text read on " in html and "read by OCR" in html
    image = client.get(
        reverse("documents:page_image", kwargs={"pk": read_document.pk, "number": 1})
    )
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")
    missing = reverse("documents:page_image", kwargs={"pk": read_document.pk, "number": 2})
    assert client.get(missing).status_code == 404


def test_a_stranger_or_a_visitor_gets_not_found(client, read_document, other_user):
    urls = [
        read_document.get_absolute_url(),
        reverse("documents:page_image", kwargs={"pk": read_document.pk, "number": 1}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(other_user)
    for url in urls:
        assert client.get(url).status_code == 404


def test_a_private_replys_document_is_hidden_on_a_public_request(client, public_request):
    document = released(
        public_request, "kept.pdf", text_pdf(["Kept private by the requester"]), private=True
    )
    assert client.get(document.get_absolute_url()).status_code == 404
    public = released(public_request, "shared.pdf", text_pdf(["Shared with everyone who reads"]))
    assert client.get(public.get_absolute_url()).status_code == 200
    detail = client.get(public_request.get_absolute_url()).content.decode()
    assert "shared.pdf" in detail and "kept.pdf" not in detail


def test_a_failed_reading_shows_why_and_the_owner_retries_it(
    client, private_request, settings, django_capture_on_commit_callbacks
):
    settings.DOCUMENT_MAX_PAGES = 1
    document = released(private_request, "two.pdf", text_pdf(["one page here", "two pages"]))
    document_read(document_id=document.pk)
    client.force_login(private_request.owner)
    html = client.get(document.get_absolute_url()).content.decode()
    assert "It has 2 pages" in html and "Try reading it again" in html
    settings.DOCUMENT_MAX_PAGES = 5
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:retry", kwargs={"pk": document.pk}), follow=True)
    assert "Reading it again" in response.content.decode()
    document.refresh_from_db()
    assert document.status == TextStatus.READ


def test_retry_needs_the_csrf_token(private_request, settings):
    from django.test import Client

    settings.DOCUMENT_MAX_PAGES = 1
    document = released(private_request, "two.pdf", text_pdf(["one page here", "two pages"]))
    document_read(document_id=document.pk)
    client = Client(enforce_csrf_checks=True)
    client.force_login(private_request.owner)
    assert client.post(reverse("documents:retry", kwargs={"pk": document.pk})).status_code == 403


def test_the_document_page_runs_the_same_queries_however_many_pages(client, private_request):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(private_request.owner)
    counts = []
    for pages in (1, 30):
        document = released(private_request, f"{pages}.pdf", text_pdf(["plate reads"] * pages))
        document_read(document_id=document.pk)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(document.get_absolute_url()).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
