"""The words of each letter kind, as plain text the requester can edit.

CPRA section numbers come from shared/cpra.md (current numbers, former ones in brackets).
Federal FOIA letters cite the subsections of 5 U.S.C. §552 that cpra.md lists ("Other laws
(as data)"): the request states a fee category and may ask for a fee waiver and expedited
processing, the follow-up names constructive exhaustion and the bar on search fees, and the
denial challenge is an administrative appeal. A letter under another law cites only that
law's own `citation` / `response_citation` fields, or says it neutrally: a CPRA section in a
FOIA letter would be wrong.
"""

from dataclasses import dataclass
from datetime import date

from rtcc_requests.common.dates import long_date
from rtcc_requests.requests.choices import (
    Deficiency,
    DeterminationKind,
    FeeCategory,
    LetterKind,
    Status,
)

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

# Federal FOIA citations (cpra.md, "Other laws (as data)").
FOIA_CODE = "us-foia"
FOIA_ACT = "5 U.S.C. §552"
FOIA_DETERMINATION = "5 U.S.C. §552(a)(6)(A)(i)"
FOIA_EXTENSION = "5 U.S.C. §552(a)(6)(B)(i)"
FOIA_FEE_CATEGORY = "5 U.S.C. §552(a)(4)(A)(ii)"
FOIA_FEE_WAIVER = "5 U.S.C. §552(a)(4)(A)(iii)"
FOIA_NO_SEARCH_FEES = "5 U.S.C. §552(a)(4)(A)(viii)"
FOIA_EXPEDITED = "5 U.S.C. §552(a)(6)(E)"
FOIA_APPEAL = "5 U.S.C. §552(a)(6)(A)(i)(III)(aa)"
FOIA_EXHAUSTION = "5 U.S.C. §552(a)(6)(C)(i)"

# Who a letter goes to when the directory names no records office.
CUSTODIAN = "Custodian of Records"
FOIA_OFFICER = "FOIA Officer"
FOIA_APPEALS_OFFICER = "FOIA Appeals Officer"

# What the request says of the requester, after naming the fee category.
_FEE_CATEGORY_TEXT = {
    FeeCategory.NEWS_MEDIA: "I am a representative of the news media, and the records are not "
    "sought for commercial use.",
    FeeCategory.EDUCATIONAL: "I make this request for an educational or noncommercial "
    "scientific institution, for scholarly or scientific research, not for commercial use.",
    FeeCategory.OTHER: "The records are not sought for commercial use.",
    FeeCategory.COMMERCIAL: "The records are sought for commercial use.",
}


def is_foia(law) -> bool:
    """Federal FOIA, whose letters carry fee, waiver, expedited and appeal paragraphs."""
    return law is not None and law.code == FOIA_CODE


