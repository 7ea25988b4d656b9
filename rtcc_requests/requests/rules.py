"""The request rules, each defined once: which statuses are open, which answers stop the
clock or withhold records, when an answer is late, what makes a withholding deficient.

Pure: no database. The services apply these rules when something happens; the lists, the
denial log, the letters, the signals and the bulk data generator read the same sets.
"""

import re
from collections.abc import Iterable
from datetime import date
from typing import Protocol

from rtcc_requests.laws import calendar

from .choices import Deficiency, DeterminationKind, ExtensionGround, FeeBasis, Status

# A deadline can run: the agency owes an answer, a fee decision or the rest of the records.
OPEN_STATUSES = frozenset(
    {
        Status.FILED,
        Status.ACKNOWLEDGED,
        Status.EXTENDED,
        Status.AWAITING_FEE,
        Status.CLARIFICATION,
        Status.PRODUCING,
        Status.PARTIAL,
    }
)
# Nothing can change any more.
TERMINAL_STATUSES = frozenset({Status.WITHDRAWN, Status.CLOSED})
# Reaching one of these closes the request (it gets a closing date).
CLOSING_STATUSES = frozenset({Status.RELEASED, Status.NO_RECORDS, *TERMINAL_STATUSES})
# The agency has decided on the records: the requester may close the request.
DECIDED_STATUSES = frozenset({Status.RELEASED, Status.PARTIAL, Status.NO_RECORDS, Status.DENIED})
# Records were withheld, in whole or in part: what the denial log shows.
WITHHOLDING_STATUSES = frozenset({Status.DENIED, Status.PARTIAL})

# The agency decided whether the records are disclosable (what "answered" means on pages):
# §7922.535(a) asks for a determination, not for the records themselves.
DECISION_KINDS = frozenset(
    {
        DeterminationKind.DISCLOSABLE,
        DeterminationKind.INSTALLMENT,
        DeterminationKind.RELEASED,
        DeterminationKind.PARTIAL,
        DeterminationKind.NO_RECORDS,
        DeterminationKind.DENIAL,
    }
)
# Answers the statutory clock. Not an acknowledgement, a question or a fee estimate: none of
# them says whether the records are disclosable (cpra.md, "The CPRA clock").
ANSWERING_KINDS = DECISION_KINDS
WITHHOLDING_KINDS = frozenset({DeterminationKind.DENIAL, DeterminationKind.PARTIAL})
# Say the records are disclosable and owe them later: each must give a date (§7922.535(a)).
PROMISING_KINDS = frozenset({DeterminationKind.DISCLOSABLE, DeterminationKind.INSTALLMENT})
# Decisions against the requester: under FOIA each opens the 90-day administrative appeal.
ADVERSE_KINDS = frozenset({*WITHHOLDING_KINDS, DeterminationKind.NO_RECORDS})

# Laws whose clock stops while the agency waits for the requester (5 U.S.C. §552(a)(6)(A)(ii)):
# a question tolls once, a fee question as often as needed. The CPRA's clock never stops.
TOLLING_LAWS = frozenset({"us-foia"})
FOIA_APPEAL_DAYS = 90  # §552(a)(6)(A)(i)(III)(aa): "not less than 90 days"

# §7922.535(c)(5), added by SB 1034 (Stats. 2024), operative 1 January 2025.
EMERGENCY_GROUND_FROM = date(2025, 1, 1)
# A notice with one of these wants is no extension at all: the original deadline stands.
VOIDING_EXTENSION_FLAGS = frozenset(
    {
        Deficiency.EXTENSION_LATE,
        Deficiency.EXTENSION_NO_REASON,
        Deficiency.EXTENSION_REASON_NOT_ALLOWED,
        Deficiency.EXTENSION_NO_DATE,
    }
)
UNCHARGEABLE_FEES = frozenset({FeeBasis.SEARCH, FeeBasis.REVIEW, FeeBasis.REDACTION})

OTHER_LAW_SECTION = "§7927.705"  # exempt under another law [§6254(k)]: which law, then?
INVESTIGATORY_SECTION = "§7923.600"  # [§6254(f)]
PERSONNEL_RECORDS_SECTION = "Penal Code §832.7"
ALPR_TECHNOLOGY = "automated-license-plate-readers"
# Records §832.7 (peace officer personnel records) cannot reach, named in a request.
_POLICY_OR_CONTRACT = re.compile(
    r"\b(polic(?:y|ies)|contracts?|agreements?|purchase orders?|invoices?|procurement|"
    r"memorand(?:um|a) of understanding|manuals?|training materials?)\b",
    re.IGNORECASE,
)

