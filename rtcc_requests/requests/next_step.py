"""What the requester should do next, from the request's state alone (pure: no database)."""

from dataclasses import dataclass
from datetime import date

from rtcc_requests.common.dates import long_date
from rtcc_requests.laws import calendar

from .choices import Deficiency, DueKind, LetterKind, Status
from .rules import OPEN_STATUSES, clock_start, deficiency_citation, deficiency_label


@dataclass(frozen=True)
class NextStep:
    text: str
    # "wait": nothing to do yet; "act": the requester should do something; "done": finished.
    urgency: str
    # The letter the app can draft for this step, if any (a LetterKind value).
    letter_kind: str = ""


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def next_step(
    *,
    status: str,
    today: date,
    next_due: date | None = None,
    next_due_kind: str = "",
    is_deficient: bool = False,
    clock_paused: bool = False,
    appeal_due: date | None = None,
) -> NextStep:
    if status == Status.DRAFT:
        return NextStep("File the request: it is still a draft.", "act")
    if status in (Status.WITHDRAWN, Status.CLOSED):
        return NextStep(f"Nothing to do: the request is {Status(status).label.lower()}.", "done")
    adverse = status in (Status.DENIED, Status.PARTIAL, Status.NO_RECORDS)
    if adverse and appeal_due is not None and appeal_due >= today:
        return NextStep(
            f"You may file an administrative appeal until {long_date(appeal_due)} "
            "(5 U.S.C. §552(a)(6)(A)(i)(III)(aa)).",
            "act",
            LetterKind.DENIAL_CHALLENGE,
        )
    if status in (Status.DENIED, Status.PARTIAL) and is_deficient:
        what = "denial" if status == Status.DENIED else "partial denial"
        return NextStep(
            f"The {what} is deficient: challenge it.", "act", LetterKind.DENIAL_CHALLENGE
        )
    if next_due is not None and next_due < today:
        late = _days((today - next_due).days)
        if next_due_kind == DueKind.PRODUCTION:
            text = (
                f"The agency is {late} late with the records it promised: send a follow-up letter."
            )
        else:
            text = f"The agency is {late} late: send a follow-up letter."
        return NextStep(text, "act", LetterKind.FOLLOW_UP)
    if status == Status.AWAITING_FEE:
        return NextStep(
            "Pay the fee, question it or narrow the request, then log your answer.", "act"
        )
    if status == Status.CLARIFICATION:
        if clock_paused:
            return NextStep(
                "The agency asked you a question: answer it and log your answer. Its clock "
                "stands still until you do.",
                "act",
            )
        return NextStep(
            "The agency asked you a question: answer it and log your answer. The clock keeps "
            "running, and the agency must help you identify the records (Gov. Code §7922.600).",
            "act",
        )
    if status == Status.DENIED:
        return NextStep(
            "The agency denied the request: decide whether to contest it or close the request.",
            "act",
        )
    if status == Status.NO_RECORDS:
        return NextStep(
            "The agency says it has no records: ask it to help identify records that exist, "
            "or close the request.",
            "act",
        )
    if status == Status.RELEASED:
        return NextStep("Review the records released, then close the request.", "act")
    if next_due is not None:
        if next_due_kind == DueKind.PRODUCTION:
            return NextStep(
                f"Wait: the agency promised the records by {long_date(next_due)}.", "wait"
            )
        return NextStep(f"Wait: the agency owes a determination by {long_date(next_due)}.", "wait")
    if status in (Status.PARTIAL, Status.PRODUCING):
        return NextStep(
            "Review the records released so far; wait for the rest or close the request.", "wait"
        )
    return NextStep("Wait for the agency's answer and log it here when it comes.", "wait")


@dataclass(frozen=True)
class DeadlineRow:
    label: str
    due: date
    why: str
    in_force: bool
    # How it went, for anyone reading the record: "met", "missed", "open" (still running),
    # "superseded" (a valid extension replaced it) or "closed" (the request ended first).
    outcome: str = "open"


def _outcome(r, due: date, *, today: date, answered_by: bool = True) -> str:
    """Whether the agency kept the date `due` (answered_by: the determination counts)."""
    if answered_by and r.responded_on is not None:
        return "met" if r.responded_on <= due else "missed"
    if r.status not in OPEN_STATUSES:
        return "closed"
    return "missed" if due < today else "open"


