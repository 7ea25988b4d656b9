from celery import shared_task
from django.conf import settings

from .mailboxes import imap_ingest, maildir_ingest


@shared_task(name="inbound.poll_mailboxes")
def poll_mailboxes() -> dict[str, int]:
    counts = maildir_ingest(path=settings.INBOUND_MAILDIR)
    if settings.INBOUND_IMAP_URL:
        counts.update(imap_ingest(url=settings.INBOUND_IMAP_URL))
    return dict(counts)
