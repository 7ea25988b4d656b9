"""What goes into a packet, under which name, described how: decided before a byte is written.

Every file is a `Member`: its path in the ZIP, what it is in words, and how to open its bytes
(a stored file, opened only when the ZIP is written; or a short text made here). The
communications are numbered in the timeline's order, and every file of one carries its
number and date, so the folders sort by date and the timeline can say which file is which.

Names never come from the user as they are: `safe_name` keeps letters, digits, dots and
dashes, never a directory, and every name starts with the number and date anyway.
"""

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parseaddr
from typing import BinaryIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from rtcc_requests.requests.choices import CommunicationKind, Direction, LetterKind, PdfStatus
from rtcc_requests.requests.letters.services import letter_public_copy, public_pdf_name
from rtcc_requests.requests.models import Attachment, Communication, RecordsRequest
from rtcc_requests.requests.selectors import TimelineItem, request_timeline

from .models import Audience

TIMELINE = "timeline.pdf"
MANIFEST_CSV = "manifest.csv"
MANIFEST_JSON = "manifest.json"
WITHHELD = "[reply address withheld]"
_NAME_LIMIT = 90
# Formats that are compressed already: deflating them again costs time and saves nothing.
_STORED_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/heic",
                 "image/heif", "application/zip", "application/pdf",
                 "application/vnd.openxmlformats-officedocument.",
                 "application/vnd.oasis.opendocument.")  # fmt: skip


@dataclass
class Member:
    path: str
    what: str
    day: date | None
    opener: Callable[[], BinaryIO]
    at: datetime | None = None
    compress: bool = True


@dataclass
class Row:
    """One line of the timeline PDF: a TimelineItem, its number and the files it left."""

    entry: TimelineItem
    number: str = ""
    files: list[str] = field(default_factory=list)


@dataclass
class Contents:
    members: list[Member]
    rows: list[Row]


class MissingFile(Exception):
    """A file the packet needs is not in storage; the message says which."""


def safe_name(name: str, *, fallback: str = "file") -> str:
    """`name` as a file name any system extracts as it is: ASCII letters, digits, dots and
    dashes, no directory, no leading dot, at most _NAME_LIMIT characters with the
    extension kept."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem, dot, extension = ascii_name.rpartition(".")
    if not dot:
        stem, extension = ascii_name, ""
    extension = re.sub(r"[^A-Za-z0-9]+", "", extension)[:10].lower()
    stem = re.sub(r"[^A-Za-z0-9.]+", "-", stem)
    stem = re.sub(r"-{2,}", "-", re.sub(r"\.{2,}", ".", stem)).strip("-.")
    stem = stem[: _NAME_LIMIT - len(extension) - 1].rstrip("-.") or fallback
    return f"{stem}.{extension}" if extension else stem


def unique_path(path: str, used: set[str]) -> str:
    """`path`, or `path` with -2, -3... before its extension if taken (case-insensitively:
    two names that differ only in case are one file on Windows and macOS)."""
    folder, _, name = path.rpartition("/")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    candidate, n = path, 1
    while candidate.lower() in used:
        n += 1
        renamed = f"{stem}-{n}.{extension}" if extension else f"{stem}-{n}"
        candidate = f"{folder}/{renamed}" if folder else renamed
    used.add(candidate.lower())
    return candidate


def withhold_reply_address(text: str, records_request: RecordsRequest) -> str:
    """The text without the request's reply address (anyone holding it could write to the
    requester's thread as the agency) nor any other request+<token> address of ours."""
    pattern = re.compile(
        rf"request\+[A-Za-z0-9]+@{re.escape(settings.MAIL_DOMAIN)}|"
        rf"{re.escape(records_request.reply_token)}",
        re.IGNORECASE,
    )
    return pattern.sub(WITHHELD, text or "")


def sender_of(communication: Communication) -> str:
    """The address a reply came from, without the display name."""
    return parseaddr(communication.from_address)[1] or communication.from_address


def describe(communication: Communication, day: date) -> str:
    """'Reply of 2026-11-24 from records@fresno.example' and the like."""
    on = day.isoformat()
    if communication.kind == CommunicationKind.LETTER:
        label = (
            LetterKind(communication.letter_kind).label if communication.letter_kind else "Letter"
        )
        to = f" to {communication.to_address}" if communication.to_address else ""
        return f"{label} of {on}{to}"
    if communication.direction == Direction.INCOMING:
        sender = sender_of(communication)
        return f"Reply of {on}" + (f" from {sender}" if sender else "")
    if communication.direction == Direction.OUTGOING:
        return f"Requester's answer to the agency of {on}"
    return f"Note of {on}"


def _compressible(content_type: str) -> bool:
    return not content_type.startswith(_STORED_TYPES)


def _stored(storage, name: str) -> Callable[[], BinaryIO]:
    def opener() -> BinaryIO:
        try:
            return storage.open(name, "rb")
        except FileNotFoundError as missing:
            raise MissingFile(name) from missing

    return opener


def _text(text: str) -> Callable[[], BinaryIO]:
    data = text.encode("utf-8")
    return lambda: io.BytesIO(data)


def _public_letter(communication: Communication) -> Callable[[], BinaryIO]:
    def opener() -> BinaryIO:
        path = public_pdf_name(communication.pdf.name)
        if not default_storage.exists(path):
            # Made at the letter's render; an older letter may lack it: make it now.
            path = letter_public_copy(communication_id=communication.pk)
        return _stored(default_storage, path)()

    return opener


