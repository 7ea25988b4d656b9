"""The vocabularies of a request: statuses, kinds, visibility. Plain choices, no database."""

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    FILED = "filed", "Filed, awaiting response"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    EXTENDED = "extended", "Extended"
    AWAITING_FEE = "awaiting_fee", "Awaiting fee payment"
    CLARIFICATION = "clarification", "Agency asked for clarification"
    # Found disclosable; the records come by a promised date or in installments.
    PRODUCING = "producing", "Records being produced"
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
    # An oral request: its denial need not be in writing (Gov. Code §7922.540(a)).
    ORAL = "oral", "Orally (in person or by phone)"


class DueKind(models.TextChoices):
    DETERMINATION = "determination", "Determination due"
    EXTENDED = "extended", "Extended determination due"
    PRODUCTION = "production", "Promised production date"


class Deficiency(models.TextChoices):
    """What an agency's response lacks that the law requires; rules.CITATIONS says which law."""

    # A withholding (Gov. Code §§7922.540, 7922.000, 7922.525(b)).
    NO_OFFICIAL = "no_official", "Names no responsible official and title"
    OFFICIAL_WITHOUT_TITLE = "official_without_title", "Names an official without a title"
    NO_EXEMPTION = "no_exemption", "Cites no exemption"
    LATE = "late", "Came after the deadline"
    CATCH_ALL_UNEXPLAINED = "catch_all_unexplained", "Relies on the catch-all with no reasons"
    NOT_IN_WRITING = "not_in_writing", "Not in writing"
    BLANKET_WITHHOLDING = "blanket_withholding", "Withholds everything, with no segregation"
    OTHER_LAW_UNNAMED = "other_law_unnamed", "Cites §7927.705 without naming the other law"
    ALPR_NOT_INVESTIGATORY = (
        "alpr_not_investigatory",
        "Cites investigatory records against ALPR records: bulk scan data is not one",
    )
    PERSONNEL_LAW_ON_POLICIES = (
        "personnel_law_on_policies",
        "Cites Penal Code §832.7 against policies or contracts",
    )
    # An extension notice (§7922.535(b)-(c)).
    EXTENSION_LATE = "extension_late", "Extension notice came after the deadline"
    EXTENSION_NO_REASON = "extension_no_reason", "Extension notice gives no reason"
    EXTENSION_REASON_NOT_ALLOWED = (
        "extension_reason_not_allowed",
        "Extension reason is not one the law allows",
    )
    EXTENSION_NO_DATE = "extension_no_date", "Extension notice names no date"
    EXTENSION_OVERLONG = "extension_overlong", "Extension beyond the legal maximum"
    # Dates promised (§7922.535(a)).
    PROMISE_BEYOND_MAXIMUM = (
        "promise_beyond_maximum",
        "Promises an answer after the latest date the law allows",
    )
    DISCLOSABLE_NO_DATE = "disclosable_no_date", "Disclosable, but no date for the records"
    # Fees (§§7922.530, 7922.575(b)).
    FEE_NOT_CHARGEABLE = "fee_not_chargeable", "Charges for search, review or redaction time"
    FEE_EXTRACTION = "fee_extraction", "Charges for programming or data extraction"
    FEE_BASIS_UNSTATED = "fee_basis_unstated", "Fee estimate does not say what it is for"


class ExtensionGround(models.TextChoices):
    """The reason an extension notice gives: the unusual circumstances of §7922.535(c)."""

    FIELD_FACILITIES = "field_facilities", "(c)(1) Records at field facilities"
    VOLUMINOUS = "voluminous", "(c)(2) A voluminous amount of separate records"
    CONSULTATION = "consultation", "(c)(3) Consultation with another agency or component"
    DATA_COMPILATION = "data_compilation", "(c)(4) Compiling data or writing programming"
    EMERGENCY = "emergency", "(c)(5) State of emergency causing staffing shortages or closures"
    OTHER = "other", "Another reason (not one the law lists)"
    NONE = "none", "No reason given"


class FeeBasis(models.TextChoices):
    """What a fee estimate says it charges for."""

    DUPLICATION = "duplication", "Direct cost of duplication"
    STATUTORY = "statutory", "A fee set by statute"
    PROGRAMMING = "programming", "Programming or data extraction (electronic records)"
    SEARCH = "search", "Search time"
    REVIEW = "review", "Review time"
    REDACTION = "redaction", "Redaction time"


class FeeCategory(models.TextChoices):
    """FOIA's requester categories for fees (5 U.S.C. §552(a)(4)(A)(ii))."""

    NEWS_MEDIA = "news_media", "Representative of the news media"
    EDUCATIONAL = "educational", "Educational or noncommercial scientific institution"
    OTHER = "other", "All other requesters"
    COMMERCIAL = "commercial", "Commercial use"


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
    CLARIFICATION = "clarification", "Clarification requested"
    FEE_ESTIMATE = "fee_estimate", "Fee estimate"
    # Disclosable records to follow by a date; an installment is part of them, more to come.
    DISCLOSABLE = "disclosable", "Disclosable, records to follow"
    INSTALLMENT = "installment", "Installment of records, more to come"
    RELEASED = "released", "Records released"
    PARTIAL = "partial", "Partial release"
    NO_RECORDS = "no_records", "No responsive records"
    DENIAL = "denial", "Denial"


class ItemOutcome(models.TextChoices):
    """What the agency did with one numbered item of a request."""

    PENDING = "pending", "No answer yet"
    RELEASED = "released", "Released"
    PARTLY = "partly", "Released in part"
    WITHHELD = "withheld", "Withheld"
    NO_RECORDS = "no_records", "No records"
    PROMISED = "promised", "Promised by a date"


class EventKind(models.TextChoices):
    CREATED = "created", "Created"
    FILED = "filed", "Filed"
    STATUS = "status", "Status changed"
    DEADLINE = "deadline", "Deadline changed"
    DETERMINATION = "determination", "Determination recorded"
    COMMUNICATION = "communication", "Letter or reply logged"
    VISIBILITY = "visibility", "Visibility changed"
    NOTE = "note", "Note"
