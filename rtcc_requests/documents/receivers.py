"""A file arriving on an agency's reply becomes a document (requests may not import us)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from rtcc_requests.requests.choices import Direction
from rtcc_requests.requests.models import Attachment

from .services import document_create


@receiver(post_save, sender=Attachment, dispatch_uid="documents.attachment_stored")
def attachment_stored(sender, *, instance: Attachment, created: bool, raw=False, **kwargs) -> None:
    if raw or not created or instance.communication.direction != Direction.INCOMING:
        return
    # In the reply's transaction: a reply rolled back leaves no document behind.
    document_create(attachment=instance)
