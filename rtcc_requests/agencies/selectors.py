from django.db.models import Prefetch, QuerySet

from .models import Agency, Deployment, Technology


def agency_with_deployments(*, slug: str) -> Agency:
    deployments = Deployment.objects.select_related("technology", "vendor")
    return Agency.objects.prefetch_related(Prefetch("deployments", queryset=deployments)).get(
        slug=slug
    )


def technology_with_deployments(*, slug: str) -> Technology:
    deployments = Deployment.objects.select_related("agency", "vendor")
    return Technology.objects.prefetch_related(Prefetch("deployments", queryset=deployments)).get(
        slug=slug
    )


def technologies_by_category() -> QuerySet[Technology]:
    return Technology.objects.order_by("category", "name")
