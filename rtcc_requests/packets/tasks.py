"""Thin Celery task: ids in, one service call, retries with backoff, failures recorded."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .services import PacketError, packet_build, packet_build_failed, packet_build_retrying

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
# 200 letters and replies with 50 documents take seconds (bench/benchmarks/packets.py); ten
# minutes is storage or a timeline gone wrong. selectors.BUILDING_TTL must stay above these.
SOFT_TIME_LIMIT = 10 * 60
HARD_TIME_LIMIT = SOFT_TIME_LIMIT + 60


@shared_task(
    name="packets.build_packet",
    bind=True,
    acks_late=True,
    ignore_result=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=HARD_TIME_LIMIT,
)
def build_packet(self, *, packet_id: int, token: str) -> str:
    """Build one packet (services.packet_build) into storage."""
    try:
        return packet_build(packet_id=packet_id, token=token)
    except PacketError as error:
        # A missing file, a timeline that cannot be laid out: the same again would fail.
        packet_build_failed(packet_id=packet_id, token=token, error=str(error))
        return "failed"
    except SoftTimeLimitExceeded:
        packet_build_failed(
            packet_id=packet_id,
            token=token,
            error=f"Making the packet took longer than {SOFT_TIME_LIMIT // 60} minutes.",
        )
        return "failed"
    except Exception as error:
        # Database or storage trouble: worth another try later.
        logger.warning("building packet %s failed", packet_id, exc_info=True)
        problem = f"The packet could not be made ({type(error).__name__})."
        if self.request.retries >= self.max_retries:
            packet_build_failed(
                packet_id=packet_id,
                token=token,
                error=f"{problem} Gave up after {self.max_retries + 1} attempts.",
            )
            return "failed"
        packet_build_retrying(packet_id=packet_id, token=token, error=f"{problem} Trying again.")
        # Backoff: 10 s, 40 s, 160 s.
        raise self.retry(countdown=10 * 4**self.request.retries) from error
