from celery import shared_task

from .services import ReaderUnavailable, document_read, documents_read_waiting

MAX_ATTEMPTS = 5


@shared_task(name="documents.read_document", bind=True, acks_late=True, max_retries=MAX_ATTEMPTS)
def read_document(self, *, document_id: int) -> str:
    try:
        return document_read(document_id=document_id)
    except ReaderUnavailable as error:
        # 1, 2, 4, 8, 16 minutes: a storage or a program back after a restart.
        raise self.retry(countdown=60 * 2**self.request.retries) from error


@shared_task(name="documents.read_waiting")
def read_waiting() -> int:
    return len(documents_read_waiting())
