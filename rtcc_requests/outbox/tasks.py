from celery import shared_task

from .services import TransientSendError, outbox_deliver, outbox_mark_failed, outbox_recover

MAX_ATTEMPTS = 8


@shared_task(name="outbox.send_message", bind=True, acks_late=True, max_retries=MAX_ATTEMPTS)
def send_message(self, *, message_id: int) -> str:
    try:
        return outbox_deliver(message_id=message_id)
    except TransientSendError as error:
        if self.request.retries >= self.max_retries:
            outbox_mark_failed(message_id=message_id, error=f"Gave up after retries: {error}")
            return "failed"
        # Exponential backoff: 30 s, 1 min, 2 min ... capped at one hour.
        raise self.retry(countdown=min(30 * 2**self.request.retries, 3600)) from error


@shared_task(name="outbox.recover")
def recover() -> int:
    return len(outbox_recover())
