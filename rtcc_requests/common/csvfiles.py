"""Telling a user, in one line, that the file they uploaded as CSV is something else."""


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