_CPRA_DENIAL = "Gov. Code §7922.540(a) [§6253(d)]"
_CPRA_CLOCK = "Gov. Code §7922.535(a) [§6253(c)]"
_CPRA_EXTENSION = "Gov. Code §7922.535(b)-(c) [§6253(c)]"
_CPRA_FEES = "Gov. Code §7922.530 [§6253(b)]"
# The rule each flag applies, as the page and the exports cite it. CPRA citations: a flag on a
# request under another law shows its label only.
CPRA_CITATIONS: dict[str, str] = {
    Deficiency.NO_OFFICIAL: _CPRA_DENIAL,
    Deficiency.OFFICIAL_WITHOUT_TITLE: _CPRA_DENIAL,
    Deficiency.NOT_IN_WRITING: _CPRA_DENIAL,
    Deficiency.NO_EXEMPTION: "Gov. Code §7922.000 [§6255(a)]",
    Deficiency.CATCH_ALL_UNEXPLAINED: "Gov. Code §7922.000 [§6255(a)]",
    Deficiency.LATE: _CPRA_CLOCK,
    Deficiency.BLANKET_WITHHOLDING: "Gov. Code §7922.525(b) [§6253(a)]",
    Deficiency.OTHER_LAW_UNNAMED: "Gov. Code §7927.705 [§6254(k)]",
    Deficiency.ALPR_NOT_INVESTIGATORY: (
        "ACLU Foundation v. Superior Court (2017) 3 Cal.5th 1032; Gov. Code §7923.600 [§6254(f)]"
    ),
    Deficiency.PERSONNEL_LAW_ON_POLICIES: "Penal Code §832.7 (peace officer personnel records)",
    Deficiency.EXTENSION_LATE: _CPRA_EXTENSION,
    Deficiency.EXTENSION_NO_REASON: _CPRA_EXTENSION,
    Deficiency.EXTENSION_REASON_NOT_ALLOWED: _CPRA_EXTENSION,
    Deficiency.EXTENSION_NO_DATE: _CPRA_EXTENSION,
    Deficiency.EXTENSION_OVERLONG: _CPRA_EXTENSION,
    Deficiency.PROMISE_BEYOND_MAXIMUM: "Gov. Code §7922.535(a)-(b) [§6253(c)]",
    Deficiency.DISCLOSABLE_NO_DATE: _CPRA_CLOCK,
    Deficiency.FEE_NOT_CHARGEABLE: (
        f"{_CPRA_FEES}; North County Parents Org. v. Dept. of Education (1994) 23 Cal.App.4th "
        "144; National Lawyers Guild v. City of Hayward (2020) 9 Cal.5th 488"
    ),
    Deficiency.FEE_EXTRACTION: "Gov. Code §7922.575(b): only in its two cases",
    Deficiency.FEE_BASIS_UNSTATED: _CPRA_FEES,
}


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def counts_against_clock(kind: str) -> bool:
    """Whether a response is measured against the deadline in force (and can be late).

    A decision must come in time, and so must an extension notice (a late one revives
    nothing). An acknowledgement, even with a promised date, a question or a fee estimate is
    not measured: the clock keeps running past it.
    """
    return kind in ANSWERING_KINDS or kind == DeterminationKind.EXTENSION


def days_late(kind: str, *, deadline: date | None, answered_on: date) -> int:
    """Calendar days the response came after the deadline in force; 0 when on time or not
    measured (see counts_against_clock)."""
    if deadline is None or not counts_against_clock(kind):
        return 0
    return calendar.days_late(deadline, answered_on)


def clock_start(received_on: date | None, agency_received_on: date | None) -> date | None:
    """The day the clock starts: the later of the receipt we know and the one the agency
    states, so the app never calls an agency late on a day it could dispute."""
    known = [d for d in (received_on, agency_received_on) if d is not None]
    return max(known) if known else None


def extension_flags(
    *,
    notice_on: date,
    ground: str,
    named_date: date | None,
    deadline: date | None,
    maximum: date,
    cpra: bool,
) -> list[str]:
    """What an extension notice lacks (§7922.535(b)-(c)); see VOIDING_EXTENSION_FLAGS."""
    found = []
    if deadline is not None and notice_on > deadline:
        found.append(Deficiency.EXTENSION_LATE)
    if ground in ("", ExtensionGround.NONE):
        found.append(Deficiency.EXTENSION_NO_REASON)
    elif cpra and (
        ground == ExtensionGround.OTHER
        or (ground == ExtensionGround.EMERGENCY and notice_on < EMERGENCY_GROUND_FROM)
    ):
        found.append(Deficiency.EXTENSION_REASON_NOT_ALLOWED)
    if named_date is None:
        found.append(Deficiency.EXTENSION_NO_DATE)
    elif named_date > maximum:
        found.append(Deficiency.EXTENSION_OVERLONG)
    return [str(f) for f in found]


