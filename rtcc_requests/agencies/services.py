"""Writes to the directory by its users: a signed-in user proposes an agency, staff review it.

MuckRock's and froide's way: the proposer can file to the agency at once (the request should
not wait for staff), while visitors see only what staff approved (`selectors.agencies_open_to`
and `agencies_visible_to`). A proposal that repeats an agency already in the directory is
refused with a pointer to it, so the directory does not fill with near-copies.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from rtcc_requests.common.text import single_line

from .atlas.normalise import agency_display_name, agency_key
from .models import Agency, AgencyKind, ChecklistItem, PostingCheck, ReviewStatus
from .signals import agencies_bulk_changed

# Proposals awaiting review one user may have: past it, staff catch up first.
MAX_PENDING_PROPOSALS = 10
CONTACT_NEEDED = (
    "Give the agency's records-request email or its records portal: a request needs one of "
    "them to be filed."
)
# Words every agency name has; matching a duplicate on them would find every police department.
_GENERIC_WORDS = {
    "and", "city", "county", "department", "dept", "district", "of", "office", "police",
    "public", "safety", "school", "sheriff", "sheriffs", "state", "the", "unified",
}  # fmt: skip
_STATE = re.compile(r"[A-Z]{2}")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SLUG_ATTEMPTS = 3
_NAME_MAX = Agency._meta.get_field("name").max_length
_SLUG_MAX = Agency._meta.get_field("slug").max_length


class DuplicateAgency(ValidationError):
    """The proposal repeats `agency`, which the proposer can already file to."""

    def __init__(self, agency: Agency):
        self.agency = agency
        super().__init__(
            {
                "name": ValidationError(
                    "%(name)s (%(state)s) is already in the directory: file to it instead.",
                    code="duplicate",
                    params={"name": agency.name, "state": agency.state},
                )
            }
        )


def _clean_fields(
    *, name: str, kind: str, state: str, records_email: str, portal_url: str
) -> tuple[str, str, str, str]:
    name = single_line(name)
    state = state.strip().upper()
    records_email = records_email.strip()
    portal_url = portal_url.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors.setdefault("name", []).append("Give the agency's name.")
    elif len(name) > _NAME_MAX:
        errors.setdefault("name", []).append(f"At most {_NAME_MAX} characters.")
    if kind not in AgencyKind.values:
        errors.setdefault("kind", []).append("Choose what kind of agency it is.")
    if not _STATE.fullmatch(state):
        errors.setdefault("state", []).append("Choose the agency's state.")
    if records_email:
        try:
            validate_email(records_email)
        except ValidationError:
            errors.setdefault("records_email", []).append("Enter a valid email address.")
    if portal_url:
        try:
            URLValidator(schemes=["http", "https"])(portal_url)
        except ValidationError:
            errors.setdefault("portal_url", []).append("Enter the portal's web address.")
    if not records_email and not portal_url:
        errors.setdefault("records_email", []).append(CONTACT_NEEDED)
    if errors:
        raise ValidationError(errors)
    return name, state, records_email, portal_url


def _duplicate_of(*, name: str, state: str, user) -> Agency | None:
    """An agency `user` can already file to in `state` that has this name, "PD" or "Dept."
    folded as the Atlas import folds them (a few rows fetched, not the whole state)."""
    key = agency_key(name, state)
    candidates = Agency.objects.filter(state=state).filter(
        Q(review_status=ReviewStatus.APPROVED)
        | Q(review_status=ReviewStatus.PROPOSED, proposed_by=user)
    )
    # Narrowed in SQL by the name's distinctive words ("O'Neill" by "neill"), matched on keys.
    words = _NON_ALNUM.split(agency_display_name(name).lower())
    distinctive = {w for w in words if w not in _GENERIC_WORDS and len(w) > 1}
    for word in sorted(distinctive, key=len, reverse=True)[:3]:
        candidates = candidates.filter(name__icontains=word)
    if not distinctive:
        candidates = candidates.filter(name__iexact=name)
    for agency in candidates.order_by("review_status", "pk")[:200]:
        if agency_key(agency.name, agency.state) == key:
            return agency
    return None


def _free_slug(*, name: str, state: str) -> str:
    stem = slugify(name)[: _SLUG_MAX - 12].strip("-") or "agency"
    taken = set(Agency.objects.filter(slug__startswith=stem).values_list("slug", flat=True))
    for slug in (stem, f"{stem}-{state.lower()}"):
        if slug not in taken:
            return slug
    n = 2
    while f"{stem}-{state.lower()}-{n}" in taken:
        n += 1
    return f"{stem}-{state.lower()}-{n}"


def propose_agency(
    *,
    user,
    name: str,
    kind: str,
    state: str,
    records_email: str = "",
    portal_url: str = "",
    mailing_address: str = "",
    records_office: str = "",
    city: str = "",
    county: str = "",
    phone: str = "",
    website: str = "",
) -> Agency:
    """A new agency proposed by `user`, who can file to it at once; staff review it.

    Raises ValidationError (by field) when a contact is missing or a value is wrong, and
    DuplicateAgency when the user can already file to an agency of that name in that state.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied("Sign in to propose an agency.")
    name, state, records_email, portal_url = _clean_fields(
        name=name, kind=kind, state=state, records_email=records_email, portal_url=portal_url
    )
    pending = Agency.objects.filter(proposed_by=user, review_status=ReviewStatus.PROPOSED)
    if pending.count() >= MAX_PENDING_PROPOSALS:
        raise ValidationError(
            f"You have {MAX_PENDING_PROPOSALS} agencies awaiting review; staff will review "
            "them before you propose more."
        )
    duplicate = _duplicate_of(name=name, state=state, user=user)
    if duplicate is not None:
        raise DuplicateAgency(duplicate)
    fields = {
        "name": name,
        "kind": kind,
        "state": state,
        "records_email": records_email,
        "portal_url": portal_url,
        "mailing_address": mailing_address.strip(),
        "records_office": single_line(records_office),
        "city": single_line(city),
        "county": single_line(county),
        "phone": single_line(phone),
        "website": website.strip(),
        "review_status": ReviewStatus.PROPOSED,
        "proposed_by": user,
        "proposed_at": timezone.now(),
    }
    for attempt in range(_SLUG_ATTEMPTS):
        try:
            # Two proposals of one name at once: the second takes the next slug.
            with transaction.atomic():
                return Agency.objects.create(slug=_free_slug(name=name, state=state), **fields)
        except IntegrityError:
            if attempt == _SLUG_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _review(
    agencies: QuerySet[Agency], *, status: str, reviewer, note: str | None, allowed_from: list
) -> int:
    changes = {"review_status": status, "reviewed_by": reviewer, "reviewed_at": timezone.now()}
    if note is not None:
        changes["review_note"] = note.strip()
    with transaction.atomic():
        count = agencies.filter(review_status__in=allowed_from).update(**changes)
        if count:
            # The denial log shows agencies' names and links: it recounts.
            agencies_bulk_changed.send(sender=Agency)
    return count


