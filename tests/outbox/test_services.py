import errno
import os

import pytest
from django.db import transaction

from rtcc_requests.outbox.models import OutboxMessage, OutboxStatus
from rtcc_requests.outbox.services import (
    AttachmentRef,
    TransientSendError,
    outbox_deliver,
    outbox_enqueue,
    outbox_recover,
    outbox_retry,
)
from rtcc_requests.outbox.tasks import send_message

from ..support.worker import wait_until


def _enqueue(key: str = "k1") -> OutboxMessage:
    message, _ = outbox_enqueue(
        key=key,
        to=["agency@example.org"],
        subject="Hello",
        body_text="Body",
        reply_to="request+abc@requests.localhost",
    )
    return message


@pytest.mark.django_db
class TestOutboxEnqueue:
    def test_same_key_stores_one_message(self):
        first, created = outbox_enqueue(
            key="same", to=["a@example.org"], subject="s", body_text="b"
        )
        second, created_again = outbox_enqueue(
            key="same", to=["b@example.org"], subject="other", body_text="other"
        )
        assert created and not created_again
        assert first.pk == second.pk
        assert OutboxMessage.objects.get().to == ["a@example.org"]

    def test_delivery_is_queued_only_after_commit(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks:
            _enqueue()
        assert len(callbacks) == 1


@pytest.mark.django_db
class TestHeadersOnOneLine:
    def test_a_title_pasted_with_line_breaks_is_one_subject_line(self, smtp_server):
        message, _ = outbox_enqueue(
            key="crlf", to=["a@example.org"], subject="ALPR\r\nBcc: x@evil.example", body_text="b"
        )
        assert message.subject == "ALPR Bcc: x@evil.example"
        assert outbox_deliver(message_id=message.pk) == OutboxStatus.SENT
        [received] = smtp_server.messages
        assert received["Subject"] == "ALPR Bcc: x@evil.example" and received["Bcc"] is None

    def test_a_header_that_cannot_be_built_fails_as_not_sent(self, smtp_server):
        message, _ = outbox_enqueue(
            key="bad-header",
            to=["a@example.org"],
            subject="fine",
            body_text="b",
            headers={"X-Reference": "one\ntwo"},
        )
        assert outbox_deliver(message_id=message.pk) == OutboxStatus.FAILED
        message.refresh_from_db()
        assert message.last_error.startswith("Not sent: the message could not be built")
        assert "may or may not" not in message.last_error
        assert smtp_server.messages == []


@pytest.mark.django_db
class TestOutboxDeliver:
    def test_delivers_once_and_never_again(self, smtp_server):
        message = _enqueue()
        assert outbox_deliver(message_id=message.pk) == OutboxStatus.SENT
        assert outbox_deliver(message_id=message.pk) == OutboxStatus.SENT
        assert len(smtp_server.messages) == 1
        received = smtp_server.messages[0]
        assert received["To"] == "agency@example.org"
        assert received["Reply-To"] == "request+abc@requests.localhost"

    def test_server_down_leaves_message_pending_for_a_retry(self, smtp_server):
        message = _enqueue()
        smtp_server.stop()
        with pytest.raises(TransientSendError):
            outbox_deliver(message_id=message.pk)
        message.refresh_from_db()
        assert message.status == OutboxStatus.PENDING
        refused = ConnectionRefusedError(errno.ECONNREFUSED, os.strerror(errno.ECONNREFUSED))
        assert message.last_error == f"ConnectionRefusedError: {refused}"
        smtp_server.start()
        assert outbox_deliver(message_id=message.pk) == OutboxStatus.SENT
        assert len(smtp_server.messages) == 1

    def test_a_claimed_message_is_not_sent_by_a_second_worker(self, smtp_server):
        message = _enqueue()
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENDING)
        assert outbox_deliver(message_id=message.pk) == OutboxStatus.SENDING
        assert smtp_server.messages == []

    def test_abandoned_claim_is_failed_visibly_not_resent(self, smtp_server):
        from datetime import timedelta

        from django.utils import timezone

        message = _enqueue()
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
        )
        outbox_recover()
        message.refresh_from_db()
        assert message.status == OutboxStatus.FAILED
        assert "may or may not" in message.last_error
        assert outbox_retry(message_id=message.pk)
        assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.PENDING

    def test_task_gives_up_after_retries_and_records_failure(self, smtp_server):
        message = _enqueue()
        smtp_server.stop()
        send_message.apply(kwargs={"message_id": message.pk}, retries=send_message.max_retries)
        message.refresh_from_db()
        assert message.status == OutboxStatus.FAILED
        assert "Gave up" in message.last_error