def extension_voided(flags: Iterable[str]) -> bool:
    """A notice late, without an allowed reason or without a date extends nothing; an
    over-long one extends to the legal maximum (cpra.md, "How the app counts")."""
    return bool(set(flags) & VOIDING_EXTENSION_FLAGS)


def promise_flags(
    *, kind: str, promised_date: date | None, maximum: date | None, cpra: bool
) -> list[str]:
    """An acknowledgement promising an answer after the law's latest date; a decision that
    the records are disclosable with no date for them."""
    if kind == DeterminationKind.ACKNOWLEDGEMENT:
        beyond = promised_date is not None and maximum is not None and promised_date > maximum
        return [str(Deficiency.PROMISE_BEYOND_MAXIMUM)] if beyond else []
    if cpra and kind in PROMISING_KINDS and promised_date is None:
        return [str(Deficiency.DISCLOSABLE_NO_DATE)]
    return []


def fee_flags(*, kind: str, fee_basis: Iterable[str], cpra: bool) -> list[str]:
    """A CPRA fee covers the direct cost of duplication (§7922.530); programming or extraction
    only in §7922.575(b)'s two cases; search, review and redaction never."""
    if kind != DeterminationKind.FEE_ESTIMATE or not cpra:
        return []
    basis = set(fee_basis)
    found = []
    if not basis:
        found.append(Deficiency.FEE_BASIS_UNSTATED)
    if basis & UNCHARGEABLE_FEES:
        found.append(Deficiency.FEE_NOT_CHARGEABLE)
    if FeeBasis.PROGRAMMING in basis:
        found.append(Deficiency.FEE_EXTRACTION)
    return [str(f) for f in found]


class CitedExemption(Protocol):
    section: str
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
    more_officials: Iterable[tuple[str, str]] = (),
    request_was_oral: bool = False,
    other_law: str = "",
    segregation_stated: bool = False,
    technology_slugs: Iterable[str] = (),
    records_sought: str = "",
    cpra: bool = False,
) -> list[str]:
    """What a withholding lacks that the law requires (Deficiency codes); [] for other kinds.

    The checks after the first five read the CPRA (cpra.md, "Denials and other duties") and
    run for CPRA requests only.
    """
    if kind not in WITHHOLDING_KINDS:
        return []
    exemptions = list(exemptions)
    sections = {getattr(e, "section", "") for e in exemptions}
    officials = [
        (n.strip(), t.strip()) for n, t in [(official_name, official_title), *more_officials]
    ]
    officials = [(n, t) for n, t in officials if n or t]
    found = []
    # §7922.540(a) governs denials of written requests: an oral one may be answered orally.
    if not in_writing and not request_was_oral:
        found.append(Deficiency.NOT_IN_WRITING)
    if not any(n and t for n, t in officials):
        found.append(Deficiency.NO_OFFICIAL)
    elif not all(n and t for n, t in officials):
        found.append(Deficiency.OFFICIAL_WITHOUT_TITLE)
    if not exemptions and not other_exemptions.strip():
        found.append(Deficiency.NO_EXEMPTION)
    if is_late:
        found.append(Deficiency.LATE)
    if any(e.is_catch_all for e in exemptions) and not catch_all_reasons.strip():
        found.append(Deficiency.CATCH_ALL_UNEXPLAINED)
    if cpra:
        if kind == DeterminationKind.DENIAL and not segregation_stated:
            found.append(Deficiency.BLANKET_WITHHOLDING)
        if OTHER_LAW_SECTION in sections and not other_law.strip():
            found.append(Deficiency.OTHER_LAW_UNNAMED)
        if INVESTIGATORY_SECTION in sections and ALPR_TECHNOLOGY in set(technology_slugs):
            found.append(Deficiency.ALPR_NOT_INVESTIGATORY)
        if PERSONNEL_RECORDS_SECTION in sections and _POLICY_OR_CONTRACT.search(records_sought):
            found.append(Deficiency.PERSONNEL_LAW_ON_POLICIES)
    return [str(d) for d in found]


def deficiency_label(code: str) -> str:
    """The reader's words for a stored code (an unknown, older code is shown as it is)."""
    return Deficiency(code).label if code in Deficiency.values else str(code)


def deficiency_citation(code: str, *, law_code: str) -> str:
    """The rule a flag applies, for a request under the law `law_code` ("" if not ours)."""
    return CPRA_CITATIONS.get(code, "") if law_code == "ca-cpra" else ""
