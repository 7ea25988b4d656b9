from django.core.files.base import ContentFile

from rtcc_requests.requests.choices import CommunicationKind, Direction
from rtcc_requests.requests.models import RecordsRequest
from rtcc_requests.requests.services import attachment_add, communication_log


def released(records_request: RecordsRequest, filename: str, data: bytes, *, private: bool = False):
    """The agency's reply carrying one file, recorded as the requester records it; the
    file's document."""
    reply = communication_log(
        records_request=records_request,
        actor=records_request.owner,
        direction=Direction.INCOMING,
        kind=CommunicationKind.REPLY,
        subject=f"Records: {filename}",
        body="Please find the responsive records attached.",
        is_private=private,
    )
    attachment = attachment_add(communication=reply, file=ContentFile(data, name=filename))
    return attachment.document
