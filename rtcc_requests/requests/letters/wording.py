"""The words of each letter kind, as plain text the requester can edit.

CPRA section numbers come from shared/cpra.md (current numbers, former ones in brackets).
A letter under another law cites only that law's own `citation` / `response_citation`
fields, or says it neutrally: a CPRA section in a FOIA letter would be wrong.
"""

from dataclasses import dataclass
from datetime import date

from rtcc_requests.common.dates import long_date
from rtcc_requests.requests.choices import Deficiency

# CPRA citations, in the form the letters use.
CPRA_ACT = "Gov. Code §7920.000 et seq."
CPRA_DETERMINATION = "Gov. Code §7922.535(a) [former §6253(c)]"
CPRA_ELECTRONIC = "Gov. Code §7922.570 [former §6253.9]"
CPRA_FEES = "Gov. Code §7922.530 [former §6253(b)]"
CPRA_ASSIST = "Gov. Code §7922.600 [former §6253.1]"
CPRA_SEGREGABLE = "Gov. Code §7922.525(b) [former §6253(a)]"
CPRA_WRITTEN_DENIAL = "Gov. Code §7922.540 [former §§6253(d), 6255(b)]"
CPRA_CATCH_ALL = "Gov. Code §7922.000 [former §6255(a)]"
CPRA_PROMPTLY = "Gov. Code §7922.530 [former §6253(b)]"


def _salutation(agency) -> str:
    return f"To the Custodian of Records, {agency.name}:"


def _closing(requester_name: str) -> str:
    closing = "Thank you for your help."
    if requester_name:
        closing += f"\n\nSincerely,\n{requester_name}"
    return closing


def request_body(*, agency, law, records_sought: str, requester_name: str = "") -> str:
    sought = records_sought.strip()
    if law.is_cpra:
        paragraphs = [
            _salutation(agency),
            "Under the California Public Records Act (CPRA), "
            f"{CPRA_ACT}, I request copies of the following records:",
            sought,
            f"{CPRA_DETERMINATION} requires you to determine, within 10 days of receiving this "
            "request, whether it seeks copies of disclosable public records, and to notify me "
            "promptly of that determination and the reasons for it. If records are "
            "disclosable, please state the estimated date and time they will be made available.",
            "Please provide records that exist in an electronic format in that format, by "
            f"email if possible ({CPRA_ELECTRONIC}). If there are fees, they are limited to the "
            f"direct costs of duplication ({CPRA_FEES}); please tell me of any fee before "
            "incurring it.",
            "If you withhold any record or part of a record, please release every reasonably "
            f"segregable portion that is not exempt ({CPRA_SEGREGABLE}). Any denial, in whole "
            "or in part, must be in writing and set forth the names and titles or positions of "
            f"each person responsible for it ({CPRA_WRITTEN_DENIAL}).",
            "If you believe this request does not reasonably describe the records, please help "
            f"me identify responsive records, as {CPRA_ASSIST} requires.",
            _closing(requester_name),
        ]
    else:
        deadline = (
            f"within the time {law.response_citation} allows"
            if law.response_citation
            else "within the time the law allows"
        )
        paragraphs = [
            _salutation(agency),
            f"Under the {law.name} ({law.citation}), I request copies of the following records:",
            sought,
            f"Please respond {deadline}, and tell me when the records will be made available.",
            "Please provide records that exist in an electronic format in that format, by email "
            "if possible, and tell me of any fee before incurring it.",
            "If you withhold any record or part of a record, please release the remaining "
            "portions, and explain in writing which provision of law you rely on and who is "
            "responsible for the decision.",
            _closing(requester_name),
        ]
    return "\n\n".join(p for p in paragraphs if p)


@dataclass(frozen=True)
class LateFacts:
    received_on: date | None
    due: date
    due_label: str  # "determination", "extended determination", "promised production"
    today: date
    days_late: int


