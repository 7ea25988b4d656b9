"""Which files we keep on a communication, defined once for every way a file arrives: the
reply form's uploads and an agency's emailed attachments.

Pure: no database. The name decides the type; the first bytes must agree with it. The type
a browser or a mail client declares is a guess by the sender's software (a CSV sent as
application/vnd.ms-excel, a PDF as application/octet-stream), so it is used only for a
name with no extension. We keep what agencies send: PDF and scans, office documents old
and new, OpenDocument, RTF, text and CSV, and email (.eml, Outlook .msg). Archives,
programs, web pages and macro-enabled documents are refused.
"""

import codecs
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat

# Enough for every signature below and for telling text from binary.
HEAD_BYTES = 8192
# Bounded reads inside a ZIP: a document's type list or ODF marker is far smaller.
_ZIP_ENTRY_BYTES = 1024 * 1024

Content = bytes | BinaryIO


class Refusal(StrEnum):
    TYPE = "type"  # not a kind of file we keep
    MISMATCH = "mismatch"  # its bytes contradict its name (or its declared type)
    TOO_LARGE = "too_large"
    EMPTY = "empty"


class AttachmentRefused(ValueError):
    """A file we do not keep; `reason` is a sentence for the person who sent or uploaded it."""

    def __init__(self, *, filename: str, refusal: Refusal, reason: str) -> None:
        self.filename, self.refusal, self.reason = filename, refusal, reason
        super().__init__(f"{filename}: {reason}")


@dataclass(frozen=True)
class Signature:
    """What a file's content must look like; `label` names it in a refusal."""

    label: str
    matches: Callable[[bytes, BinaryIO], bool]  # (first bytes, the whole file, seekable)


@dataclass(frozen=True)
class FileType:
    extensions: tuple[str, ...]
    content_type: str  # what we store and serve it as
    label: str  # what its name promises, in a refusal
    signature: Signature
    aliases: tuple[str, ...] = ()  # other declared types that mean this one


def _starts(*prefixes: bytes) -> Callable[[bytes, BinaryIO], bool]:
    return lambda head, _stream: head.startswith(prefixes)


def _iso_media(*brands: bytes) -> Callable[[bytes, BinaryIO], bool]:
    # HEIC/HEIF are ISO base media files: a box size, "ftyp", then the major brand.
    return lambda head, _stream: head[4:8] == b"ftyp" and head[8:12] in brands


def _webp(head: bytes, _stream: BinaryIO) -> bool:
    return head.startswith(b"RIFF") and head[8:12] == b"WEBP"  # RIFF alone is also WAV, AVI


_ZIP = b"PK\x03\x04"


def _zip_entry(stream: BinaryIO, name: str) -> bytes | None:
    """Up to _ZIP_ENTRY_BYTES of one entry; None if it is not a readable ZIP holding it.

    ZipFile reads only the central directory at the end, then the one entry, inflated
    lazily: nothing else is extracted, so a ZIP bomb costs a bounded read.
    """
    try:
        with zipfile.ZipFile(stream) as archive, archive.open(name) as entry:
            return entry.read(_ZIP_ENTRY_BYTES)
    except Exception:  # noqa: BLE001 - a broken or hostile ZIP is refused, never crashes
        return None


def _ooxml(main_part: str) -> Callable[[bytes, BinaryIO], bool]:
    # The package's type list names its main part: a .docm renamed .docx (macros) or an
    # .xlsx renamed .docx names a different one.
    marker = f"application/vnd.openxmlformats-officedocument.{main_part}.main+xml".encode()

    def matches(head: bytes, stream: BinaryIO) -> bool:
        if not head.startswith(_ZIP):
            return False
        types = _zip_entry(stream, "[Content_Types].xml")
        return types is not None and marker in types

    return matches


def _opendocument(content_type: str) -> Callable[[bytes, BinaryIO], bool]:
    # ODF's "mimetype" entry holds the document's type, exactly.
    def matches(head: bytes, stream: BinaryIO) -> bool:
        if not head.startswith(_ZIP):
            return False
        marker = _zip_entry(stream, "mimetype")
        return marker is not None and marker.strip() == content_type.encode()

    return matches


# C0 controls never seen in text; tab, newlines, form feed, ESC (ISO-2022 mail) and SUB
# (an old DOS end of file) are.
_CONTROLS = re.compile(rb"[\x00-\x08\x0e-\x19\x1c-\x1f]")


