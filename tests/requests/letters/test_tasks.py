"""The render task: in a real worker process on the broker, and its retry and failure paths."""

import pytest
from celery.exceptions import Retry
from freezegun import freeze_time

from rtcc_requests.common.pdf import PdfTooLong
from rtcc_requests.outbox.models import OutboxMessage, OutboxStatus
from rtcc_requests.outbox.tasks import send_message
from rtcc_requests.requests.choices import LetterKind, PdfStatus
from rtcc_requests.requests.letters import tasks
from rtcc_requests.requests.letters.services import letter_queue, request_send_by_email
from rtcc_requests.requests.models import Communication

from ...support.pdf import pdf_text
from ...support.worker import wait_until
from .conftest import TRACKING, make_deficient, make_draft, make_filed

EXPECTED = {
    LetterKind.REQUEST: [
        "Fresno Police Department",
        TRACKING,
        "Gov. Code §7920.000 et seq.",
        "§7922.535(a) [former §6253(c)]",
        "§7922.570 [former §6253.9]",
        "§7922.530 [former §6253(b)]",
        "§7922.600 [former §6253.1]",
        "§7922.525(b) [former §6253(a)]",
        "§7922.540 [former §§6253(d), 6255(b)]",
        "Fri 20 Nov 2026",  # the letter's date
    ],
    LetterKind.FOLLOW_UP: [
        "Fresno Police Department",
        TRACKING,
        "§7922.535",
        "Mon 2 Nov 2026",  # received
        "Thu 12 Nov 2026",  # the deadline that passed
        "8 days late",
        "estimated date",
    ],
    LetterKind.DENIAL_CHALLENGE: [
        "Fresno Police Department",
        TRACKING,
        "Mon 16 Nov 2026",  # the denial
        "Thu 12 Nov 2026",  # the deadline it missed
        "§7922.540",
        "§7922.600",
        "§7922.000",
        "§7922.525",
        "Names no responsible official and title",
        "Relies on the catch-all with no reasons",
        "Came after the deadline",
        "reconsider",
    ],
}


def _task_finished(worker, task_id: str) -> bool:
    log = worker.log_path.read_text(errors="replace")
    return f"[{task_id}] succeeded" in log


@pytest.mark.celery_worker
class TestRenderInWorker:
    def test_each_letter_kind_renders_to_a_pdf_with_its_facts(self, celery_worker_process):
        # tick=True: time moves on from the frozen instant, so waits and the broker still work.
        with freeze_time("2026-11-20 10:00", tick=True):
            late = make_filed()
            deficient = make_deficient()
            letters = {
                LetterKind.REQUEST: letter_queue(
                    records_request=late, kind=LetterKind.REQUEST, actor=late.owner
                ),
                LetterKind.FOLLOW_UP: letter_queue(
                    records_request=late, kind=LetterKind.FOLLOW_UP, actor=late.owner
                ),
                LetterKind.DENIAL_CHALLENGE: letter_queue(
                    records_request=deficient,
                    kind=LetterKind.DENIAL_CHALLENGE,
                    actor=deficient.owner,
                ),
            }

            def all_done():
                statuses = Communication.objects.filter(
                    pk__in=[c.pk for c in letters.values()]
                ).values_list("pdf_status", flat=True)
                return all(s != PdfStatus.PENDING for s in statuses)

            wait_until(all_done, timeout=120, message="the worker did not render the letters")
        for kind, letter in letters.items():
            letter.refresh_from_db()
            assert letter.pdf_status == PdfStatus.READY, letter.pdf_error
            with letter.pdf.open("rb") as handle:
                text = pdf_text(handle.read())
            for expected in EXPECTED[kind]:
                assert expected in text, f"{kind}: {expected!r} missing"
            assert "Ada Lovelace" in text and "Page 1 of" in text

    def test_filed_by_email_once_even_after_a_kill_and_reruns(
        self, celery_worker_process, smtp_server
    ):
        draft = make_draft(tracking_number=TRACKING)
        letter = request_send_by_email(records_request=draft, actor=draft.owner)
        wait_until(lambda: len(smtp_server.messages) == 1, timeout=120, message="no email")
        draft.refresh_from_db()
        message = smtp_server.messages[0]
        assert message["To"] == "records@fresno-pd.example"
        assert message["Reply-To"] == draft.reply_address
        assert message["Subject"] == (
            f"Public records request: ALPR policy and audits (your ref. {TRACKING})"
        )
        attachments = list(message.iter_attachments())
        assert [a.get_content_type() for a in attachments] == ["application/pdf"]
        text = pdf_text(attachments[0].get_content())
        assert "Fresno Police Department" in text and TRACKING in text
        assert "§7922.535(a)" in text

        outbox = OutboxMessage.objects.get()
        assert outbox.status == OutboxStatus.SENT and outbox.attempts == 1
        # A crash (SIGKILL), a restart, then every task delivered again, twice at once.
        celery_worker_process.kill()
        celery_worker_process.start()
        reruns = [
            tasks.render_letter.delay(communication_id=letter.pk, send=True),
            tasks.render_letter.delay(communication_id=letter.pk, send=True),
            send_message.delay(message_id=outbox.pk),
            send_message.delay(message_id=outbox.pk),
        ]
        for result in reruns:
            wait_until(
                lambda result=result: _task_finished(celery_worker_process, result.id),
                timeout=120,
                message=f"task {result.id} did not finish",
            )
        assert len(smtp_server.messages) == 1
        outbox.refresh_from_db()
        assert outbox.status == OutboxStatus.SENT and outbox.attempts == 1
        assert OutboxMessage.objects.count() == 1

    def test_queued_while_the_worker_is_down_is_sent_once_it_is_back(
        self, celery_worker_process, smtp_server
    ):
        celery_worker_process.kill()
        draft = make_draft()
        request_send_by_email(records_request=draft, actor=draft.owner)
        assert smtp_server.messages == []
        celery_worker_process.start()
        wait_until(lambda: len(smtp_server.messages) == 1, timeout=120, message="no email")
        assert OutboxMessage.objects.get().status == OutboxStatus.SENT


