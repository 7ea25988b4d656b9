"""The smallest real files of each kind agencies send, byte for byte, and some impostors.

Each sample starts as that format really does (a PDF header, a PNG signature, an OLE2
compound-file header, a ZIP whose [Content_Types].xml names a Word document...), so the
attachment policy is tested against what it meets, not against its own constants.
"""

import io
import zipfile

_OOXML = "application/vnd.openxmlformats-officedocument."
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"


def zip_of(entries: dict[str, bytes], *, stored_first: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            # ODF: the "mimetype" entry first and uncompressed, as LibreOffice writes it.
            archive.writestr(stored_first, entries[stored_first], zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != stored_first:
                archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(content_type: str, main_part: str) -> bytes:
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{content_type}"/></Types>'
    ).encode()
    return zip_of({"[Content_Types].xml": types, main_part: b"<?xml version='1.0'?><x/>"})


def opendocument(mimetype: str) -> bytes:
    return zip_of(
        {"mimetype": mimetype.encode(), "content.xml": b"<?xml version='1.0'?><x/>"},
        stored_first="mimetype",
    )


DOCX = ooxml(_OOXML + "wordprocessingml.document.main+xml", "word/document.xml")
XLSX = ooxml(_OOXML + "spreadsheetml.sheet.main+xml", "xl/workbook.xml")
PPTX = ooxml(_OOXML + "presentationml.presentation.main+xml", "ppt/presentation.xml")
DOCM = ooxml("application/vnd.ms-word.document.macroEnabled.main+xml", "word/document.xml")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EML = (
    b"From: Records Unit <records@fresno.example>\r\nTo: request+x@requests.localhost\r\n"
    b"Subject: Records\r\nMessage-ID: <sample@fresno.example>\r\n\r\nAttached.\r\n"
)

# One file of every accepted kind, by the name an agency would give it -> the type stored.
ACCEPTED: dict[str, tuple[bytes, str]] = {
    "letter.pdf": (PDF, "application/pdf"),
    "scan.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17, "image/png"),
    "photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01", "image/jpeg"),
    "photo.jpeg": (b"\xff\xd8\xff\xe1\x00\x18Exif\x00\x00", "image/jpeg"),
    "chart.gif": (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "image/gif"),
    "map.webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00", "image/webp"),
    "scan.tif": (b"II*\x00\x08\x00\x00\x00\x00\x00", "image/tiff"),
    "scan.tiff": (b"MM\x00*\x00\x00\x00\x08\x00\x00", "image/tiff"),
    "IMG_0412.heic": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "image/heic"),
    "IMG_0413.heif": (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", "image/heif"),
    "policy.doc": (OLE2, "application/msword"),
    "audit.xls": (OLE2, "application/vnd.ms-excel"),
    "briefing.ppt": (OLE2, "application/vnd.ms-powerpoint"),
    "reply.msg": (OLE2, "application/vnd.ms-outlook"),
    "policy.docx": (DOCX, _OOXML + "wordprocessingml.document"),
    "audit.xlsx": (XLSX, _OOXML + "spreadsheetml.sheet"),
    "briefing.pptx": (PPTX, _OOXML + "presentationml.presentation"),
    "policy.odt": (
        opendocument("application/vnd.oasis.opendocument.text"),
        "application/vnd.oasis.opendocument.text",
    ),
    "audit.ods": (
        opendocument("application/vnd.oasis.opendocument.spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    "briefing.odp": (
        opendocument("application/vnd.oasis.opendocument.presentation"),
        "application/vnd.oasis.opendocument.presentation",
    ),
    "letter.rtf": (b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Denied.}", "application/rtf"),
    "notes.txt": ("Caf\u00e9 records, r\u00e9sum\u00e9\r\n".encode(), "text/plain"),
    "reads.csv": (b"plate,camera,time\r\n7ABC123,Shields & Blackstone,08:14\r\n", "text/csv"),
    "original.eml": (EML, "message/rfc822"),
}

# Impostors: content that contradicts its name.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run"
HTML = b"<!DOCTYPE html>\n<html><head><title>Records</title></head><body>Hi</body></html>\n"