def _text(head: bytes, _stream: BinaryIO) -> bool:
    """Text in UTF-8 or a one-byte legacy encoding (Excel writes CSV in cp1252), or UTF-16
    with its byte-order mark (Excel's "Unicode text"): any byte decodes, so binary data is
    told by its NULs and control bytes."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = codecs.getincrementaldecoder("utf-16")().decode(head, final=False)
        except UnicodeDecodeError:
            return False
        return not _CONTROLS.search(text.encode("utf-8"))
    return not _CONTROLS.search(head)


# A message starts with a header field ("Received:", "From:") or an mbox "From " line.
_HEADER_LINE = re.compile(rb"(From |[\x21-\x39\x3b-\x7e]+:)")


def _email(head: bytes, stream: BinaryIO) -> bool:
    return _text(head, stream) and bool(_HEADER_LINE.match(head.lstrip(b"\r\n")))


# Word, Excel and PowerPoint 97-2003 and Outlook's .msg are all OLE2 compound files: telling
# them apart means walking the OLE directory, which a mislabelled .doc/.xls does not justify.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE2 = Signature("an old-style Office or Outlook file", _starts(_OLE2_MAGIC))
# Phones name HEIF files .heic whatever their major brand; AVIF ("avif") is not one of these.
_HEIF = Signature(
    "a HEIC image",
    _iso_media(b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"),
)
_TEXT = Signature("text", _text)
_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."

ACCEPTED_TYPES: tuple[FileType, ...] = (
    FileType((".pdf",), "application/pdf", "a PDF document",
             Signature("a PDF document", _starts(b"%PDF")), ("application/x-pdf",)),
    FileType((".png",), "image/png", "a PNG image",
             Signature("a PNG image", _starts(b"\x89PNG\r\n\x1a\n"))),
    FileType((".jpg", ".jpeg"), "image/jpeg", "a JPEG image",
             Signature("a JPEG image", _starts(b"\xff\xd8\xff")), ("image/jpg", "image/pjpeg")),
    FileType((".gif",), "image/gif", "a GIF image",
             Signature("a GIF image", _starts(b"GIF87a", b"GIF89a"))),
    FileType((".webp",), "image/webp", "a WebP image", Signature("a WebP image", _webp)),
    FileType((".tif", ".tiff"), "image/tiff", "a TIFF image",
             # Classic and BigTIFF, either byte order.
             Signature("a TIFF image", _starts(b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"))),
    FileType((".heic",), "image/heic", "a HEIC image", _HEIF),
    FileType((".heif",), "image/heif", "a HEIF image", _HEIF),
    FileType((".doc",), "application/msword", "a Word document", _OLE2,
             ("application/vnd.ms-word",)),
    FileType((".xls",), "application/vnd.ms-excel", "an Excel workbook", _OLE2),
    FileType((".ppt",), "application/vnd.ms-powerpoint", "a PowerPoint presentation", _OLE2),
    FileType((".msg",), "application/vnd.ms-outlook", "an Outlook message", _OLE2),
    FileType((".docx",), _OOXML + "wordprocessingml.document", "a Word document",
             Signature("a Word document", _ooxml("wordprocessingml.document"))),
    FileType((".xlsx",), _OOXML + "spreadsheetml.sheet", "an Excel workbook",
             Signature("an Excel workbook", _ooxml("spreadsheetml.sheet"))),
    FileType((".pptx",), _OOXML + "presentationml.presentation", "a PowerPoint presentation",
             Signature("a PowerPoint presentation", _ooxml("presentationml.presentation"))),
    FileType((".odt",), _ODF + "text", "an OpenDocument text",
             Signature("an OpenDocument text", _opendocument(_ODF + "text"))),
    FileType((".ods",), _ODF + "spreadsheet", "an OpenDocument spreadsheet",
             Signature("an OpenDocument spreadsheet", _opendocument(_ODF + "spreadsheet"))),
    FileType((".odp",), _ODF + "presentation", "an OpenDocument presentation",
             Signature("an OpenDocument presentation", _opendocument(_ODF + "presentation"))),
    FileType((".rtf",), "application/rtf", "a Rich Text document",
             Signature("a Rich Text document", _starts(b"{\\rtf")), ("text/rtf",)),
    FileType((".txt",), "text/plain", "plain text", _TEXT),
    FileType((".csv",), "text/csv", "a CSV file", _TEXT,
             ("text/x-csv", "application/csv", "text/comma-separated-values")),
    FileType((".eml",), "message/rfc822", "an email message",
             Signature("an email message", _email)),
)  # fmt: skip

BY_EXTENSION: dict[str, FileType] = {e: t for t in ACCEPTED_TYPES for e in t.extensions}
BY_DECLARED_TYPE: dict[str, FileType] = {
    declared: t for t in ACCEPTED_TYPES for declared in (t.content_type, *t.aliases)
}
TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})

# Content we refuse, named so the refusal says what the file really is.
_NAMED_CONTENT = (
    Signature("a Windows program", _starts(b"MZ")),
    Signature("a program", _starts(b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")),
    Signature("a script", _starts(b"#!")),
    Signature(
        "a web page (HTML)",
        lambda head, _stream: head.lstrip()[:14].lower().startswith((b"<!doctype html", b"<html")),
    ),
)
_ZIP_ARCHIVE = Signature("a ZIP archive", _starts(_ZIP))
_EMAIL = BY_EXTENSION[".eml"].signature
# Most telling first: binary signatures, then any ZIP, then the text-based kinds.
_SNIFFED: tuple[Signature, ...] = (
    *_NAMED_CONTENT,
    *dict.fromkeys(t.signature for t in ACCEPTED_TYPES if t.signature not in (_TEXT, _EMAIL)),
    _ZIP_ARCHIVE,
    _EMAIL,
    _TEXT,
)

_KINDS = "PDF, images, office documents, text and email files"
# A suffix starting with a letter: "Scan 2026.11.24" has none, "viewer.exe" has one.
_EXTENSION = re.compile(r"\.[a-z][a-z0-9]{0,9}")


def _extension(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return suffix if _EXTENSION.fullmatch(suffix) else ""


def accepted_type(
    *,
    filename: str,
    size: int,
    content: Content | None,
    declared: str = "",
    max_bytes: int | None = None,
) -> str:
    """The type to store this file as; AttachmentRefused, with the reason, if we do not keep it.

    `content` is the whole file, as bytes or a seekable binary file (left where it was);
    only its first HEAD_BYTES and, for a ZIP-based document, the ZIP's directory and one
    small entry are read. None when it was not read (too large to decode): the file can
    then only be refused. `max_bytes` defaults to settings.ATTACHMENT_MAX_BYTES.
    """
    max_bytes = settings.ATTACHMENT_MAX_BYTES if max_bytes is None else max_bytes
    declared = declared.split(";")[0].strip().lower()

    def refuse(refusal: Refusal, reason: str) -> AttachmentRefused:
        return AttachmentRefused(filename=filename, refusal=refusal, reason=reason)

    if declared in TNEF_TYPES or PurePath(filename).name.lower() == "winmail.dat":
        raise refuse(
            Refusal.TYPE,
            "winmail.dat is Outlook's private TNEF wrapper, which only Outlook can open. "
            "Ask the agency to send the files again as ordinary attachments (PDF or Word), "
            "or to switch Outlook to HTML or plain-text mail.",
        )
    suffix = _extension(filename)
    file_type = BY_EXTENSION.get(suffix) if suffix else BY_DECLARED_TYPE.get(declared)
    if file_type is None:
        allowed = ", ".join(sorted(e.lstrip(".") for e in BY_EXTENSION))
        raise refuse(
            Refusal.TYPE,
            f"this type of file is not accepted. Only {_KINDS} are accepted ({allowed}).",
        )
    if size > max_bytes:
        raise refuse(
            Refusal.TOO_LARGE,
            f"it is {filesizeformat(size)}; the largest file accepted is "
            f"{filesizeformat(max_bytes)}. Ask the agency for smaller files or a download link.",
        )
    if size == 0:
        raise refuse(Refusal.EMPTY, "it is empty.")
    claim = "its name" if suffix else f"its declared type ({declared})"
    if content is None:
        raise refuse(Refusal.MISMATCH, "its content could not be read to check it.")
    with _opened(content) as (head, stream):
        if not file_type.signature.matches(head, stream):
            found = _what_it_is(head, stream, besides=file_type)
            raise refuse(
                Refusal.MISMATCH,
                f"{claim} says it is {file_type.label}, but its content "
                + (f"is {found}." if found else "does not match."),
            )
    return file_type.content_type


@contextmanager
def _opened(content: Content) -> Iterator[tuple[bytes, BinaryIO]]:
    """(first bytes, seekable stream) of the content; a file is put back where it was."""
    is_bytes = isinstance(content, bytes | bytearray | memoryview)
    stream: BinaryIO = io.BytesIO(content) if is_bytes else content
    position = stream.tell()
    try:
        stream.seek(0)
        yield stream.read(HEAD_BYTES), stream
    finally:
        stream.seek(position)


def _what_it_is(head: bytes, stream: BinaryIO, *, besides: FileType) -> str:
    """A name for content that is not what it claims, if we can tell ("a Windows program")."""
    for signature in _SNIFFED:
        if signature is not besides.signature and signature.matches(head, stream):
            return signature.label
    text_claimed = besides.signature in (_TEXT, _EMAIL)
    return "binary data" if text_claimed and not _text(head, stream) else ""
