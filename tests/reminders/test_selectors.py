import pytest

from rtcc_requests.outbox.models import OutboxMessage
from rtcc_requests.outbox.services import outbox_enqueue, outbox_mark_failed
from rtcc_requests.reminders.selectors import failed_reminders_for
from rtcc_requests.reminders.services import reminders_sweep

from ..factories import filed_request
from .conftest import DUE, RECEIVED


@pytest.mark.django_db
class TestFailedRemindersFor:
    def test_lists_the_users_undeliverable_reminders_in_one_query(
        self, user, other_user, django_assert_max_num_queries
    ):
        mine = {filed_request(received=RECEIVED, owner=user).pk for _ in range(3)}
        filed_request(received=RECEIVED, owner=other_user)
        reminders_sweep(today=DUE)
        outbox_enqueue(key="letter:1", to=["a@example.org"], subject="s", body_text="b", user=user)
        for message in OutboxMessage.objects.all():
            outbox_mark_failed(message_id=message.pk, error="550 mailbox unavailable")
        with django_assert_max_num_queries(1):
            failed = failed_reminders_for(user=user)
            shown = {(m.records_request.pk, m.records_request.agency.name) for m in failed}
        assert {pk for pk, _ in shown} == mine
        assert all("550" in m.last_error for m in failed)