@dataclass(frozen=True)
class FoiaOptions:
    """What a federal FOIA request asks for beyond the records (5 U.S.C. §552(a)(4)(A), (6)(E)).

    The composer and the filing service both go through `for_law`, so a request under
    another law never keeps options its letter would not state.
    """

    fee_category: str = ""
    fee_waiver_requested: bool = False
    fee_waiver_reason: str = ""
    expedited_requested: bool = False
    expedited_reason: str = ""

    @classmethod
    def of(cls, records_request) -> "FoiaOptions":
        return cls(
            fee_category=records_request.fee_category,
            fee_waiver_requested=records_request.fee_waiver_requested,
            fee_waiver_reason=records_request.fee_waiver_reason,
            expedited_requested=records_request.expedited_requested,
            expedited_reason=records_request.expedited_reason,
        )

    def for_law(self, law) -> "FoiaOptions":
        """These options as a request under `law` keeps them: none at all outside FOIA, and
        no reason kept for something not asked for."""
        if not is_foia(law):
            return FoiaOptions()
        waiver, expedited = self.fee_waiver_requested, self.expedited_requested
        return FoiaOptions(
            fee_category=self.fee_category if self.fee_category in FeeCategory.values else "",
            fee_waiver_requested=waiver,
            fee_waiver_reason=self.fee_waiver_reason.strip() if waiver else "",
            expedited_requested=expedited,
            expedited_reason=self.expedited_reason.strip() if expedited else "",
        )

    def problems(self) -> dict[str, str]:
        """What is missing, by field name: a waiver or expedited processing needs its reason."""
        found = {}
        if self.fee_waiver_requested and not self.fee_waiver_reason.strip():
            found["fee_waiver_reason"] = (
                "Say why a fee waiver is in the public interest: the agency decides on your "
                "reasons."
            )
        if self.expedited_requested and not self.expedited_reason.strip():
            found["expedited_reason"] = (
                "Say why the records are needed urgently: the agency decides on your reasons."
            )
        if self.fee_waiver_requested and self.fee_category == FeeCategory.COMMERCIAL:
            found["fee_waiver_requested"] = (
                "A fee waiver says the request is not primarily in your commercial interest; "
                "it does not go with the commercial-use category."
            )
        return found

    def as_fields(self) -> dict:
        return {
            "fee_category": self.fee_category,
            "fee_waiver_requested": self.fee_waiver_requested,
            "fee_waiver_reason": self.fee_waiver_reason,
            "expedited_requested": self.expedited_requested,
            "expedited_reason": self.expedited_reason,
        }


def addressee(*, agency, law, kind: str = LetterKind.REQUEST) -> str:
    """Who the letter is addressed to: the agency's records office when the directory has it."""
    office = agency.records_office.strip()
    if office:
        return office
    if is_foia(law):
        return FOIA_APPEALS_OFFICER if kind == LetterKind.DENIAL_CHALLENGE else FOIA_OFFICER
    return CUSTODIAN


def _salutation(agency, law=None, kind: str = LetterKind.REQUEST) -> str:
    office = addressee(agency=agency, law=law, kind=kind)
    if office.lower().startswith("the "):
        office = office[4:]
    return f"To the {office}, {agency.name}:"


# What a draft says where the requester still has to write something. A letter holding one
# is not filed or sent (placeholder_problem): the agency would read the brackets.
SOUGHT_PLACEHOLDER = "[describe the records you seek]"
NAME_PLACEHOLDER = "[your name]"
_PLACEHOLDER_FIX = {
    SOUGHT_PLACEHOLDER: "replace it with the records you are asking for",
    NAME_PLACEHOLDER: "sign with your name (set it once in your profile as “Name on letters”)",
}


def signature_lines(profile, organization=None) -> str:
    """The lines under "Sincerely,": the name, then the organization the letter is for (its
    letterhead) or, for a personal request, the one in the profile; "" without a name (the
    draft then says so, and cannot be sent)."""
    if profile is None:
        return ""
    if organization is None:
        return profile.signature
    name = profile.signature_name
    return f"{name}\n{organization.letterhead_name}" if name else ""


def placeholder_problem(text: str) -> str:
    """Why a letter cannot go out as written (a placeholder left in it), or ""."""
    left = [(p, fix) for p, fix in _PLACEHOLDER_FIX.items() if p in (text or "")]
    return " ".join(f"The letter still says “{p}”: {fix}." for p, fix in left)


def fill_placeholders(text: str, *, records_sought: str = "", signature: str = "") -> str:
    """The requester's letter with what they have since typed put where the draft left room."""
    if records_sought.strip():
        text = text.replace(SOUGHT_PLACEHOLDER, records_sought.strip())
    if signature.strip():
        text = text.replace(NAME_PLACEHOLDER, signature.strip())
    return text


def _closing(signature: str) -> str:
    """The one signature of a letter: the requester's name (and organization), from their
    profile; the PDF adds none of its own."""
    return f"Thank you for your help.\n\nSincerely,\n{signature.strip() or NAME_PLACEHOLDER}"


