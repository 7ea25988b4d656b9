"""What to do next, from the request's state: no database needed."""

from datetime import date

import pytest

from rtcc_requests.requests.choices import LetterKind, Status
from rtcc_requests.requests.next_step import next_step

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("state", "text", "letter"),
    [
        ({"status": "draft"}, "File the request: it is still a draft.", ""),
        (
            {"status": "filed", "next_due": date(2026, 11, 30), "next_due_kind": "determination"},
            "Wait: the agency owes a determination by Mon 30 Nov 2026.",
            "",
        ),
        (
            {"status": "filed", "next_due": date(2026, 11, 23), "next_due_kind": "determination"},
            "The agency is 3 days late: send a follow-up letter.",
            "follow_up",
        ),
        (
            {"status": "extended", "next_due": date(2026, 11, 25), "next_due_kind": "extended"},
            "The agency is 1 day late: send a follow-up letter.",
            "follow_up",
        ),
        (
            {
                "status": "acknowledged",
                "next_due": date(2026, 11, 20),
                "next_due_kind": "production",
            },
            "The agency is 6 days late with the records it promised: send a follow-up letter.",
            "follow_up",
        ),
        (
            {
                "status": "acknowledged",
                "next_due": date(2026, 12, 4),
                "next_due_kind": "production",
            },
            "Wait: the agency promised the records by Fri 4 Dec 2026.",
            "",
        ),
        (
            {"status": "denied", "is_deficient": True},
            "The denial is deficient: challenge it.",
            "denial_challenge",
        ),
        (
            {"status": "partial", "is_deficient": True},
            "The partial denial is deficient: challenge it.",
            "denial_challenge",
        ),
        (
            {"status": "awaiting_fee"},
            "Pay the fee, question it or narrow the request, then log your answer.",
            "",
        ),
        ({"status": "withdrawn"}, "Nothing to do: the request is withdrawn.", ""),
    ],
)
def test_next_step(state, text, letter):
    step = next_step(today=TODAY, **state)
    assert step.text == text
    assert step.letter_kind == letter


def test_a_deficient_denial_outranks_a_missed_deadline():
    step = next_step(status="denied", today=TODAY, next_due=date(2026, 11, 1), is_deficient=True)
    assert step.letter_kind == "denial_challenge"


def test_acting_and_waiting_are_told_apart():
    assert next_step(status="awaiting_fee", today=TODAY).urgency == "act"
    waiting = next_step(status="filed", today=TODAY, next_due=TODAY, next_due_kind="determination")
    assert waiting.urgency == "wait"
    assert waiting.text == "Wait: the agency owes a determination by Thu 26 Nov 2026."


def test_a_foia_adverse_answer_offers_the_appeal_until_its_deadline():
    today = date(2026, 12, 1)
    for status in (Status.DENIED, Status.PARTIAL, Status.NO_RECORDS):
        step = next_step(status=status, today=today, appeal_due=date(2027, 2, 18))
        assert step.text == (
            "You may file an administrative appeal until Thu 18 Feb 2027 "
            "(5 U.S.C. §552(a)(6)(A)(i)(III)(aa))."
        )
        assert (step.urgency, step.letter_kind) == ("act", LetterKind.DENIAL_CHALLENGE)
    past = next_step(status=Status.NO_RECORDS, today=today, appeal_due=date(2026, 11, 30))
    assert past.letter_kind == ""


def test_a_cpra_question_keeps_the_clock_running_and_a_foia_one_stops_it():
    today = date(2026, 11, 20)
    cpra = next_step(status=Status.CLARIFICATION, today=today, next_due=date(2026, 11, 30))
    assert "The clock keeps running" in cpra.text and "§7922.600" in cpra.text
    foia = next_step(status=Status.CLARIFICATION, today=today, clock_paused=True)
    assert "stands still until you do" in foia.text
