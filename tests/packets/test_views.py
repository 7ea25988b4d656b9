"""The court packet's button, page and download: who gets which packet, and what the request
page says of it."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from rtcc_requests.accounts.models import Membership, Role
from rtcc_requests.accounts.organizations import organization_create
from rtcc_requests.packets.models import Audience, Packet, PacketStatus

from .. import factories
from .conftest import RECEIVED, Unzipped, ingest, text_of

pytestmark = pytest.mark.django_db


def _urls(records_request) -> dict[str, str]:
    return {
        name: reverse(f"packets:{name}", kwargs={"pk": records_request.pk})
        for name in ("make", "status", "download")
    }


def _make(client, records_request, capture):
    with capture(execute=True):
        response = client.post(_urls(records_request)["make"])
    assert response.status_code == 302
    return response


def _download(client, records_request) -> Unzipped:
    response = client.get(_urls(records_request)["download"])
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    return Unzipped(b"".join(response.streaming_content))


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-12-03 12:00:00-08:00"):
        yield


@pytest.fixture
def newsroom(db):
    """A private request of an organization: its owner (admin), an editor and a viewer."""
    owner = factories.UserFactory()
    organization = organization_create(name="Fresno Newsroom", creator=owner)
    people = {"owner": owner}
    for role in (Role.EDITOR, Role.VIEWER):
        people[role] = factories.UserFactory()
        Membership.objects.create(organization=organization, user=people[role], role=role)
    agency = factories.AgencyFactory(
        slug="fresno-police-department", records_email="records@fresno.example"
    )
    request = factories.filed_request(
        received=RECEIVED,
        owner=owner,
        organization=organization,
        agency=agency,
        reply_token="fresnoalpr2026",
        title="Newsroom ALPR audit",
    )
    return {"request": request, **people}


class TestWhoGetsWhich:
    def test_a_stranger_finds_no_packet_of_a_private_request(
        self, client, newsroom, other_user, django_capture_on_commit_callbacks
    ):
        records_request = newsroom["request"]
        client.force_login(newsroom["owner"])
        _make(client, records_request, django_capture_on_commit_callbacks)
        assert Packet.objects.get().status == PacketStatus.READY
        for who in (None, other_user):
            client.logout()
            if who:
                client.force_login(who)
            urls = _urls(records_request)
            with django_capture_on_commit_callbacks() as queued:
                assert client.post(urls["make"]).status_code == 404
            assert queued == []
            assert client.get(urls["status"]).status_code == 404
            assert client.get(urls["download"]).status_code == 404
        assert Packet.objects.count() == 1

    def test_the_owner_gets_the_full_packet_and_a_viewer_the_public_one(
        self, client, newsroom, django_capture_on_commit_callbacks
    ):
        records_request = newsroom["request"]
        ingest("alternative.eml")
        client.force_login(newsroom["owner"])
        _make(client, records_request, django_capture_on_commit_callbacks)
        response = client.get(_urls(records_request)["download"])
        assert response["Content-Disposition"] == (
            f'attachment; filename="request-{records_request.pk}-packet.zip"'
        )
        full = Unzipped(b"".join(response.streaming_content))
        assert [n for n in full.names if n.startswith("replies/")][0].endswith(".eml")

        client.force_login(newsroom[Role.VIEWER])
        assert "Make the court packet" in client.get(records_request.get_absolute_url()).text
        _make(client, records_request, django_capture_on_commit_callbacks)
        assert sorted(Packet.objects.values_list("audience", flat=True)) == ["full", "public"]
        response = client.get(_urls(records_request)["download"])
        assert response["Content-Disposition"] == (
            f'attachment; filename="request-{records_request.pk}-public-packet.zip"'
        )
        public = Unzipped(b"".join(response.streaming_content))
        assert not any(n.endswith(".eml") for n in public.names)
        assert b"fresnoalpr2026" not in public.everything()

    def test_an_editor_gets_the_full_packet_the_owner_made(
        self, client, newsroom, django_capture_on_commit_callbacks
    ):
        client.force_login(newsroom["owner"])
        _make(client, newsroom["request"], django_capture_on_commit_callbacks)
        client.force_login(newsroom[Role.EDITOR])
        page = client.get(newsroom["request"].get_absolute_url()).text
        assert "Download the court packet" in page
        assert _download(client, newsroom["request"]).manifest["audience"] == Audience.FULL

    def test_a_visitor_makes_the_public_packet_of_a_public_request(
        self, client, django_capture_on_commit_callbacks
    ):
        records_request = factories.filed_request(received=RECEIVED, visibility="public")
        _make(client, records_request, django_capture_on_commit_callbacks)
        packet = Packet.objects.get()
        assert (packet.audience, packet.requested_by) == (Audience.PUBLIC, None)
        assert _download(client, records_request).manifest["audience"] == Audience.PUBLIC

    def test_making_a_packet_needs_a_post_with_its_csrf_token(self, newsroom):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(newsroom["owner"])
        urls = _urls(newsroom["request"])
        assert client.get(urls["make"]).status_code == 405
        assert client.post(urls["make"]).status_code == 403
        assert not Packet.objects.exists()


class TestTheButton:
    def test_pressing_it_twice_while_it_is_made_makes_one_packet(
        self, client, newsroom, django_capture_on_commit_callbacks
    ):
        records_request = newsroom["request"]
        client.force_login(newsroom["owner"])
        with django_capture_on_commit_callbacks() as queued:
            client.post(_urls(records_request)["make"])
            second = client.post(_urls(records_request)["make"], follow=True)
        assert len(queued) == 1
        assert "already being made" in second.text
        assert "The packet is being made" in text_of(second.text)
        queued[0]()
        packet = Packet.objects.get()
        assert packet.status == PacketStatus.READY and packet.attempts == 1
        stored = default_storage.listdir(f"packets/{records_request.pk}")[0]
        assert len(stored) == 1  # one build, one file
        with django_capture_on_commit_callbacks() as queued:
            third = client.post(_urls(records_request)["make"], follow=True)
        assert queued == [] and "up to date" in third.text

    def test_the_request_page_says_how_the_packet_is_doing(
        self, client, newsroom, django_capture_on_commit_callbacks
    ):
        records_request = newsroom["request"]
        client.force_login(newsroom["owner"])
        page = text_of(client.get(records_request.get_absolute_url()).text)
        assert "No packet has been made yet." in page and "Make the court packet" in page
        with django_capture_on_commit_callbacks() as queued:
            client.post(_urls(records_request)["make"])
        page = text_of(client.get(records_request.get_absolute_url()).text)
        assert "The packet is being made" in page and "Make the court packet" not in page
        queued[0]()
        page = text_of(client.get(records_request.get_absolute_url()).text)
        packet = Packet.objects.get()
        assert "Download the court packet" in page and packet.sha256 in page
        assert "made Thu 3 Dec 2026, 12:00" in page
        ingest("alternative.eml")
        page = text_of(client.get(records_request.get_absolute_url()).text)
        assert "Out of date: the request has changed since" in page and "Make it again" in page
        assert "Download the packet made on Thu 3 Dec 2026" in page

    def test_a_failed_build_shows_on_the_page_and_try_again_makes_it(
        self, client, newsroom, django_capture_on_commit_callbacks
    ):
        records_request = newsroom["request"]
        reply = ingest("pdf_docx.eml")
        contract = reply.attachments.get(filename="contract.pdf")
        kept = contract.file.read()
        default_storage.delete(contract.file.name)
        client.force_login(newsroom["owner"])
        _make(client, records_request, django_capture_on_commit_callbacks)
        page = text_of(client.get(records_request.get_absolute_url()).text)
        assert "The packet could not be made: A file of this request is missing" in page
        assert "Try again" in page and "Download" not in page.split("Court packet")[1]
        assert client.get(_urls(records_request)["download"]).status_code == 409
        default_storage.save(contract.file.name, ContentFile(kept))
        _make(client, records_request, django_capture_on_commit_callbacks)  # "Try again"
        unzipped = _download(client, records_request)
        assert unzipped.read("documents/01-2026-12-02-contract.pdf") == kept

    def test_the_status_page_checks_again_while_it_is_made(
        self, client, newsroom, django_capture_on_commit_callbacks
    ):
        client.force_login(newsroom["owner"])
        with django_capture_on_commit_callbacks():
            client.post(_urls(newsroom["request"])["make"])
        page = client.get(_urls(newsroom["request"])["status"]).text
        assert '<meta http-equiv="refresh" content="5">' in page
        fragment = client.get(_urls(newsroom["request"])["status"] + "?fragment=1").text
        assert "<html" not in fragment and "The packet is being made" in text_of(
            fragment, fragment=True
        )

    def test_the_request_page_costs_no_more_queries_with_a_packet(
        self, client, newsroom, django_capture_on_commit_callbacks
    ):
        records_request = newsroom["request"]
        client.force_login(newsroom["owner"])

        def page_queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(records_request.get_absolute_url()).status_code == 200
            return len(captured)

        without = page_queries()
        _make(client, records_request, django_capture_on_commit_callbacks)
        assert page_queries() == without
