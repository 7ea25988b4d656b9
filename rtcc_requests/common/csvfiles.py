"""CSV files in and out: what an uploaded file really is, and cells a spreadsheet cannot run."""

import csv
from collections.abc import Iterable

# OWASP's rule for CSV injection: a cell beginning with one of these may be read as a
# formula (or a DDE command) by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def not_csv_reason(head: bytes) -> str | None:
    """Why the first bytes of a file are not UTF-8 CSV text, or None if they may be."""
    if not head.strip():
        return "The file is empty."
    if head.startswith(b"%PDF"):
        return "This is a PDF, not a CSV file."
    if head.startswith(b"PK\x03\x04"):
        return "This is a ZIP archive or Excel workbook, not a CSV: save it as CSV."
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "This file is UTF-16 text: save it as CSV with UTF-8 encoding."
    if b"\x00" in head:
        return "This is a binary file, not a CSV (it contains NUL bytes)."
    return None


def spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet shows as text: a leading ' when it starts like a formula (OWASP)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


class SpreadsheetSafeWriter:
    """csv.writer that passes every text cell through `spreadsheet_safe`.

    Only `str` cells are changed: numbers the app writes as numbers (a negative count of
    days, say) stay numbers a spreadsheet can add up. Every CSV the app writes goes through
    this, so a requester's "=HYPERLINK(...)" title is never a live formula in a download.
    """

    def __init__(self, file, **fmtparams) -> None:
        self._writer = csv.writer(file, **fmtparams)

    def writerow(self, row: Iterable):
        return self._writer.writerow(
            [spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row]
        )

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)
