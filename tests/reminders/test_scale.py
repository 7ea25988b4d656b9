"""The sweep's queries stay bounded however many open requests there are."""

import math
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from rtcc_requests.accounts.models import Membership, NotifyMode, Organization, Role
from rtcc_requests.outbox.models import OutboxMessage
from rtcc_requests.reminders.models import Reminder
from rtcc_requests.reminders.services import EMAIL_BATCH, REMINDER_BATCH, reminders_sweep
from rtcc_requests.requests.models import RecordsRequest
from tests.support.builders import make_open_requests, make_owners

from .conftest import DUE

# Ten thousand requests a run: make test-fast leaves these out.
pytestmark = pytest.mark.slow

# Every offset makes an event on DUE for an owner with the default two days' notice.
EVENT_OFFSETS = [2, 0, -1, -8, -15, -22]


def _columns(model) -> int:
    return sum(1 for f in model._meta.concrete_fields if not f.primary_key)


def _inserts(rows: int, per_call: int, per_statement: int) -> int:
    """The INSERTs that write `rows` handed over `per_call` at a time, `per_statement` each."""
    calls, rest = divmod(rows, per_call)
    return calls * math.ceil(per_call / per_statement) + math.ceil(rest / per_statement)


def max_queries(reminders: int, emails: int) -> int:
    """1 digests made today + 1 select + reminder inserts + 1 read-back + outbox inserts + 1
    pending ids + savepoints.

    On PostgreSQL an INSERT takes 5,000 reminders or 2,000 emails. Django caps SQLite at
    999 parameters a statement, so there the inserts come in batches of about a hundred.
    """
    if connection.vendor == "sqlite":
        return (
            7
            + _inserts(reminders, REMINDER_BATCH, 999 // _columns(Reminder))
            + _inserts(emails, EMAIL_BATCH, 999 // _columns(OutboxMessage))
        )
    # ... and two to plan its cursors for every row (common/db.py read_to_the_end). Each
    # batch is written through a staging table: create it, empty it, (COPY), insert.
    return 9 + 3 * (math.ceil(reminders / REMINDER_BATCH) + math.ceil(emails / EMAIL_BATCH))


@pytest.mark.django_db
class TestSweepAtScale:
    def test_ten_thousand_open_requests_in_a_bounded_number_of_queries(
        self, django_assert_max_num_queries
    ):
        owners = make_owners(20, modes=(NotifyMode.EACH, NotifyMode.DIGEST, NotifyMode.OFF))
        make_open_requests(10_000, today=DUE, owner_ids=owners, offsets=EVENT_OFFSETS)
        # Owners 0, 3, 6, ... want each email; 1, 4, ... a digest; 2, 5, ... nothing.
        mode_of_request = [n % 20 % 3 for n in range(10_000)]
        reminders, each = 10_000 - mode_of_request.count(2), mode_of_request.count(0)
        emails = each + 7  # and seven digests
        with django_assert_max_num_queries(max_queries(reminders, emails)):
            result = reminders_sweep(today=DUE)
        assert result.reminders == Reminder.objects.count() == reminders
        assert result.emails == OutboxMessage.objects.count() == emails
        digests = OutboxMessage.objects.filter(idempotency_key__startswith="reminder-digest:")
        assert digests.count() == 7
        with django_assert_max_num_queries(max_queries(10_000, 0)):
            assert reminders_sweep(today=DUE).reminders == 0

    def test_an_organization_of_many_members_in_a_bounded_number_of_queries(
        self, django_assert_max_num_queries
    ):
        modes = (NotifyMode.EACH, NotifyMode.EACH, NotifyMode.DIGEST, NotifyMode.OFF)
        owner, *people = make_owners(301, modes=modes)
        organization = Organization.objects.create(name="Many Hands", slug="many-hands")
        # A hundred each of editors, admins and viewers, their preferences mixed; the owner
        # an admin too.
        roles = [(Role.EDITOR, Role.ADMIN, Role.VIEWER)[n % 3] for n in range(len(people))]
        Membership.objects.bulk_create(
            [Membership(organization=organization, user_id=owner, role=Role.ADMIN)]
            + [
                Membership(organization=organization, user_id=person, role=role)
                for person, role in zip(people, roles, strict=True)
            ]
        )
        make_open_requests(60, today=DUE, owner_ids=[owner], offsets=EVENT_OFFSETS)
        RecordsRequest.objects.filter(owner_id=owner).update(organization=organization)
        mode_of = {person: modes[n % len(modes)] for n, person in enumerate([owner, *people])}
        told = [
            person
            for person, role in zip(people, roles, strict=True)
            if role != Role.VIEWER and mode_of[person] != NotifyMode.OFF
        ]
        digest_readers = sum(mode_of[person] == NotifyMode.DIGEST for person in told)
        reminders = 60 * (1 + len(told))
        emails = 60 * (1 + len(told) - digest_readers) + digest_readers
        with django_assert_max_num_queries(max_queries(reminders, emails)):
            result = reminders_sweep(today=DUE)
        assert result.reminders == Reminder.objects.count() == reminders
        assert result.emails == OutboxMessage.objects.count() == emails
        # Who got how many: the owner one per request (not two, for being an admin), each
        # editor and admin who wants them one per request or one digest, no viewer any.
        per_person = Counter(OutboxMessage.objects.values_list("user_id", flat=True))
        assert per_person == {
            owner: 60,
            **{p: 1 if mode_of[p] == NotifyMode.DIGEST else 60 for p in told},
        }
        with django_assert_max_num_queries(max_queries(reminders, 0)):
            assert reminders_sweep(today=DUE).reminders == 0
        assert OutboxMessage.objects.count() == emails

    def test_appeal_deadlines_add_no_query(self, django_assert_max_num_queries):
        from rtcc_requests.laws.models import Law
        from rtcc_requests.reminders.models import ReminderKind

        owners = make_owners(10)
        make_open_requests(2_000, today=DUE, owner_ids=owners, offsets=EVENT_OFFSETS)
        # Half of them FOIA requests denied, their appeal deadline two days ahead, today or
        # yesterday (each an event), or a week ago (none).
        foia = Law.objects.get(code="us-foia")
        pks = list(RecordsRequest.objects.order_by("pk").values_list("pk", flat=True))[::2]
        for n, offset in enumerate([2, 0, -1, -7]):
            RecordsRequest.objects.filter(pk__in=pks[n::4]).update(
                law=foia, status="denied", next_due=None, next_due_kind="",
                appeal_due=DUE + timedelta(days=offset),
            )  # fmt: skip
        appeals, deadlines = 750, 1_000
        with django_assert_max_num_queries(max_queries(appeals + deadlines, appeals + deadlines)):
            result = reminders_sweep(today=DUE)
        assert result.reminders == Reminder.objects.count() == appeals + deadlines
        assert result.counts[ReminderKind.APPEAL_SOON] == 250
        assert result.counts[ReminderKind.APPEAL_TODAY] == 250
        assert result.counts[ReminderKind.APPEAL_PASSED] == 250
        assert result.emails == OutboxMessage.objects.count() == appeals + deadlines


@pytest.mark.django_db
class TestSweepCommand:
    def test_prints_counts_per_kind(self, capsys):
        owners = make_owners(2)
        make_open_requests(12, today=DUE, owner_ids=owners, offsets=EVENT_OFFSETS)
        call_command("sweep_deadlines", "--today", DUE.isoformat())
        out = capsys.readouterr().out
        assert "Deadline sweep for 2026-11-30" in out
        for line in ("due_soon: 2", "due_today: 2", "still_overdue: 6", "emails queued: 12"):
            assert line in out
        call_command("sweep_deadlines", "--today", DUE.isoformat())
        assert "emails queued: 0" in capsys.readouterr().out

    def test_rejects_a_malformed_date(self):
        with pytest.raises(CommandError, match="like 2026-11-30"):
            call_command("sweep_deadlines", "--today", "30/11/2026")
        assert not Reminder.objects.exists()


@pytest.mark.django_db
class TestEmailBatches:
    def test_a_byte_cap_splits_batches_and_keeps_every_email(
        self, monkeypatch, django_assert_num_queries
    ):
        from rtcc_requests.reminders import services

        monkeypatch.setattr(services, "EMAIL_BATCH_BYTES", 1)  # one email per INSERT
        owners = make_owners(3)
        make_open_requests(6, today=DUE, owner_ids=owners, offsets=EVENT_OFFSETS)
        # savepoint, digests made, select, reminders, read-back, 6 email inserts, pending ids,
        # release,
        # and on PostgreSQL the two settings of read_to_the_end.
        # On PostgreSQL, two more for each of the 7 inserts (staging table).
        with django_assert_num_queries(29 if connection.vendor == "postgresql" else 13):
            result = reminders_sweep(today=DUE)
        assert result.emails == OutboxMessage.objects.count() == 6
