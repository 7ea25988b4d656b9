"""Values read from a URL or a form, bounded: out of bounds is no value, never an error page.

Anyone can put anything in a query string. An integer that no column can hold (SQLite
raises OverflowError beyond 2**63 - 1), a string of digits Python refuses to read (more than
4300), a digit that is not ASCII ("²" passes `str.isdigit()` and fails `int()`) or a NUL
(PostgreSQL refuses it in a query) must be "not found", not a server error.
"""

import re
import unicodedata

# PostgreSQL's bigint and SQLite's INTEGER: every id and count we store fits in it.
DB_INT_MAX = 2**63 - 1
DB_INT_MIN = -(2**63)
# ASCII digits only, and no more than the 19 an int64 has.
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")


def bounded_int(value: object, *, low: int = DB_INT_MIN, high: int = DB_INT_MAX) -> int | None:
    """`value` (text or an int) as an int if it is a whole number from `low` to `high`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if low <= number <= high else None


def db_id(value: object) -> int | None:
    """`value` as a row id the database can look up (1 to 2**63 - 1), or None."""
    return bounded_int(value, low=1)


def search_text(value: str | None, *, limit: int) -> str:
    """Typed search text: control characters (a NUL, a pasted tab) as spaces, at most
    `limit` characters, trimmed."""
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in value or "")
    return text.strip()[:limit].strip()
