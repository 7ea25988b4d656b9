"""Filing and determinations: status, stored deadlines, lateness and deficiencies together."""

from datetime import date

import pytest
from freezegun import freeze_time

from rtcc_requests.requests import services
from rtcc_requests.requests.choices import DueKind, EventKind, Status
from rtcc_requests.requests.lifecycle import TransitionError
from rtcc_requests.requests.models import RecordsRequest

from ...factories import RecordsRequestFactory, filed_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen_today")]


@pytest.fixture
def _frozen_today():
    with freeze_time("2026-12-20 12:00:00-08:00"):
        yield


def _record(req, kind, day, **kwargs):
    return services.determination_record(
        records_request=req, actor=req.owner, kind=kind, response_date=day, **kwargs
    )


class TestFiling:
    def test_portal_filing_starts_the_clock_on_the_filing_date(self):
        req = filed_request(received=date(2026, 11, 16))
        assert req.status == Status.FILED
        assert req.received_on == date(2026, 11, 16)
        assert req.determination_due == date(2026, 11, 30)
        assert (req.next_due, req.next_due_kind) == (date(2026, 11, 30), DueKind.DETERMINATION)
        messages = list(req.events.values_list("message", flat=True))
        assert any("Thanksgiving" in m and "Mon 30 Nov 2026" in m for m in messages)

    def test_a_2018_filing_is_counted_by_the_2018_holidays(self):
        req = filed_request(received=date(2018, 9, 28))
        assert req.determination_due == date(2018, 10, 9)  # Mon 8 Oct 2018: Columbus Day

    def test_a_california_filing_before_2015_is_refused_and_stays_a_draft(self):
        req = RecordsRequestFactory()
        with pytest.raises(services.RequestError, match="from Thu 1 Jan 2015 on"):
            services.request_file(
                records_request=req, actor=req.owner, method="portal", filed_on=date(2014, 3, 3)
            )
        req.refresh_from_db()
        assert req.status == Status.DRAFT and req.determination_due is None

    def test_mail_needs_the_date_the_agency_received_it(self):
        req = RecordsRequestFactory()
        with pytest.raises(services.RequestError, match="received"):
            services.request_file(
                records_request=req, actor=req.owner, method="mail", filed_on=date(2026, 11, 2)
            )
        req.refresh_from_db()
        assert req.status == Status.DRAFT and req.determination_due is None

    def test_mail_clock_runs_from_receipt(self):
        req = RecordsRequestFactory()
        req = services.request_file(
            records_request=req,
            actor=req.owner,
            method="mail",
            filed_on=date(2026, 11, 12),
            received_on=date(2026, 11, 16),
        )
        assert req.determination_due == date(2026, 11, 30)

    def test_receipt_before_sending_is_refused(self):
        req = RecordsRequestFactory()
        with pytest.raises(services.RequestError, match="before it was sent"):
            services.request_file(
                records_request=req,
                actor=req.owner,
                method="mail",
                filed_on=date(2026, 11, 16),
                received_on=date(2026, 11, 10),
            )

    def test_future_filing_date_is_refused(self):
        req = RecordsRequestFactory()
        with pytest.raises(services.RequestError, match="future"):
            services.request_file(
                records_request=req, actor=req.owner, method="portal", filed_on=date(2027, 1, 5)
            )

    def test_filing_twice_is_refused_and_changes_nothing(self):
        req = filed_request(received=date(2026, 11, 16))
        events = req.events.count()
        with pytest.raises(TransitionError):
            services.request_file(
                records_request=req, actor=req.owner, method="portal", filed_on=date(2026, 12, 1)
            )
        req.refresh_from_db()
        assert req.received_on == date(2026, 11, 16)
        assert req.events.count() == events


class TestEndsAndVisibility:
    def test_withdraw_clears_deadlines_and_writes_an_event(self):
        req = filed_request(received=date(2026, 11, 16))
        services.request_withdraw(records_request=req, actor=req.owner, reason="No longer needed.")
        req.refresh_from_db()
        assert req.status == Status.WITHDRAWN and req.next_due is None
        event = req.events.filter(kind=EventKind.STATUS).last()
        assert (event.from_status, event.to_status) == ("filed", "withdrawn")

    def test_withdrawn_request_refuses_a_determination(self):
        req = filed_request(received=date(2026, 11, 16))
        services.request_withdraw(records_request=req, actor=req.owner)
        with pytest.raises(TransitionError, match="withdrawn"):
            _record(req, "denial", date(2026, 11, 25))

    def test_embargo_needs_a_date(self):
        req = RecordsRequestFactory()
        with pytest.raises(services.RequestError, match="embargo"):
            services.request_set_visibility(
                records_request=req, actor=req.owner, visibility="embargoed"
            )

    def test_publishing_can_be_undone(self):
        req = filed_request(received=date(2026, 11, 16))
        services.request_set_visibility(records_request=req, actor=req.owner, visibility="public")
        assert RecordsRequest.objects.public_on(date(2026, 12, 20)).filter(pk=req.pk).exists()
        services.request_set_visibility(records_request=req, actor=req.owner, visibility="private")
        assert not RecordsRequest.objects.public_on(date(2026, 12, 20)).filter(pk=req.pk).exists()

    def test_embargoed_request_is_public_only_from_its_date(self):
        req = filed_request(received=date(2026, 11, 16))
        services.request_set_visibility(
            records_request=req,
            actor=req.owner,
            visibility="embargoed",
            embargo_until=date(2027, 1, 1),
        )
        public = RecordsRequest.objects.public_on
        assert not public(date(2026, 12, 31)).filter(pk=req.pk).exists()
        assert public(date(2027, 1, 1)).filter(pk=req.pk).exists()
