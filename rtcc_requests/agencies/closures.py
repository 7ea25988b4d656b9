"""Agency closure days from a CSV file (manage.py import_closures).

A closure day is a whole day an agency's office is closed (a furlough day, a city holiday);
Code Civ. Proc. §12b makes it a holiday for that agency's deadlines. The file has the header
`agency,day,reason,source`: the agency's slug, the day as YYYY-MM-DD, why the office is closed,
and (optionally) where that is announced. Rows are upserted on (agency, day). The import is all
or nothing: one bad row and nothing is written, every bad row is reported with its line number.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from rtcc_requests.common.csvfiles import not_csv_reason

from .models import Agency, ClosureDay
from .signals import closure_days_changed

COLUMNS = ("agency", "day", "reason", "source")
REQUIRED = ("agency", "day", "reason")
HEADER = ",".join(COLUMNS)

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_REASON_MAX = ClosureDay._meta.get_field("reason").max_length
_SOURCE_MAX = ClosureDay._meta.get_field("source").max_length
_is_web_address = URLValidator(schemes=["http", "https"])


class NotClosureCsv(ValueError):
    """The file cannot be read as a closure-days CSV at all; the message is one line."""


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class ClosureRow:
    line: int
    agency: str  # slug
    day: date
    reason: str
    source: str


@dataclass(frozen=True)
class ClosureImport:
    created: int = 0
    updated: int = 0
    errors: tuple[RowError, ...] = ()  # when any, nothing was written

    def summary(self) -> str:
        total = self.created + self.updated
        days = "day" if total == 1 else "days"
        return f"{total} closure {days} imported ({self.created} created, {self.updated} updated)"


def closures_import(*, data: bytes) -> ClosureImport:
    """Upsert the closure days in a CSV file (bytes); all of them, or none if a row is bad.

    NotClosureCsv, with one line, when the file is not such a CSV (not text, no header).
    """
    checked = _read(data)
    slugs = {line.agency for line in checked if line.agency}
    agency_ids = dict(Agency.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    for line in checked:
        if line.agency and line.agency not in agency_ids:
            line.problems.insert(0, f"unknown agency {line.agency!r}")
    errors = tuple(RowError(c.line, "; ".join(c.problems)) for c in checked if c.problems)
    if errors:
        return ClosureImport(errors=errors)
    rows = [line.row for line in checked if line.row is not None]
    with transaction.atomic():
        existing = set(
            ClosureDay.objects.filter(agency_id__in=agency_ids.values()).values_list(
                "agency_id", "day"
            )
        )
        closures = [
            ClosureDay(
                agency_id=agency_ids[row.agency], day=row.day, reason=row.reason, source=row.source
            )
            for row in rows
        ]
        # One upsert on the (agency, day) constraint: a concurrent import cannot make it fail.
        ClosureDay.objects.bulk_create(
            closures,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["agency", "day"],
            update_fields=["reason", "source"],
        )
        closure_days_changed.send(sender=ClosureDay, agency_ids={c.agency_id for c in closures})
    updated = sum((c.agency_id, c.day) in existing for c in closures)
    return ClosureImport(created=len(closures) - updated, updated=updated)


@dataclass
class _Checked:
    """One line of the file: the agency it names, the row if it is good, what is wrong."""

    line: int
    agency: str = ""
    row: ClosureRow | None = None
    problems: list[str] = field(default_factory=list)


def _read(data: bytes) -> list[_Checked]:
    reader = csv.reader(io.StringIO(_text(data), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise NotClosureCsv("The file is empty.") from None
    except csv.Error as error:
        raise NotClosureCsv(f"Not a CSV file: {error}.") from error
    columns = _columns(header)
    checked: list[_Checked] = []
    first_line: dict[tuple[str, date], int] = {}
    previous_end = reader.line_num  # a quoted cell may span lines
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            checked.append(_Checked(previous_end + 1, problems=[f"unreadable CSV: {error}"]))
            previous_end = reader.line_num
            continue
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        one = _check(cells, line=line, columns=columns)
        if one.row is not None:
            key = (one.row.agency, one.row.day)
            if key in first_line:
                one.problems.append(
                    f"{one.row.day} for {one.row.agency} is already on line {first_line[key]}"
                )
            first_line.setdefault(key, line)
        checked.append(one)
    return checked


def _text(data: bytes) -> str:
    if (reason := not_csv_reason(data[:8192])) is not None:
        raise NotClosureCsv(reason)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotClosureCsv(
            f"This file is not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}): save it as CSV with UTF-8 encoding."
        ) from error


def _columns(header: list[str]) -> dict[str, int]:
    names = [" ".join(name.split()).lower() for name in header]
    found = ", ".join(name[:30] for name in names[:6] if name) or "nothing"
    expected = f"the first row must be the header {HEADER} (source may be left out)"
    unknown = [name for name in names if name and name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in names]
    if missing or unknown:
        raise NotClosureCsv(f"Not a closure-days CSV: {expected}; it has: {found}.")
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise NotClosureCsv(f"The header names {', '.join(repeated)} more than once.")
    return {name: index for index, name in enumerate(names) if name}


def _check(cells: list[str], *, line: int, columns: dict[str, int]) -> _Checked:
    value = {
        name: " ".join(cells[index].split()) if index < len(cells) else ""
        for name, index in columns.items()
    }
    value.setdefault("source", "")
    checked = _Checked(line, agency=value["agency"])
    problems = checked.problems
    width = max(columns.values()) + 1
    if any(cell.strip() for cell in cells[width:]):
        problems.append(f"more cells than the header has columns ({width})")
    if not value["agency"]:
        problems.append("no agency")
    day = _day(value["day"])
    if not value["day"]:
        problems.append("no day")
    elif day is None:
        problems.append(f"day {value['day']!r} is not a date as YYYY-MM-DD")
    if not value["reason"]:
        problems.append("no reason")
    elif len(value["reason"]) > _REASON_MAX:
        problems.append(f"reason is longer than {_REASON_MAX} characters")
    if value["source"] and not _web_address(value["source"]):
        problems.append(f"source {value['source'][:80]!r} is not an http(s) address")
    if not problems and day is not None:
        checked.row = ClosureRow(line, value["agency"], day, value["reason"], value["source"])
    return checked


def _day(value: str) -> date | None:
    if not _ISO_DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _web_address(value: str) -> bool:
    if len(value) > _SOURCE_MAX:
        return False
    try:
        _is_web_address(value)
    except ValidationError:
        return False
    return True
