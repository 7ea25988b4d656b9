"""Reads of the directory: agencies and technologies with their deployments, agency search."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Agency, ClosureDay, Deployment, Technology


def agency_with_deployments(*, slug: str) -> Agency:
    deployments = Deployment.objects.select_related("technology", "vendor").order_by(
        "technology__name", "product"
    )
    return Agency.objects.prefetch_related(Prefetch("deployments", queryset=deployments)).get(
        slug=slug
    )


def technology_with_deployments(*, slug: str) -> Technology:
    deployments = Deployment.objects.select_related("agency", "vendor").order_by(
        "agency__name", "product"
    )
    return Technology.objects.prefetch_related(Prefetch("deployments", queryset=deployments)).get(
        slug=slug
    )


def technologies_with_agency_counts() -> QuerySet[Technology]:
    """Every technology, by category then name, with how many agencies deploy it (one query)."""
    return Technology.objects.annotate(
        agency_count=Count("deployments__agency", distinct=True)
    ).order_by("category", "name")


def agency_search(*, query: str = "") -> QuerySet[Agency]:
    """Agencies whose name, city or county contains every word of the query."""
    agencies = Agency.objects.all()
    for word in query.split()[:8]:
        agencies = agencies.filter(
            Q(name__icontains=word) | Q(city__icontains=word) | Q(county__icontains=word)
        )
    return agencies.order_by("name", "pk")


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
