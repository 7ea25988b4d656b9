"""The numbered items of what a request asks for, read from the records sought as written.

Pure: the same text always gives the same items, so the letter (which carries the text) and
the items the agency's answer is recorded against can never disagree.
"""

import re
from dataclasses import dataclass

from .choices import DeterminationKind, ItemOutcome

_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(\S.*)$")
MAX_ITEMS = 60  # more than any checklist; a longer list is read as its first 60 items


@dataclass(frozen=True)
class Item:
    number: int
    text: str


def numbered_items(text: str) -> list[Item]:
    """The items of a numbered list ("1. ...", "2) ..."); lines after one that are not
    numbered belong to it until a blank line. The numbers as typed when they run upwards
    without repeats, otherwise the items' order (so each item has one number)."""
    found: list[list] = []
    open_item = False
    for line in text.splitlines():
        match = _NUMBERED.match(line)
        if match:
            found.append([int(match.group(1)), match.group(2).strip()])
            open_item = True
        elif not line.strip():
            open_item = False
        elif open_item:
            found[-1][1] += " " + line.strip()
    found = found[:MAX_ITEMS]
    typed = [number for number, _ in found]
    upwards = all(a < b for a, b in zip(typed, typed[1:], strict=False)) and all(typed)
    return [
        Item(number if upwards else index, " ".join(body.split()))
        for index, (number, body) in enumerate(found, start=1)
    ]


def text_key(text: str) -> str:
    """An item's text as compared with a checklist item's (spacing, case, last full stop
    aside): how an item typed or edited by hand is still known as the checklist's."""
    return " ".join(text.casefold().split()).rstrip(".")


def as_list(asks: list[str], *, start: int = 1) -> str:
    """Checklist items as the numbered lines a letter carries."""
    return "\n".join(f"{number}. {ask}" for number, ask in enumerate(asks, start=start))


def with_items(text: str, asks: list[str]) -> str:
    """`text` with the asks it does not list yet added as numbered items after its own."""
    present = numbered_items(text)
    have = {text_key(i.text) for i in present}
    new = [a for a in asks if text_key(a) not in have]
    if not new:
        return text
    start = (present[-1].number if present else 0) + 1
    head = text.rstrip()
    return (
        f"{head}\n{as_list(new, start=start)}"
        if present
        else (f"{head}\n\n{as_list(new, start=start)}" if head else as_list(new, start=start))
    )


# What a determination says of every item it does not break down: "records released" is
# each item released, a denial each one withheld. The others (a partial release, an
# acknowledgement, an extension...) say nothing of one item without the requester's reading.
KIND_OUTCOME = {
    DeterminationKind.RELEASED: ItemOutcome.RELEASED,
    DeterminationKind.NO_RECORDS: ItemOutcome.NO_RECORDS,
    DeterminationKind.DENIAL: ItemOutcome.WITHHELD,
    DeterminationKind.DISCLOSABLE: ItemOutcome.PROMISED,
}
# The kinds whose answer can be recorded item by item.
ITEMIZED_KINDS = (
    DeterminationKind.DISCLOSABLE,
    DeterminationKind.INSTALLMENT,
    DeterminationKind.RELEASED,
    DeterminationKind.PARTIAL,
    DeterminationKind.NO_RECORDS,
    DeterminationKind.DENIAL,
)


@dataclass(frozen=True)
class OutcomeInput:
    """One item's outcome as the requester records it."""

    number: int
    outcome: str
    exemption_id: int | None = None
    promised_on: object = None  # a date