def request_body(
    *,
    agency,
    law,
    records_sought: str,
    signature: str = "",
    foia: FoiaOptions | None = None,
) -> str:
    sought = records_sought.strip()
    if law.is_cpra:
        paragraphs = [
            _salutation(agency, law),
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
            _closing(signature),
        ]
    elif is_foia(law):
        paragraphs = _foia_request(
            agency, law, sought, (foia or FoiaOptions()).for_law(law), signature
        )
    else:
        deadline = (
            f"within the time {law.response_citation} allows"
            if law.response_citation
            else "within the time the law allows"
        )
        paragraphs = [
            _salutation(agency, law),
            f"Under the {law.name} ({law.citation}), I request copies of the following records:",
            sought,
            f"Please respond {deadline}, and tell me when the records will be made available.",
            "Please provide records that exist in an electronic format in that format, by email "
            "if possible, and tell me of any fee before incurring it.",
            "If you withhold any record or part of a record, please release the remaining "
            "portions, and explain in writing which provision of law you rely on and who is "
            "responsible for the decision.",
            _closing(signature),
        ]
    return "\n\n".join(p for p in paragraphs if p)


def _foia_request(agency, law, sought: str, foia: FoiaOptions, signature: str) -> list[str]:
    """A federal FOIA request: the clock, then what the requester asks for about fees and time."""
    fees = []
    if foia.fee_category:
        fees.append(
            "For fees, please place this request in the requester category "
            f"“{FeeCategory(foia.fee_category).label}” ({FOIA_FEE_CATEGORY}). "
            f"{_FEE_CATEGORY_TEXT[foia.fee_category]}"
        )
    if foia.fee_waiver_requested:
        fees.append(
            f"I request a waiver of all fees ({FOIA_FEE_WAIVER}): disclosure of these records "
            "is in the public interest because it is likely to contribute significantly to "
            "public understanding of the operations or activities of the government, and it is "
            f"not primarily in my commercial interest. {foia.fee_waiver_reason}"
        )
    fee_notice = (
        "If you do not grant the waiver in full, please tell me of any fee before incurring it."
        if foia.fee_waiver_requested
        else "Please tell me of any fee before incurring it."
    )
    expedited = []
    if foia.expedited_requested:
        expedited = [
            f"I request expedited processing ({FOIA_EXPEDITED}), because: {foia.expedited_reason}",
            "I certify that this statement is true and correct to the best of my knowledge and "
            f"belief, as {FOIA_EXPEDITED} requires of a request for expedited processing. "
            "Please decide whether to grant expedited processing, and notify me of your "
            f"decision, within 10 calendar days ({FOIA_EXPEDITED}).",
        ]
    return [
        _salutation(agency, law),
        f"Under the Freedom of Information Act (FOIA), {FOIA_ACT}, I request copies of the "
        "following records:",
        sought,
        f"{FOIA_DETERMINATION} requires you to determine within 20 days (excepting Saturdays, "
        "Sundays and legal public holidays) after receiving this request whether to comply "
        "with it, and to notify me of that determination and the reasons for it. In unusual "
        "circumstances that limit may be extended, by written notice, by no more than 10 "
        f"working days ({FOIA_EXTENSION}).",
        *expedited,
        *fees,
        "Please provide records that exist in an electronic format in that format, by email "
        f"if possible. {fee_notice}",
        "If you withhold any record or part of a record, please release the remaining "
        "portions, tell me in writing which exemption you rely on for each withholding and "
        "who is responsible for the decision, and tell me of my right to appeal an adverse "
        f"determination ({FOIA_APPEAL}).",
        _closing(signature),
    ]


@dataclass(frozen=True)
class LateFacts:
    received_on: date | None
    due: date
    due_label: str  # "determination", "extended determination", "promised production"
    today: date
    days_late: int


