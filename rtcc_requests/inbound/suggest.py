"""Guess the agency's determination from a reply's text, for the requester to confirm.

Plain text rules, no database: nothing here changes a request. Each suggestion quotes
the sentence it was read from, so the person confirming can see why. Text the agency
quoted from our own letter (which talks about denials and exemptions) is cut off first.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from rtcc_requests.requests.choices import DeterminationKind, ExtensionGround

# Former CPRA numbers -> current ones (Stats. 2021 ch. 614): every pair ../shared/cpra.md lists.
FORMER_TO_CURRENT = {
    "6253(a)": "7922.525(b)",
    "6253(b)": "7922.530",
    "6253(c)": "7922.535",
    "6253(d)": "7922.540",
    "6253.1": "7922.600",
    "6253.9": "7922.570",
    "6254(a)": "7927.500",
    "6254(b)": "7927.200",
    "6254(c)": "7927.700",
    "6254(f)": "7923.600",
    "6254(k)": "7927.705",
    "6254(aa)": "7929.200",
    "6255": "7922.000",
    "6255(a)": "7922.000",
    "6255(b)": "7922.540",
    "6258": "7923.000",
    "6259": "7923.000",
    "6259(d)": "7923.115",
}
# Sections a reply may cite with no code named that are not Government Code sections.
_PENAL_CODE_SECTIONS = ("832.7", "832.8")
_QUOTE_START = re.compile(
    r"^(?:-{2,}\s*Original Message\s*-{2,}|On .{4,200}wrote:\s*$|From: .*\n\s*Sent: "
    r"|\[rtcc-requests: attachments not stored\])",
    re.MULTILINE | re.IGNORECASE,
)
_FEE_WORDS = r"(?:fees?|charges?|pay|payment|deposit|invoice|duplication|copying)"
_RULES: list[tuple[str, re.Pattern]] = [
    (
        DeterminationKind.NO_RECORDS,
        re.compile(
            r"\bno (?:responsive |such )?(?:records|documents)\b|\b(?:did|could) not (?:locate|find"
            r"|identify) any\b|\bdoes not (?:have|maintain|possess) any (?:responsive )?records",
            re.I,
        ),
    ),
    (
        DeterminationKind.DENIAL,
        re.compile(
            r"\b(?:den(?:y|ies|ied|ying)|denial|withh[eo]ld(?:ing)?|exempt from (?:disclosure"
            r"|production)|will not (?:be )?(?:releas|disclos|produc|provid)\w*|declin\w* to "
            r"(?:release|disclose|produce|provide)|not subject to disclosure)\b",
            re.I,
        ),
    ),
    (
        DeterminationKind.RELEASED,
        re.compile(
            r"\b(?:please find attached|attached (?:are|is|please find|you will find)|enclosed "
            r"(?:are|is|please find)|(?:records|documents|files) (?:are|is|have been) (?:attached"
            r"|enclosed|released|available)|responsive "
            r"(?:records|documents) (?:are|is) (?:attached|available))",
            re.I,
        ),
    ),
    (
        DeterminationKind.FEE_ESTIMATE,
        re.compile(rf"\$\s?\d.*\b{_FEE_WORDS}\b|\b{_FEE_WORDS}\b.*\$\s?\d", re.I),
    ),
    (
        DeterminationKind.EXTENSION,
        re.compile(
            r"\b(?:extend\w*|extension|additional (?:14|fourteen) days|unusual circumstances"
            r"|7922\.535\s*\(b\))",
            re.I,
        ),
    ),
    (
        DeterminationKind.ACKNOWLEDGEMENT,
        re.compile(
            r"\b(?:(?:received|receipt of) your (?:\w+ ){0,3}request|acknowledg\w+|has been "
            r"(?:received|assigned)|(?:reference|tracking|request) (?:number|no\.?|#)"
            r"|we are (?:processing|reviewing))",
            re.I,
        ),
    ),
]
# The unusual circumstances of §7922.535(c), in the statute's words (cpra.md).
_EXTENSION_GROUNDS: list[tuple[str, re.Pattern]] = [
    (ExtensionGround.FIELD_FACILITIES, re.compile(r"\bfield facilit", re.I)),
    (ExtensionGround.VOLUMINOUS, re.compile(r"\bvoluminous\b|\bvolume of (?:\w+ )?records", re.I)),
    (
        ExtensionGround.CONSULTATION,
        re.compile(
            r"\bconsult\w*\b.{0,80}\b(?:another (?:public )?agency|other (?:public )?agenc"
            r"|components?\b)",
            re.I,
        ),
    ),
    (
        ExtensionGround.DATA_COMPILATION,
        re.compile(
            r"\bcompil\w* (?:the )?data\b|\bwrit\w* programming\b|\bextract\w* (?:the )?data"
            r"|\bconstruct\w* a (?:computer )?report",
            re.I,
        ),
    ),
    (ExtensionGround.EMERGENCY, re.compile(r"\bstate of emergency\b", re.I)),
]
_ORDER = [
    DeterminationKind.PARTIAL,
    DeterminationKind.DENIAL,
    DeterminationKind.NO_RECORDS,
    DeterminationKind.RELEASED,
    DeterminationKind.FEE_ESTIMATE,
    DeterminationKind.EXTENSION,
    DeterminationKind.ACKNOWLEDGEMENT,
]
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
)}  # fmt: skip
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATES = [
    (re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.I), ("m", "d", "y")),
    (re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})", re.I), ("d", "m", "y")),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), ("n", "d", "y")),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "n", "d")),
]
# A full stop ends a sentence, except after the abbreviations legal replies are full of.
_SENTENCE_END = re.compile(
    r"(?<!\bGov\.)(?<!\bSec\.)(?<!\bEvid\.)(?<!\bCiv\.)(?<!\bProc\.)(?<!\bNo\.)"
    r"(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bCode\.)(?<=[.!?])\s+(?=[A-Z0-9\"(])"
)
_MONEY = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d+(?:\.\d{2})?)")
_CITE = re.compile(
    r"(?:(?P<code>Gov(?:ernment|'t|\.)?\s*Code|Penal\s+Code|Evid(?:ence|\.)?\s*Code)"
    r"\s*(?:§+|sections?|sec\.)?\s*|(?:§+|\bsections?|\bsec\.)\s*)"
    r"(?P<num>\d{3,4}(?:\.\d{1,3})?(?:\s*\([a-z0-9]{1,3}\))*)",
    re.I,
)
# "sections 7923.600, 7927.705 and 7922.000": the numbers after the first of a list, also
# past what a reply puts between them: "7923.600 (investigatory records) and 7922.000",
# "7923.600 ... and 7922.000".
_NEXT_IN_LIST = re.compile(
    r"(?:\s*\([^()\d]{1,80}\)|\s*(?:\.{3}|…))*"
    r"\s*(?:,|;|&|\band\b|\bor\b)\s*(?:§+\s*)?"
    r"(?P<num>\d{3,4}(?:\.\d{1,3})?(?:\s*\([a-z0-9]{1,3}\))*)",
    re.I,
)


@dataclass(frozen=True)
class Citation:
    code: str  # "Gov. Code", "Penal Code", "Evid. Code"
    section: str  # current number, e.g. "§7923.600"
    former: str = ""  # e.g. "§6254(f)" when the reply cited the pre-2023 number

    def __str__(self) -> str:
        prefix = "" if self.code == "Gov. Code" else f"{self.code} "
        return f"{prefix}{self.section}" + (f" [former {self.former}]" if self.former else "")


@dataclass(frozen=True)
class Suggestion:
    kind: str
    evidence: str
    extension_date: date | None = None
    extension_ground: str = ""  # an ExtensionGround, when the notice names one of (c)'s
    extension_reason: str = ""  # the notice's words for it
    fee_amount: Decimal | None = None
    citations: tuple[Citation, ...] = ()

    @property
    def label(self) -> str:
        return DeterminationKind(self.kind).label

    @property
    def extension_ground_label(self) -> str:
        return ExtensionGround(self.extension_ground).label if self.extension_ground else ""


def reply_text(text: str) -> str:
    """The agency's own words: our letter as quoted below the reply is cut off."""
    match = _QUOTE_START.search(text or "")
    text = text[: match.start()] if match else text or ""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))


