"""CSV, JSON and Atom of the denial log: the same rows as the page, streamed in chunks."""

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from rtcc_requests.common.csvfiles import SpreadsheetSafeWriter
from rtcc_requests.requests.choices import DeterminationKind

from .rows import Flag
from .selectors import DenialRow, iter_rows

FEED_ENTRIES = 100

# How a list of flags reads in a CSV cell (Flag.__str__). A citation can hold "; " itself.
_FLAGS_IN_CSV = (
    "CSV: each label with its citation in parentheses, '; ' between them (split outside "
    "parentheses)."
)
# What the CSV does to text a spreadsheet would run (common.csvfiles.spreadsheet_safe).
_SAFE_IN_CSV = (
    "CSV: a text cell that starts with =, +, -, @, a tab or a carriage return gets a leading "
    "' so that a spreadsheet shows it as text instead of running it as a formula; the JSON "
    "has the text as written."
)
_AS_IN_TITLE = "In the CSV, a leading ' if it starts like a formula (see title)."
# The export's documented fields, in column order. Keys are stable: add (at the end, so a
# CSV read by column position keeps working), never rename.
FIELDS: dict[str, str] = {
    "request_id": "Id of the request in this app.",
    "request_url": "Absolute URL of the request's public page.",
    "title": (
        "The request's title, written by the requester. "
        f"{_SAFE_IN_CSV} This applies to every text column; numbers and dates are unchanged."
    ),
    "agency": f"Name of the agency that answered. {_AS_IN_TITLE}",
    "agency_slug": "The agency's id in URLs (/denials/agencies/<agency_slug>/).",
    "agency_kind": "Kind of agency (police, sheriff, city, ...).",
    "county": "The agency's county.",
    "law": "Short name of the public-records law the request was made under (e.g. CPRA).",
    "technologies": "Surveillance technologies the request is about (list; '; ' in CSV).",
    "filed_on": "Date the request was sent (ISO 8601, YYYY-MM-DD).",
    "received_on": (
        "Date the agency received it, as on record (ISO 8601); the legal clock starts here, "
        "or at agency_received_on when that is later."
    ),
    "denial_date": "Date of the agency's denial or partial release (ISO 8601).",
    "determination": "'denial' (all records withheld) or 'partial' (some withheld).",
    "days_to_respond": "Calendar days from received_on to the denial (integer).",
    "late": "true if the denial came after the legal deadline.",
    "days_late": "Days after the deadline in force (0 when on time).",
    "exemptions": (
        "Exemptions cited: list of {section, former_section, short_name}; current section "
        "numbers, pre-2023 numbers in former_section. CSV: 'section [former] short name; ...'."
    ),
    "other_grounds": (
        f"Grounds cited that are not in our list of exemptions, as recorded. {_AS_IN_TITLE}"
    ),
    "official_name": (
        "First person named as responsible for the denial ('' when none was named); every "
        f"one is in officials. {_AS_IN_TITLE}"
    ),
    "official_title": f"That person's title or position ('' when none was given). {_AS_IN_TITLE}",
    "official_named": "false when the denial names no responsible official (Gov. Code §7922.540).",
    "deficiencies": (
        "Ways the denial falls short of the law: list of {code, label, citation}, citation "
        "being the rule the code applies ('' for a request under a law other than the CPRA). "
        "Codes: no_official, official_without_title, no_exemption, late, "
        "catch_all_unexplained, not_in_writing, blanket_withholding, other_law_unnamed, "
        f"alpr_not_investigatory, personnel_law_on_policies. {_FLAGS_IN_CSV}"
    ),
    "letter_url": "Absolute URL of the denial letter on the request page ('' if not public).",
    "agency_received_on": (
        "Date the agency states it received the request, when it states one (ISO 8601)."
    ),
    "officials": (
        "Every person named as responsible for the denial, first official first: list of "
        "{name, title}. CSV: 'name, title; name, title', with a leading ' if it starts like a "
        "formula (see title)."
    ),
    "procedure_flags": (
        "Ways the agency's other responses to the request (extension notices, promised dates, "
        "fee estimates) fall short of the law: list of {code, label, citation}, as for "
        "deficiencies. Codes: extension_late, extension_no_reason, extension_reason_not_allowed, "
        "extension_no_date, extension_overlong, promise_beyond_maximum, disclosable_no_date, "
        f"fee_not_chargeable, fee_extraction, fee_basis_unstated. {_FLAGS_IN_CSV}"
    ),
}


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path else ""


