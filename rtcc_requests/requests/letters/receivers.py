"""A letter's email leaving the outbox: the letter keeps the copy that went, and a request
letter's day of sending is the agency's day of receipt."""

from django.dispatch import receiver
from django.utils import timezone

from rtcc_requests.outbox.signals import message_sent

from ..choices import LetterKind
from ..models import Communication
from ..services import request_received_by_email


@receiver(message_sent, dispatch_uid="requests.letter_sent")
def letter_sent(sender, *, message, sent_at, **kwargs) -> None:
    message_id = (message.headers or {}).get("Message-ID")
    if not (message.records_request_id and message_id):
        return
    letter = (
        Communication.objects.filter(request_id=message.records_request_id, message_id=message_id)
        .select_related("request")
        .first()
    )
    if letter is None:
        return
    if message.sent_copy:
        Communication.objects.filter(pk=letter.pk).update(raw_message=message.sent_copy.name)
    if letter.letter_kind == LetterKind.REQUEST:
        request_received_by_email(
            records_request=letter.request, sent_on=timezone.localdate(sent_at)
        )
