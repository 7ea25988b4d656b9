"""Reads of the directory: agencies and technologies with their deployments, agency search.

Who sees which agency: everyone sees the approved directory; a user's own proposals are
open to that user (to file to, on their page and in their searches) until staff review
them; staff see every proposal. A rejected proposal is filed to by nobody, and its page is
left to its proposer (who reads why) and staff.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from .models import (
    Agency,
    ChecklistItem,
    ClosureDay,
    Deployment,
    DeploymentStatus,
    PostingCheck,
    ReviewStatus,
    Technology,
)

APPROVED_Q = Q(review_status=ReviewStatus.APPROVED)
SEARCH_WORDS = 8
# Words are what is between spaces and the punctuation people type in a name list
# ("Angeles, Los"); a dot or an apostrophe stays ("St. Helena", "Sheriff's").
_WORD_SEPARATORS = re.compile(r"[\s,;/()\"]+")


def approved_agencies() -> QuerySet[Agency]:
    """The public directory: what visitors list, search and see."""
    return Agency.objects.filter(APPROVED_Q)


def agencies_open_to(user) -> QuerySet[Agency]:
    """Agencies `user` may file to: the approved ones and the user's own proposals awaiting
    review (staff: every agency but the rejected). The composer's agency choice."""
    if not getattr(user, "is_authenticated", False):
        return approved_agencies()
    if user.is_staff:
        return Agency.objects.exclude(review_status=ReviewStatus.REJECTED)
    return Agency.objects.filter(
        APPROVED_Q | Q(review_status=ReviewStatus.PROPOSED, proposed_by=user)
    )


def agencies_visible_to(user) -> QuerySet[Agency]:
    """Agencies whose page `user` may see: agencies_open_to, and the user's own rejected
    proposals (the page says why); staff see every agency."""
    if not getattr(user, "is_authenticated", False):
        return approved_agencies()
    if user.is_staff:
        return Agency.objects.all()
    return Agency.objects.filter(APPROVED_Q | Q(proposed_by=user))


def agency_with_deployments(*, slug: str, viewer=None) -> Agency:
    """The agency page's agency, if `viewer` may see it (Agency.DoesNotExist otherwise)."""
    deployments = Deployment.objects.select_related("technology", "vendor").order_by(
        "technology__name", "product"
    )
    return (
        agencies_visible_to(viewer)
        .prefetch_related(Prefetch("deployments", queryset=deployments))
        .get(slug=slug)
    )


def technology_with_deployments(*, slug: str) -> Technology:
    """A technology with its deployments at agencies of the public directory, and its
    records checklist."""
    deployments = (
        Deployment.objects.filter(agency__review_status=ReviewStatus.APPROVED)
        .select_related("agency", "vendor")
        .order_by("agency__name", "product")
    )
    return Technology.objects.prefetch_related(
        Prefetch("deployments", queryset=deployments),
        Prefetch("checklist", queryset=ChecklistItem.objects.order_by("position", "pk")),
    ).get(slug=slug)


def technologies_with_agency_counts() -> QuerySet[Technology]:
    """Every technology, by category then name, with how many agencies of the public
    directory deploy it (one query)."""
    approved = Q(deployments__agency__review_status=ReviewStatus.APPROVED)
    return Technology.objects.annotate(
        agency_count=Count("deployments__agency", filter=approved, distinct=True)
    ).order_by("category", "name")


def search_words(query: str) -> list[str]:
    """The words of a typed search, at most SEARCH_WORDS of them."""
    return [word for word in _WORD_SEPARATORS.split(query) if word][:SEARCH_WORDS]


def agency_search(*, query: str = "", user=None) -> QuerySet[Agency]:
    """Agencies open to `user` whose name, city or county contains every word of the query,
    in any order and any case ("los angeles", "angeles police"); names that begin with the
    query come first."""
    agencies = agencies_open_to(user)
    words = search_words(query)
    for word in words:
        agencies = agencies.filter(
            Q(name__icontains=word) | Q(city__icontains=word) | Q(county__icontains=word)
        )
    if not words:
        return agencies.order_by("name", "pk")
    starts = Case(
        When(name__istartswith=" ".join(words), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return agencies.annotate(starts_with_query=starts).order_by("starts_with_query", "name", "pk")


def closure_days(*, agency: Agency) -> dict[date, str]:
    """The agency's own closure days, day -> reason, for the deadline count (one query).

    Code Civ. Proc. §12b: a day the office is closed for the whole day is a holiday for the
    count; `laws.calendar` takes this mapping as `closures`.
    """
    return dict(ClosureDay.objects.filter(agency=agency).values_list("day", "reason"))


def closure_days_by_agency(*, agency_ids) -> dict[int, dict[date, str]]:
    """closure_days for many agencies at once (one query); an agency without any maps to {}."""
    found: dict[int, dict[date, str]] = {pk: {} for pk in agency_ids}
    rows = ClosureDay.objects.filter(agency_id__in=found).values_list("agency_id", "day", "reason")
    for agency_id, day, reason in rows:
        found[agency_id][day] = reason
    return found


@dataclass(frozen=True)
class PublishedDuty:
    """A document the law makes this agency publish, and the latest check for it."""

    item: ChecklistItem
    check: PostingCheck | None


def published_duties(*, agency: Agency) -> list[PublishedDuty]:
    """The published duties of the technologies the agency is listed with (two queries)."""
    technology_ids = (
        Deployment.objects.filter(agency=agency)
        .exclude(status=DeploymentStatus.REJECTED)
        .values("technology_id")
    )
    items = list(
        ChecklistItem.objects.filter(published_duty=True, technology_id__in=technology_ids)
        .select_related("technology")
        .order_by("technology__name", "position")
    )
    if not items:
        return []
    latest: dict[int, PostingCheck] = {}
    for check in PostingCheck.objects.filter(agency=agency, checklist_item__in=items).order_by(
        "checklist_item_id", "-checked_on", "-pk"
    ):
        latest.setdefault(check.checklist_item_id, check)
    return [PublishedDuty(item, latest.get(item.pk)) for item in items]
