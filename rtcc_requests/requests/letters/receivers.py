"""A request letter's email leaving the outbox is the agency's day of receipt."""

from django.dispatch import receiver
from django.utils import timezone

from rtcc_requests.outbox.signals import message_sent

from ..choices import LetterKind
from ..models import Communication
from ..services import request_received_by_email


@receiver(message_sent, dispatch_uid="requests.request_letter_sent")
def request_letter_sent(sender, *, message, sent_at, **kwargs) -> None:
    message_id = (message.headers or {}).get("Message-ID")
    if not (message.records_request_id and message_id):
        return
    letter = (
        Communication.objects.filter(
            request_id=message.records_request_id,
            message_id=message_id,
            letter_kind=LetterKind.REQUEST,
        )
        .select_related("request")
        .first()
    )
    if letter is not None:
        request_received_by_email(
            records_request=letter.request, sent_on=timezone.localdate(sent_at)
        )
