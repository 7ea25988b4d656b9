"""The request rules, without a database: status sets, lateness, deficiencies."""

from dataclasses import dataclass
from datetime import date

import pytest

from rtcc_requests.requests import rules
from rtcc_requests.requests.choices import Deficiency, DeterminationKind, ExtensionGround, Status

DUE = date(2026, 11, 12)


@dataclass
class Cited:
    is_catch_all: bool = False
    section: str = "§7927.200"


class TestStatusSets:
    def test_a_deadline_runs_only_while_the_agency_owes_something(self):
        assert {"filed", "acknowledged", "extended", "awaiting_fee", "clarification",
                "producing", "partial"} == rules.OPEN_STATUSES  # fmt: skip
        assert not rules.is_open(Status.DRAFT) and not rules.is_open(Status.DENIED)

    def test_terminal_statuses_are_closing_and_never_open(self):
        assert {"withdrawn", "closed"} == rules.TERMINAL_STATUSES
        assert rules.TERMINAL_STATUSES < rules.CLOSING_STATUSES
        assert not rules.OPEN_STATUSES & rules.CLOSING_STATUSES

    def test_withholdings_are_denials_and_partial_releases(self):
        assert {"denial", "partial"} == rules.WITHHOLDING_KINDS
        assert {"denied", "partial"} == rules.WITHHOLDING_STATUSES

    def test_only_a_decision_on_the_records_answers_the_clock(self):
        # cpra.md: an acknowledgement is not a determination; a fee question does not stop
        # the CPRA clock; a question neither.
        assert {"disclosable", "installment", "released", "partial", "no_records",
                "denial"} == rules.ANSWERING_KINDS  # fmt: skip
        assert rules.ANSWERING_KINDS == rules.DECISION_KINDS


class TestLateness:
    @pytest.mark.parametrize(
        ("kind", "counted"),
        [
            (DeterminationKind.DENIAL, True),
            (DeterminationKind.INSTALLMENT, True),
            (DeterminationKind.EXTENSION, True),
            (DeterminationKind.FEE_ESTIMATE, False),
            (DeterminationKind.CLARIFICATION, False),
            (DeterminationKind.ACKNOWLEDGEMENT, False),
        ],
    )
    def test_which_responses_are_measured(self, kind, counted):
        assert rules.counts_against_clock(kind) is counted

    def test_the_clock_starts_at_the_later_receipt(self):
        assert rules.clock_start(date(2026, 11, 2), date(2026, 11, 5)) == date(2026, 11, 5)
        assert rules.clock_start(date(2026, 11, 5), date(2026, 11, 2)) == date(2026, 11, 5)
        assert rules.clock_start(date(2026, 11, 2), None) == date(2026, 11, 2)
        assert rules.clock_start(None, None) is None

    def test_days_late_counts_calendar_days_after_the_deadline(self):
        late = rules.days_late(
            DeterminationKind.DENIAL, deadline=DUE, answered_on=date(2026, 11, 16)
        )
        assert late == 4
        assert rules.days_late(DeterminationKind.DENIAL, deadline=DUE, answered_on=DUE) == 0
        assert rules.days_late(DeterminationKind.DENIAL, deadline=None, answered_on=DUE) == 0

    def test_a_bare_acknowledgement_is_never_late(self):
        day = date(2026, 12, 1)
        assert (
            rules.days_late(DeterminationKind.ACKNOWLEDGEMENT, deadline=DUE, answered_on=day) == 0
        )


def _deficiencies(**overrides) -> list[str]:
    complete = {
        "kind": DeterminationKind.DENIAL,
        "is_late": False,
        "official_name": "Maria Lopez",
        "official_title": "Custodian of Records",
        "in_writing": True,
        "exemptions": [Cited()],
        "other_exemptions": "",
        "catch_all_reasons": "",
    }
    return rules.deficiencies(**{**complete, **overrides})


class TestDeficiencies:
    def test_a_complete_denial_has_none(self):
        assert _deficiencies() == []

    def test_each_missing_element_is_named_in_order(self):
        found = _deficiencies(in_writing=False, official_title=" ", exemptions=[], is_late=True)
        assert found == [Deficiency.NOT_IN_WRITING, Deficiency.NO_OFFICIAL,
                         Deficiency.NO_EXEMPTION, Deficiency.LATE]  # fmt: skip

    def test_other_grounds_count_as_a_citation(self):
        assert _deficiencies(exemptions=[], other_exemptions="Penal Code §832.7") == []

    def test_the_catch_all_needs_its_reasons(self):
        assert _deficiencies(exemptions=[Cited(is_catch_all=True)]) == [
            Deficiency.CATCH_ALL_UNEXPLAINED
        ]
        assert _deficiencies(exemptions=[Cited(True)], catch_all_reasons="Because.") == []

    def test_only_withholdings_are_judged(self):
        assert _deficiencies(kind=DeterminationKind.RELEASED, exemptions=[], in_writing=False) == []

    def test_labels_read_as_words_and_keep_unknown_codes(self):
        assert rules.deficiency_label("late") == "Came after the deadline"
        assert rules.deficiency_label("retired_code") == "retired_code"


