"""What bulk rows are made of: status mixes, column orders, pools, ids and random helpers.

The statuses, deadlines, lateness and deficiencies follow the same rules as
requests/services.py (the deadline calendar is the real one; deficiencies come from the
services' own rule function), so the pages and sweeps meet data they could have produced.
Rows are plain tuples in the column order of the *_COLUMNS constants (attribute names).
"""

import functools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rtcc_requests.laws import calendar
from rtcc_requests.requests.choices import (
    ExtensionGround,
    FeeBasis,
    FilingMethod,
    Status,
    Visibility,
)

LEGAL_TZ = ZoneInfo("America/Los_Angeles")

# Share of each status, per 1,000 requests: a busy statewide deployment, most requests answered.
STATUS_MIX: dict[str, int] = {
    Status.DRAFT: 40,
    Status.FILED: 120,
    Status.ACKNOWLEDGED: 80,
    Status.EXTENDED: 60,
    Status.AWAITING_FEE: 30,
    Status.CLARIFICATION: 20,
    Status.PRODUCING: 40,
    Status.RELEASED: 160,
    Status.PARTIAL: 70,
    Status.NO_RECORDS: 70,
    Status.DENIED: 140,
    Status.WITHDRAWN: 30,
    Status.CLOSED: 140,
}
VISIBILITY_MIX: dict[str, int] = {
    Visibility.PUBLIC: 55,
    Visibility.PRIVATE: 35,
    Visibility.EMBARGOED: 10,
}
FILING_MIX: dict[str, int] = {
    FilingMethod.EMAIL: 60,
    FilingMethod.PORTAL: 25,
    FilingMethod.MAIL: 10,
    FilingMethod.FAX: 3,
    FilingMethod.IN_PERSON: 2,
}
# The first owner is a newsroom with a large share of everything, the second a busy reporter.
HEAVY_OWNER_SHARES = (0.02, 0.005)


def _columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


# The columns the generator sets; the writer gives every other column its field's default.
REQUEST_COLUMNS = _columns(
    "id owner_id agency_id law_id title records_sought letter_body status visibility "
    "embargo_until filing_method filed_on received_on tracking_number reply_token "
    "determination_due extended_due extended_due_arguably promised_on next_due next_due_kind "
    "responded_on "
    "days_late is_late is_deficient deficiencies procedure_flags closed_on demo_key "
    "created_at updated_at"
)
COMMUNICATION_COLUMNS = _columns(
    "id request_id direction kind letter_kind sent_at subject body from_address to_address "
    "message_id is_private pdf pdf_status pdf_error created_by_id created_at"
)
DETERMINATION_COLUMNS = _columns(
    "id request_id kind date other_exemptions official_name official_title more_officials "
    "in_writing other_law segregation_stated fee_amount fee_basis promised_date "
    "extension_date extension_reason extension_ground catch_all_reasons notes is_late "
    "days_late deficiencies communication_id created_by_id created_at"
)
EVENT_COLUMNS = _columns("id request_id actor_id at kind from_status to_status message data")

_SOUGHT = (
    "All contracts, purchase orders, invoices, policies, training materials, audits and data "
    "retention schedules concerning {tech}, and all communications with vendors about it, "
    "from 1 January 2020 to the date of this request."
)
_OFFICIALS = (
    ("Maria Lopez", "Custodian of Records"),
    ("James Nguyen", "City Attorney"),
    ("Patricia Kim", "Records Manager"),
    ("Robert Garcia", "Lieutenant, Records Unit"),
    ("Linda Chen", "Deputy County Counsel"),
)
_CATCH_ALL_REASONS = (
    "Disclosure would reveal investigative techniques; the public interest in "
    "withholding clearly outweighs disclosure."
)
_OTHER_LAW = "Civil Code §§1798.90.5-1798.90.55 (ALPR information)"
# Why extension notices say they need more time: reasons §7922.535(c) allows.
_EXTENSION_GROUNDS = (
    (ExtensionGround.VOLUMINOUS, "A voluminous amount of separate records is demanded."),
    (ExtensionGround.CONSULTATION, "We must consult the County, which has an interest."),
    (ExtensionGround.FIELD_FACILITIES, "Records are held at field facilities."),
    (ExtensionGround.DATA_COMPILATION, "Data must be compiled from the system."),
)
# What fee estimates charge for, by share: most only copies, some what the CPRA forbids.
_FEE_BASES = (
    ([FeeBasis.DUPLICATION],) * 14
    + ([],) * 2
    + ([FeeBasis.DUPLICATION, FeeBasis.SEARCH], [FeeBasis.REDACTION], [FeeBasis.PROGRAMMING])
)


@dataclass(frozen=True)
class ExemptionRef:
    id: int
    is_catch_all: bool
    section: str = ""


@dataclass
class Pools:
    """What a chunk draws from: ids of rows that already exist."""

    agencies: list[tuple[int, str, str]]  # id, name, records email
    owners: list[int]
    technologies: list[tuple[int, str, str]]  # id, name, slug
    exemptions: list[ExemptionRef]
    law_id: int
    rule: calendar.DeadlineRule


@dataclass
class Ids:
    request: int
    technology_link: int
    communication: int
    determination: int
    exemption_link: int
    event: int


@dataclass
class Rows:
    requests: list[tuple] = field(default_factory=list)
    technology_links: list[tuple] = field(default_factory=list)
    communications: list[tuple] = field(default_factory=list)
    determinations: list[tuple] = field(default_factory=list)
    exemption_links: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)


class Deadlines:
    """The real calendar, asked once per distinct date of receipt: (due, extended, arguably).

    `extended` is the latest an extension may name, `arguably` the second reading of it
    when later (cpra.md, "How the app counts"), else None.
    """

    def __init__(self, rule: calendar.DeadlineRule) -> None:
        self.rule = rule
        self._due: dict[date, tuple[date, date, date | None]] = {}

    def __call__(self, received: date) -> tuple[date, date, date | None]:
        found = self._due.get(received)
        if found is None:
            due = calendar.determination_due(self.rule, received).due
            extended, arguably = due, None
            if self.rule.extension_days:
                maximum = calendar.determination_due(self.rule, received, extended=True)
                extended, arguably = max(maximum.due, due), maximum.arguably
            found = self._due[received] = (due, extended, arguably)
        return found


def _weighted(mix: dict[str, int]) -> tuple[list[str], list[int]]:
    values = list(mix)
    cumulative, total = [], 0
    for value in values:
        total += mix[value]
        cumulative.append(total)
    return values, cumulative


_STATUSES = _weighted(STATUS_MIX)
_VISIBILITIES = _weighted(VISIBILITY_MIX)
_METHODS = _weighted(FILING_MIX)


def _pick(rng: random.Random, weighted: tuple[list[str], list[int]]) -> str:
    values, cumulative = weighted
    return rng.choices(values, cum_weights=cumulative)[0]


def _below(rng: random.Random, n: int) -> int:
    # random() scaled: several times faster than randrange, which dominated the profile.
    return int(rng.random() * n)


def _between(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


_MINUTES = [timedelta(minutes=m) for m in range(600)]


@functools.cache
def _office_opens(day: date) -> datetime:
    return datetime.combine(day, time(8), LEGAL_TZ)


def _at(day: date, rng: random.Random) -> datetime:
    """A moment in office hours (8:00 to 18:00, California time) on `day`."""
    return _office_opens(day) + _MINUTES[int(rng.random() * 600)]
