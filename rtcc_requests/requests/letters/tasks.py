"""Thin Celery tasks: ids in, one service call, retries with backoff, failures recorded."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from rtcc_requests.common.pdf import PdfRenderError
from rtcc_requests.requests.models import Communication

from .services import letter_email_enqueue, letter_render, letter_render_failed

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
# A letter renders in well under a second; a minute means a pathological input.
SOFT_TIME_LIMIT = 60
HARD_TIME_LIMIT = 90


@shared_task(
    name="letters.render_letter",
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=HARD_TIME_LIMIT,
)
def render_letter(self, *, communication_id: int, send: bool = False) -> str:
    """Render a letter's PDF, then (send=True) queue its email through the outbox."""
    try:
        letter_render(communication_id=communication_id)
    except Communication.DoesNotExist:
        return "missing"
    except PdfRenderError as error:
        # The input cannot be rendered; a retry would fail the same way.
        letter_render_failed(communication_id=communication_id, error=str(error))
        return "failed"
    except SoftTimeLimitExceeded:
        return _retry_or_fail(
            self,
            communication_id,
            f"Rendering took longer than {SOFT_TIME_LIMIT} seconds.",
        )
    except Exception as error:
        # Database, storage or font trouble: worth another try later.
        logger.warning("rendering letter %s failed: %s", communication_id, error, exc_info=True)
        return _retry_or_fail(
            self, communication_id, f"The PDF could not be made ({type(error).__name__})."
        )
    if send:
        letter_email_enqueue(communication_id=communication_id)
    return "ready"


def _retry_or_fail(task, communication_id: int, message: str) -> str:
    if task.request.retries >= task.max_retries:
        letter_render_failed(
            communication_id=communication_id,
            error=f"{message} Gave up after {task.max_retries + 1} attempts.",
        )
        return "failed"
    # Backoff: 10 s, 40 s, 160 s.
    raise task.retry(countdown=10 * 4**task.request.retries)


@shared_task(
    name="letters.render_letters",
    acks_late=True,
    soft_time_limit=SOFT_TIME_LIMIT * 10,
    time_limit=HARD_TIME_LIMIT * 10,
)
def render_letters(*, communication_ids: list[int], send: bool = False) -> dict[str, int]:
    """A campaign's letters, a batch per task: each rendered (and its email queued) as
    render_letter does it. A letter that fails for a reason worth retrying leaves the batch
    and gets render_letter's own retries, so one bad letter never holds up the others."""
    outcome = {"ready": 0, "failed": 0, "missing": 0, "retrying": 0}
    for index, communication_id in enumerate(communication_ids):
        try:
            letter_render(communication_id=communication_id)
        except SoftTimeLimitExceeded:
            # Out of time: this letter and the rest each go on alone, none left pending.
            for left in communication_ids[index:]:
                render_letter.delay(communication_id=left, send=send)
            outcome["retrying"] += len(communication_ids) - index
            return outcome
        except Communication.DoesNotExist:
            outcome["missing"] += 1
            continue
        except PdfRenderError as error:
            letter_render_failed(communication_id=communication_id, error=str(error))
            outcome["failed"] += 1
            continue
        except Exception as error:
            logger.warning("rendering letter %s failed: %s", communication_id, error, exc_info=True)
            render_letter.apply_async(
                kwargs={"communication_id": communication_id, "send": send}, countdown=10
            )
            outcome["retrying"] += 1
            continue
        if send:
            letter_email_enqueue(communication_id=communication_id)
        outcome["ready"] += 1
    return outcome
