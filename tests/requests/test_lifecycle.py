"""The allowed status changes, written out by hand so a change to the table must be deliberate."""

import itertools

import pytest

from rtcc_requests.requests.choices import Status
from rtcc_requests.requests.lifecycle import TransitionError, check_transition

ANSWERS = {"released", "partial", "no_records", "denied"}
ENDS = {"withdrawn", "closed"}
# The agency can acknowledge, extend, ask a question or a fee, or find the records disclosable
# (producing) from any state of waiting.
WAITING = {"acknowledged", "extended", "awaiting_fee", "clarification", "producing"}
EXPECTED_ALLOWED = {
    "draft": {"filed", "withdrawn"},
    "filed": WAITING | ANSWERS | ENDS,
    "acknowledged": WAITING | ANSWERS | ENDS,
    "extended": (WAITING - {"extended"}) | ANSWERS | ENDS,
    # The requester answered: the agency owes its answer again.
    "awaiting_fee": {"filed"} | WAITING | ANSWERS | ENDS,
    "clarification": {"filed"} | WAITING | ANSWERS | ENDS,
    "producing": {"producing", "awaiting_fee", "acknowledged"} | ANSWERS | ENDS,
    "partial": {"partial", "producing", "released", "denied"} | ENDS,
    "denied": {"partial", "producing", "released", "closed"},
    "released": {"closed"},
    "no_records": {"closed"},
    "withdrawn": set(),
    "closed": set(),
}
PAIRS = list(itertools.product(Status.values, Status.values))


def test_every_status_is_in_the_table():
    assert set(EXPECTED_ALLOWED) == set(Status.values)


@pytest.mark.parametrize(
    ("current", "target"),
    [p for p in PAIRS if p[1] in EXPECTED_ALLOWED[p[0]]],
    ids=lambda v: v,
)
def test_allowed_transition_passes(current, target):
    check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [p for p in PAIRS if p[1] not in EXPECTED_ALLOWED[p[0]]],
    ids=lambda v: v,
)
def test_refused_transition_says_why(current, target):
    with pytest.raises(TransitionError) as refused:
        check_transition(current, target)
    assert str(refused.value)
    assert (
        "cannot" in str(refused.value)
        or "draft" in str(refused.value)
        or ("nothing can change" in str(refused.value) or "one extension" in str(refused.value))
    )


def test_second_extension_explains_the_one_notice_rule():
    with pytest.raises(TransitionError, match="one extension"):
        check_transition("extended", "extended")


def test_closed_request_cannot_change():
    with pytest.raises(TransitionError, match="closed: nothing can change"):
        check_transition("closed", "filed")
