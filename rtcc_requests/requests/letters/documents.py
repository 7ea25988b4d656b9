"""A letter as HTML: the facts each kind states, the letterhead, and the subject line."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string

from rtcc_requests.laws import calendar
from rtcc_requests.requests.choices import DueKind, LetterKind
from rtcc_requests.requests.models import Determination
from rtcc_requests.requests.rules import (
    ADVERSE_KINDS,
    WITHHOLDING_KINDS,
    deficiency_label,
    is_open,
)
from rtcc_requests.requests.selectors import released_elsewhere

from . import wording
from .wording import FoiaOptions, LateFacts, is_foia

_SUBJECT_PREFIX = {
    LetterKind.REQUEST: "Public records request",
    LetterKind.FOLLOW_UP: "Overdue response to public records request",
    LetterKind.DENIAL_CHALLENGE: "Request to reconsider denial of public records request",
}
# A federal FOIA denial challenge is an administrative appeal, and says so first.
_FOIA_SUBJECT_PREFIX = {
    LetterKind.REQUEST: "Freedom of Information Act request",
    LetterKind.FOLLOW_UP: "Overdue response to Freedom of Information Act request",
    LetterKind.DENIAL_CHALLENGE: "FOIA Appeal",
}
_DUE_LABEL = {
    DueKind.DETERMINATION: "determination",
    DueKind.EXTENDED: "extended",
    DueKind.PRODUCTION: "production",
}


def late_facts(records_request, today: date) -> LateFacts | None:
    """How late the agency is today, or None when no deadline in force has passed."""
    due = records_request.next_due
    if not is_open(records_request.status) or due is None or due >= today:
        return None
    return LateFacts(
        received_on=records_request.received_on,
        due=due,
        due_label=_DUE_LABEL.get(records_request.next_due_kind, "determination"),
        today=today,
        days_late=calendar.days_late(due, today),
    )


def challenged_denial(records_request) -> Determination | None:
    """The latest denial or partial release, the one a challenge answers.

    Under FOIA any adverse determination (a "no records" answer too) can be appealed.
    """
    kinds = ADVERSE_KINDS if is_foia(records_request.law) else WITHHOLDING_KINDS
    return (
        records_request.determinations.filter(kind__in=kinds)
        .prefetch_related("exemptions")
        .order_by("-date", "-pk")
        .first()
    )


def subject_for(records_request, kind: str) -> str:
    prefixes = _FOIA_SUBJECT_PREFIX if is_foia(records_request.law) else _SUBJECT_PREFIX
    subject = f"{prefixes[kind]}: {records_request.title}"
    if records_request.tracking_number:
        subject += f" (your ref. {records_request.tracking_number})"
    return subject[:300]


@dataclass(frozen=True)
class Letterhead:
    name: str
    organization: str
    mailing_address: str
    phone: str
    email: str


def letterhead(owner, *, public: bool = False, organization=None) -> Letterhead:
    """The sender block; the public copy leaves out how to reach the requester at home. A
    request of an organization carries its letterhead and address, not the member's."""
    profile = owner.profile
    address = organization.mailing_address if organization else profile.mailing_address
    return Letterhead(
        name=profile.signature_name,
        organization=organization.letterhead_name if organization else profile.organization,
        mailing_address="" if public and not organization else address,
        phone="" if public else profile.phone,
        email="" if public else owner.email,
    )


def signature_for(records_request) -> str:
    """The lines under "Sincerely,": the owner's name, then the organization the request
    belongs to (its letterhead) or, for a personal request, the one in the owner's profile."""
    return wording.signature_lines(records_request.owner.profile, records_request.organization)


def letter_html(
    *,
    records_request,
    kind: str,
    body: str,
    subject: str,
    letter_date: date,
    public: bool = False,
) -> str:
    """The whole letter as HTML for render_pdf. Every user value is autoescaped."""
    head = letterhead(
        records_request.owner, public=public, organization=records_request.organization
    )
    context = {
        "kind": kind,
        "req": records_request,
        "agency": records_request.agency,
        "law": records_request.law,
        "me": head,
        "letter_date": letter_date,
        "subject": subject,
        "body": body,
        "addressee": wording.addressee(
            agency=records_request.agency, law=records_request.law, kind=kind
        ),
        "is_foia": is_foia(records_request.law),
    }
    if kind == LetterKind.FOLLOW_UP:
        context["late"] = late_facts(records_request, letter_date)
    elif kind == LetterKind.DENIAL_CHALLENGE:
        denial = challenged_denial(records_request)
        context["denial"] = denial
        context["missing"] = [deficiency_label(code) for code in records_request.deficiencies]
        context["is_cpra"] = records_request.law.is_cpra
    return render_to_string(f"letters/{kind}.html", context)


def default_body(records_request, kind: str, today: date) -> str:
    """The editable text of a letter kind, before the requester changes it, signed as the
    requester signs (signature_for)."""
    signature = signature_for(records_request)
    if kind == LetterKind.REQUEST:
        return records_request.letter_body.strip() or wording.request_body(
            agency=records_request.agency,
            law=records_request.law,
            records_sought=records_request.records_sought,
            signature=signature,
            foia=FoiaOptions.of(records_request),
        )
    if kind == LetterKind.FOLLOW_UP:
        facts = late_facts(records_request, today)
        if facts is None:
            return ""
        return wording.follow_up_body(
            records_request=records_request, facts=facts, signature=signature
        )
    return wording.denial_challenge_body(
        records_request=records_request,
        denial=challenged_denial(records_request),
        due=records_request.extended_due or records_request.determination_due,
        signature=signature,
        today=today,
        released=[
            (
                item.number,
                item.text,
                [
                    (o.request.agency.name, settings.SITE_URL + o.request.get_absolute_url())
                    for o in others
                ],
            )
            for item, others in released_elsewhere(records_request=records_request, today=today)
        ],
    )
