import pytest
from django.urls import reverse

from rtcc_requests.outbox.models import OutboxMessage, OutboxStatus
from rtcc_requests.outbox.services import outbox_enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(user):
    message, _ = outbox_enqueue(
        key="letter-x",
        to=["records@agency.example"],
        subject="Records request",
        body_text="b",
        user=user,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.FAILED, last_error="SMTPDataError: 554 rejected"
    )
    return message


class TestSendAgain:
    def test_owner_sends_a_failed_email_again_and_it_arrives(
        self, client, user, failed, smtp_server, django_capture_on_commit_callbacks
    ):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("outbox:retry", kwargs={"pk": failed.pk}))
        assert response.status_code == 302
        assert OutboxMessage.objects.get(pk=failed.pk).status == OutboxStatus.SENT
        assert [m["Subject"] for m in smtp_server.messages] == ["Records request"]

    def test_another_user_gets_404_and_nothing_changes(self, client, other_user, failed):
        client.force_login(other_user)
        response = client.post(reverse("outbox:retry", kwargs={"pk": failed.pk}))
        assert response.status_code == 404
        assert OutboxMessage.objects.get(pk=failed.pk).status == OutboxStatus.FAILED

    def test_anonymous_is_sent_to_log_in(self, client, failed):
        response = client.post(reverse("outbox:retry", kwargs={"pk": failed.pk}))
        assert response.status_code == 302 and "login" in response["Location"]

    def test_get_is_refused(self, client, user, failed):
        client.force_login(user)
        assert client.get(reverse("outbox:retry", kwargs={"pk": failed.pk})).status_code == 405

    def test_a_sent_email_is_not_sent_again(self, client, user, failed, smtp_server):
        OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxStatus.SENT)
        client.force_login(user)
        response = client.post(reverse("outbox:retry", kwargs={"pk": failed.pk}), follow=True)
        assert "nothing to send again" in response.content.decode()
        assert smtp_server.messages == []

    def test_next_must_stay_on_this_site(self, client, user, failed):
        client.force_login(user)
        response = client.post(
            reverse("outbox:retry", kwargs={"pk": failed.pk}), {"next": "https://evil.example/"}
        )
        assert response["Location"] == reverse("pages:home")

    def test_dashboard_offers_to_send_it_again(self, client, user, failed):
        client.force_login(user)
        html = client.get(reverse("pages:home")).content.decode()
        assert reverse("outbox:retry", kwargs={"pk": failed.pk}) in html


def test_request_page_offers_to_send_a_failed_letter_email_again(client):
    from ..factories import RecordsRequestFactory

    req = RecordsRequestFactory()
    message, _ = outbox_enqueue(
        key="letter-y",
        to=["records@agency.example"],
        subject="Request",
        body_text="b",
        user=req.owner,
        records_request=req,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.FAILED, last_error="SMTPDataError: 554 rejected"
    )
    client.force_login(req.owner)
    html = client.get(req.get_absolute_url()).content.decode()
    assert reverse("outbox:retry", kwargs={"pk": message.pk}) in html
