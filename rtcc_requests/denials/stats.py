"""The summary above the log: four bounded queries whatever the number of denials."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from rtcc_requests.requests.models import Determination

from .filters import DEFICIENT
from .selectors import CitedExemption


@dataclass(frozen=True)
class ExemptionCount:
    exemption: CitedExemption
    count: int


@dataclass(frozen=True)
class DenialSummary:
    count: int
    deficient: int
    late: int
    no_official: int
    top_exemptions: tuple[ExemptionCount, ...]
    median_days: float | None
    # (year, denials, of which late), oldest first: the log's chart of denials per year.
    per_year: tuple[tuple[int, int, int], ...] = ()

    @property
    def share_deficient(self) -> float | None:
        return self.deficient / self.count if self.count else None

    @property
    def percent_deficient(self) -> int | None:
        share = self.share_deficient
        return round(share * 100) if share is not None else None


def denial_summary(filtered: QuerySet[Determination], *, top: int = 5) -> DenialSummary:
    """Counts, most cited exemptions and median days to respond for the log's filtered rows."""
    totals = filtered.aggregate(
        count=Count("pk"),
        deficient=Count("pk", filter=DEFICIENT),
        late=Count("pk", filter=Q(is_late=True)),
        no_official=Count("pk", filter=Q(official_name="")),
        timed=Count("days_to_respond"),
    )
    return DenialSummary(
        count=totals["count"],
        deficient=totals["deficient"],
        late=totals["late"],
        no_official=totals["no_official"],
        top_exemptions=_top_exemptions(filtered, top=top),
        median_days=_median_days(filtered, timed=totals["timed"]),
        per_year=_per_year(filtered) if totals["count"] else (),
    )


def _per_year(filtered: QuerySet[Determination]) -> tuple[tuple[int, int, int], ...]:
    rows = (
        filtered.order_by()
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(is_late=True)))
        .order_by("year")
    )
    return tuple((r["year"], r["n"], r["late"]) for r in rows)


def _top_exemptions(filtered: QuerySet[Determination], *, top: int) -> tuple[ExemptionCount, ...]:
    cited = (
        Determination.exemptions.through.objects.filter(
            determination_id__in=filtered.order_by().values("pk")
        )
        .values(
            "exemption_id",
            "exemption__section",
            "exemption__former_section",
            "exemption__short_name",
        )
        .annotate(n=Count("pk"))
        .order_by("-n", "exemption__section")[:top]
    )
    return tuple(
        ExemptionCount(
            CitedExemption(
                c["exemption_id"],
                c["exemption__section"],
                c["exemption__former_section"],
                c["exemption__short_name"],
            ),
            c["n"],
        )
        for c in cited
    )


def _median_days(filtered: QuerySet[Determination], *, timed: int) -> float | None:
    """The middle value(s) fetched by offset: one query reading at most two rows."""
    if not timed:
        return None
    low, high = (timed - 1) // 2, timed // 2
    middle = list(
        filtered.filter(request__received_on__isnull=False)
        .order_by("days_to_respond", "pk")
        .values_list("days_to_respond", flat=True)[low : high + 1]
    )
    return (middle[0].days + middle[-1].days) / 2
