import logging
from datetime import date

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from rtcc_requests.common.pdf import PdfRenderError

from .pdf_log import PdfJob, denial_pdf_failed, denial_pdf_render, denial_pdf_retrying
from .summaries import denial_log_warm

logger = logging.getLogger(__name__)

PDF_MAX_RETRIES = 2
# The default 2,000 rows render in about a minute; this allows a slow machine five times that.
PDF_SOFT_TIME_LIMIT = 15 * 60
PDF_HARD_TIME_LIMIT = PDF_SOFT_TIME_LIMIT + 60


@shared_task(ignore_result=True, soft_time_limit=300, time_limit=330)
def warm_denial_log() -> None:
    denial_log_warm(today=timezone.localdate())


@shared_task(
    name="denials.render_log_pdf",
    bind=True,
    ignore_result=True,
    acks_late=True,
    max_retries=PDF_MAX_RETRIES,
    soft_time_limit=PDF_SOFT_TIME_LIMIT,
    time_limit=PDF_HARD_TIME_LIMIT,
)
def render_denial_log_pdf(self, *, version: str, day: str, params: dict[str, str]) -> str:
    """Render the denial log's PDF for a version, day and filter (pdf_log.py) into storage."""
    job = PdfJob(version=version, day=date.fromisoformat(day), params=params)
    try:
        return denial_pdf_render(job)
    except PdfRenderError as error:
        # The input cannot be rendered; a retry would fail the same way.
        denial_pdf_failed(job, error=str(error))
        return "failed"
    except SoftTimeLimitExceeded:
        minutes = PDF_SOFT_TIME_LIMIT // 60
        denial_pdf_failed(
            job, error=f"Making the PDF took longer than {minutes} minutes. Narrow the filter."
        )
        return "failed"
    except Exception as error:
        # Database or storage trouble: worth another try later.
        logger.warning("rendering denial log PDF %s failed", job.pdf_name, exc_info=True)
        if self.request.retries >= self.max_retries:
            denial_pdf_failed(job, error=f"The PDF could not be made ({type(error).__name__}).")
            return "failed"
        denial_pdf_retrying(job)
        raise self.retry(countdown=15 * 4**self.request.retries) from error
