"""Reading an Atlas of Surveillance CSV export into checked rows (no database here).

The column layout is in ../shared/cpra.md. Every header name the importer understands
is in HEADER_ALIASES, so an older or renamed export loads by adding an alias there.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from rtcc_requests.common.csvfiles import not_csv_reason

from .normalise import clean_space

MAX_LINKS = 9


def _link_aliases() -> dict[str, tuple[str, ...]]:
    aliases: dict[str, tuple[str, ...]] = {}
    for n in range(1, MAX_LINKS + 1):
        aliases[f"link{n}_url"] = (f"Link {n}", f"Link {n} URL", f"Source {n}", f"Link{n}")
        aliases[f"link{n}_snapshot"] = (f"Link {n} Snapshot", f"Link {n} Archive")
        aliases[f"link{n}_source"] = (f"Link {n} Source", f"Link {n} Title")
        aliases[f"link{n}_type"] = (f"Link {n} Type", f"Link {n} Source Type")
        aliases[f"link{n}_date"] = (f"Link {n} Date", f"Date {n}")
    return aliases


# Our field name -> every header seen for it (compared ignoring case, spaces, punctuation).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "aos_id": ("AOSNUMBER", "AOS Number", "AOS ID", "AOS_ID"),
    "ori": ("NEWAOSNUMBER (ORI9)", "NEWAOSNUMBER", "ORI9", "ORI", "ORI Number"),
    "city": ("City",),
    "county": ("County",),
    "state": ("State", "State Code", "ST"),
    "agency": ("Agency", "Agency Name", "Law Enforcement Agency"),
    "lea_type": ("Type of LEA", "LEA Type", "Agency Type"),
    "summary": ("Summary", "Description"),
    "juris_type": ("Type of Juris", "Type of Jurisdiction", "Jurisdiction Type"),
    "technology": ("Technology", "Technology Type", "Tech"),
    "tech_abbr": ("TECH ABV", "Tech Abbreviation", "TECH ABBR"),
    "vendor": ("Vendor", "Vendors", "Vendor Name"),
    "other_links": ("Other Links", "Other Sources", "Additional Links"),
    **_link_aliases(),
}
REQUIRED = ("aos_id", "agency", "state", "technology")

_SURROGATE = re.compile("[\udc80-\udcff]")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_STATE = re.compile(r"[A-Z]{2}")
_HTTP = re.compile(r"https?://\S+", re.IGNORECASE)
_URL_SPLIT = re.compile(r"[\s,;|]+")


class NotAtlasCsv(ValueError):
    """The file cannot be read as an Atlas CSV at all; the message is one line."""


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str
    aos_id: str = ""

    def __str__(self) -> str:
        ident = f" ({self.aos_id})" if self.aos_id else ""
        return f"line {self.line}{ident}: {self.reason}"


@dataclass
class AtlasRow:
    line: int
    aos_id: str
    ori: str
    agency: str
    state: str
    city: str
    county: str
    lea_type: str
    juris_type: str
    technology: str
    vendor: str
    summary: str
    sources: list[dict] = field(default_factory=list)
    first_reported: date | None = None


def _header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_ALIAS_LOOKUP = {_header_key(a): canon for canon, names in HEADER_ALIASES.items() for a in names}


def _sniff_binary(head: bytes) -> None:
    if (reason := not_csv_reason(head)) is not None:
        raise NotAtlasCsv(reason)


def read_atlas(data: bytes) -> Iterator[AtlasRow | RowError]:
    """Check the header now (NotAtlasCsv if unusable), then yield each row or its error."""
    _sniff_binary(data[:8192])
    # surrogateescape keeps undecodable bytes so each bad row can be reported on its own.
    text = io.TextIOWrapper(
        io.BytesIO(data), encoding="utf-8-sig", errors="surrogateescape", newline=""
    )
    reader = csv.reader(text)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as error:
        raise NotAtlasCsv(f"Not a CSV file: {error or 'no header row'}.") from error
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for index, name in enumerate(header):
        canon = _ALIAS_LOOKUP.get(_header_key(name))
        if canon and canon not in columns:
            columns[canon], labels[canon] = index, clean_space(name)
    missing = [HEADER_ALIASES[c][0] for c in REQUIRED if c not in columns]
    if missing:
        found = ", ".join(clean_space(h)[:30] for h in header[:6]) or "nothing"
        raise NotAtlasCsv(
            f"Not an Atlas of Surveillance CSV: no {', '.join(missing)} column "
            f"(the first row has: {found})."
        )
    return _rows(reader, columns, labels)


def _rows(reader, columns: dict[str, int], labels: dict[str, str]):
    previous_end = reader.line_num  # the header may span lines too
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield RowError(previous_end + 1, f"unreadable CSV: {error}")
            previous_end = reader.line_num
            continue
        line, previous_end = previous_end + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        yield parse_row(cells, line=line, columns=columns, labels=labels)


def _parse_date(value: str) -> date | None:
    """US style 12/27/2012 (or 12/27/12) as in Atlas exports; ISO 2012-12-27 too."""
    match = _US_DATE.fullmatch(value)
    try:
        if match:
            month, day, year = int(match[1]), int(match[2]), int(match[3])
            return date(year + 2000 if year < 100 else year, month, day)
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _url(value: str) -> str | None:
    """An http(s) address, or None: other schemes (javascript:, file:) are never stored."""
    value = value.strip()
    if value.lower().startswith("www."):
        value = "https://" + value
    return value if _HTTP.fullmatch(value) else None


def parse_row(
    cells: list[str], *, line: int, columns: dict[str, int], labels: dict[str, str]
) -> AtlasRow | RowError:
    aos_index = columns["aos_id"]
    aos_hint = cells[aos_index].strip() if aos_index < len(cells) else ""
    if len(cells) <= max(columns.values()):
        short = [labels[c] for c, i in columns.items() if i >= len(cells)]
        return RowError(line, f"missing columns: {', '.join(short)}", aos_hint)
    # One search over the whole row; the column is looked up only for a bad row.
    if _SURROGATE.search("".join(cells)):
        canon, index = next((c, i) for c, i in columns.items() if _SURROGATE.search(cells[i]))
        byte = ord(_SURROGATE.search(cells[index]).group()) - 0xDC00
        reason = f"bad encoding: {labels[canon]} is not valid UTF-8 (byte 0x{byte:02x})"
        return RowError(line, reason, "" if canon == "aos_id" else aos_hint)
    value = {c: clean_space(cells[i]) for c, i in columns.items() if cells[i]}
    for canon in REQUIRED:
        if not value.get(canon):
            return RowError(line, f"missing value for {labels[canon]}", aos_hint)
    if len(value["aos_id"]) > 20:
        return RowError(line, f"{labels['aos_id']} is longer than 20 characters", "")
    state = value["state"].upper()
    if not _STATE.fullmatch(state):
        return RowError(line, f"{labels['state']} {value['state']!r} is not a two-letter code")
    sources: list[dict] = []
    dates: list[date] = []
    for n in range(1, MAX_LINKS + 1):
        if (
            f"link{n}_url" not in value
            and f"link{n}_date" not in value
            and (f"link{n}_source" not in value)
        ):
            continue
        raw_url, raw_date = value.get(f"link{n}_url", ""), value.get(f"link{n}_date", "")
        title, kind = value.get(f"link{n}_source", ""), value.get(f"link{n}_type", "")
        if not (raw_url or raw_date or title):
            continue
        url = _url(raw_url) if raw_url else ""
        if url is None:
            label = labels[f"link{n}_url"]
            return RowError(line, f"{label} {raw_url[:60]!r} is not an http(s) address", aos_hint)
        when = _parse_date(raw_date) if raw_date else None
        if raw_date and when is None:
            label = labels[f"link{n}_date"]
            reason = f"{label} {raw_date!r} is not a date (expected MM/DD/YYYY)"
            return RowError(line, reason, aos_hint)
        if when:
            dates.append(when)
        source = {
            "title": title,
            "url": url,
            "date": when.isoformat() if when else "",
            "type": kind,
        }
        archive = _url(value.get(f"link{n}_snapshot", ""))
        if archive:
            source["archive"] = archive
        sources.append(source)
    for token in _URL_SPLIT.split(value.get("other_links", "")):
        url = _url(token) if token else None
        if url:
            sources.append({"title": "", "url": url, "date": "", "type": "Other"})
    return AtlasRow(
        line=line,
        aos_id=value["aos_id"].upper(),
        ori=value.get("ori", "")[:20],
        agency=value["agency"],
        state=state,
        city=value.get("city", "")[:100],
        county=value.get("county", "")[:100],
        lea_type=value.get("lea_type", ""),
        juris_type=value.get("juris_type", ""),
        technology=value["technology"],
        vendor=value.get("vendor", ""),
        summary=value.get("summary", ""),
        sources=sources,
        first_reported=min(dates) if dates else None,
    )
