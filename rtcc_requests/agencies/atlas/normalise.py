"""Name normalisation, so "Fresno PD" and "FRESNO POLICE DEPT." become one agency.

Two functions per kind of name: a *display* form (what a new row is called) and a
*key* (what rows are matched on). The key is more aggressive than the display form:
"Sheriff's Department" and "Sheriff's Office" share a key, but an agency whose real
name is "... Sheriff's Department" keeps that name.
"""

import re
from functools import lru_cache

# Whole-word abbreviations written out in the display name (case-insensitive).
_DISPLAY_WORDS = {
    "pd": "Police Department",
    "so": "Sheriff's Office",
    "dept": "Department",
    "dept.": "Department",
    "sheriffs": "Sheriff's",
    "co.": "County",
    "univ": "University",
    "univ.": "University",
}
# Extra folding for matching only: every sheriff's office/department variant, "co" = county.
_KEY_PHRASES = [
    (re.compile(r"\bsheriff'?s?'? (?:office|department|dept)\b"), "sheriffs office"),
    (re.compile(r"\bsheriff office\b"), "sheriffs office"),
    (re.compile(r"\bpolice dept\b"), "police department"),
    (re.compile(r"\bco\b"), "county"),
    (re.compile(r"\bthe\b\s*"), ""),
]
_SMALL_WORDS = {"of", "and", "the", "for", "de", "la", "del"}


def clean_space(value: str) -> str:
    return " ".join(value.split()) if value else ""


def _title_word(word: str, first: bool) -> str:
    lower = word.lower()
    if lower in _SMALL_WORDS and not first:
        return lower
    # Sheriff's, not Sheriff'S.
    return lower[:1].upper() + lower[1:]


@lru_cache(maxsize=65536)
def agency_display_name(raw: str) -> str:
    """A tidy name for a new agency: abbreviations written out, shouting lowered."""
    name = clean_space(raw.replace("\u2019", "'"))
    words = name.split(" ")
    shouting = name.isupper() and len(name) > 4
    out = []
    for index, word in enumerate(words):
        expanded = _DISPLAY_WORDS.get(word.lower())
        if expanded:
            out.append(expanded)
        elif shouting:
            out.append(_title_word(word, index == 0))
        else:
            out.append(word)
    return " ".join(out)


@lru_cache(maxsize=65536)
def agency_key(raw: str, state: str) -> tuple[str, str]:
    """Matching key: case, punctuation, whitespace and common abbreviations folded."""
    name = agency_display_name(raw).lower().replace("&", " and ")
    name = re.sub(r"[^a-z0-9' ]+", " ", name)
    name = clean_space(name)
    for pattern, replacement in _KEY_PHRASES:
        name = pattern.sub(replacement, name)
    name = clean_space(name.replace("'", ""))
    return name, state.strip().upper()


_VENDOR_SUFFIXES = {"inc", "llc", "corp", "corporation", "co", "ltd", "lp", "plc", "company"}


def vendor_display_name(raw: str) -> str:
    return clean_space(raw.replace("\u2019", "'")).strip(" ,;")


@lru_cache(maxsize=65536)
def vendor_key(raw: str) -> str:
    words = re.sub(r"[^a-z0-9 ]+", " ", raw.lower().replace("&", " and ")).split()
    while len(words) > 1 and words[-1] in _VENDOR_SUFFIXES:
        words.pop()
    return " ".join(words)


# Older or informal Atlas technology names -> the current name (all keys as technology_key).
_TECHNOLOGY_ALIASES = {
    "facial recognition": "face recognition",
    "alpr": "automated license plate readers",
    "license plate readers": "automated license plate readers",
    "automated license plate reader": "automated license plate readers",
    "body worn camera": "body worn cameras",
    "body cameras": "body worn cameras",
    "drone": "drones",
    "unmanned aerial vehicles": "drones",
    "cell site simulators": "cell site simulator",
    "real time crime centers": "real time crime center",
    "rtcc": "real time crime center",
}


def technology_key(raw: str) -> str:
    """Case-, space- and hyphen-insensitive; a few historic names folded to current ones."""
    key = clean_space(re.sub(r"[-_/]+", " ", (raw or "").lower()))
    return _TECHNOLOGY_ALIASES.get(key, key)