def deadline_rows(
    records_request, *, today: date, closures: dict[date, str] | None = None
) -> list[DeadlineRow]:
    """Each deadline the request has had, with how it was counted; the one in force marked.

    `closures` are the agency's closure days (Code Civ. Proc. §12b), so the explanation names
    the ones the count skipped.
    """
    r = records_request
    rows: list[DeadlineRow] = []
    start = clock_start(r.received_on, r.agency_received_on)
    rule = r.law.deadline_rule
    tolled = (
        f" The clock stood still {_days(r.tolled_days).replace('day', 'working day')} while "
        "the agency waited for your answer; the date is pushed back by as many."
        if r.tolled_days
        else ""
    )
    if r.determination_due and start:
        why = calendar.determination_due(rule, start, closures=closures).explain() + tolled
        rows.append(
            DeadlineRow(
                "Determination due",
                r.determination_due,
                why,
                r.next_due_kind == DueKind.DETERMINATION,
                "superseded" if r.extended_due else _outcome(r, r.determination_due, today=today),
            )
        )
    if r.extended_due and start:
        maximum = calendar.determination_due(rule, start, extended=True, closures=closures)
        if r.extended_due == maximum.due:
            why = maximum.explain()
        else:
            why = "The date the agency's extension notice named, within the legal maximum."
        if Deficiency.EXTENSION_OVERLONG in r.procedure_flags:
            why += (
                f" The notice named a later date; the law allows at most {long_date(maximum.due)}"
            )
            why += f" (arguably {long_date(maximum.arguably)})." if maximum.arguably else "."
        rows.append(
            DeadlineRow(
                "Extended determination due",
                r.extended_due,
                why + tolled,
                r.next_due_kind == DueKind.EXTENDED and not r.extended_due_arguably,
                _outcome(r, r.extended_due, today=today),
            )
        )
        if r.extended_due_arguably:
            rows.append(
                DeadlineRow(
                    "Extended determination due, the other reading",
                    r.extended_due_arguably,
                    "Gov. Code §7922.535(b) read as adding the 14 days to the limit as Code Civ. "
                    "Proc. §12a moved it. The law does not settle which reading holds: the app "
                    "calls the agency late only after both dates.",
                    r.next_due_kind == DueKind.EXTENDED,
                    _outcome(r, r.extended_due_arguably, today=today),
                )
            )
    if r.promised_on:
        rows.append(
            DeadlineRow(
                "Records promised by",
                r.promised_on,
                "The date the agency gave for making the records available.",
                r.next_due_kind == DueKind.PRODUCTION,
                _outcome(r, r.promised_on, today=today, answered_by=False),
            )
        )
    if r.appeal_due:
        rows.append(
            DeadlineRow(
                "Your administrative appeal due",
                r.appeal_due,
                "90 days after the adverse determination (5 U.S.C. §552(a)(6)(A)(i)(III)(aa)).",
                False,
                "closed" if r.appeal_due < today else "open",
            )
        )
    return rows


@dataclass(frozen=True)
class Flag:
    label: str
    css: str
    detail: str = ""
    citation: str = ""
    # Several wants under one flag: (label, citation) each.
    reasons: tuple[tuple[str, str], ...] = ()


def flags(records_request, *, today: date) -> list[Flag]:
    r = records_request
    found: list[Flag] = []
    if r.next_due and r.next_due < today:
        found.append(Flag(f"{_days((today - r.next_due).days)} late", "overdue"))
    if r.is_late and r.days_late:
        found.append(Flag(f"Answered {_days(r.days_late)} late", "late"))
    for code in r.procedure_flags:
        found.append(
            Flag(
                deficiency_label(code),
                "warn",
                PROCEDURE_DETAILS.get(code, ""),
                deficiency_citation(code, law_code=r.law.code),
            )
        )
    if r.is_deficient:
        reasons = tuple(
            (deficiency_label(code), deficiency_citation(code, law_code=r.law.code))
            for code in r.deficiencies
        )
        detail = "; ".join(label for label, _ in reasons)
        found.append(Flag("Deficient denial", "deficient", detail, reasons=reasons))
    return found


# What a procedure flag means for the requester, in a sentence.
PROCEDURE_DETAILS: dict[str, str] = {
    Deficiency.EXTENSION_LATE: "A notice sent after the 10 days ran out extends nothing: the "
    "agency was already late, and stays late against the original deadline.",
    Deficiency.EXTENSION_NO_REASON: "The notice must state the unusual circumstances; without "
    "them it extends nothing.",
    Deficiency.EXTENSION_REASON_NOT_ALLOWED: "Only the unusual circumstances the law lists "
    "justify an extension; this one extends nothing.",
    Deficiency.EXTENSION_NO_DATE: "The notice must name the date a determination is expected; "
    "without one it extends nothing.",
    Deficiency.EXTENSION_OVERLONG: "The notice claimed more than the law allows; the app counts "
    "the legal maximum.",
    Deficiency.PROMISE_BEYOND_MAXIMUM: "An acknowledgement is not a determination: the clock "
    "kept running, and the date promised is after the latest the law allows.",
    Deficiency.DISCLOSABLE_NO_DATE: "A determination that records are disclosable must give the "
    "estimated date and time they will be made available.",
    Deficiency.FEE_NOT_CHARGEABLE: "Fees cover the direct cost of duplication; search, review "
    "and redaction time are not chargeable.",
    Deficiency.FEE_EXTRACTION: "Programming or extraction costs may be charged only for a "
    "scheduled record produced at other intervals, or for data compilation, extraction or "
    "programming: ask which applies.",
    Deficiency.FEE_BASIS_UNSTATED: "Ask what the fee covers: only the direct cost of "
    "duplication may be charged.",
}
