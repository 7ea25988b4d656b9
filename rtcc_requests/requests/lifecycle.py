"""The request state machine: every allowed status change, in one place."""

from .choices import DeterminationKind, Status
from .rules import DECIDED_STATUSES, TERMINAL_STATUSES

# Where the agency can still move: waiting for an answer, a question or a fee put to the
# requester, records being produced.
_AWAITING = frozenset(
    {
        Status.ACKNOWLEDGED,
        Status.EXTENDED,
        Status.AWAITING_FEE,
        Status.CLARIFICATION,
        Status.PRODUCING,
        *DECIDED_STATUSES,
        *TERMINAL_STATUSES,
    }
)

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.FILED, Status.WITHDRAWN}),
    Status.FILED: _AWAITING,
    Status.ACKNOWLEDGED: _AWAITING,
    # The statute allows one extension notice: no "extended" -> "extended".
    Status.EXTENDED: _AWAITING - {Status.EXTENDED},
    # The requester answered a fee estimate or a question: back to waiting (Status.FILED).
    Status.AWAITING_FEE: _AWAITING | {Status.FILED},
    Status.CLARIFICATION: _AWAITING | {Status.FILED},
    # Rolling productions: installments until the last one releases or withholds the rest.
    Status.PRODUCING: frozenset(
        {
            Status.PRODUCING,
            Status.AWAITING_FEE,
            Status.ACKNOWLEDGED,
            Status.PARTIAL,
            Status.RELEASED,
            Status.DENIED,
            Status.NO_RECORDS,
            *TERMINAL_STATUSES,
        }
    ),
    # A partial release may be followed by more records.
    Status.PARTIAL: frozenset(
        {Status.PARTIAL, Status.PRODUCING, Status.RELEASED, Status.DENIED, *TERMINAL_STATUSES}
    ),
    # A challenged denial may be reconsidered.
    Status.DENIED: frozenset({Status.PARTIAL, Status.PRODUCING, Status.RELEASED, Status.CLOSED}),
    Status.RELEASED: frozenset({Status.CLOSED}),
    Status.NO_RECORDS: frozenset({Status.CLOSED}),
    Status.WITHDRAWN: frozenset(),
    Status.CLOSED: frozenset(),
}

STATUS_FOR_DETERMINATION: dict[str, str] = {
    DeterminationKind.ACKNOWLEDGEMENT: Status.ACKNOWLEDGED,
    DeterminationKind.EXTENSION: Status.EXTENDED,
    DeterminationKind.CLARIFICATION: Status.CLARIFICATION,
    DeterminationKind.FEE_ESTIMATE: Status.AWAITING_FEE,
    DeterminationKind.DISCLOSABLE: Status.PRODUCING,
    DeterminationKind.INSTALLMENT: Status.PRODUCING,
    DeterminationKind.RELEASED: Status.RELEASED,
    DeterminationKind.PARTIAL: Status.PARTIAL,
    DeterminationKind.NO_RECORDS: Status.NO_RECORDS,
    DeterminationKind.DENIAL: Status.DENIED,
}


class TransitionError(Exception):
    """A status change the lifecycle does not allow; the message says why."""


def check_transition(current: str, target: str) -> None:
    if target in ALLOWED_TRANSITIONS.get(current, frozenset()):
        return
    current_label, target_label = Status(current).label, Status(target).label
    if current in TERMINAL_STATUSES:
        raise TransitionError(f"The request is {current_label.lower()}: nothing can change it.")
    if current == Status.DRAFT:
        raise TransitionError("The request is still a draft: file it first.")
    if current == target == Status.EXTENDED:
        raise TransitionError("The law allows one extension notice; this request already had one.")
    raise TransitionError(
        f"A request that is {current_label.lower()} cannot become {target_label.lower()}."
    )
