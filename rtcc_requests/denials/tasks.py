from celery import shared_task
from django.utils import timezone

from .summaries import denial_log_warm


@shared_task(ignore_result=True, soft_time_limit=300, time_limit=330)
def warm_denial_log() -> None:
    denial_log_warm(today=timezone.localdate())
