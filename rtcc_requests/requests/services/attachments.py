"""Files kept on a communication, however they arrive: uploaded with a logged reply or
attached to an agency's email. Which files are kept is `attachment_policy`; this stores
only what it accepts."""

from pathlib import PurePath

from django.core.files import File
from django.db import transaction

from ..attachment_policy import AttachmentRefused, accepted_type
from ..models import Attachment, Communication
from ._shared import RequestError

MAX_FILENAME = 200


def attachment_filename(name: str) -> str:
    """The name we keep: no directories, at most MAX_FILENAME characters, its extension
    kept (the extension decides the type, so trimming must not cut it)."""
    name = PurePath((name or "").replace("\\", "/")).name or "attachment"
    if len(name) <= MAX_FILENAME:
        return name
    suffix = PurePath(name).suffix[:16]
    return name[: MAX_FILENAME - len(suffix)] + suffix


def attachment_content_type(*, file: File, declared_type: str = "") -> str:
    """The type we store this file as; RequestError, with the reason, if the policy refuses it.

    `file` has a name and a size (an upload, a ContentFile); `declared_type` is what the
    browser or the email said it is, used only when the name has no extension.
    """
    try:
        return accepted_type(
            filename=attachment_filename(file.name),
            declared=declared_type,
            size=file.size,
            content=file,
        )
    except AttachmentRefused as refused:
        raise RequestError(str(refused)) from refused


def attachment_add(
    *, communication: Communication, file: File, declared_type: str = ""
) -> Attachment:
    """Store one file on a communication, if the attachment policy accepts it."""
    filename = attachment_filename(file.name)
    content_type = attachment_content_type(file=file, declared_type=declared_type)
    with transaction.atomic():
        attachment = Attachment(
            communication=communication,
            filename=filename,
            content_type=content_type,
            size=file.size,
        )
        attachment.file.save(filename, file, save=False)
        attachment.save()
    return attachment
