"""Reads for the agency and technology pages; only public requests ever appear on them."""

from dataclasses import dataclass
from datetime import date
from statistics import median

from django.db.models import Count, Prefetch, Q, QuerySet

from rtcc_requests.requests.models import RecordsRequest

from .models import Agency, Deployment, Technology

PUBLIC_REQUESTS_SHOWN = 50


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


def technologies_by_category() -> QuerySet[Technology]:
    return Technology.objects.order_by("category", "name")


def agency_search(*, query: str = "") -> QuerySet[Agency]:
    """Agencies whose name, city or county contains every word of the query."""
    agencies = Agency.objects.all()
    for word in query.split()[:8]:
        agencies = agencies.filter(
            Q(name__icontains=word) | Q(city__icontains=word) | Q(county__icontains=word)
        )
    return agencies.order_by("name", "pk")


def _public_requests(today: date) -> QuerySet[RecordsRequest]:
    return (
        RecordsRequest.objects.public_on(today)
        .select_related("agency", "law")
        .order_by("-filed_on", "-pk")
    )


def public_requests_to_agency(
    *, agency: Agency, today: date, limit: int = PUBLIC_REQUESTS_SHOWN
) -> list[RecordsRequest]:
    return list(
        _public_requests(today).filter(agency=agency).prefetch_related("technologies")[:limit]
    )


def public_requests_about_technology(
    *, technology: Technology, today: date, limit: int = PUBLIC_REQUESTS_SHOWN
) -> list[RecordsRequest]:
    return list(_public_requests(today).filter(technologies=technology)[:limit])


@dataclass(frozen=True)
class ResponseStats:
    requests: int
    answered: int
    answered_late: int
    denials: int
    deficient: int
    median_days: float | None

    @property
    def late_share(self) -> int | None:
        """Percent of answered requests answered after the deadline."""
        return round(100 * self.answered_late / self.answered) if self.answered else None


def agency_response_stats(*, agency: Agency, today: date) -> ResponseStats:
    """Statistics over the agency's public requests only: private ones never leak into them."""
    public = RecordsRequest.objects.public_on(today).filter(agency=agency)
    totals = public.aggregate(
        requests=Count("pk"),
        answered=Count("pk", filter=Q(responded_on__isnull=False)),
        answered_late=Count("pk", filter=Q(responded_on__isnull=False, is_late=True)),
        denials=Count("pk", filter=Q(status__in=["denied", "partial"])),
        deficient=Count("pk", filter=Q(is_deficient=True)),
    )
    # Two dates per answered request; the median is computed here to work on any database.
    spans = [
        (responded - received).days
        for received, responded in public.filter(
            responded_on__isnull=False, received_on__isnull=False
        ).values_list("received_on", "responded_on")
    ]
    return ResponseStats(**totals, median_days=median(spans) if spans else None)
