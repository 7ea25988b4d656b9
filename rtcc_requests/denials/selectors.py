"""Reads for the public denial log: the page and every export go through `denial_log`.

Who may see a row is decided in `denial_log_base` only, with `public_on_q` (the test of
`RecordsRequest.public_on`): private requests never, embargoed ones from their embargo date,
drafts never, and only requests whose status is denied or partially released.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import (
    Case,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    When,
)
from django.urls import reverse

from rtcc_requests.agencies.models import Agency, Technology
from rtcc_requests.common.db import read_to_the_end
from rtcc_requests.laws.models import Exemption
from rtcc_requests.requests.models import Determination, RecordsRequest, public_on_q
from rtcc_requests.requests.rules import WITHHOLDING_KINDS, WITHHOLDING_STATUSES

from .filters import DenialFilter
from .rows import PK_PLACEHOLDER, CitedExemption, DenialRow, row_from_values

__all__ = [
    "CitedExemption",
    "DenialLog",
    "DenialRow",
    "build_rows",
    "denial_log",
    "denial_log_base",
    "denial_log_rows",
    "iter_rows",
    "with_row_columns",
]


# ?sort= values; anything else falls back to the default. Ties break on the row id so
# pages never repeat or skip a row.
SORTS: dict[str, tuple[str, ...]] = {
    "date": ("date", "pk"),
    "agency": ("request__agency__name", "-date", "-pk"),
    "title": ("request__title", "pk"),
    "filed": ("request__filed_on", "pk"),
    "received": ("request__received_on", "pk"),
    "days": ("days_to_respond", "pk"),
    "late": ("days_late", "pk"),
}
DEFAULT_SORT = "-date"

# Columns a row reads; nothing else is loaded (no owner, no letter text, no addresses).
_ROW_COLUMNS = (
    "pk",
    "kind",
    "date",
    "official_name",
    "official_title",
    "more_officials",
    "other_exemptions",
    "is_late",
    "days_late",
    "deficiencies",
    "days_to_respond",
    "public_letter_id",
    "request_id",
    "request__title",
    "request__filed_on",
    "request__received_on",
    "request__agency_received_on",
    "request__procedure_flags",
    "request__agency__name",
    "request__agency__slug",
    "request__agency__kind",
    "request__agency__county",
    "request__law__short_name",
    "request__law__code",
)
CHUNK_SIZE = 2000
ExemptionLink = Determination.exemptions.through
TechnologyLink = RecordsRequest.technologies.through


def denial_log_base(*, today: date) -> QuerySet[Determination]:
    """One row per publicly visible denied or partly denied request: its latest withholding."""
    later = Determination.objects.filter(
        request=OuterRef("request"), kind__in=WITHHOLDING_KINDS
    ).filter(Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk")))
    return (
        Determination.objects.filter(
            public_on_q(today, prefix="request__"),
            kind__in=WITHHOLDING_KINDS,
            request__status__in=WITHHOLDING_STATUSES,
        )
        .filter(~Exists(later))
        .annotate(
            days_to_respond=ExpressionWrapper(
                F("date") - F("request__received_on"), output_field=DurationField()
            )
        )
    )


def sort_key(value: str | None) -> str:
    """The whitelisted sort for a ?sort= value ("agency", "-days", ...)."""
    if value and value.lstrip("-") in SORTS:
        return value
    return DEFAULT_SORT


def _ordering(sort: str) -> list[str]:
    fields = SORTS[sort.lstrip("-")]
    if not sort.startswith("-"):
        return list(fields)
    return [f[1:] if f.startswith("-") else f"-{f}" for f in fields]


def with_row_columns(queryset: QuerySet[Determination]) -> QuerySet:
    """The row data as plain values, in one query; `build_rows` adds the lists."""
    lists = {}
    if connection.vendor == "postgresql":
        # The cited exemptions' and technologies' ids as arrays in the same query: the
        # lists' rows are read where the data is, not fetched per chunk by id.
        lists = {
            "exemption_ids": ArraySubquery(
                ExemptionLink.objects.filter(determination_id=OuterRef("pk")).values("exemption_id")
            ),
            "technology_ids": ArraySubquery(
                TechnologyLink.objects.filter(recordsrequest_id=OuterRef("request_id")).values(
                    "technology_id"
                )
            ),
        }
    return queryset.annotate(
        # Only the id of a letter that is not private; its text is never read here.
        public_letter_id=Case(
            When(communication__is_private=False, then=F("communication_id")), default=None
        ),
        **lists,
    ).values(*_ROW_COLUMNS, *lists)


@dataclass(frozen=True)
class _Names:
    """The small exemption and technology tables, read once per page or export."""

    exemptions: dict[int, CitedExemption]
    technologies: dict[int, str]

    @classmethod
    def read(cls) -> "_Names":
        exemptions = Exemption.objects.values_list("pk", "section", "former_section", "short_name")
        return cls(
            exemptions={row[0]: CitedExemption(*row) for row in exemptions},
            technologies=dict(Technology.objects.values_list("pk", "name")),
        )


def build_rows(values: list[dict], *, names: _Names | None = None) -> list[DenialRow]:
    """Rows from `with_row_columns` values, with exemptions and technologies: two queries
    over the small exemption and technology tables (unless given), and on SQLite two for
    the lists."""
    if not values:
        return []
    names = names or _Names.read()
    if "exemption_ids" not in values[0]:
        _add_lists(values)
    path = _request_path_template()
    section = attrgetter("section")
    return [
        row_from_values(
            v,
            path,
            sorted((names.exemptions[pk] for pk in v["exemption_ids"]), key=section),
            sorted(names.technologies[pk] for pk in v["technology_ids"]),
        )
        for v in values
    ]


def _add_lists(values: list[dict]) -> None:
    """exemption_ids and technology_ids for each row: one query each for the whole chunk."""
    cited: dict[int, list[int]] = {}
    for determination_id, exemption_id in ExemptionLink.objects.filter(
        determination_id__in=[v["pk"] for v in values]
    ).values_list("determination_id", "exemption_id"):
        cited.setdefault(determination_id, []).append(exemption_id)
    about: dict[int, list[int]] = {}
    for request_id, technology_id in TechnologyLink.objects.filter(
        recordsrequest_id__in={v["request_id"] for v in values}
    ).values_list("recordsrequest_id", "technology_id"):
        about.setdefault(request_id, []).append(technology_id)
    for v in values:
        v["exemption_ids"] = cited.get(v["pk"], ())
        v["technology_ids"] = about.get(v["request_id"], ())


def iter_rows(rows: QuerySet, *, chunk_size: int = CHUNK_SIZE) -> Iterator[DenialRow]:
    """All rows of a `DenialLog.rows` queryset, a chunk at a time: memory stays flat."""
    with _reading_everything():
        names = _Names.read()
        chunk = []
        for value in rows.iterator(chunk_size=chunk_size):
            chunk.append(value)
            if len(chunk) == chunk_size:
                yield from build_rows(chunk, names=names)
                chunk = []
        yield from build_rows(chunk, names=names)


@contextmanager
def _reading_everything() -> Iterator[None]:
    """A read-only transaction for a server-side cursor that will be read to its end.

    Outside a transaction PostgreSQL's cursor is WITH HOLD and computes the whole result
    before the first row; and a cursor is planned for its first tenth unless told it will be
    read to the end (common/db.py). Either alone doubled a 100k-row export.
    """
    with transaction.atomic():
        read_to_the_end()
        yield


def _request_path_template() -> str:
    # reverse() once per chunk, not per row: it dominates a 100k-row export otherwise.
    return reverse("requests:detail", kwargs={"pk": int(PK_PLACEHOLDER)})


@dataclass
class DenialLog:
    filterset: DenialFilter
    filtered: QuerySet[Determination]  # unordered, for counts and statistics
    rows: QuerySet  # sorted values for `build_rows` / `iter_rows`
    sort: str

    @property
    def errors(self) -> dict[str, list[str]]:
        if self.filterset.is_valid():
            return {}
        return {name: list(errs) for name, errs in self.filterset.errors.items()}


def denial_log(
    *,
    today: date,
    params: Mapping | None = None,
    agency: Agency | None = None,
    exemption: Exemption | None = None,
) -> DenialLog:
    """The log for a filter given as URL parameters, optionally fixed to an agency or exemption.

    Invalid filter values are left out of the filter and reported in `errors`.
    """
    params = params if params is not None else {}
    base = denial_log_base(today=today)
    fixed = []
    if agency is not None:
        base = base.filter(request__agency=agency)
        fixed.append("agency")
    if exemption is not None:
        base = base.filter(exemptions=exemption)
        fixed.append("exemption")
    filterset = DenialFilter(params, queryset=base, fixed=fixed)
    filtered = filterset.qs
    sort = sort_key(params.get("sort"))
    rows = with_row_columns(filtered.order_by(*_ordering(sort)))
    return DenialLog(filterset=filterset, filtered=filtered, rows=rows, sort=sort)


def denial_log_rows(*, today: date, sort: str | None = None, **filters) -> list[DenialRow]:
    """The rows for keyword filters (agency="slug", technology="slug", deficient=True, ...)."""
    params = {k: _param(v) for k, v in filters.items() if v is not None}
    if sort:
        params["sort"] = sort
    log = denial_log(today=today, params=params)
    if log.errors:
        raise ValueError(f"Invalid denial log filter: {log.errors}")
    return list(iter_rows(log.rows))


def _param(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Agency | Technology):
        return value.slug
    return str(getattr(value, "pk", value))
