"""A request sent by email is received when its email actually goes out (cpra.md)."""

from datetime import date

import pytest
from freezegun import freeze_time

from rtcc_requests.common.pdf import PdfRenderError
from rtcc_requests.requests import services
from rtcc_requests.requests.choices import PdfStatus
from rtcc_requests.requests.letters.services import letter_retry, request_send_by_email

from .conftest import make_draft

pytestmark = pytest.mark.django_db


def _broken(html):
    raise PdfRenderError("The PDF could not be laid out: KeyError.")


def _send_failing(monkeypatch, draft, capture):
    with monkeypatch.context() as patch:
        patch.setattr("rtcc_requests.requests.letters.services.render_pdf", _broken)
        with capture(execute=True):
            return request_send_by_email(records_request=draft, actor=draft.owner)


class TestReceivedWhenSent:
    def test_a_letter_sent_days_late_is_received_the_day_it_went_out(
        self, smtp_server, monkeypatch, django_capture_on_commit_callbacks
    ):
        draft = make_draft()
        with freeze_time("2026-11-02 10:00:00-08:00"):
            letter = _send_failing(monkeypatch, draft, django_capture_on_commit_callbacks)
        draft.refresh_from_db()
        # Filed Mon 2 Nov: due Thu 12 Nov, as long as nothing has gone out.
        assert (draft.received_on, draft.determination_due) == (date(2026, 11, 2),) + (
            date(2026, 11, 12),
        )
        letter.refresh_from_db()
        assert letter.pdf_status == PdfStatus.FAILED and smtp_server.messages == []
        with (
            freeze_time("2026-11-05 16:30:00-08:00"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            letter_retry(communication=letter, actor=draft.owner)
        assert len(smtp_server.messages) == 1
        draft.refresh_from_db()
        # Received Thu 5 Nov: day 10 is Sun 15 Nov, so due Mon 16 Nov.
        assert draft.filed_on == date(2026, 11, 2)
        assert (draft.received_on, draft.determination_due) == (
            date(2026, 11, 5),
            date(2026, 11, 16),
        )
        assert draft.next_due == date(2026, 11, 16)
        assert draft.events.filter(message__contains="went out on Thu 5 Nov 2026").exists()

    def test_a_letter_sent_at_once_changes_nothing(
        self, smtp_server, django_capture_on_commit_callbacks
    ):
        draft = make_draft()
        with (
            freeze_time("2026-11-02 10:00:00-08:00"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            request_send_by_email(records_request=draft, actor=draft.owner)
        draft.refresh_from_db()
        assert len(smtp_server.messages) == 1
        assert (draft.received_on, draft.determination_due) == (
            date(2026, 11, 2),
            date(2026, 11, 12),
        )
        assert not draft.events.filter(message__contains="went out on").exists()

    def test_once_the_agency_answered_a_late_send_moves_nothing(
        self, smtp_server, monkeypatch, django_capture_on_commit_callbacks
    ):
        draft = make_draft()
        with freeze_time("2026-11-02 10:00:00-08:00"):
            letter = _send_failing(monkeypatch, draft, django_capture_on_commit_callbacks)
            services.determination_record(
                records_request=draft,
                actor=draft.owner,
                kind="released",
                response_date=date(2026, 11, 2),
            )
        with (
            freeze_time("2026-11-05 16:30:00-08:00"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            letter_retry(communication=letter, actor=draft.owner)
        draft.refresh_from_db()
        assert draft.received_on == date(2026, 11, 2)