def follow_up_body(*, records_request, facts: LateFacts, signature: str = "") -> str:
    law, agency = records_request.law, records_request.agency
    received = f" you received on {long_date(facts.received_on)}" if facts.received_on else ""
    days = f"{facts.days_late} day{'s' if facts.days_late != 1 else ''}"
    ref = _reference(records_request)
    consequences = ""  # what a missed statutory deadline means for the request, where the law says
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
        elif is_foia(law):
            rule = (
                f"{FOIA_DETERMINATION} required a determination within 20 working days "
                "(excepting Saturdays, Sundays and legal public holidays) after receipt"
                + (
                    f", as extended by your notice ({FOIA_EXTENSION})"
                    if facts.due_label == "extended"
                    else ""
                )
                + f": by {long_date(facts.due)}."
            )
            consequences = (
                "Because you did not comply with that time limit, I am deemed to have exhausted "
                f"my administrative remedies ({FOIA_EXHAUSTION}): I may seek judicial review "
                "without first filing an administrative appeal. And because the time limit was "
                "missed, you may not assess search fees for this request "
                f"({FOIA_NO_SEARCH_FEES})."
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
        if is_foia(law):
            ask = (
                "Please send me your determination whether you will comply with the request, "
                "with the reasons, and tell me when the records will be made available."
            )
    if law.is_cpra and records_request.status == Status.CLARIFICATION:
        # The CPRA has no tolling: a question does not stop the clock, and the agency must help.
        consequences = (
            "Your question did not stop the time limit. The law also obliges you to assist me "
            "in identifying records and information responsive to the request "
            f"({CPRA_ASSIST}): if anything is still unclear, please tell me what you need."
        )
    what = "Freedom of Information Act request" if is_foia(law) else "public records request"
    paragraphs = [
        _salutation(agency, law, LetterKind.FOLLOW_UP),
        f"I am writing about my {what}{ref}{received}, “{records_request.title}”.",
        f"{basis} That deadline passed on {long_date(facts.due)}. As of today, "
        f"{long_date(facts.today)}, I have no response: it is {days} late.",
        consequences,
        ask,
        _closing(signature),
    ]
    return "\n\n".join(p for p in paragraphs if p)


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
    if cpra and code in _CPRA_WITHHOLDING_TEXT:
        return _CPRA_WITHHOLDING_TEXT[code]
    return Deficiency(code).label + "."


# The checks that read the CPRA alone (rules.deficiencies(cpra=True)), one sentence each.
_CPRA_WITHHOLDING_TEXT = {
    Deficiency.OFFICIAL_WITHOUT_TITLE: "The denial names a person responsible for it without "
    f"a title or position, which {CPRA_WRITTEN_DENIAL} requires for each of them.",
    Deficiency.BLANKET_WITHHOLDING: "The denial withholds the records in full, with no sign "
    "that you looked for reasonably segregable portions; those must be disclosed after "
    f"deletion of the portions that are exempt ({CPRA_SEGREGABLE}).",
    Deficiency.OTHER_LAW_UNNAMED: "The denial cites Gov. Code §7927.705 [former §6254(k)] "
    "without naming the other law that exempts or prohibits disclosure: please identify it.",
    Deficiency.ALPR_NOT_INVESTIGATORY: "The denial treats automated license plate reader "
    "records as investigatory records under Gov. Code §7923.600 [former §6254(f)]. Bulk ALPR "
    "scan data is not an investigatory record (ACLU Foundation v. Superior Court (2017) 3 "
    "Cal.5th 1032).",
    Deficiency.PERSONNEL_LAW_ON_POLICIES: "The denial cites Penal Code §832.7, which governs "
    "peace officer personnel records, against policies, contracts or other records that are "
    "not personnel records.",
}


# What a CPRA challenge says to each ground the agency cited (Exemption.section), from the
# scope cpra.md gives each exemption. A ground whose flaw is already a deficiency (the ALPR
# case, an unnamed "other law", an unexplained catch-all, §832.7 against policies) is argued
# there, once.
_CPRA_GROUND_TEXT = {
    "§7927.500": "Gov. Code §7927.500 [former §6254(a)] covers preliminary drafts, notes and "
    "memoranda. The final policies, contracts, reports and logs this request seeks are not "
    "drafts: please identify any record you withhold as preliminary, and release the final "
    "versions.",
    "§7927.200": "Gov. Code §7927.200 [former §6254(b)] covers records pertaining to pending "
    "litigation. Please identify the litigation, and explain how each record withheld "
    "pertains to it.",
    "§7927.700": "Gov. Code §7927.700 [former §6254(c)] covers personnel, medical and similar "
    "files. Records of how the agency acquires and uses a technology are not such files; "
    "where a record holds personal details, those can be redacted and the rest released "
    f"({CPRA_SEGREGABLE}).",
    "§7923.600": "Gov. Code §7923.600 [former §6254(f)] covers law-enforcement investigatory "
    "records and files. Policies, contracts, purchasing and audit records about a "
    "technology are not records of an investigation: please identify the investigation each "
    "withheld record belongs to, and release the rest.",
    "§7927.705": "Gov. Code §7927.705 [former §6254(k)] applies only where another law "
    "exempts or prohibits disclosure. Please explain how that law applies to each record "
    "withheld.",
    "§7922.000": f"The balancing test of {CPRA_CATCH_ALL} weighs the public interest in "
    "disclosure, which is strong here: these records show how a police agency uses "
    "surveillance technology on the public. Please explain, on the facts of this request, "
    "how the public interest in withholding clearly outweighs it.",
    "Penal Code §832.7": "Penal Code §832.7 governs peace officer personnel records. Records "
    "about a technology, its policies and its use are not personnel records.",
    "§7929.200": "Gov. Code §7929.200 [former §6254(aa)] covers terrorism-vulnerability "
    "assessments prepared for closed sessions. Please identify any such assessment withheld, "
    "and release the other records.",
}
_ARGUED_AS_DEFICIENCY = {
    "§7923.600": Deficiency.ALPR_NOT_INVESTIGATORY,
    "§7927.705": Deficiency.OTHER_LAW_UNNAMED,
    "§7922.000": Deficiency.CATCH_ALL_UNEXPLAINED,
    "Penal Code §832.7": Deficiency.PERSONNEL_LAW_ON_POLICIES,
}


def ground_arguments(records_request, denial) -> list[str]:
    """One answer to every ground the denial cites, listed exemptions and free text alike."""
    if denial is None:
        return []
    law, flaws = records_request.law, set(records_request.deficiencies)
    answers = []
    # An unsaved denial (a letter drafted from the form, not the database) has no list yet.
    for exemption in denial.exemptions.all() if denial.pk else ():
        former = f" [former {exemption.former_section}]" if exemption.former_section else ""
        cited = f"{exemption.section}{former} ({exemption.short_name})"
        if law.is_cpra and _ARGUED_AS_DEFICIENCY.get(exemption.section) in flaws:
            continue
        if law.is_cpra and exemption.section in _CPRA_GROUND_TEXT:
            answers.append(_CPRA_GROUND_TEXT[exemption.section])
        else:
            answers.append(
                f"You cite {cited}. Please explain how it applies to each record withheld, "
                "and release every portion it does not cover."
            )
    if denial.other_exemptions.strip():
        answers.append(
            f"You also cite “{denial.other_exemptions.strip()}”. Please identify the provision "
            "of law and explain how it applies to each record withheld."
        )
    return answers


def released_elsewhere_text(released: list[tuple[int, str, list[tuple[str, str]]]]) -> str:
    """What other agencies released of the items withheld: (item number, item text,
    [(agency, public URL of its request), ...]) per item."""
    if not released:
        return ""
    lines = ["Other agencies have released the same records in answer to the same request:"]
    for number, text, agencies in released:
        named = "; ".join(f"{agency} ({url})" for agency, url in agencies)
        lines.append(f"- Item {number} ({text.rstrip('.')}): released by {named}.")
    return "\n".join(lines)


def denial_challenge_body(
    *,
    records_request,
    denial,
    due: date | None,
    signature: str = "",
    today: date | None = None,
    released: list[tuple[int, str, list[tuple[str, str]]]] = (),
) -> str:
    """`released`: what other agencies released of the items withheld
    (released_elsewhere_text)."""
    law, agency = records_request.law, records_request.agency
    if is_foia(law):
        return _foia_appeal(records_request, denial, due, signature, today)
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
    grounds = [f"- {answer}" for answer in ground_arguments(records_request, denial)]
    paragraphs = [
        _salutation(agency, law, LetterKind.DENIAL_CHALLENGE),
        f"I am writing about your response{dated} to my public records request{ref}, "
        f"“{records_request.title}”."
        + (" None of the grounds you cite justifies the denial:" if grounds else ""),
        "\n".join(grounds),
        (
            "The denial also does not meet the requirements of the law:"
            if grounds
            else "The denial does not meet the requirements of the law:"
        )
        if problems
        else "",
        "\n".join(problems),
        released_elsewhere_text(list(released)),
        ask,
        _closing(signature),
    ]
    return "\n\n".join(p for p in paragraphs if p)


def appeal_deadline_text(appeal_due: date | None, today: date | None) -> str:
    """The sentence of a FOIA appeal that states the requester's own deadline, if known."""
    if appeal_due is None:
        return ""
    if today is not None and today > appeal_due:
        return (
            f"The period for this appeal ended on {long_date(appeal_due)}; I ask you to decide "
            "it nonetheless."
        )
    return (
        f"The period for this appeal ends on {long_date(appeal_due)}: this appeal is filed "
        "within it."
    )


def _foia_appeal(records_request, denial, due: date | None, signature, today) -> str:
    """A FOIA denial challenge is an administrative appeal (5 U.S.C. §552(a)(6)(A)(i)(III)(aa))."""
    law, agency = records_request.law, records_request.agency
    ref = _reference(records_request)
    dated = f" of {long_date(denial.date)}" if denial is not None else ""
    problems = [
        f"- {deficiency_text(code, law=law, denial=denial, due=due)}"
        for code in records_request.deficiencies
    ]
    no_records = denial is not None and denial.kind == DeterminationKind.NO_RECORDS
    ask = (
        "I ask you to reverse the determination and to release the records, or at least every "
        "portion that is not exempt. If you uphold any part of it, please tell me in writing "
        "which exemption you rely on for each record withheld, and the name and title of the "
        "person responsible for the decision."
    )
    if no_records:
        ask = (
            "I ask you to order a new search for the records, and to release what it finds. "
            "If you uphold the determination, please tell me in writing how the records were "
            "searched for, and the name and title of the person responsible for the decision."
        )
    grounds = [f"- {answer}" for answer in ground_arguments(records_request, denial)]
    paragraphs = [
        _salutation(agency, law, LetterKind.DENIAL_CHALLENGE),
        f"I appeal your adverse determination{dated} on my request under the Freedom of "
        f"Information Act, {FOIA_ACT}{ref}, “{records_request.title}”. {FOIA_APPEAL} gives me "
        "the right to appeal an adverse determination to the head of the agency. If another "
        "office decides appeals, please forward this appeal to it.",
        appeal_deadline_text(records_request.appeal_due, today),
        "As to the exemptions you cite:" if grounds else "",
        "\n".join(grounds),
        "The determination does not meet the requirements of the law:" if problems else "",
        "\n".join(problems),
        ask,
        _closing(signature),
    ]
    return "\n\n".join(p for p in paragraphs if p)
