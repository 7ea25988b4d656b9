"""One row of the denial log as the page and every export see it: plain data, no queries."""

from dataclasses import dataclass
from datetime import date

from rtcc_requests.agencies.models import AgencyKind
from rtcc_requests.requests.choices import Deficiency, DeterminationKind

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
    technologies: tuple[str, ...]
    filed_on: date | None
    received_on: date | None
    denial_date: date
    kind: str
    days_to_respond: int | None
    is_late: bool
    days_late: int
    exemptions: tuple[CitedExemption, ...]
    other_grounds: str
    official_name: str
    official_title: str
    deficiencies: tuple[tuple[str, str], ...]

    @property
    def kind_label(self) -> str:
        return "Partial release" if self.kind == DeterminationKind.PARTIAL else "Denial"

    @property
    def official_named(self) -> bool:
        return bool(self.official_name.strip())

    @property
    def agency_kind_label(self) -> str:
        return _label(AgencyKind, self.agency_kind)


_DEFICIENCY_LABELS = {code: str(label) for code, label in Deficiency.choices}


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
        technologies=tuple(technologies),
        filed_on=v["request__filed_on"],
        received_on=v["request__received_on"],
        denial_date=v["date"],
        kind=v["kind"],
        days_to_respond=days.days if days is not None else None,
        is_late=v["is_late"],
        days_late=v["days_late"],
        exemptions=tuple(exemptions),
        other_grounds=v["other_exemptions"],
        official_name=v["official_name"],
        official_title=v["official_title"],
        deficiencies=tuple(
            (code, _DEFICIENCY_LABELS.get(code, code)) for code in v["deficiencies"] or ()
        ),
    )
