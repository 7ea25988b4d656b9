"""Reading an Atlas of Surveillance CSV export into checked rows (no database here).

The column layout is in ../shared/cpra.md. Every header name the importer understands
is in HEADER_ALIASES, so an older or renamed export loads by adding an alias there.

The file is read as a stream: the whole Atlas export (tens of thousands of rows) is decoded
a chunk at a time, and only the lines of the record being read are kept.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from rtcc_requests.common.csvfiles import not_csv_reason

from .normalise import agency_display_name, clean_space, vendor_display_name

MAX_LINKS = 9
# How much of the file is checked for binary content before it is read as text.
SNIFF_BYTES = 8192
# What each stored name holds (the models' max_length; tests/agencies/test_atlas.py checks
# they agree). A longer value is the row's error: cut short, two names could become one.
MAX_LENGTH = {"aos_id": 20, "ori": 20, "agency": 200, "vendor": 150}


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
_HAS_LETTER = re.compile("[A-Za-z]")
_HAS_DIGIT = re.compile("[0-9]")


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


def _shown(text: str) -> str:
    """Text for a message: an undecodable byte as "\ufffd", which a terminal can print."""
    return _SURROGATE.sub("\ufffd", text)


def _sniff_binary(head: bytes) -> None:
    if (reason := not_csv_reason(head)) is not None:
        raise NotAtlasCsv(reason)


def _read_head(stream: BinaryIO) -> bytes:
    """The first SNIFF_BYTES of the file (fewer only at its end), however read() splits it."""
    parts, size = [], 0
    while size < SNIFF_BYTES and (part := stream.read(SNIFF_BYTES - size)):
        parts.append(part)
        size += len(part)
    return b"".join(parts)


class _HeadThenRest(io.RawIOBase):
    """The bytes already read to sniff the file, then the rest of it: the whole file again.

    This (not seek) so that any readable stream works, and so that closing the text reader
    wrapped around it never closes the caller's file.
    """

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _Lines:
    """The file's physical lines, fed to csv.reader one by one; `read` can be set back.

    `read` is how many lines the reader has taken, so the number of the last one. Setting it
    back makes the reader read those lines again: after an unterminated quote, the lines the
    quoted cell ran into are read as the rows they are. Only lines from `forget_before` on
    are kept (the record being read, which csv's field size limit bounds), not the file.
    """

    def __init__(self, text: io.TextIOBase) -> None:
        # Read with newline="": a line ends where csv.reader would end it, at \r\n, \n or
        # \r, and keeps its line break.
        self._source = text
        self._kept: list[str] = []  # lines numbered _first, _first + 1, ...
        self._first = 1
        self._exhausted = False
        self.read = 0

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        if not self._has(self.read + 1):
            raise StopIteration
        self.read += 1
        return self._kept[self.read - self._first]

    def _has(self, number: int) -> bool:
        """Whether the file has a line `number`, reading on to it if need be."""
        while number >= self._first + len(self._kept) and not self._exhausted:
            line = self._source.readline()
            if line:
                self._kept.append(line)
            else:
                self._exhausted = True
        return number < self._first + len(self._kept)

    def is_last(self, number: int) -> bool:
        return not self._has(number + 1)

    def between(self, first: int, last: int) -> list[str]:
        """Lines first to last (inclusive), all still kept."""
        return self._kept[first - self._first : last - self._first + 1]

    def forget_before(self, number: int) -> None:
        """Lines before `number` will not be read again."""
        drop = min(number - self._first, len(self._kept))
        if drop > 0:
            del self._kept[:drop]
            self._first += drop


def read_atlas(data: bytes | BinaryIO) -> Iterator[AtlasRow | RowError]:
    """Check the header now (NotAtlasCsv if unusable), then yield each row or its error.

    `data` is the file's bytes or a binary file object, read from where it stands; the rows
    are read from it as they are asked for, so it must stay open until they are all read.
    """
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data
    head = _read_head(stream)
    _sniff_binary(head)
    # surrogateescape keeps undecodable bytes so each bad row can be reported on its own;
    # the decoder is incremental, so a character split between two reads is still one.
    text = io.TextIOWrapper(
        io.BufferedReader(_HeadThenRest(head, stream)),
        encoding="utf-8-sig",
        errors="surrogateescape",
        newline="",
    )
    lines = _Lines(text)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as error:
        raise NotAtlasCsv(f"Not a CSV file: {error or 'no header row'}.") from error
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for index, name in enumerate(header):
        canon = _ALIAS_LOOKUP.get(_header_key(name))
        if canon and canon not in columns:
            columns[canon], labels[canon] = index, _shown(clean_space(name))
    missing = [HEADER_ALIASES[c][0] for c in REQUIRED if c not in columns]
    if missing:
        found = ", ".join(_shown(clean_space(h))[:30] for h in header[:6]) or "nothing"
        raise NotAtlasCsv(
            f"Not an Atlas of Surveillance CSV: no {', '.join(missing)} column "
            f"(the first row has: {found})."
        )
    names = [_shown(clean_space(h)) for h in header]
    return _rows(reader, lines, _Layout(columns, labels, names))


@dataclass(frozen=True)
class _Layout:
    columns: dict[str, int]  # our field name -> its column
    labels: dict[str, str]  # our field name -> the file's header for it
    header: list[str]  # every header cell, in order

    def label(self, index: int) -> str:
        return self.header[index] if index < len(self.header) else f"column {index + 1}"


def _rows(reader, lines: _Lines, layout: _Layout):
    last_id = ""  # the AOSNUMBER of the last good row: what the start of a row looks like
    while True:
        start = lines.read + 1  # the physical line this record starts on
        lines.forget_before(start)
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if lines.read > start:  # a cell ran on over lines until csv gave up on it
                reason = (
                    f"unterminated quote (a quoted cell runs on to line {lines.read}: {error}); "
                    "the lines after this one are read again as rows"
                )
                yield RowError(start, reason)
                lines.read = start
            else:
                yield RowError(start, f"unreadable CSV: {error}")
            continue
        if (problem := _open_quote(cells, lines, start, layout, last_id)) is not None:
            yield problem
            lines.read = start  # the lines the quoted cell took in are rows of their own
            continue
        if not any(c.strip() for c in cells):
            continue
        item = parse_row(cells, line=start, columns=layout.columns, labels=layout.labels)
        if isinstance(item, AtlasRow):
            last_id = item.aos_id
        yield item


def _open_quote(
    cells: list[str], lines: _Lines, start: int, layout: _Layout, last_id: str
) -> RowError | None:
    """The error for a record whose quoted cell never closed where it should have, or None.

    A quote left open makes csv read on, over line breaks, until the next quote character
    somewhere below, so the record swallows the rows in between. It is told from a cell that
    really holds line breaks (a Summary of two paragraphs) by what the record looks like: too
    few or too many cells for a row, a line inside it that starts like a row (an AOSNUMBER
    shaped like this row's or the last good one's, then a comma), or a quote still open at the
    end of the file.
    """
    end = lines.read
    at_end = lines.is_last(end) and _ends_inside_quotes(lines.between(start, end))
    if end == start and not at_end:
        return None
    index = next(
        (i for i, c in enumerate(cells) if "\n" in c or "\r" in c),
        len(cells) - 1,  # open at the very end of a file with no final line break
    )
    aos_index = layout.columns["aos_id"]
    own_id = cells[aos_index].strip() if aos_index < index else ""
    if not at_end:
        width_ok = max(layout.columns.values()) < len(cells) <= len(layout.header)
        shape = _id_shape(own_id) or _id_shape(last_id)
        swallowed = shape is not None and any(
            _starts_like_a_row(line, aos_index, shape) for line in lines.between(start + 1, end)
        )
        if width_ok and not swallowed:
            return None
    where = "to the end of the file" if at_end else f"to line {end}"
    reread = "; the lines after this one are read again as rows" if end > start else ""
    reason = f"unterminated quote in {layout.label(index)} (the cell runs on {where}{reread})"
    hint = _shown(own_id) if len(own_id) <= MAX_LENGTH["aos_id"] else ""
    return RowError(start, reason, hint)


def _ends_inside_quotes(raw_lines: list[str]) -> bool:
    """Whether these lines (a record at the end of the file) end inside a quoted cell."""
    try:
        for _ in csv.reader(raw_lines, strict=True):
            pass
    except csv.Error as error:
        return "end of data" in str(error)  # csv's words for "a quote is still open"
    return False


def _id_shape(aos_id: str) -> re.Pattern | None:
    """What another row's AOSNUMBER looks like: "AOS000123" gives AOS\\d+ (None if unsure)."""
    if not (_HAS_LETTER.search(aos_id) and _HAS_DIGIT.search(aos_id)):
        return None  # "2019" could start a line of prose as well as a row
    return re.compile(re.sub(r"\d+", r"\\d+", re.escape(aos_id)), re.IGNORECASE)


def _starts_like_a_row(line: str, aos_index: int, shape: re.Pattern) -> bool:
    cells = next(csv.reader([line]), [])
    return len(cells) > aos_index + 1 and bool(shape.fullmatch(cells[aos_index].strip()))


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
    aos_hint = _shown(cells[aos_index].strip()) if aos_index < len(cells) else ""
    if len(cells) <= max(columns.values()):
        short = [labels[c] for c, i in columns.items() if i >= len(cells)]
        return RowError(line, f"missing columns: {', '.join(short)}", aos_hint)
    # One search over the whole row; the column is looked up only for a bad row, and a
    # column the import does not read may hold anything.
    joined = "".join(cells)
    if _SURROGATE.search(joined):
        bad = next((c for c, i in columns.items() if _SURROGATE.search(cells[i])), None)
        if bad is not None:
            byte = ord(_SURROGATE.search(cells[columns[bad]]).group()) - 0xDC00
            reason = f"bad encoding: {labels[bad]} is not valid UTF-8 (byte 0x{byte:02x})"
            return RowError(line, reason, "" if bad == "aos_id" else aos_hint)
    if "\x00" in joined:  # PostgreSQL cannot store it in text
        bad = next((c for c, i in columns.items() if "\x00" in cells[i]), None)
        if bad is not None:
            reason = f"{labels[bad]} contains a NUL character"
            return RowError(line, reason, "" if bad == "aos_id" else aos_hint)
    value = {c: clean_space(cells[i]) for c, i in columns.items() if cells[i]}
    for canon in REQUIRED:
        if not value.get(canon):
            return RowError(line, f"missing value for {labels[canon]}", aos_hint)
    # Measured as stored: "PD" is written out as "Police Department".
    for canon, stored in (
        ("aos_id", value["aos_id"]),
        ("ori", value.get("ori", "")),
        ("agency", agency_display_name(value["agency"])),
        ("vendor", vendor_display_name(value.get("vendor", ""))),
    ):
        if len(stored) > MAX_LENGTH[canon]:
            reason = (
                f"{labels[canon]} is longer than {MAX_LENGTH[canon]} characters ({len(stored)})"
            )
            return RowError(line, reason, "" if canon == "aos_id" else aos_hint)
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
        ori=value.get("ori", ""),
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