def _sentences(text: str) -> list[str]:
    paragraphs = re.split(r"\n\s*\n", text)
    out = []
    for paragraph in paragraphs:
        flat = " ".join(paragraph.split())
        out.extend(s for s in _SENTENCE_END.split(flat) if s)
    return out


def dates_in(text: str) -> list[date]:
    found = []
    for pattern, order in _DATES:
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            month = _MONTHS[parts["m"][:3].lower()] if "m" in parts else int(parts["n"])
            try:
                found.append(date(int(parts["y"]), month, int(parts["d"])))
            except ValueError:
                continue
    return found


def citations_in(text: str) -> tuple[Citation, ...]:
    found: list[Citation] = []
    for match in _CITE.finditer(text):
        numbers = [match["num"]]
        end = match.end()
        while more := _NEXT_IN_LIST.match(text, end):
            numbers.append(more["num"])
            end = more.end()
        for number in numbers:
            citation = _citation(match["code"], re.sub(r"\s+", "", number).lower())
            if citation not in found:
                found.append(citation)
    return tuple(found)


def _citation(code: str | None, number: str) -> Citation:
    code = (code or "").lower()
    if code.startswith("penal") or (not code and number.startswith(_PENAL_CODE_SECTIONS)):
        return Citation("Penal Code", f"§{number}")
    if code.startswith("evid"):
        return Citation("Evid. Code", f"§{number}")
    if number in FORMER_TO_CURRENT:
        return Citation("Gov. Code", f"§{FORMER_TO_CURRENT[number]}", f"§{number}")
    return Citation("Gov. Code", f"§{number}")


