from datetime import timedelta

import pytest
from django.utils import timezone

from rtcc_requests.outbox.models import OutboxMessage, OutboxStatus
from rtcc_requests.outbox.services import TransientSendError, outbox_deliver, outbox_enqueue
from rtcc_requests.requests.choices import LetterKind, PdfStatus
from rtcc_requests.requests.letters.selectors import delivery_problems
from rtcc_requests.requests.models import Communication

from .conftest import make_filed


def _letter(records_request, *, status: str, error: str = "", subject: str = "Letter"):
    return Communication.objects.create(
        request=records_request,
        direction="out",
        kind="letter",
        letter_kind=LetterKind.REQUEST,
        subject=subject,
        pdf_status=status,
        pdf_error=error,
    )


@pytest.mark.django_db
class TestDeliveryProblems:
    def test_nothing_to_report_for_good_letters(self, filed):
        _letter(filed, status=PdfStatus.READY)
        _letter(filed, status=PdfStatus.PENDING)  # just queued: not a problem yet
        assert delivery_problems(records_request=filed) == []

    def test_failed_render_is_reported_with_its_reason(self, filed):
        letter = _letter(filed, status=PdfStatus.FAILED, error="Too long.", subject="Follow-up")
        [problem] = delivery_problems(records_request=filed)
        assert problem.what == "pdf" and problem.communication_id == letter.pk
        assert problem.message == "The PDF of “Follow-up” could not be made: Too long."

    def test_a_render_stuck_for_long_is_reported(self, filed):
        letter = _letter(filed, status=PdfStatus.PENDING)
        Communication.objects.filter(pk=letter.pk).update(
            created_at=timezone.now() - timedelta(hours=1)
        )
        [problem] = delivery_problems(records_request=filed)
        assert "waiting to be made" in problem.message

    def test_smtp_failures_and_retries_are_reported(self, filed, smtp_server):
        retrying, _ = outbox_enqueue(
            key="a", to=["records@x.example"], subject="Req", body_text="b", records_request=filed
        )
        failed, _ = outbox_enqueue(
            key="b", to=["records@x.example"], subject="Req 2", body_text="b", records_request=filed
        )
        smtp_server.stop()
        with pytest.raises(TransientSendError):
            outbox_deliver(message_id=retrying.pk)
        OutboxMessage.objects.filter(pk=failed.pk).update(
            status=OutboxStatus.FAILED, last_error="SMTPRecipientsRefused: 550 no such user"
        )
        problems = delivery_problems(records_request=filed)
        by_id = {p.outbox_message_id: p for p in problems}
        assert by_id[retrying.pk].retrying is True
        assert "will be retried" in by_id[retrying.pk].message
        assert by_id[failed.pk].retrying is False
        assert "was not sent: SMTPRecipientsRefused: 550 no such user" in by_id[failed.pk].message

    def test_other_requests_problems_are_not_shown(self, filed):
        other = make_filed(owner=filed.owner, agency=filed.agency)
        _letter(other, status=PdfStatus.FAILED, error="x")
        assert delivery_problems(records_request=filed) == []

    def test_query_count_is_constant(self, filed, django_assert_max_num_queries):
        for i in range(20):
            _letter(filed, status=PdfStatus.FAILED, error=str(i))
            OutboxMessage.objects.create(
                idempotency_key=f"k{i}",
                to=["a@x.example"],
                subject="s",
                body_text="b",
                status=OutboxStatus.FAILED,
                records_request=filed,
            )
        with django_assert_max_num_queries(2):
            assert len(delivery_problems(records_request=filed)) == 40