def approve_agencies(*, agencies: QuerySet[Agency], reviewer, note: str | None = None) -> int:
    """Proposed (or rejected) agencies into the public directory; how many changed."""
    return _review(
        agencies,
        status=ReviewStatus.APPROVED,
        reviewer=reviewer,
        note=note,
        allowed_from=[ReviewStatus.PROPOSED, ReviewStatus.REJECTED],
    )


def reject_agencies(*, agencies: QuerySet[Agency], reviewer, note: str | None = None) -> int:
    """Refuse proposals: nobody files to them any more, and only their proposers and staff
    see their pages. Approved agencies are left alone (requests were filed to them)."""
    return _review(
        agencies,
        status=ReviewStatus.REJECTED,
        reviewer=reviewer,
        note=note,
        allowed_from=[ReviewStatus.PROPOSED],
    )


def posting_check_record(
    *,
    agency: Agency,
    checklist_item: ChecklistItem,
    found: bool,
    url: str = "",
    checked_on,
    user,
) -> PostingCheck:
    """Record that `user` looked for a document the law makes `agency` publish."""
    if not checklist_item.published_duty:
        raise ValidationError("No law makes an agency publish this; nothing to check.")
    if checked_on > timezone.localdate():
        raise ValidationError("The day of the check cannot be in the future.")
    url = url.strip()
    if found:
        if not url:
            raise ValidationError("Give the address where it is posted.")
        URLValidator(schemes=["http", "https"])(url)
    return PostingCheck.objects.create(
        agency=agency,
        checklist_item=checklist_item,
        found=found,
        url=url if found else "",
        checked_on=checked_on,
        checked_by=user,
    )
