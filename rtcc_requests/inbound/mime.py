"""Turn a raw RFC 5322 message into what we store: headers, a text body, checked files.

Only the standard library's `email` package (policy=default). Nothing here touches the
database; every attachment is either accepted or refused, with a reason a person can act on,
by the one attachment policy that uploads go through too (requests.attachment_policy).
"""

import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses

from rtcc_requests.requests.attachment_policy import AttachmentRefused, accepted_type

from .html_text import html_to_text
from .senders import raw_header_values, strict_from

MAX_FORWARD_DEPTH = 3
RECIPIENT_HEADERS = ("to", "cc", "delivered-to", "x-original-to", "envelope-to", "resent-to")


@dataclass
class IncomingFile:
    filename: str
    content_type: str
    data: bytes


@dataclass
class RefusedFile:
    filename: str
    content_type: str
    size: int
    reason: str


@dataclass
class ParsedMessage:
    message_id: str
    from_header: str
    from_address: str
    to_header: str
    recipients: list[str]
    subject: str
    sent_at: datetime
    body: str
    attachments: list[IncomingFile] = field(default_factory=list)
    refused: list[RefusedFile] = field(default_factory=list)
    # Why the From header names no one sender for sure ("" when it does): senders.strict_from.
    from_problem: str = ""
    # The Authentication-Results headers as they came, topmost (the last one added) first.
    authentication_results: list[str] = field(default_factory=list)


def _header(message: EmailMessage, name: str) -> str:
    """A header as text; a malformed one falls back to its raw value, never raises."""
    try:
        return str(message.get(name, "") or "").strip()
    except Exception:  # noqa: BLE001 - any broken header must not lose the message
        for key, value in message.raw_items():
            if key.lower() == name:
                return str(value).encode("utf-8", "replace").decode("utf-8").strip()
        return ""


def _sent_at(message: EmailMessage) -> datetime:
    try:
        when = message["date"].datetime if message["date"] else None
    except Exception:  # noqa: BLE001 - unparseable Date header
        when = None
    if when is None:
        return datetime.now(UTC)
    # "-0000" (zone unknown) parses as naive: RFC 5322 says to read it as UTC.
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _message_id(message: EmailMessage, raw: bytes) -> str:
    value = _header(message, "message-id")
    if value and len(value) <= 300:
        return value
    return fallback_message_id(value.encode() if value else raw)


def fallback_message_id(content: bytes) -> str:
    """No (usable) Message-ID: the content identifies the message, so a re-delivery matches."""
    return f"<{hashlib.sha256(content).hexdigest()}@no-message-id.invalid>"


