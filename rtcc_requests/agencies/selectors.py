"""Reads of the directory: agencies and technologies with their deployments, agency search."""

from django.db.models import Prefetch, Q, QuerySet

from .models import Agency, Deployment, Technology


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


def agency_search(*, query: str = "") -> QuerySet[Agency]:
    """Agencies whose name, city or county contains every word of the query."""
    agencies = Agency.objects.all()
    for word in query.split()[:8]:
        agencies = agencies.filter(
            Q(name__icontains=word) | Q(city__icontains=word) | Q(county__icontains=word)
        )
    return agencies.order_by("name", "pk")
