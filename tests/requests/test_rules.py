"""The request rules, without a database: status sets, lateness, deficiencies."""

from dataclasses import dataclass
from datetime import date

import pytest

from rtcc_requests.requests import rules
from rtcc_requests.requests.choices import Deficiency, DeterminationKind, Status

DUE = date(2026, 11, 12)


@dataclass
class Cited:
    is_catch_all: bool = False


class TestStatusSets:
    def test_a_deadline_runs_only_while_the_agency_owes_something(self):
        assert {"filed", "acknowledged", "extended", "awaiting_fee",
                                       "partial"} == rules.OPEN_STATUSES  # fmt: skip
        assert not rules.is_open(Status.DRAFT) and not rules.is_open(Status.DENIED)

    def test_terminal_statuses_are_closing_and_never_open(self):
        assert {"withdrawn", "closed"} == rules.TERMINAL_STATUSES
        assert rules.TERMINAL_STATUSES < rules.CLOSING_STATUSES
        assert not rules.OPEN_STATUSES & rules.CLOSING_STATUSES

    def test_withholdings_are_denials_and_partial_releases(self):
        assert {"denial", "partial"} == rules.WITHHOLDING_KINDS
        assert {"denied", "partial"} == rules.WITHHOLDING_STATUSES

    def test_a_fee_estimate_answers_the_clock_but_decides_nothing(self):
        assert DeterminationKind.FEE_ESTIMATE in rules.ANSWERING_KINDS
        assert DeterminationKind.FEE_ESTIMATE not in rules.DECISION_KINDS
        assert DeterminationKind.ACKNOWLEDGEMENT not in rules.ANSWERING_KINDS


class TestLateness:
    @pytest.mark.parametrize(
        ("kind", "promised", "counted"),
        [
            (DeterminationKind.DENIAL, None, True),
            (DeterminationKind.FEE_ESTIMATE, None, True),
            (DeterminationKind.EXTENSION, None, True),
            (DeterminationKind.ACKNOWLEDGEMENT, None, False),
            (DeterminationKind.ACKNOWLEDGEMENT, date(2026, 12, 30), True),
        ],
    )
    def test_which_responses_are_measured(self, kind, promised, counted):
        assert rules.counts_against_clock(kind, promised_date=promised) is counted

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