def follow_up_body(*, records_request, facts: LateFacts, requester_name: str = "") -> str:
    law, agency = records_request.law, records_request.agency
    received = f" you received on {long_date(facts.received_on)}" if facts.received_on else ""
    days = f"{facts.days_late} day{'s' if facts.days_late != 1 else ''}"
    ref = _reference(records_request)
    if facts.due_label == "production":
        basis = (
            f"You estimated that the records would be made available by {long_date(facts.due)}."
            if not law.is_cpra
            else f"You estimated, as {CPRA_DETERMINATION} requires, that the records would be "
            f"made available by {long_date(facts.due)}; they must be made available promptly "
            f"({CPRA_PROMPTLY})."
        )
        ask = "Please make the records available now, or tell me in writing the date they will be."
    else:
        if law.is_cpra:
            rule = (
                f"{CPRA_DETERMINATION} required a determination within 10 days of receipt"
                + (", as extended by your notice" if facts.due_label == "extended" else "")
                + f": by {long_date(facts.due)}."
            )
        elif law.response_citation:
            rule = f"{law.response_citation} required a response by {long_date(facts.due)}."
        else:
            rule = f"The law required a response by {long_date(facts.due)}."
        basis = rule
        ask = (
            "Please send me your determination whether the request seeks disclosable records, "
            "with the reasons, and the estimated date and time the records will be made "
            "available."
        )
    paragraphs = [
        _salutation(agency),
        f"I am writing about my public records request{ref}{received}, “{records_request.title}”.",
        f"{basis} That deadline passed on {long_date(facts.due)}. As of today, "
        f"{long_date(facts.today)}, I have no response: it is {days} late.",
        ask,
        _closing(requester_name),
    ]
    return "\n\n".join(paragraphs)


def _reference(records_request) -> str:
    return (
        f" (your reference {records_request.tracking_number})"
        if records_request.tracking_number
        else ""
    )


def deficiency_text(code: str, *, law, denial=None, due: date | None = None) -> str:
    """One sentence per missing element; CPRA sections only for CPRA requests."""
    cpra = law.is_cpra
    if code == Deficiency.NOT_IN_WRITING:
        return "The denial was not made in writing" + (
            f", which {CPRA_WRITTEN_DENIAL} requires." if cpra else "."
        )
    if code == Deficiency.NO_OFFICIAL:
        return "The denial does not set forth the names and titles or positions of each person " + (
            f"responsible for it, as {CPRA_WRITTEN_DENIAL} requires."
            if cpra
            else "responsible for it."
        )
    if code == Deficiency.NO_EXEMPTION:
        return "The denial cites no exemption. " + (
            f"Under {CPRA_CATCH_ALL} the agency must justify withholding by showing that the "
            "record is exempt under an express provision of law, or that on the facts the "
            "public interest in not disclosing clearly outweighs the public interest in "
            "disclosure."
            if cpra
            else "Please identify the provision of law that you rely on for each record withheld."
        )
    if code == Deficiency.LATE:
        when = f" on {long_date(denial.date)}" if denial is not None else ""
        deadline = f", after the deadline of {long_date(due)}" if due else " after the deadline"
        cite = f" ({CPRA_DETERMINATION})" if cpra else ""
        return f"The denial came{when}{deadline}{cite}."
    if code == Deficiency.CATCH_ALL_UNEXPLAINED:
        return (
            f"The denial relies on the public-interest balancing test of {CPRA_CATCH_ALL} "
            "without showing that, on the facts of this request, the public interest in not "
            "disclosing the records clearly outweighs the public interest in disclosure."
            if cpra
            else "The denial relies on a balancing of interests without explaining it."
        )
    return Deficiency(code).label + "."


def denial_challenge_body(
    *, records_request, denial, due: date | None, requester_name: str = ""
) -> str:
    law, agency = records_request.law, records_request.agency
    ref = _reference(records_request)
    dated = f" of {long_date(denial.date)}" if denial is not None else ""
    problems = [
        f"- {deficiency_text(code, law=law, denial=denial, due=due)}"
        for code in records_request.deficiencies
    ]
    if law.is_cpra:
        ask = (
            "I ask you to reconsider the denial and to release the records. Where part of a "
            "record is exempt, the law requires you to release every reasonably segregable "
            f"portion that is not ({CPRA_SEGREGABLE}). If you maintain any part of the denial, "
            f"please state it in writing with the names and titles or positions of each person "
            f"responsible ({CPRA_WRITTEN_DENIAL}), and assist me in identifying records that "
            f"could be released, as {CPRA_ASSIST} requires."
        )
    else:
        ask = (
            "I ask you to reconsider the denial and to release the records, or at least the "
            "portions that are not exempt. If you maintain any part of the denial, please state "
            "it in writing, with the provision of law relied on and the name and title of the "
            f"person responsible ({law.citation})."
        )
    paragraphs = [
        _salutation(agency),
        f"I am writing about your response{dated} to my public records request{ref}, "
        f"“{records_request.title}”. The denial does not meet the requirements of the law:",
        "\n".join(problems),
        ask,
        _closing(requester_name),
    ]
    return "\n\n".join(paragraphs)
