"""One row of the denial log as the page and every export see it: plain data, no queries."""

import functools
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from rtcc_requests.agencies.models import AgencyKind
from rtcc_requests.requests import rules
from rtcc_requests.requests.choices import DeterminationKind
from rtcc_requests.requests.models import Determination

# Stands in for the request id in a reversed URL, replaced per row.
PK_PLACEHOLDER = "2147483647"


@dataclass(frozen=True)
class CitedExemption:
    id: int
    section: str
    former_section: str
    short_name: str

    @property
    def citation(self) -> str:
        former = f" [{self.former_section}]" if self.former_section else ""
        return f"{self.section}{former}"

    def __str__(self) -> str:
        return f"{self.citation} {self.short_name}"


class Flag(NamedTuple):
    """A Deficiency code as the log shows it: the reader's words and the rule it applies."""

    code: str
    label: str
    citation: str  # "" for a request under a law whose rules we do not cite

    def __str__(self) -> str:
        return f"{self.label} ({self.citation})" if self.citation else self.label


@functools.cache
def flag(code: str, law_code: str) -> Flag:
    """One shared Flag per code and law: a few dozen in all, however many rows."""
    return Flag(
        code,
        str(rules.deficiency_label(code)),
        rules.deficiency_citation(code, law_code=law_code),
    )


def flags(codes: list[str] | None, law_code: str) -> tuple[Flag, ...]:
    """The Flags of stored codes; most rows have none, or one of a few lists."""
    return _flags(law_code, tuple(codes)) if codes else ()


@functools.lru_cache(maxsize=4096)
def _flags(law_code: str, codes: tuple[str, ...]) -> tuple[Flag, ...]:
    return tuple(flag(code, law_code) for code in codes)


# Not frozen: a frozen dataclass's __init__ costs three times as much, once per exported row.
@dataclass(slots=True)
class DenialRow:
    determination_id: int
    request_id: int
    request_url: str
    letter_url: str
    title: str
    agency_name: str
    agency_slug: str
    agency_kind: str
    county: str
    law: str
    law_code: str
    technologies: tuple[str, ...]
    filed_on: date | None
    received_on: date | None
    agency_received_on: date | None
    denial_date: date
    kind: str
    days_to_respond: int | None
    is_late: bool
    days_late: int
    exemptions: tuple[CitedExemption, ...]
    other_grounds: str
    official_name: str
    official_title: str
    more_officials: list[dict]
    # What the withholding lacks (Determination.deficiencies) and what the agency's other
    # moves on the request lacked: extensions, promised dates, fees (procedure_flags).
    deficiencies: tuple[Flag, ...]
    procedure_flags: tuple[Flag, ...]

    # Who is named responsible, read off the row by the determination's own rule: every
    # (name, title) pair, the first official first, and the same joined for one line.
    officials = property(Determination.officials.fget)
    official = property(Determination.official.fget)

    @property
    def kind_label(self) -> str:
        return "Partial release" if self.kind == DeterminationKind.PARTIAL else "Denial"

    @property
    def official_named(self) -> bool:
        return any(name.strip() for name, _title in self.officials)

    @property
    def agency_kind_label(self) -> str:
        return _label(AgencyKind, self.agency_kind)

    @property
    def agency_received_differs(self) -> bool:
        """The agency states a receipt date other than the one on record."""
        return self.agency_received_on is not None and self.agency_received_on != self.received_on


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def row_from_values(v: dict, path: str, exemptions, technologies) -> DenialRow:
    """A row from the values of `selectors.with_row_columns` and its two lists."""
    request_url = path.replace(PK_PLACEHOLDER, str(v["request_id"]))
    letter_id = v["public_letter_id"]
    days = v["days_to_respond"]
    law_code = v["request__law__code"]
    return DenialRow(
        determination_id=v["pk"],
        request_id=v["request_id"],
        request_url=request_url,
        # The request page shows each letter under this anchor.
        letter_url=f"{request_url}#communication-{letter_id}" if letter_id else "",
        title=v["request__title"],
        agency_name=v["request__agency__name"],
        agency_slug=v["request__agency__slug"],
        agency_kind=v["request__agency__kind"],
        county=v["request__agency__county"],
        law=v["request__law__short_name"],
        law_code=law_code,
        technologies=tuple(technologies),
        filed_on=v["request__filed_on"],
        received_on=v["request__received_on"],
        agency_received_on=v["request__agency_received_on"],
        denial_date=v["date"],
        kind=v["kind"],
        days_to_respond=days.days if days is not None else None,
        is_late=v["is_late"],
        days_late=v["days_late"],
        exemptions=tuple(exemptions),
        other_grounds=v["other_exemptions"],
        official_name=v["official_name"],
        official_title=v["official_title"],
        more_officials=v["more_officials"] or [],
        deficiencies=flags(v["deficiencies"], law_code),
        procedure_flags=flags(v["request__procedure_flags"], law_code),
    )
