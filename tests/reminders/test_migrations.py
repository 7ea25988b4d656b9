"""Reminders recorded before reminders had recipients were the owner's: the migration says so."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rtcc_requests.accounts.models import Membership, Role
from rtcc_requests.accounts.organizations import organization_create
from rtcc_requests.outbox.models import OutboxMessage, OutboxStatus
from rtcc_requests.reminders.models import Reminder

from ..factories import UserFactory, filed_request
from .conftest import DUE, RECEIVED

BEFORE = ("reminders", "0002_appeal_reminders")
AFTER = ("reminders", "0003_reminders_per_recipient")


def _migrate(target) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return MigrationExecutor(connection)  # a fresh one reads the state just reached


@pytest.mark.django_db(transaction=True)
class TestRecipientMigration:
    def test_existing_reminders_go_to_the_requests_owner_and_are_not_sent_again(self, sweep):
        alice, bob = UserFactory(), UserFactory()
        alices, bobs = (filed_request(received=RECEIVED, owner=who) for who in (alice, bob))
        old = _migrate(BEFORE).loader.project_state([BEFORE]).apps
        OldReminder = old.get_model("reminders", "Reminder")
        for records_request in (alices, bobs):
            # What the sweep of the morning recorded, and the email it stored (and sent).
            key = f"reminder:{records_request.pk}:due_today:{DUE}:0"
            OldReminder.objects.create(
                request_id=records_request.pk,
                kind="due_today",
                deadline=DUE,
                due_kind="determination",
                event_on=DUE,
                outbox_key=key,
            )
            OutboxMessage.objects.create(
                idempotency_key=key,
                to=[records_request.owner.email],
                subject="Determination due today",
                body_text="",
                status=OutboxStatus.SENT,
            )
        _migrate(AFTER)
        assert dict(Reminder.objects.values_list("request_id", "recipient_id")) == {
            alices.pk: alice.pk,
            bobs.pk: bob.pk,
        }
        # The ledger knows the owners were told today: the sweep tells them nothing again.
        assert sweep(DUE).reminders == 0
        assert OutboxMessage.objects.count() == 2

    def test_going_back_keeps_the_owners_reminders(self, user, sweep):
        organization = organization_create(name="Fresno Newsroom", creator=user)
        editor = UserFactory()
        Membership.objects.create(organization=organization, user=editor, role=Role.EDITOR)
        records_request = filed_request(received=RECEIVED, owner=user, organization=organization)
        assert sweep(date(2026, 11, 30)).reminders == 2
        old = _migrate(BEFORE).loader.project_state([BEFORE]).apps
        OldReminder = old.get_model("reminders", "Reminder")
        assert list(OldReminder.objects.values_list("request_id", flat=True)) == [
            records_request.pk
        ]
        _migrate(AFTER)
        assert list(Reminder.objects.values_list("recipient_id", flat=True)) == [user.pk]
