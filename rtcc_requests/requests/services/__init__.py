"""Everything that changes a records request: one transaction each, with its event.

Split by concept; import from here (`from rtcc_requests.requests import services`).
"""

from ..items import OutcomeInput
from ..lifecycle import TransitionError
from ._shared import RequestError
from .attachments import attachment_add, attachment_content_type
from .communications import answer_log, communication_log, reply_log
from .determinations import determination_record
from .filing import (
    method_label,
    request_close,
    request_create,
    request_file,
    request_received_by_email,
    request_set_visibility,
    request_update_draft,
    request_withdraw,
)
from .items import items_record, items_sync

__all__ = [
    "OutcomeInput",
    "RequestError",
    "TransitionError",
    "answer_log",
    "attachment_add",
    "attachment_content_type",
    "communication_log",
    "determination_record",
    "method_label",
    "reply_log",
    "request_close",
    "items_record",
    "items_sync",
    "request_create",
    "request_file",
    "request_received_by_email",
    "request_set_visibility",
    "request_update_draft",
    "request_withdraw",
]
