"""Filing and determinations: status, stored deadlines, lateness and deficiencies together."""

from datetime import date
from decimal import Decimal

import pytest
from freezegun import freeze_time

from rtcc_requests.requests import services
from rtcc_requests.requests.lifecycle import TransitionError
from rtcc_requests.requests.models import (
    DueKind,
    EventKind,
    RecordsRequest,
    RequestEvent,
    Status,
)

from ..factories import RecordsRequestFactory, exemption, filed_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen_today")]


@pytest.fixture
def _frozen_today():
    with freeze_time("2026-12-20 12:00:00-08:00"):
        yield


def _record(req, kind, day, **kwargs):
    return services.determination_record(
        records_request=req, actor=req.owner, kind=kind, date=day, **kwargs
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


class TestExtension:
    def test_extension_moves_the_deadline_to_day_24(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "extension", date(2026, 11, 24))
        req.refresh_from_db()
        assert req.status == Status.EXTENDED
        assert req.extended_due == date(2026, 12, 10)
        assert (req.next_due, req.next_due_kind) == (date(2026, 12, 10), DueKind.EXTENDED)
        assert not req.extension_overlong and not req.is_late

    def test_a_notice_claiming_more_than_fourteen_days_is_flagged_and_capped(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "extension", date(2026, 11, 24), extension_date=date(2027, 1, 15))
        req.refresh_from_db()
        assert req.extension_overlong
        assert req.extended_due == date(2026, 12, 10)
        assert req.events.filter(message__contains="legal maximum").exists()

    def test_a_notice_naming_an_earlier_date_binds_the_agency(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "extension", date(2026, 11, 24), extension_date=date(2026, 12, 4))
        req.refresh_from_db()
        assert req.extended_due == date(2026, 12, 4) and not req.extension_overlong

    def test_second_extension_is_refused_and_leaves_the_request_untouched(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "extension", date(2026, 11, 24))
        before = RecordsRequest.objects.get(pk=req.pk)
        events = RequestEvent.objects.filter(request=req).count()
        with pytest.raises(TransitionError, match="one extension"):
            _record(req, "extension", date(2026, 12, 8))
        after = RecordsRequest.objects.get(pk=req.pk)
        assert (after.status, after.extended_due, after.updated_at) == (
            before.status,
            before.extended_due,
            before.updated_at,
        )
        assert RequestEvent.objects.filter(request=req).count() == events
        assert req.determinations.count() == 1

    def test_a_late_extension_notice_makes_the_response_late(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "extension", date(2026, 12, 2))
        req.refresh_from_db()
        assert req.is_late and req.days_late == 2

    def test_law_without_extension_refuses_one(self):
        from ..factories import law

        req = filed_request(received=date(2026, 11, 16), law=law("tx-pia"))
        with pytest.raises(services.RequestError, match="no extension"):
            _record(req, "extension", date(2026, 11, 20))
        req.refresh_from_db()
        assert req.status == Status.FILED


class TestLateAndDeficient:
    def test_late_denial_is_flagged_with_days_late(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(
            req,
            "denial",
            date(2026, 12, 3),
            exemptions=[exemption("§7923.600")],
            official_name="A. Clerk",
            official_title="Records Manager",
        )
        req.refresh_from_db()
        assert req.is_late and req.days_late == 3
        assert req.is_deficient and req.deficiencies == ["late"]
        assert req.next_due is None

    def test_timely_denial_naming_official_and_exemption_is_not_deficient(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(
            req,
            "denial",
            date(2026, 11, 30),
            exemptions=[exemption("§7923.600"), exemption("§7927.705")],
            official_name="A. Clerk",
            official_title="Records Manager",
        )
        req.refresh_from_db()
        assert req.status == Status.DENIED
        assert not req.is_late and not req.is_deficient and req.deficiencies == []

    def test_denial_naming_nobody_is_deficient(self):
        req = filed_request(received=date(2026, 11, 16))
        determination = _record(
            req, "denial", date(2026, 11, 25), exemptions=[exemption("§7923.600")]
        )
        req.refresh_from_db()
        assert req.is_deficient
        assert req.deficiencies == ["no_official"]
        assert determination.deficiencies == ["no_official"]

    def test_denial_citing_nothing_is_deficient(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "denial", date(2026, 11, 25), official_name="B", official_title="Chief")
        req.refresh_from_db()
        assert req.deficiencies == ["no_exemption"]

    def test_catch_all_without_reasons_is_deficient_and_with_reasons_is_not(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(
            req,
            "partial",
            date(2026, 11, 25),
            exemptions=[exemption("§7922.000")],
            official_name="B",
            official_title="Chief",
        )
        req.refresh_from_db()
        assert req.deficiencies == ["catch_all_unexplained"]
        other = filed_request(received=date(2026, 11, 16))
        _record(
            other,
            "partial",
            date(2026, 11, 25),
            exemptions=[exemption("§7922.000")],
            official_name="B",
            official_title="Chief",
            catch_all_reasons="Disclosure would reveal camera locations.",
        )
        other.refresh_from_db()
        assert not other.is_deficient

    def test_exemption_of_another_law_is_refused(self):
        from rtcc_requests.laws.models import Exemption, Law

        foia = Law.objects.get(code="us-foia")
        foreign = Exemption.objects.create(law=foia, section="(b)(7)", short_name="Law enf.")
        req = filed_request(received=date(2026, 11, 16))
        with pytest.raises(services.RequestError, match="CPRA"):
            _record(req, "denial", date(2026, 11, 25), exemptions=[foreign])

    def test_response_before_receipt_is_refused(self):
        req = filed_request(received=date(2026, 11, 16))
        with pytest.raises(services.RequestError, match="predate"):
            _record(req, "acknowledgement", date(2026, 11, 10))


class TestPromisedProduction:
    def test_promised_date_becomes_the_next_deadline(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "acknowledgement", date(2026, 11, 20), promised_date=date(2027, 1, 15))
        req.refresh_from_db()
        assert req.responded_on == date(2026, 11, 20) and not req.is_late
        assert (req.next_due, req.next_due_kind) == (date(2027, 1, 15), DueKind.PRODUCTION)

    def test_acknowledgement_alone_does_not_stop_the_clock(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "acknowledgement", date(2026, 11, 18))
        req.refresh_from_db()
        assert req.responded_on is None
        assert (req.next_due, req.next_due_kind) == (date(2026, 11, 30), DueKind.DETERMINATION)

    def test_fee_estimate_waits_on_the_requester(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "fee_estimate", date(2026, 11, 25), fee_amount=Decimal("12.50"))
        req.refresh_from_db()
        assert req.status == Status.AWAITING_FEE and req.next_due is None

    def test_negative_fee_is_refused(self):
        req = filed_request(received=date(2026, 11, 16))
        with pytest.raises(services.RequestError, match="negative"):
            _record(req, "fee_estimate", date(2026, 11, 25), fee_amount=Decimal("-1"))

    def test_release_closes_the_clock(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "released", date(2026, 11, 25))
        req.refresh_from_db()
        assert req.status == Status.RELEASED and req.next_due is None and req.closed_on


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
