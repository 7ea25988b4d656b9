"""What the requester should do next, from the request's state alone (pure: no database)."""

from dataclasses import dataclass
from datetime import date

from rtcc_requests.common.dates import long_date
from rtcc_requests.laws import calendar

from .choices import DueKind, LetterKind, Status
from .rules import deficiency_label


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
) -> NextStep:
    if status == Status.DRAFT:
        return NextStep("File the request: it is still a draft.", "act")
    if status in (Status.WITHDRAWN, Status.CLOSED):
        return NextStep(f"Nothing to do: the request is {Status(status).label.lower()}.", "done")
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
        return NextStep("Pay the fee or narrow the request.", "act")
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
    if status == Status.PARTIAL:
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


def deadline_rows(records_request, *, today: date) -> list[DeadlineRow]:
    """Each deadline the request has had, with how it was counted; the one in force marked."""
    r = records_request
    rows: list[DeadlineRow] = []
    if r.determination_due and r.received_on:
        why = calendar.determination_due(r.law.deadline_rule, r.received_on).explain()
        rows.append(
            DeadlineRow(
                "Determination due",
                r.determination_due,
                why,
                r.next_due_kind == DueKind.DETERMINATION,
            )
        )
    if r.extended_due and r.received_on:
        maximum = calendar.determination_due(r.law.deadline_rule, r.received_on, extended=True)
        if r.extended_due == maximum.due:
            why = maximum.explain()
        else:
            why = "The date the agency's extension notice named, within the legal maximum."
        if r.extension_overlong:
            why += (
                f" The notice named a later date; the law allows at most {maximum.due:%-d %b %Y}."
            )
        rows.append(
            DeadlineRow(
                "Extended determination due", r.extended_due, why, r.next_due_kind == "extended"
            )
        )
    if r.promised_on:
        rows.append(
            DeadlineRow(
                "Records promised by",
                r.promised_on,
                "The date the agency gave for making the records available.",
                r.next_due_kind == DueKind.PRODUCTION,
            )
        )
    return rows


@dataclass(frozen=True)
class Flag:
    label: str
    css: str
    detail: str = ""


def flags(records_request, *, today: date) -> list[Flag]:

    r = records_request
    found: list[Flag] = []
    if r.next_due and r.next_due < today:
        found.append(Flag(f"{_days((today - r.next_due).days)} late", "overdue"))
    if r.is_late and r.days_late:
        found.append(Flag(f"Answered {_days(r.days_late)} late", "late"))
    if r.extension_overlong:
        found.append(
            Flag(
                "Over-long extension",
                "warn",
                f"The notice claimed more than the {r.law.extension_days} days the law allows.",
            )
        )
    if r.is_deficient:
        labels = [deficiency_label(d) for d in r.deficiencies]
        found.append(Flag("Deficient denial", "deficient", "; ".join(labels)))
    return found