def row_dict(row: DenialRow) -> dict:
    """A row as JSON-ready data with the keys of FIELDS, in that order."""
    return {
        "request_id": row.request_id,
        "request_url": absolute(row.request_url),
        "title": row.title,
        "agency": row.agency_name,
        "agency_slug": row.agency_slug,
        "agency_kind": row.agency_kind,
        "county": row.county,
        "law": row.law,
        "technologies": list(row.technologies),
        "filed_on": _iso(row.filed_on),
        "received_on": _iso(row.received_on),
        "denial_date": _iso(row.denial_date),
        "determination": row.kind,
        "days_to_respond": row.days_to_respond,
        "late": row.is_late,
        "days_late": row.days_late,
        "exemptions": [
            {"section": e.section, "former_section": e.former_section, "short_name": e.short_name}
            for e in row.exemptions
        ],
        "other_grounds": row.other_grounds,
        "official_name": row.official_name,
        "official_title": row.official_title,
        "official_named": row.official_named,
        "deficiencies": [f._asdict() for f in row.deficiencies],
        "letter_url": absolute(row.letter_url),
        "agency_received_on": _iso(row.agency_received_on),
        "officials": [{"name": name, "title": title} for name, title in row.officials],
        "procedure_flags": [f._asdict() for f in row.procedure_flags],
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


class _Echo:
    """The CSV writer writes into this and gets the line back, for streaming."""

    def write(self, value: str) -> str:
        return value


class _CsvCells:
    """The CSV line of a row: the cells of `row_dict`, in FIELDS order, lists joined by '; '.

    Built straight from the row, with the site's address, each exemption's text and each
    list of flags' text worked out once per export rather than once per row: this runs for
    every exported denial.
    """

    def __init__(self) -> None:
        self.site = settings.SITE_URL
        self.exemption_text: dict[int, str] = {}
        self.flags_text: dict[tuple[Flag, ...], str] = {}

    def _flags(self, flags: tuple[Flag, ...]) -> str:
        text = self.flags_text.get(flags)
        if text is None:
            text = self.flags_text[flags] = "; ".join(map(str, flags))
        return text

    def _exemption(self, e) -> str:
        text = self.exemption_text.get(e.id)
        if text is None:
            former = f"[{e.former_section}]" if e.former_section else ""
            text = " ".join(p for p in (e.section, former, e.short_name) if p)
            self.exemption_text[e.id] = text
        return text

    def __call__(self, row: DenialRow) -> list:
        site = self.site
        return [
            row.request_id,
            f"{site}{row.request_url}",
            row.title,
            row.agency_name,
            row.agency_slug,
            row.agency_kind,
            row.county,
            row.law,
            "; ".join(row.technologies),
            _iso(row.filed_on) or "",
            _iso(row.received_on) or "",
            _iso(row.denial_date) or "",
            row.kind,
            "" if row.days_to_respond is None else row.days_to_respond,
            "true" if row.is_late else "false",
            row.days_late,
            "; ".join(map(self._exemption, row.exemptions)),
            row.other_grounds,
            row.official_name,
            row.official_title,
            "true" if row.official_named else "false",
            self._flags(row.deficiencies),
            f"{site}{row.letter_url}" if row.letter_url else "",
            _iso(row.agency_received_on) or "",
            row.official,
            self._flags(row.procedure_flags),
        ]


def csv_stream(rows: QuerySet, *, lines_per_chunk: int = 500) -> Iterator[str]:
    """The CSV a few hundred lines per chunk: fewer, larger writes to the client.

    Every text cell goes through the spreadsheet-safe writer (a leading ' before a formula);
    the numbers stay numbers.
    """
    writer = SpreadsheetSafeWriter(_Echo())
    cells = _CsvCells()
    lines = [writer.writerow(list(FIELDS))]
    for row in iter_rows(rows):
        lines.append(writer.writerow(cells(row)))
        if len(lines) >= lines_per_chunk:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


def json_stream(rows: QuerySet, *, count: int, filters: dict, today: date) -> Iterator[str]:
    """One JSON document, written a row at a time: {fields, filters, generated_on, count, rows}."""
    head = json.dumps(
        {
            "fields": FIELDS,
            "filters": filters,
            "generated_on": today.isoformat(),
            "count": count,
        },
        ensure_ascii=False,
    )
    yield head[:-1] + ', "rows": ['
    batch, first = [], True
    for row in iter_rows(rows):
        batch.append(json.dumps(row_dict(row), ensure_ascii=False))
        if len(batch) == 200:
            yield ("" if first else ",") + ",".join(batch)
            batch, first = [], False
    if batch:
        yield ("" if first else ",") + ",".join(batch)
    yield "]}\n"


def atom_feed(
    rows: Iterable[DenialRow], *, title: str, link: str, feed_url: str, today: date
) -> Atom1Feed:
    feed = Atom1Feed(
        title=title,
        link=absolute(link),
        feed_url=absolute(feed_url),
        description="Denials of public-records requests about police surveillance technology.",
        language="en",
    )
    for row in rows:
        verb = "partly denied" if row.kind == DeterminationKind.PARTIAL else "denied"
        when = timezone.make_aware(datetime.combine(row.denial_date, time(12)))
        feed.add_item(
            title=f"{row.agency_name} {verb}: {row.title}",
            link=absolute(row.request_url),
            unique_id=absolute(f"{row.request_url}#determination-{row.determination_id}"),
            unique_id_is_permalink=False,
            description=_entry_summary(row),
            pubdate=when,
            updateddate=when,
            categories=[*row.technologies, *(e.citation for e in row.exemptions)],
        )
    return feed


def _entry_summary(row: DenialRow) -> str:
    parts = [f"{row.kind_label} of {row.denial_date:%-d %b %Y}"]
    if row.days_to_respond is not None:
        late = f", {row.days_late} days late" if row.is_late else ""
        parts.append(f"{row.days_to_respond} days after receipt{late}")
    parts.append(
        "Exemptions cited: " + ("; ".join(str(e) for e in row.exemptions) or "none")
        if row.exemptions or not row.other_grounds
        else f"Grounds cited: {row.other_grounds}"
    )
    if row.official_named:
        many = "s" if len(row.officials) > 1 else ""
        parts.append(f"Responsible official{many}: {row.official}")
    else:
        parts.append("No responsible official named")
    if row.deficiencies:
        parts.append("Deficiencies: " + "; ".join(map(str, row.deficiencies)))
    if row.procedure_flags:
        parts.append("Extensions, dates and fees: " + "; ".join(map(str, row.procedure_flags)))
    return ". ".join(parts) + "."