def safe_filename(name: str, content_type: str, index: int) -> str:
    """No directories, control characters or leading dots; at most 150 characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]+", "_", name).strip(" .")
    if not name:
        extension = mimetypes.guess_extension(content_type) or ".bin"
        name = f"attachment-{index}{extension}"
    stem, dot, extension = name.rpartition(".")
    if len(name) > 150:
        name = f"{stem[: 140 - len(extension)]}.{extension[:9]}" if dot else name[:150]
    return name


def _estimated_size(part: EmailMessage) -> int:
    payload = part.get_payload()
    if not isinstance(payload, str):
        return 0
    if part.get("content-transfer-encoding", "").lower().strip() == "base64":
        return len(payload.replace("\n", "").replace("\r", "")) * 3 // 4
    return len(payload)


def _leaves(part: EmailMessage):
    """Every non-multipart part, in order; an attached message is one leaf, not opened."""
    if part.get_content_maintype() == "multipart":
        for sub in part.iter_parts():
            yield from _leaves(sub)
    else:
        yield part


def _is_body(part: EmailMessage) -> bool:
    return (
        part.get_content_type() in ("text/plain", "text/html")
        and part.get_content_disposition() != "attachment"
        and not part.get_filename()
    )


def _text(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        # Unknown or lying charset: decode the bytes leniently rather than lose the text.
        data = part.get_payload(decode=True) or b""
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")


def _forwarded_block(inner: "ParsedMessage") -> str:
    return (
        "\n\n---------- Forwarded message ----------\n"
        f"From: {inner.from_header}\nDate: {inner.sent_at:%a, %d %b %Y %H:%M %z}\n"
        f"Subject: {inner.subject}\n\n{inner.body}"
    )


def parse_message(raw: bytes, *, max_bytes: int, _depth: int = 0) -> ParsedMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    return _parse(message, raw=raw, max_bytes=max_bytes, depth=_depth)


def _parse(message: EmailMessage, *, raw: bytes, max_bytes: int, depth: int) -> ParsedMessage:
    from_header = _header(message, "from")
    from_address, from_problem = strict_from(message)
    if from_problem:
        # Shown to staff as it came, not as one parser or the other reads it.
        raw_from = " | ".join(raw_header_values(message, "from"))
        from_header = raw_from.encode("utf-8", "replace").decode("utf-8")
    recipients = [
        address.lower()
        for _, address in getaddresses([_header(message, h) for h in RECIPIENT_HEADERS])
        if address
    ]
    parsed = ParsedMessage(
        message_id=_message_id(message, raw),
        from_header=from_header,
        from_address=from_address,
        to_header=_header(message, "to"),
        recipients=recipients,
        subject=_header(message, "subject"),
        sent_at=_sent_at(message),
        body="",
        from_problem=from_problem,
        authentication_results=raw_header_values(message, "authentication-results"),
    )
    plain, html, forwards = [], [], []
    for index, part in enumerate(_leaves(message), start=1):
        if _is_body(part):
            (plain if part.get_content_type() == "text/plain" else html).append(_text(part))
            continue
        declared = part.get_content_type()
        name = _header_filename(part)
        if not name and declared == "message/rfc822":
            name = f"{_header(part.get_payload(0), 'subject') or 'forwarded message'}.eml"
        filename = safe_filename(name, declared, index)
        if declared == "message/rfc822" and not filename.lower().endswith(".eml"):
            filename = f"{filename.rsplit('.', 1)[0] if '.' in filename else filename}.eml"
        try:
            _collect(parsed, part, filename, declared, max_bytes, depth, forwards)
        except Exception as error:  # noqa: BLE001 - one broken part must not lose the message
            reason = f"it could not be decoded ({type(error).__name__})."
            parsed.refused.append(RefusedFile(filename, declared, 0, reason))
    body = "\n\n".join(t.strip() for t in plain if t.strip())
    if not body and html:
        body = html_to_text("\n".join(html))
    parsed.body = body + "".join(_forwarded_block(f) for f in forwards)
    return parsed


def _header_filename(part: EmailMessage) -> str:
    try:
        return part.get_filename() or ""
    except Exception:  # noqa: BLE001 - a malformed RFC 2231 name must not lose the file
        return ""


def _collect(parsed, part, filename, declared, max_bytes, depth, forwards) -> None:
    estimate = _estimated_size(part)
    if estimate > max_bytes * 1.01:
        # Refused without decoding: a 30 MB attachment is never held in memory twice.
        _check(parsed, filename, declared, None, estimate, max_bytes)
        return
    if declared == "message/rfc822":
        inner_message = part.get_payload(0)
        data = inner_message.as_bytes(policy=policy.default)
        if depth < MAX_FORWARD_DEPTH:
            inner = _parse(inner_message, raw=data, max_bytes=max_bytes, depth=depth + 1)
            forwards.append(inner)
            # Files inside a forward are offered on their own too, as a mail client shows them.
            parsed.attachments.extend(inner.attachments)
            parsed.refused.extend(inner.refused)
    else:
        data = part.get_payload(decode=True) or b""
    _check(parsed, filename, declared, data, len(data), max_bytes)


def _check(parsed, filename, declared, data: bytes | None, size: int, max_bytes: int) -> None:
    try:
        content_type = accepted_type(
            filename=filename, declared=declared, size=size, content=data, max_bytes=max_bytes
        )
    except AttachmentRefused as refused:
        parsed.refused.append(RefusedFile(filename, declared, size, refused.reason))
    else:
        parsed.attachments.append(IncomingFile(filename, content_type, data))
