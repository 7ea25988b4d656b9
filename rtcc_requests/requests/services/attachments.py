"""Files kept on a communication: what agencies send (letters, scans, spreadsheets, mail)."""

from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from ..models import Attachment, Communication
from ._shared import RequestError

# Decided by the file name, never the browser's claimed type; anything else (executables,
# archives) is refused.
ATTACHMENT_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".heic": "image/heic",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".eml": "message/rfc822",
    ".msg": "application/vnd.ms-outlook",
}


def attachment_content_type(*, filename: str, size: int) -> str:
    """The type we store for an upload; RequestError (with the reason) if we refuse it."""
    extension = PurePath(filename).suffix.lower()
    if extension not in ATTACHMENT_TYPES:
        allowed = ", ".join(sorted(e.lstrip(".") for e in ATTACHMENT_TYPES))
        raise RequestError(
            f"{filename}: this type of file is not accepted. Attach PDF, images, office "
            f"documents, text or email files ({allowed})."
        )
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise RequestError(
            f"{filename} is {filesizeformat(size)}; the largest file accepted is "
            f"{filesizeformat(settings.ATTACHMENT_MAX_BYTES)}."
        )
    return ATTACHMENT_TYPES[extension]


def attachment_add(*, communication: Communication, uploaded_file) -> Attachment:
    """Store one uploaded file on a communication, after the type and size checks."""
    filename = PurePath(uploaded_file.name or "attachment").name[:200]
    content_type = attachment_content_type(filename=filename, size=uploaded_file.size)
    with transaction.atomic():
        attachment = Attachment(
            communication=communication,
            filename=filename,
            content_type=content_type,
            size=uploaded_file.size,
        )
        attachment.file.save(filename, uploaded_file, save=False)
        attachment.save()
    return attachment