@pytest.mark.django_db
class TestRenderFailures:
    def _letter(self) -> Communication:
        filed = make_filed()
        return Communication.objects.create(
            request=filed,
            direction="out",
            kind="letter",
            letter_kind=LetterKind.REQUEST,
            subject="A letter",
            body="Text.",
            pdf_status=PdfStatus.PENDING,
        )

    def test_an_unrenderable_letter_fails_at_once_with_its_reason(self, monkeypatch):
        letter = self._letter()
        calls = []

        def too_long(html):
            calls.append(html)
            raise PdfTooLong("The document would be 80 pages long; the limit is 50.")

        monkeypatch.setattr("rtcc_requests.requests.letters.services.render_pdf", too_long)
        assert tasks.render_letter.delay(communication_id=letter.pk).get() == "failed"
        letter.refresh_from_db()
        assert letter.pdf_status == PdfStatus.FAILED
        assert "80 pages" in letter.pdf_error
        assert len(calls) == 1  # no pointless retries

    def test_a_transient_error_is_retried_with_backoff_then_recorded(self, monkeypatch):
        letter = self._letter()

        def broken(html):
            raise OSError("disk full")

        monkeypatch.setattr("rtcc_requests.requests.letters.services.render_pdf", broken)
        for attempt, countdown in enumerate([10, 40, 160]):
            with pytest.raises(Retry) as retry:
                tasks.render_letter.apply(kwargs={"communication_id": letter.pk}, retries=attempt)
            assert retry.value.when == countdown
            letter.refresh_from_db()
            assert letter.pdf_status == PdfStatus.PENDING
        last = tasks.render_letter.apply(
            kwargs={"communication_id": letter.pk}, retries=tasks.MAX_RETRIES
        )
        assert last.get() == "failed"
        letter.refresh_from_db()
        assert letter.pdf_status == PdfStatus.FAILED
        assert "OSError" in letter.pdf_error and "Gave up after 4 attempts" in letter.pdf_error

    def test_a_retry_that_succeeds_leaves_no_error(self, monkeypatch):
        letter = self._letter()
        from rtcc_requests.requests.letters import services

        real, calls = services.render_pdf, []

        def flaky(html):
            calls.append(html)
            if len(calls) == 1:
                raise OSError("font cache busy")
            return real(html)

        monkeypatch.setattr("rtcc_requests.requests.letters.services.render_pdf", flaky)
        with pytest.raises(Retry):
            tasks.render_letter.apply(kwargs={"communication_id": letter.pk})
        retried = tasks.render_letter.apply(kwargs={"communication_id": letter.pk}, retries=1)
        assert retried.get() == "ready"
        letter.refresh_from_db()
        assert letter.pdf_status == PdfStatus.READY and letter.pdf_error == ""

    def test_a_deleted_letter_is_not_an_error(self):
        assert tasks.render_letter.delay(communication_id=987654).get() == "missing"

    def test_task_has_time_limits(self):
        assert tasks.render_letter.soft_time_limit == tasks.SOFT_TIME_LIMIT
        assert tasks.render_letter.time_limit > tasks.render_letter.soft_time_limit