class TestOutboxWithRealWorker:
    def test_worker_sends_each_message_once(self, celery_worker_process, smtp_server):
        with transaction.atomic():
            keys = [f"bulk-{n}" for n in range(5)]
            for key in keys:
                _enqueue(key)
        wait_until(lambda: len(smtp_server.messages) >= 5, message="five messages delivered")
        # Queue every message again, as a duplicate delivery or a retry would.
        for pk in OutboxMessage.objects.values_list("pk", flat=True):
            send_message.delay(message_id=pk)
        wait_until(
            lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 5,
            message="all marked sent",
        )
        import time

        time.sleep(2)
        assert len(smtp_server.messages) == 5


@pytest.mark.django_db
class TestAmbiguousFailures:
    def test_a_timeout_after_the_data_went_out_is_failed_not_retried(
        self, smtp_server, monkeypatch
    ):
        from django.core.mail.backends.smtp import EmailBackend

        message = _enqueue()

        def times_out(self, messages):
            raise TimeoutError("timed out waiting for the server's answer")

        monkeypatch.setattr(EmailBackend, "send_messages", times_out)
        assert outbox_deliver(message_id=message.pk) == OutboxStatus.FAILED
        message.refresh_from_db()
        assert message.status == OutboxStatus.FAILED
        assert "may or may not have been delivered" in message.last_error

    def test_a_4xx_answer_is_retried(self, smtp_server, monkeypatch):
        import smtplib

        from django.core.mail.backends.smtp import EmailBackend

        message = _enqueue()

        def busy(self, messages):
            raise smtplib.SMTPDataError(451, b"try again later")

        monkeypatch.setattr(EmailBackend, "send_messages", busy)
        with pytest.raises(TransientSendError):
            outbox_deliver(message_id=message.pk)
        assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.PENDING

    def test_a_5xx_answer_fails_without_the_ambiguity_note(self, smtp_server, monkeypatch):
        import smtplib

        from django.core.mail.backends.smtp import EmailBackend

        message = _enqueue()

        def refused(self, messages):
            raise smtplib.SMTPDataError(554, b"rejected")

        monkeypatch.setattr(EmailBackend, "send_messages", refused)
        assert outbox_deliver(message_id=message.pk) == OutboxStatus.FAILED
        error = OutboxMessage.objects.get(pk=message.pk).last_error
        assert "554" in error and "may or may not" not in error


@pytest.mark.django_db
class TestSentCopy:
    def test_a_letter_keeps_the_bytes_the_server_received(self, smtp_server, tmp_path):
        pdf = tmp_path / "letter.pdf"
        pdf.write_bytes(b"%PDF-1.4 letter")
        from django.core.files.storage import default_storage

        stored = default_storage.save("letters/t/letter.pdf", pdf.open("rb"))
        message, _ = outbox_enqueue(
            key="letter-1",
            to=["agency@example.org"],
            subject="Public records request",
            body_text="Dear custodian,\n.\nA line with a lone dot above.",
            headers={"Message-ID": "<letter-1@requests.localhost>"},
            attachments=[
                AttachmentRef(path=stored, filename="letter.pdf", content_type="application/pdf")
            ],
            keep_copy=True,
        )
        assert outbox_deliver(message_id=message.pk) == OutboxStatus.SENT
        message.refresh_from_db()
        [received] = smtp_server.raw_messages
        with message.sent_copy.open("rb") as kept:
            assert kept.read() == received

    def test_reminders_keep_no_copy(self, smtp_server):
        message = _enqueue()
        assert outbox_deliver(message_id=message.pk) == OutboxStatus.SENT
        message.refresh_from_db()
        assert not message.sent_copy and len(smtp_server.raw_messages) == 1
