"""Filing and determinations: status, stored deadlines, lateness and deficiencies together."""

from datetime import date
from decimal import Decimal

import pytest
from freezegun import freeze_time

from rtcc_requests.requests import services
from rtcc_requests.requests.choices import DueKind, Status
from rtcc_requests.requests.lifecycle import TransitionError
from rtcc_requests.requests.models import RecordsRequest, RequestEvent

from ...factories import exemption, filed_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen_today")]


@pytest.fixture
def _frozen_today():
    with freeze_time("2026-12-20 12:00:00-08:00"):
        yield


def _record(req, kind, day, **kwargs):
    return services.determination_record(
        records_request=req, actor=req.owner, kind=kind, response_date=day, **kwargs
    )


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
        from ...factories import law

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
