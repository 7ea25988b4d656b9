"""Messages queued without a body get it written by the worker that sends them."""

import pytest

from rtcc_requests.outbox import renderers
from rtcc_requests.outbox.models import OutboxMessage, OutboxStatus
from rtcc_requests.outbox.renderers import Body, register_renderer
from rtcc_requests.outbox.services import outbox_deliver, outbox_store_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def greeting(monkeypatch):
    calls = []
    monkeypatch.setattr(renderers, "_RENDERERS", dict(renderers._RENDERERS))

    def render(args):
        calls.append(args)
        return Body(text=f"Hello {args['name']}", html=f"<p>Hello {args['name']}</p>")

    register_renderer("tests.greeting", render)
    return calls


def _queued(key="k", render_with="tests.greeting", **fields) -> OutboxMessage:
    defaults = {"to": ["ana@example.org"], "subject": "Hi", "body_text": "",
                "render_with": render_with, "render_args": {"name": "Ana"}}  # fmt: skip
    outbox_store_many([OutboxMessage(idempotency_key=key, **(defaults | fields))])
    return OutboxMessage.objects.get(idempotency_key=key)


def test_the_body_is_written_at_send_time_and_kept(greeting, mailoutbox):
    message = _queued()
    assert outbox_deliver(message_id=message.pk) == OutboxStatus.SENT
    [sent] = mailoutbox
    assert sent.body == "Hello Ana"
    assert sent.alternatives[0][0] == "<p>Hello Ana</p>"
    message.refresh_from_db()
    assert message.body_text == "Hello Ana"  # the record of what went out
    assert greeting == [{"name": "Ana"}]


def test_a_message_with_a_body_is_sent_as_it_is(greeting, mailoutbox):
    message = _queued(body_text="Already written")
    outbox_deliver(message_id=message.pk)
    assert mailoutbox[0].body == "Already written"
    assert greeting == []


def test_a_body_that_cannot_be_written_fails_visibly_and_sends_nothing(mailoutbox):
    message = _queued(render_with="tests.no-such-renderer")
    assert outbox_deliver(message_id=message.pk) == OutboxStatus.FAILED
    assert mailoutbox == []
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.last_error.startswith("The email could not be written: LookupError")
    # A second delivery attempt (a redelivered task) changes nothing.
    assert outbox_deliver(message_id=message.pk) == OutboxStatus.FAILED
    assert mailoutbox == []
