import pytest
from django.urls import reverse

from rtcc_requests.inbound.models import ReviewItem, ReviewStatus
from rtcc_requests.inbound.services import inbound_ingest

from .conftest import eml

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-123456!")
    )
    return client


class TestReviewQueueAdmin:
    def test_queue_lists_held_messages_with_their_reason(self, admin_client, fresno_request):
        inbound_ingest(raw=eml("unknown_token.eml"))
        response = admin_client.get(reverse("admin:inbound_reviewitem_changelist"))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Reply address of no known request" in html
        assert "Re: your request" in html

    def test_change_page_shows_the_text_of_the_message(self, admin_client, fresno_request):
        item = inbound_ingest(raw=eml("stranger.eml")).review_item
        response = admin_client.get(reverse("admin:inbound_reviewitem_change", args=[item.pk]))
        assert "Your request is denied. (This is not the agency.)" in response.content.decode()

    def test_attach_action_files_it_under_the_request(self, admin_client, fresno_request):
        item = inbound_ingest(raw=eml("stranger.eml")).review_item
        response = admin_client.post(
            reverse("admin:inbound_reviewitem_changelist"),
            {"action": "attach_to_request", "_selected_action": [item.pk]},
            follow=True,
        )
        assert "Attached 1 message(s)." in response.content.decode()
        item.refresh_from_db()
        assert item.status == ReviewStatus.ATTACHED
        assert item.communication.request == fresno_request

    def test_attach_without_a_request_says_what_to_do(self, admin_client, fresno_request):
        item = inbound_ingest(raw=eml("no_token.eml")).review_item
        response = admin_client.post(
            reverse("admin:inbound_reviewitem_changelist"),
            {"action": "attach_to_request", "_selected_action": [item.pk]},
            follow=True,
        )
        assert "Choose the request this message belongs to first." in response.content.decode()
        assert ReviewItem.objects.get().status == ReviewStatus.OPEN

    def test_staff_download_the_original_message(self, admin_client, fresno_request):
        item = inbound_ingest(raw=eml("unknown_token.eml")).review_item
        url = reverse("admin:inbound_reviewitem_original", args=[item.pk])
        response = admin_client.get(url)
        assert response["Content-Type"] == "message/rfc822"
        assert b"".join(response.streaming_content) == eml("unknown_token.eml")
        assert "inbound/review/message.eml" not in item.raw.name

    def test_other_users_cannot_download_it(self, client, user, fresno_request):
        item = inbound_ingest(raw=eml("unknown_token.eml")).review_item
        client.force_login(user)
        response = client.get(reverse("admin:inbound_reviewitem_original", args=[item.pk]))
        assert response.status_code == 302

    def test_queue_shows_why_a_sender_was_not_trusted(self, admin_client, fresno_request):
        raw = (
            b"From: records@fresno.example)<attacker@evil.example>\r\n"
            b"To: request+fresnoalpr2026@requests.localhost\r\n"
            b"Subject: Records\r\nMessage-ID: <cve-1@evil.example>\r\n\r\nDenied."
        )
        item = inbound_ingest(raw=raw).review_item
        html = admin_client.get(reverse("admin:inbound_reviewitem_changelist")).content.decode()
        assert "Sender address can be read more than one way" in html
        change = admin_client.get(reverse("admin:inbound_reviewitem_change", args=[item.pk]))
        assert "can be read more than one way" in change.content.decode()
        assert "attacker@evil.example" in change.content.decode()
