"""The request rules, each defined once: which statuses are open, which answers stop the
clock or withhold records, when an answer is late, what makes a withholding deficient.

Pure: no database. The services apply these rules when something happens; the lists, the
denial log, the letters, the signals and the bulk data generator read the same sets.
"""

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from rtcc_requests.laws import calendar

from .choices import Deficiency, DeterminationKind, Status

# A deadline can run: the agency owes an answer, a fee decision or the rest of the records.
OPEN_STATUSES = frozenset(
    {Status.FILED, Status.ACKNOWLEDGED, Status.EXTENDED, Status.AWAITING_FEE, Status.PARTIAL}
)
# Nothing can change any more.
TERMINAL_STATUSES = frozenset({Status.WITHDRAWN, Status.CLOSED})
# Reaching one of these closes the request (it gets a closing date).
CLOSING_STATUSES = frozenset({Status.RELEASED, Status.NO_RECORDS, *TERMINAL_STATUSES})
# The agency has decided on the records: the requester may close the request.
DECIDED_STATUSES = frozenset({Status.RELEASED, Status.PARTIAL, Status.NO_RECORDS, Status.DENIED})
# Records were withheld, in whole or in part: what the denial log shows.
WITHHOLDING_STATUSES = frozenset({Status.DENIED, Status.PARTIAL})

# The agency decided whether the records are disclosable (what "answered" means on pages).
DECISION_KINDS = frozenset(
    {
        DeterminationKind.RELEASED,
        DeterminationKind.PARTIAL,
        DeterminationKind.NO_RECORDS,
        DeterminationKind.DENIAL,
    }
)
# Answers the statutory clock: a decision, or a fee estimate for the copies decided on.
ANSWERING_KINDS = frozenset({DeterminationKind.FEE_ESTIMATE, *DECISION_KINDS})
WITHHOLDING_KINDS = frozenset({DeterminationKind.DENIAL, DeterminationKind.PARTIAL})


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def counts_against_clock(kind: str, *, promised_date: date | None = None) -> bool:
    """Whether a response is measured against the deadline in force (and can be late).

    An extension notice must itself come in time; a bare acknowledgement is not measured,
    one that promises a date is.
    """
    if kind in ANSWERING_KINDS or kind == DeterminationKind.EXTENSION:
        return True
    return kind == DeterminationKind.ACKNOWLEDGEMENT and promised_date is not None


def days_late(kind: str, *, deadline: date | None, answered_on: date, promised_date=None) -> int:
    """Calendar days the response came after the deadline in force; 0 when on time or not
    measured (see counts_against_clock)."""
    if deadline is None or not counts_against_clock(kind, promised_date=promised_date):
        return 0
    return calendar.days_late(deadline, answered_on)


class CitedExemption(Protocol):
    is_catch_all: bool


def deficiencies(
    *,
    kind: str,
    is_late: bool,
    official_name: str,
    official_title: str,
    in_writing: bool,
    exemptions: Iterable[CitedExemption],
    other_exemptions: str,
    catch_all_reasons: str,
) -> list[str]:
    """What a withholding lacks that the law requires (Deficiency codes); [] for other kinds."""
    if kind not in WITHHOLDING_KINDS:
        return []
    exemptions = list(exemptions)
    found = []
    if not in_writing:
        found.append(Deficiency.NOT_IN_WRITING)
    if not (official_name.strip() and official_title.strip()):
        found.append(Deficiency.NO_OFFICIAL)
    if not exemptions and not other_exemptions.strip():
        found.append(Deficiency.NO_EXEMPTION)
    if is_late:
        found.append(Deficiency.LATE)
    if any(e.is_catch_all for e in exemptions) and not catch_all_reasons.strip():
        found.append(Deficiency.CATCH_ALL_UNEXPLAINED)
    return [str(d) for d in found]


def deficiency_label(code: str) -> str:
    """The reader's words for a stored code (an unknown, older code is shown as it is)."""
    return Deficiency(code).label if code in Deficiency.values else str(code)