def _text_copy(
    communication: Communication, what: str, *, public: bool, records_request: RecordsRequest
) -> str:
    """A communication as plain text: its headers as recorded, then its words."""
    sent = timezone.localtime(communication.sent_at)
    lines = [what, f"Date: {sent:%a %-d %b %Y %H:%M %Z}"]
    if communication.from_address:
        lines.append(f"From: {communication.from_address}")
    if communication.to_address and not public:
        lines.append(f"To: {communication.to_address}")
    if communication.subject:
        lines.append(f"Subject: {communication.subject}")
    text = "\n".join(lines) + "\n\n" + (communication.body or "") + "\n"
    return withhold_reply_address(text, records_request) if public else text


def contents(*, records_request: RecordsRequest, audience: str) -> Contents:
    """Every file of the packet but the timeline and the manifests, and the timeline's rows.

    `records_request` comes with its prefetches (selectors.request_for_build). The public
    packet leaves out private communications (their files too), determination notes and the
    original emails: a reply's original carries the secret reply address, so the public
    packet has its text instead, and each letter its public copy.
    """
    public = audience == Audience.PUBLIC
    timeline = request_timeline(records_request=records_request, include_private=not public)
    communications = [e for e in timeline if e.kind == "communication"]
    width = max(2, len(str(len(communications))))
    used = {TIMELINE, MANIFEST_CSV, MANIFEST_JSON}
    members: list[Member] = []
    rows: list[Row] = []
    number = 0
    for entry in timeline:
        row = Row(entry)
        rows.append(row)
        if entry.kind != "communication":
            continue
        number += 1
        row.number = f"{number:0{width}d}"
        made = _communication_members(
            entry.item,
            day=entry.day,
            prefix=f"{row.number}-{entry.day.isoformat()}",
            public=public,
            records_request=records_request,
        )
        for member in made:
            member.path = unique_path(member.path, used)
            member.at = member.at or timezone.localtime(entry.item.sent_at)
            row.files.append(member.path)
        members.extend(made)
    return Contents(members, rows)


def _communication_members(
    c: Communication, *, day: date, prefix: str, public: bool, records_request: RecordsRequest
) -> list[Member]:
    what = describe(c, day)
    text = _text_copy(c, what, public=public, records_request=records_request)
    if public:
        what = withhold_reply_address(what, records_request)
    found: list[Member] = []
    if c.kind == CommunicationKind.LETTER:
        stem = f"letters/{prefix}-{safe_name((c.letter_kind or 'letter').replace('_', '-'))}"
        stem += "" if stem.endswith("letter") else "-letter"
        if c.pdf_status == PdfStatus.READY and c.pdf:
            if public:
                found.append(
                    Member(
                        f"{stem}.pdf",
                        f"{what}, public copy (the requester's address, phone and email left out)",
                        day,
                        _public_letter(c),
                        compress=False,
                    )
                )
            else:
                found.append(
                    Member(
                        f"{stem}.pdf",
                        f"{what}, as sent (PDF)",
                        day,
                        _stored(c.pdf.storage, c.pdf.name),
                        compress=False,
                    )
                )
        else:
            why = {PdfStatus.PENDING: "not made yet", PdfStatus.FAILED: "could not be made"}
            state = why.get(c.pdf_status, "not made")
            found.append(
                Member(f"{stem}.txt", f"{what}, its text (the PDF {state})", day, _text(text))
            )
        if c.raw_message and not public:
            found.append(
                Member(
                    f"{stem}.eml",
                    f"{what}, the email exactly as it went to the mail server",
                    day,
                    _stored(c.raw_message.storage, c.raw_message.name),
                )
            )
    elif c.direction == Direction.INCOMING:
        sender = safe_name(sender_of(c).replace("@", "-"), fallback="agency")
        stem = f"replies/{prefix}-reply-{sender}"
        if c.raw_message and not public:
            found.append(
                Member(
                    f"{stem}.eml",
                    f"{what}, as received (the original email)",
                    day,
                    _stored(c.raw_message.storage, c.raw_message.name),
                )
            )
        else:
            kept = "; the original email is in the full packet only" if c.raw_message else ""
            found.append(
                Member(f"{stem}.txt", f"{what}, its text as recorded{kept}", day, _text(text))
            )
    elif c.direction == Direction.OUTGOING:
        found.append(
            Member(
                f"letters/{prefix}-answer-to-the-agency.txt",
                f"{what}, its text as logged",
                day,
                _text(text),
            )
        )
    else:
        found.append(Member(f"notes/{prefix}-note.txt", f"{what}, its text", day, _text(text)))
    for attachment in c.attachments.all():
        found.append(_attachment_member(attachment, what=what, day=day, prefix=prefix))
    return found


def _attachment_member(attachment: Attachment, *, what: str, day: date, prefix: str) -> Member:
    return Member(
        f"documents/{prefix}-{safe_name(attachment.filename, fallback='attachment')}",
        f"Attachment “{attachment.filename}” ({attachment.content_type}) of the "
        f"{what[0].lower()}{what[1:]}, original bytes",
        day,
        _stored(attachment.file.storage, attachment.file.name),
        compress=_compressible(attachment.content_type),
    )