MAXIMUM = date(2026, 12, 14)


def _extension(**overrides) -> list[str]:
    valid = {
        "notice_on": date(2026, 11, 24),
        "ground": "voluminous",
        "named_date": date(2026, 12, 10),
        "deadline": date(2026, 11, 30),
        "maximum": MAXIMUM,
        "cpra": True,
    }
    return rules.extension_flags(**{**valid, **overrides})


class TestExtensionFlags:
    def test_a_timely_notice_with_a_listed_reason_and_a_date_is_valid(self):
        assert _extension() == []
        assert not rules.extension_voided([])

    def test_the_deadline_day_itself_is_in_time_the_next_is_late(self):
        assert _extension(notice_on=date(2026, 11, 30)) == []
        assert _extension(notice_on=date(2026, 12, 1)) == ["extension_late"]

    @pytest.mark.parametrize(
        "ground", [g for g in ExtensionGround.values if g not in ("other", "none")]
    )
    def test_each_reason_of_c_is_allowed_from_2025(self, ground):
        assert _extension(ground=ground) == []

    def test_reason_5_before_2025_and_other_reasons_are_not(self):
        early = {"notice_on": date(2024, 12, 31), "deadline": date(2025, 1, 6)}
        assert _extension(ground="emergency", **early) == ["extension_reason_not_allowed"]
        assert _extension(ground="emergency", notice_on=date(2025, 1, 1), deadline=None) == []
        assert _extension(ground="other") == ["extension_reason_not_allowed"]
        # Other laws list no (c): any stated reason is taken as given.
        assert _extension(ground="other", cpra=False) == []

    def test_missing_reason_and_date_are_both_flagged(self):
        assert _extension(ground="none", named_date=None) == [
            "extension_no_reason",
            "extension_no_date",
        ]

    def test_overlong_is_flagged_but_does_not_void(self):
        assert _extension(named_date=MAXIMUM) == []
        flags = _extension(named_date=date(2026, 12, 15))
        assert flags == ["extension_overlong"] and not rules.extension_voided(flags)
        assert rules.extension_voided(["extension_overlong", "extension_late"])


class TestPromiseAndFeeFlags:
    def test_an_acknowledgement_promise_after_the_maximum(self):
        ack = DeterminationKind.ACKNOWLEDGEMENT
        kwargs = {"kind": ack, "maximum": MAXIMUM, "cpra": True}
        assert rules.promise_flags(promised_date=MAXIMUM, **kwargs) == []
        assert rules.promise_flags(promised_date=date(2026, 12, 15), **kwargs) == [
            "promise_beyond_maximum"
        ]
        assert rules.promise_flags(promised_date=None, **kwargs) == []

    def test_disclosable_without_a_date(self):
        for kind in rules.PROMISING_KINDS:
            assert rules.promise_flags(
                kind=kind, promised_date=None, maximum=MAXIMUM, cpra=True
            ) == ["disclosable_no_date"]
        assert (
            rules.promise_flags(
                kind=DeterminationKind.RELEASED, promised_date=None, maximum=MAXIMUM, cpra=True
            )
            == []
        )

    def test_fee_flags_only_for_cpra_fee_estimates(self):
        fee = DeterminationKind.FEE_ESTIMATE
        assert rules.fee_flags(kind=fee, fee_basis=["search", "programming"], cpra=True) == [
            "fee_not_chargeable",
            "fee_extraction",
        ]
        assert rules.fee_flags(kind=fee, fee_basis=["search"], cpra=False) == []
        assert rules.fee_flags(kind=DeterminationKind.DENIAL, fee_basis=[], cpra=True) == []


class TestCitations:
    def test_every_flag_cites_its_rule_for_the_cpra_and_none_for_other_laws(self):
        for code in Deficiency.values:
            assert rules.deficiency_citation(code, law_code="ca-cpra"), code
            assert rules.deficiency_citation(code, law_code="us-foia") == ""

    def test_citations_use_the_current_numbers_with_the_former_in_brackets(self):
        assert rules.deficiency_citation("blanket_withholding", law_code="ca-cpra") == (
            "Gov. Code §7922.525(b) [§6253(a)]"
        )
        assert "3 Cal.5th 1032" in rules.deficiency_citation(
            "alpr_not_investigatory", law_code="ca-cpra"
        )
        assert "9 Cal.5th 488" in rules.deficiency_citation(
            "fee_not_chargeable", law_code="ca-cpra"
        )
