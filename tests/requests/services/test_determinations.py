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


VALID = {"extension_ground": "voluminous"}


class TestExtension:
    # Received Mon 16 Nov 2026: due Mon 30 Nov (day 10 is Thanksgiving, then the day after
    # and the weekend); the 14-day maximum is Thu 10 Dec (received + 24), or Mon 14 Dec on
    # the second reading (30 Nov + 14).
    def test_a_valid_notice_moves_the_deadline_to_the_date_it_names(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "extension", date(2026, 11, 24), extension_date=date(2026, 12, 10), **VALID)
        req.refresh_from_db()
        assert req.status == Status.EXTENDED
        assert (req.extended_due, req.extended_due_arguably) == (date(2026, 12, 10), None)
        assert (req.next_due, req.next_due_kind) == (date(2026, 12, 10), DueKind.EXTENDED)
        assert req.procedure_flags == [] and not req.is_late

    def test_a_notice_claiming_more_than_the_maximum_is_flagged_and_capped_at_both_readings(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "extension", date(2026, 11, 24), extension_date=date(2027, 1, 15), **VALID)
        req.refresh_from_db()
        assert req.procedure_flags == ["extension_overlong"]
        assert (req.extended_due, req.extended_due_arguably) == (
            date(2026, 12, 10),
            date(2026, 12, 14),
        )
        # Late only after both readings have passed.
        assert req.next_due == date(2026, 12, 14)
        assert req.events.filter(message__contains="legal maximum").exists()

    def test_a_notice_naming_an_earlier_date_binds_the_agency(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "extension", date(2026, 11, 24), extension_date=date(2026, 12, 4), **VALID)
        req.refresh_from_db()
        assert req.extended_due == date(2026, 12, 4) and req.procedure_flags == []

    def test_second_extension_is_refused_and_leaves_the_request_untouched(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "extension", date(2026, 11, 24), extension_date=date(2026, 12, 10), **VALID)
        before = RecordsRequest.objects.get(pk=req.pk)
        events = RequestEvent.objects.filter(request=req).count()
        with pytest.raises(TransitionError, match="one extension"):
            _record(req, "extension", date(2026, 12, 8), extension_date=date(2026, 12, 10), **VALID)
        after = RecordsRequest.objects.get(pk=req.pk)
        assert (after.status, after.extended_due, after.updated_at) == (
            before.status,
            before.extended_due,
            before.updated_at,
        )
        assert RequestEvent.objects.filter(request=req).count() == events
        assert req.determinations.count() == 1

    def test_a_notice_on_day_15_extends_nothing_and_a_denial_on_day_23_is_late(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "extension", date(2026, 12, 1), extension_date=date(2026, 12, 10), **VALID)
        req.refresh_from_db()
        assert req.procedure_flags == ["extension_late"]
        assert req.status == Status.FILED and req.extended_due is None
        assert (req.next_due, req.next_due_kind) == (date(2026, 11, 30), DueKind.DETERMINATION)
        assert req.is_late and req.days_late == 1
        assert req.events.filter(message__contains="still is").exists()
        denial = _record(
            req,
            "denial",
            date(2026, 12, 9),
            exemptions=[exemption("§7927.200")],
            official_name="A. Clerk",
            official_title="Records Manager",
            segregation_stated=True,
        )
        req.refresh_from_db()
        # Measured against the original 30 Nov: nine days late, and the log says why.
        assert denial.days_late == 9 and req.days_late == 9
        assert req.deficiencies == ["late"]
        assert req.procedure_flags == ["extension_late"]

    @pytest.mark.parametrize(
        ("ground", "named", "flag"),
        [
            ("none", date(2026, 12, 10), "extension_no_reason"),
            ("", date(2026, 12, 10), "extension_no_reason"),
            # "Consultation with the vendor" is no (c)(3) consultation: another reason.
            ("other", date(2026, 12, 10), "extension_reason_not_allowed"),
            ("voluminous", None, "extension_no_date"),
        ],
    )
    def test_a_notice_without_an_allowed_reason_or_a_date_extends_nothing(
        self, ground, named, flag
    ):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "extension", date(2026, 11, 24), extension_date=named, extension_ground=ground)
        req.refresh_from_db()
        assert req.procedure_flags == [flag]
        assert req.extended_due is None and req.next_due == date(2026, 11, 30)
        assert req.status == Status.FILED and not req.is_late

    def test_an_emergency_is_a_reason_only_from_2025(self):
        with freeze_time("2024-12-20 12:00:00-08:00"):
            before = filed_request(received=date(2024, 11, 4))
            _record(
                before,
                "extension",
                date(2024, 11, 8),
                extension_date=date(2024, 11, 25),
                extension_ground="emergency",
            )
        after = filed_request(received=date(2026, 11, 16))
        _record(
            after,
            "extension",
            date(2026, 11, 24),
            extension_date=date(2026, 12, 10),
            extension_ground="emergency",
        )
        before.refresh_from_db(), after.refresh_from_db()
        assert before.procedure_flags == ["extension_reason_not_allowed"]
        assert before.extended_due is None
        assert after.procedure_flags == [] and after.extended_due == date(2026, 12, 10)

    def test_law_without_extension_refuses_one(self):
        from ...factories import law

        req = filed_request(received=date(2026, 11, 16), law=law("tx-pia"))
        with pytest.raises(services.RequestError, match="no extension"):
            _record(req, "extension", date(2026, 11, 20), **VALID)
        req.refresh_from_db()
        assert req.status == Status.FILED