def _extension_ground(sentences: list[str]) -> dict:
    """The unusual circumstance of §7922.535(c) the notice gives, and the sentence saying so.

    Only the words of the statute's list are read as a ground; anything else (e.g.
    "consulting the vendor", which is not (c)(3)) is left for the requester to choose.
    """
    for sentence in sentences:
        for ground, pattern in _EXTENSION_GROUNDS:
            if pattern.search(sentence):
                return {"extension_ground": ground, "extension_reason": sentence[:400]}
    return {"extension_reason": sentences[0][:400]} if sentences else {}


def _money(sentence: str) -> Decimal | None:
    match = _MONEY.search(sentence)
    try:
        return Decimal(match.group(1).replace(",", "")) if match else None
    except InvalidOperation:
        return None


def suggest_determination(text: str) -> list[Suggestion]:
    """Likely determinations, the most consequential first; [] if nothing is recognised."""
    own = reply_text(text)
    sentences = _sentences(own)
    evidence: dict[str, tuple[int, str]] = {}
    for index, sentence in enumerate(sentences):
        for kind, pattern in _RULES:
            if kind not in evidence and pattern.search(sentence):
                evidence[kind] = (index, sentence)
    withheld = DeterminationKind.DENIAL in evidence
    if withheld and DeterminationKind.RELEASED in evidence:
        index, sentence = evidence.pop(DeterminationKind.DENIAL)
        evidence.pop(DeterminationKind.RELEASED)
        evidence[DeterminationKind.PARTIAL] = (index, sentence)
    suggestions = []
    citations = citations_in(own) if withheld else ()
    for kind in _ORDER:
        if kind not in evidence:
            continue
        index, sentence = evidence[kind]
        extra = {}
        if kind == DeterminationKind.EXTENSION:
            near = sentences[index : index + 3]
            dates = dates_in(" ".join(near))
            extra["extension_date"] = max(dates) if dates else None
            extra.update(_extension_ground(near))
        elif kind == DeterminationKind.FEE_ESTIMATE:
            extra["fee_amount"] = _money(sentence)
        elif kind in (DeterminationKind.DENIAL, DeterminationKind.PARTIAL):
            extra["citations"] = citations
        suggestions.append(Suggestion(kind=kind, evidence=sentence[:400], **extra))
    return suggestions
