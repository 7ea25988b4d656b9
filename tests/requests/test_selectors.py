import pytest

from rtcc_requests.outbox.models import OutboxMessage
from rtcc_requests.outbox.services import outbox_enqueue, outbox_mark_failed
from rtcc_requests.reminders.services import reminders_sweep
from rtcc_requests.requests.selectors import failed_emails_for

from ..factories import filed_request
from ..reminders.conftest import DUE, RECEIVED


@pytest.mark.django_db
class TestFailedEmailsFor:
    def test_lists_the_users_undeliverable_reminders_and_letters_in_one_query(
        self, user, other_user, django_assert_max_num_queries
    ):
        mine = {filed_request(received=RECEIVED, owner=user).pk for _ in range(3)}
        filed_request(received=RECEIVED, owner=other_user)
        reminders_sweep(today=DUE)
        outbox_enqueue(key="letter:1", to=["a@example.org"], subject="s", body_text="b", user=user)
        for message in OutboxMessage.objects.all():
            outbox_mark_failed(message_id=message.pk, error="550 mailbox unavailable")
        with django_assert_max_num_queries(1):
            failed = failed_emails_for(user=user)
            shown = {m.records_request.pk for m in failed if m.records_request}
        assert shown == mine
        assert {m.idempotency_key for m in failed if not m.records_request} == {"letter:1"}
        assert all("550" in m.last_error for m in failed)