class TestLateAndDeficient:
    def test_late_denial_is_flagged_with_days_late(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(
            req,
            "denial",
            date(2026, 12, 3),
            exemptions=[exemption("§7927.200")],
            official_name="A. Clerk",
            official_title="Records Manager",
            segregation_stated=True,
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
            exemptions=[exemption("§7927.200"), exemption("§7927.705")],
            other_law="Evid. Code §1040",
            official_name="A. Clerk",
            official_title="Records Manager",
            segregation_stated=True,
        )
        req.refresh_from_db()
        assert req.status == Status.DENIED
        assert not req.is_late and not req.is_deficient and req.deficiencies == []

    def test_denial_naming_nobody_is_deficient(self):
        req = filed_request(received=date(2026, 11, 16))
        determination = _record(
            req,
            "denial",
            date(2026, 11, 25),
            exemptions=[exemption("§7927.200")],
            segregation_stated=True,
        )
        req.refresh_from_db()
        assert req.is_deficient
        assert req.deficiencies == ["no_official"]
        assert determination.deficiencies == ["no_official"]

    def test_denial_citing_nothing_is_deficient(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(
            req,
            "denial",
            date(2026, 11, 25),
            official_name="B",
            official_title="Chief",
            segregation_stated=True,
        )
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
    def test_an_acknowledgement_promising_a_date_keeps_the_clock_running(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "acknowledgement", date(2026, 11, 20), promised_date=date(2026, 12, 10))
        req.refresh_from_db()
        assert req.responded_on is None and req.promised_on is None
        assert (req.next_due, req.next_due_kind) == (date(2026, 11, 30), DueKind.DETERMINATION)
        assert req.procedure_flags == []

    def test_an_acknowledgement_promising_beyond_the_maximum_is_flagged(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "acknowledgement", date(2026, 11, 20), promised_date=date(2027, 1, 15))
        req.refresh_from_db()
        assert req.procedure_flags == ["promise_beyond_maximum"]
        assert req.next_due == date(2026, 11, 30)
        # Nothing answered the clock: a denial after 30 Nov is late.
        _record(
            req,
            "denial",
            date(2026, 12, 3),
            exemptions=[exemption("§7923.600")],
            official_name="A",
            official_title="B",
            segregation_stated=True,
        )
        req.refresh_from_db()
        assert req.days_late == 3

    def test_a_disclosable_determination_sets_the_production_date(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "disclosable", date(2026, 11, 25), promised_date=date(2027, 1, 15))
        req.refresh_from_db()
        assert req.status == Status.PRODUCING and req.responded_on == date(2026, 11, 25)
        assert (req.next_due, req.next_due_kind) == (date(2027, 1, 15), DueKind.PRODUCTION)
        assert req.procedure_flags == [] and not req.is_deficient

    def test_a_disclosable_determination_without_a_date_is_flagged(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "disclosable", date(2026, 11, 25))
        req.refresh_from_db()
        assert req.procedure_flags == ["disclosable_no_date"]
        assert req.next_due is None and not req.is_late

    def test_fee_estimate_does_not_stop_the_cpra_clock(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(
            req,
            "fee_estimate",
            date(2026, 11, 25),
            fee_amount=Decimal("12.50"),
            fee_basis=["duplication"],
        )
        req.refresh_from_db()
        assert req.status == Status.AWAITING_FEE and req.responded_on is None
        assert (req.next_due, req.next_due_kind) == (date(2026, 11, 30), DueKind.DETERMINATION)
        assert req.procedure_flags == []

    def test_negative_fee_is_refused(self):
        req = filed_request(received=date(2026, 11, 16))
        with pytest.raises(services.RequestError, match="negative"):
            _record(req, "fee_estimate", date(2026, 11, 25), fee_amount=Decimal("-1"))

    def test_release_closes_the_clock(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "released", date(2026, 11, 25))
        req.refresh_from_db()
        assert req.status == Status.RELEASED and req.next_due is None and req.closed_on


class TestInstallments:
    def _installment(self, req, day, next_date=None):
        return _record(req, "installment", day, promised_date=next_date)

    def test_installments_track_the_next_date_and_the_last_one_closes(self):
        req = filed_request(received=date(2026, 11, 16))
        self._installment(req, date(2026, 11, 25), date(2026, 12, 9))
        req.refresh_from_db()
        assert req.status == Status.PRODUCING
        assert (req.next_due, req.next_due_kind) == (date(2026, 12, 9), DueKind.PRODUCTION)
        self._installment(req, date(2026, 12, 9), date(2027, 1, 6))
        req.refresh_from_db()
        assert req.next_due == date(2027, 1, 6)
        # Nothing withheld: no partial denial, no "no official", no "no exemption".
        assert not req.is_deficient and req.deficiencies == [] and req.procedure_flags == []
        assert list(req.determinations.values_list("deficiencies", flat=True)) == [[], []]
        _record(req, "released", date(2026, 12, 18))
        req.refresh_from_db()
        assert req.status == Status.RELEASED and req.next_due is None and req.closed_on

    def test_an_installment_is_not_in_the_denial_log_but_a_final_partial_is(self):
        from rtcc_requests.requests.rules import WITHHOLDING_STATUSES

        req = filed_request(received=date(2026, 11, 16))
        self._installment(req, date(2026, 11, 25), date(2026, 12, 9))
        req.refresh_from_db()
        assert req.status not in WITHHOLDING_STATUSES
        _record(
            req,
            "partial",
            date(2026, 12, 9),
            exemptions=[exemption("§7923.600")],
            official_name="A",
            official_title="B",
        )
        req.refresh_from_db()
        assert req.status == Status.PARTIAL and req.status in WITHHOLDING_STATUSES

    def test_an_installment_with_no_next_date_is_flagged(self):
        req = filed_request(received=date(2026, 11, 16))
        self._installment(req, date(2026, 11, 25))
        req.refresh_from_db()
        assert req.procedure_flags == ["disclosable_no_date"]


class TestFees:
    @pytest.mark.parametrize(
        ("basis", "flags"),
        [
            (["duplication"], []),
            (["statutory"], []),
            ([], ["fee_basis_unstated"]),
            (["duplication", "redaction"], ["fee_not_chargeable"]),
            (["search"], ["fee_not_chargeable"]),
            (["review"], ["fee_not_chargeable"]),
            (["programming"], ["fee_extraction"]),
        ],
    )
    def test_what_a_cpra_fee_is_for_is_checked(self, basis, flags):
        req = filed_request(received=date(2026, 11, 16))
        determination = _record(
            req, "fee_estimate", date(2026, 11, 25), fee_amount=Decimal("80"), fee_basis=basis
        )
        req.refresh_from_db()
        assert determination.fee_basis == sorted(basis)
        assert determination.deficiencies == flags and req.procedure_flags == flags

    def test_an_unknown_basis_is_refused(self):
        req = filed_request(received=date(2026, 11, 16))
        with pytest.raises(services.RequestError, match="fee basis"):
            _record(req, "fee_estimate", date(2026, 11, 25), fee_basis=["lunch"])

    def test_foia_fees_are_not_judged_by_the_cpra(self):
        from ...factories import law

        req = filed_request(received=date(2026, 11, 16), law=law("us-foia"))
        _record(req, "fee_estimate", date(2026, 11, 25), fee_basis=["search"])
        req.refresh_from_db()
        assert req.procedure_flags == []


class TestClarification:
    def test_a_cpra_question_does_not_stop_the_clock_and_names_the_duty_to_assist(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "clarification", date(2026, 11, 20))
        req.refresh_from_db()
        assert req.status == Status.CLARIFICATION and req.clock_paused_on is None
        assert req.next_due == date(2026, 11, 30)
        assert req.events.filter(message__contains="§7922.600").exists()
        services.answer_log(
            records_request=req, actor=req.owner, answered_on=date(2026, 11, 23), body="Only 2026."
        )
        req.refresh_from_db()
        assert req.status == Status.FILED and req.next_due == date(2026, 11, 30)

    def test_a_foia_question_tolls_the_clock_once(self):
        from ...factories import law

        # FOIA: 20 working days after Mon 2 Nov 2026 (Veterans Day 11 Nov, Thanksgiving 26
        # Nov): due Wed 2 Dec 2026.
        req = filed_request(received=date(2026, 11, 2), law=law("us-foia"))
        assert req.determination_due == date(2026, 12, 2)
        _record(req, "clarification", date(2026, 11, 9))
        req.refresh_from_db()
        assert req.clock_paused_on == date(2026, 11, 9) and req.next_due is None
        # Answered Mon 16 Nov: Tue 10, Thu 12, Fri 13, Mon 16 Nov are four working days
        # (Wed 11 Nov is Veterans Day): due four working days after 2 Dec, Tue 8 Dec.
        services.answer_log(
            records_request=req, actor=req.owner, answered_on=date(2026, 11, 16), body="Yes."
        )
        req.refresh_from_db()
        assert (req.tolled_days, req.clock_paused_on) == (4, None)
        assert req.status == Status.FILED
        assert (req.determination_due, req.next_due) == (date(2026, 12, 8), date(2026, 12, 8))
        # A second question does not stop it again.
        _record(req, "clarification", date(2026, 11, 18))
        req.refresh_from_db()
        assert req.clock_paused_on is None and req.next_due == date(2026, 12, 8)

    def test_an_answer_to_nothing_changes_no_status(self):
        req = filed_request(received=date(2026, 11, 16))
        services.answer_log(
            records_request=req, actor=req.owner, answered_on=date(2026, 11, 18), body="Hello."
        )
        req.refresh_from_db()
        assert req.status == Status.FILED and req.communications.count() == 1


class TestDenialChecker:
    def _denial(self, req, **kwargs):
        complete = {
            "exemptions": [exemption("§7927.200")],
            "official_name": "A. Clerk",
            "official_title": "Records Manager",
            "segregation_stated": True,
        }
        return _record(req, "denial", date(2026, 11, 25), **{**complete, **kwargs})

    def test_an_oral_request_may_be_denied_orally(self):
        oral = filed_request(received=date(2026, 11, 16), method="oral")
        written = filed_request(received=date(2026, 11, 16))
        assert self._denial(oral, in_writing=False).deficiencies == []
        assert self._denial(written, in_writing=False).deficiencies == ["not_in_writing"]

    def test_several_officials_are_recorded_and_each_needs_a_title(self):
        req = filed_request(received=date(2026, 11, 16))
        denial = self._denial(req, more_officials=[("B. Chief", "Chief of Police")])
        assert denial.officials == [
            ("A. Clerk", "Records Manager"),
            ("B. Chief", "Chief of Police"),
        ]
        assert denial.official == "A. Clerk, Records Manager; B. Chief, Chief of Police"
        assert denial.deficiencies == []
        other = filed_request(received=date(2026, 11, 16))
        assert self._denial(other, more_officials=[("C. Deputy", "")]).deficiencies == [
            "official_without_title"
        ]

    def test_officials_named_only_as_further_ones_fill_the_first_place(self):
        req = filed_request(received=date(2026, 11, 16))
        denial = self._denial(
            req, official_name="", official_title="", more_officials=[("B. Chief", "Chief")]
        )
        assert (denial.official_name, denial.official_title) == ("B. Chief", "Chief")
        assert denial.more_officials == [] and denial.deficiencies == []

    def test_a_blanket_denial_with_no_segregation_is_flagged(self):
        req = filed_request(received=date(2026, 11, 16))
        assert self._denial(req, segregation_stated=False).deficiencies == ["blanket_withholding"]

    def test_the_other_law_must_be_named(self):
        req = filed_request(received=date(2026, 11, 16))
        assert self._denial(req, exemptions=[exemption("§7927.705")]).deficiencies == [
            "other_law_unnamed"
        ]

    def test_investigatory_records_cited_against_alpr_data(self):
        from rtcc_requests.agencies.models import Technology

        alpr = Technology.objects.get(slug="automated-license-plate-readers")
        req = filed_request(received=date(2026, 11, 16))
        req.technologies.set([alpr])
        denial = self._denial(req, exemptions=[exemption("§7923.600")])
        assert denial.deficiencies == ["alpr_not_investigatory"]

    def test_peace_officer_personnel_law_cited_against_policies(self):
        req = filed_request(
            received=date(2026, 11, 16), records_sought="The ShotSpotter contract and policies."
        )
        denial = self._denial(req, exemptions=[exemption("Penal Code §832.7")])
        assert denial.deficiencies == ["personnel_law_on_policies"]


class TestReceiptDate:
    def test_the_clock_counts_from_the_later_receipt_the_agency_states(self):
        req = filed_request(received=date(2026, 11, 16))
        _record(req, "acknowledgement", date(2026, 11, 20), agency_received_on=date(2026, 11, 18))
        req.refresh_from_db()
        # 18 Nov + 10 = Sat 28 Nov: Monday 30 Nov either way; a later receipt moves it.
        assert req.agency_received_on == date(2026, 11, 18)
        assert req.determination_due == date(2026, 11, 30)
        other = filed_request(received=date(2026, 11, 2))
        assert other.determination_due == date(2026, 11, 12)
        _record(other, "acknowledgement", date(2026, 11, 6), agency_received_on=date(2026, 11, 5))
        other.refresh_from_db()
        assert (other.determination_due, other.next_due) == (date(2026, 11, 16),) * 2
        assert other.events.filter(message__contains="later receipt").exists()

    def test_a_stated_receipt_before_filing_is_refused(self):
        req = filed_request(received=date(2026, 11, 16))
        with pytest.raises(services.RequestError, match="before it was sent"):
            _record(
                req, "acknowledgement", date(2026, 11, 20), agency_received_on=date(2026, 11, 1)
            )


class TestFoiaAppeal:
    def test_an_adverse_foia_determination_opens_a_90_day_appeal(self):
        from ...factories import law

        req = filed_request(received=date(2026, 11, 2), law=law("us-foia"))
        _record(req, "no_records", date(2026, 11, 20))
        req.refresh_from_db()
        assert req.appeal_due == date(2027, 2, 18)
        services.request_close(records_request=req, actor=req.owner)
        req.refresh_from_db()
        assert req.appeal_due is None

    def test_a_cpra_denial_has_no_administrative_appeal(self):
        req = filed_request(received=date(2026, 11, 2))
        _record(req, "denial", date(2026, 11, 10), exemptions=[exemption("§7927.200")])
        req.refresh_from_db()
        assert req.appeal_due is None
