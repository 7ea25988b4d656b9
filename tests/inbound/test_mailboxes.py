import mailbox

import pytest

from rtcc_requests.inbound import mailboxes
from rtcc_requests.inbound.mailboxes import imap_ingest
from rtcc_requests.inbound.models import ReviewItem
from rtcc_requests.inbound.tasks import poll_mailboxes
from rtcc_requests.requests.models import Communication

from .conftest import eml

pytestmark = pytest.mark.django_db


class TestPollMaildir:
    def test_task_stores_each_message_and_empties_the_maildir(
        self, fresno_request, settings, tmp_path
    ):
        settings.INBOUND_MAILDIR = str(tmp_path / "maildir")
        box = mailbox.Maildir(settings.INBOUND_MAILDIR, create=True)
        for name in ("alternative.eml", "pdf_docx.eml", "unknown_token.eml", "pdf_docx.eml"):
            box.add(eml(name))
        counts = poll_mailboxes.delay().get()
        assert counts == {"stored": 2, "review": 1, "duplicate": 1}
        assert Communication.objects.filter(direction="in").count() == 2
        assert ReviewItem.objects.count() == 1
        assert len(box) == 0

    def test_a_message_that_crashes_is_moved_aside_and_the_others_go_on(
        self, fresno_request, settings, tmp_path, monkeypatch
    ):
        settings.INBOUND_MAILDIR = str(tmp_path / "maildir")
        box = mailbox.Maildir(settings.INBOUND_MAILDIR, create=True)
        box.add(eml("alternative.eml"))
        box.add(eml("latin1.eml"))
        real = mailboxes.inbound_ingest

        def flaky(*, raw, **kwargs):
            if b"latin1-0412" in raw:
                raise RuntimeError("storage backend exploded")
            return real(raw=raw, **kwargs)

        monkeypatch.setattr(mailboxes, "inbound_ingest", flaky)
        counts = poll_mailboxes()
        assert counts == {"stored": 1, "failed": 1}
        assert len(box) == 0
        assert len(box.get_folder("failed")) == 1


class FakeImap:
    """Just enough of imaplib.IMAP4 for a mailbox of unseen messages."""

    def __init__(self, messages: dict[bytes, bytes]):
        self.messages, self.seen, self.calls = messages, set(), []

    def __call__(self, host, port):
        self.calls.append(("connect", host, port))
        return self

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def select(self, folder):
        self.calls.append(("select", folder))

    def uid(self, command, *args):
        if command == "SEARCH":
            unseen = [u for u in self.messages if u not in self.seen]
            return "OK", [b" ".join(unseen)]
        if command == "FETCH":
            return "OK", [(b"1 (UID " + args[0] + b" BODY[] {n}", self.messages[args[0]]), b")"]
        if command == "STORE":
            self.seen.add(args[0])
            return "OK", []
        raise AssertionError(command)

    def logout(self):
        self.calls.append(("logout",))


class TestPollImap:
    def test_unseen_messages_are_stored_then_marked_seen(self, fresno_request):
        server = FakeImap({b"7": eml("alternative.eml"), b"8": eml("no_token.eml")})
        counts = imap_ingest(
            url="imaps://replies%40rtcc.example:s3cret@imap.example/INBOX", imap_class=server
        )
        assert counts == {"stored": 1, "review": 1}
        assert server.seen == {b"7", b"8"}
        assert server.calls[:3] == [
            ("connect", "imap.example", 993),
            ("login", "replies@rtcc.example", "s3cret"),
            ("select", "INBOX"),
        ]
        assert imap_ingest(url="imaps://u:p@imap.example/INBOX", imap_class=server) == {}
