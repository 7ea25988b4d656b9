"""Exactly once against a real broker, database and SMTP server (Redis and PostgreSQL in CI).

Messages are counted where they arrive: at the test's SMTP server, by the Message-ID the
outbox key fixes, so a duplicate shows up as a repeated id.
"""

import asyncio
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from rtcc_requests.accounts.models import Membership, NotifyMode, Organization, Role
from rtcc_requests.outbox.models import OutboxMessage, OutboxStatus
from rtcc_requests.outbox.services import outbox_recover
from rtcc_requests.reminders.services import reminders_sweep
from rtcc_requests.requests.models import RecordsRequest
from rtcc_requests.requests.selectors import failed_emails_for
from tests.support.builders import make_open_requests, make_owners

from ..support.worker import wait_until
from .conftest import DUE

pytestmark = pytest.mark.celery_worker

# Every offset makes an event on DUE (two days' notice, due today, late, late a week).
EVENT_OFFSETS = [2, 0, -1, -8]


def _requests_with_events(count: int, *, digest_owners: int = 0) -> None:
    owners = make_owners(4)
    if digest_owners:
        owners += make_owners(digest_owners, modes=(NotifyMode.DIGEST,))
    make_open_requests(count, today=DUE, owner_ids=owners, offsets=EVENT_OFFSETS)


def _arrived(smtp_server) -> Counter:
    # A long Message-ID is folded onto its own line: the id is what follows the space.
    return Counter(message["Message-ID"].strip() for message in smtp_server.messages)


def _expected_ids() -> set[str]:
    return {m.headers["Message-ID"] for m in OutboxMessage.objects.all()}


def _all_settled() -> bool:
    return not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists()


def _slow_down(smtp_server, seconds: float) -> None:
    """Each message takes `seconds` to be accepted, so a kill lands mid-batch."""
    collector = smtp_server._collector
    accept = type(collector).handle_DATA

    async def slow_accept(server, session, envelope):
        await asyncio.sleep(seconds)
        return await accept(collector, server, session, envelope)

    collector.handle_DATA = slow_accept


def _two_sweeps_at_once() -> None:
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def sweep() -> None:
        try:
            barrier.wait()
            reminders_sweep(today=DUE)
        except Exception as error:  # asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    if connection.vendor == "sqlite":
        # SQLite refuses the second writer outright; that sweep rolls back whole.
        assert all("locked" in str(error) for error in errors) and len(errors) <= 1
    else:
        assert errors == []


class TestTwoSweepsAtOnce:
    def test_each_email_arrives_once(self, celery_worker_process, smtp_server):
        _requests_with_events(24, digest_owners=2)
        _two_sweeps_at_once()
        expected = _expected_ids()
        assert len(expected) == 16 + 2  # 4 owners x 4 requests one by one, 2 digests of 4
        wait_until(
            lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 18,
            message="every reminder sent",
        )
        time.sleep(2)  # room for a duplicate to arrive, if there were one
        arrived = _arrived(smtp_server)
        assert set(arrived) == expected
        assert max(arrived.values()) == 1

    def test_each_member_of_the_organization_gets_each_email_once(
        self, celery_worker_process, smtp_server
    ):
        owner, editor, admin, viewer = make_owners(4)
        [digest_reader] = make_owners(1, modes=(NotifyMode.DIGEST,))
        organization = Organization.objects.create(name="Fresno Newsroom", slug="fresno")
        Membership.objects.bulk_create(
            Membership(organization=organization, user_id=person, role=role)
            for person, role in [
                (owner, Role.ADMIN),
                (editor, Role.EDITOR),
                (admin, Role.ADMIN),
                (viewer, Role.VIEWER),
                (digest_reader, Role.EDITOR),
            ]
        )
        make_open_requests(8, today=DUE, owner_ids=[owner], offsets=EVENT_OFFSETS)
        RecordsRequest.objects.update(organization=organization)
        _two_sweeps_at_once()
        # The owner, the editor and the admin one email per request; the digest reader one.
        assert len(_expected_ids()) == 3 * 8 + 1
        wait_until(
            lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 25,
            message="every reminder sent",
        )
        time.sleep(2)  # room for a duplicate to arrive, if there were one
        assert max(_arrived(smtp_server).values()) == 1
        to = Counter(message["To"].strip() for message in smtp_server.messages)
        addresses = dict(get_user_model().objects.values_list("pk", "email"))
        assert to == {addresses[owner]: 8, addresses[editor]: 8, addresses[admin]: 8,
                      addresses[digest_reader]: 1}  # fmt: skip


class TestWorkerKilledMidSend:
    def test_restart_sends_the_rest_and_nothing_twice(self, celery_worker_process, smtp_server):
        _slow_down(smtp_server, 0.5)
        _requests_with_events(20)
        reminders_sweep(today=DUE)
        expected = _expected_ids()
        assert len(expected) == 20
        wait_until(lambda: len(smtp_server.messages) >= 4, message="sending under way")
        celery_worker_process.kill()
        at_kill = len(smtp_server.messages)
        interrupted = set(
            OutboxMessage.objects.filter(status=OutboxStatus.SENDING).values_list("pk", flat=True)
        )
        assert at_kill < 20 and len(interrupted) <= celery_worker_process.concurrency

        celery_worker_process.start()
        # Tasks the dead worker had reserved come back only after the broker's visibility
        # timeout (an hour); the outbox's periodic recovery re-queues their messages sooner.
        outbox_recover(older_than=timedelta(0))
        wait_until(_all_settled, timeout=90, message="every pending message handled")
        time.sleep(2)

        arrived = _arrived(smtp_server)
        assert max(arrived.values()) == 1, "a reminder arrived twice"
        sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT)
        assert {m.headers["Message-ID"] for m in sent} <= set(arrived)
        # All but the messages caught mid-send went out after the restart ...
        assert sent.count() == 20 - len(interrupted)
        assert len(arrived) > at_kill
        # ... and those stay unsent until recovery calls them failed, for the user to see.
        OutboxMessage.objects.filter(pk__in=interrupted).update(
            claimed_at=timezone.now() - timedelta(hours=1)
        )
        outbox_recover()
        for message in OutboxMessage.objects.filter(pk__in=interrupted):
            assert message.status == OutboxStatus.FAILED
            assert message in failed_emails_for(user=message.user)


class TestSmtpServerDownThenUp:
    def test_everything_is_delivered_once(self, celery_worker_process, smtp_server):
        smtp_server.stop()
        _requests_with_events(8, digest_owners=1)
        reminders_sweep(today=DUE)
        expected = _expected_ids()
        wait_until(
            lambda: not OutboxMessage.objects.filter(last_error="").exists(),
            message="every message tried once and put back to wait",
        )
        assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.PENDING}
        smtp_server.start()
        # The task's own retry comes 30 s later (backoff); recovery re-queues at once.
        outbox_recover(older_than=timedelta(0))
        wait_until(
            lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == len(expected),
            message="every reminder sent once the server is back",
        )
        time.sleep(2)
        arrived = _arrived(smtp_server)
        assert set(arrived) == expected
        assert max(arrived.values()) == 1
