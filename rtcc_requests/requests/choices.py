"""The vocabularies of a request: statuses, kinds, visibility. Plain choices, no database."""

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    FILED = "filed", "Filed, awaiting response"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    EXTENDED = "extended", "Extended"
    AWAITING_FEE = "awaiting_fee", "Awaiting fee payment"
    RELEASED = "released", "Records released"
    PARTIAL = "partial", "Partially released"
    NO_RECORDS = "no_records", "No responsive records"
    DENIED = "denied", "Denied"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed"


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private (only you)"
    PUBLIC = "public", "Public"
    EMBARGOED = "embargoed", "Public after an embargo date"


class FilingMethod(models.TextChoices):
    EMAIL = "email", "Email from this app"
    PORTAL = "portal", "Agency web portal"
    MAIL = "mail", "Postal mail"
    FAX = "fax", "Fax"
    IN_PERSON = "in_person", "In person"


class DueKind(models.TextChoices):
    DETERMINATION = "determination", "Determination due"
    EXTENDED = "extended", "Extended determination due"
    PRODUCTION = "production", "Promised production date"


class Deficiency(models.TextChoices):
    NO_OFFICIAL = "no_official", "Names no responsible official and title"
    NO_EXEMPTION = "no_exemption", "Cites no exemption"
    LATE = "late", "Came after the deadline"
    CATCH_ALL_UNEXPLAINED = "catch_all_unexplained", "Relies on the catch-all with no reasons"
    NOT_IN_WRITING = "not_in_writing", "Not in writing"


class Direction(models.TextChoices):
    OUTGOING = "out", "Sent to the agency"
    INCOMING = "in", "Received from the agency"
    INTERNAL = "note", "Note to self"


class CommunicationKind(models.TextChoices):
    LETTER = "letter", "Letter"
    REPLY = "reply", "Reply"
    NOTE = "note", "Note"


class LetterKind(models.TextChoices):
    REQUEST = "request", "Request letter"
    FOLLOW_UP = "follow_up", "Follow-up on a missed deadline"
    DENIAL_CHALLENGE = "denial_challenge", "Challenge to a deficient denial"


class PdfStatus(models.TextChoices):
    NONE = "", "No PDF"
    PENDING = "pending", "Being rendered"
    READY = "ready", "Ready"
    FAILED = "failed", "Rendering failed"


class DeterminationKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    EXTENSION = "extension", "Extension notice"
    FEE_ESTIMATE = "fee_estimate", "Fee estimate"
    RELEASED = "released", "Records released"
    PARTIAL = "partial", "Partial release"
    NO_RECORDS = "no_records", "No responsive records"
    DENIAL = "denial", "Denial"


class EventKind(models.TextChoices):
    CREATED = "created", "Created"
    FILED = "filed", "Filed"
    STATUS = "status", "Status changed"
    DEADLINE = "deadline", "Deadline changed"
    DETERMINATION = "determination", "Determination recorded"
    COMMUNICATION = "communication", "Letter or reply logged"
    VISIBILITY = "visibility", "Visibility changed"
    NOTE = "note", "Note"
