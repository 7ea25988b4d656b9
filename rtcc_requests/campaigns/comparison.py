"""The agencies' answers compared item by item: for a campaign, which agencies released each
numbered item, which withheld it and under what, which have not answered (late or not yet
due). As a page, a CSV (one line per agency and item) and JSON; two queries whatever the
number of agencies and items. Privacy as the campaign table: the requests this viewer sees.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch

from rtcc_requests.common.csvfiles import SpreadsheetSafeWriter
from rtcc_requests.requests import items as item_rules
from rtcc_requests.requests.choices import ItemOutcome, Status
from rtcc_requests.requests.models import RecordsRequest, RequestItem

from .models import Campaign
from .selectors import campaign_requests, sees_every_request

# What a cell shows when the agency has said nothing of the item (outcome "pending").
NOT_FILED, WAITING, LATE = "not_filed", "waiting", "late"
STATE_LABELS = {
    **dict(ItemOutcome.choices),
    NOT_FILED: "Not filed yet",
    WAITING: "Waiting, not yet due",
    LATE: "No answer, past due",
}
# The chart's four answers: what was given, what was refused, who is late, who is silent.
CHART_GROUPS = {
    "released": (ItemOutcome.RELEASED, ItemOutcome.PARTLY, ItemOutcome.PROMISED),
    "withheld": (ItemOutcome.WITHHELD, ItemOutcome.NO_RECORDS),
    "late": (LATE,),
    "waiting": (WAITING, NOT_FILED),
}
GROUP_OF = {state: group for group, states in CHART_GROUPS.items() for state in states}


@dataclass(frozen=True)
class Column:
    number: int
    text: str


@dataclass(frozen=True)
class Cell:
    state: str  # an ItemOutcome other than pending, or NOT_FILED / WAITING / LATE
    exemption: str = ""  # the section cited for the item, e.g. "§7923.600"
    promised_on: date | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def qualified(self) -> bool:
        """Whether a list of agencies says this answer's kind beside the name (a release
        in part, a withholding and under what, a promise and its date)."""
        return self.state in (
            ItemOutcome.PARTLY,
            ItemOutcome.WITHHELD,
            ItemOutcome.NO_RECORDS,
            ItemOutcome.PROMISED,
        )


@dataclass(frozen=True)
class Row:
    """An agency's answers, as plain values: what the pages, the CSV and the JSON read, and
    small enough to cache (no model instances)."""

    agency: str
    agency_slug: str
    url: str  # the request's page, resolved once (a page links it from every item)
    status: str
    cells: tuple[Cell, ...]


@dataclass
class Comparison:
    columns: list[Column]
    rows: list[Row]
    counts: list[dict[str, int]] = field(default_factory=list)  # per column: state -> agencies
    # Per column: CHART_GROUPS key -> (the first NAMES_PER_ANSWER rows with their cells,
    # how many more): a page names a few per answer, its table has them all.
    summary: list[tuple[Column, dict[str, tuple]]] = field(default_factory=list)


NAMES_PER_ANSWER = 12


def _state(item: RequestItem | None, request: RecordsRequest, today: date) -> Cell:
    if item is not None and item.outcome != ItemOutcome.PENDING:
        section = item.exemption.section if item.exemption_id else ""
        return Cell(item.outcome, section, item.promised_on)
    if request.status == Status.DRAFT:
        return Cell(NOT_FILED)
    if request.responded_on is None and request.next_due and request.next_due < today:
        return Cell(LATE)
    return Cell(WAITING)


def campaign_comparison(*, campaign: Campaign, user, today: date) -> Comparison:
    """The campaign's numbered items (as its ask lists them) against each agency's answer."""
    columns = [Column(i.number, i.text) for i in item_rules.numbered_items(campaign.records_sought)]
    requests = (
        campaign_requests(campaign=campaign, user=user, today=today)
        .select_related("agency")
        .prefetch_related(
            # Unordered: the cells are found by number (the items' default ordering is by
            # request, which joins and sorts every request's row for nothing).
            Prefetch("items", queryset=RequestItem.objects.select_related("exemption").order_by())
        )
        .order_by("agency__name", "pk")
    )
    comparison = Comparison(columns=columns, rows=[])
    for request in requests:
        by_number = {item.number: item for item in request.items.all()}
        cells = tuple(_state(by_number.get(c.number), request, today) for c in columns)
        comparison.rows.append(
            Row(
                agency=request.agency.name,
                agency_slug=request.agency.slug,
                url=request.get_absolute_url(),
                status=request.status,
                cells=cells,
            )
        )
    for index, column in enumerate(columns):
        counts: dict[str, int] = {}
        groups: dict[str, list] = {group: [] for group in CHART_GROUPS}
        for row in comparison.rows:
            cell = row.cells[index]
            counts[cell.state] = counts.get(cell.state, 0) + 1
            groups[GROUP_OF[cell.state]].append((row, cell))
        comparison.counts.append(counts)
        comparison.summary.append(
            (
                column,
                {
                    group: (found[:NAMES_PER_ANSWER], max(0, len(found) - NAMES_PER_ANSWER))
                    for group, found in groups.items()
                },
            )
        )
    return comparison


CACHE_SECONDS = 3600


def cached_comparison(*, campaign: Campaign, user, today: date) -> Comparison:
    """campaign_comparison, kept in the shared cache until one of the requests it reads
    changes: the key holds their number and latest `updated_at` (every answer, item outcome
    and visibility change saves its request), the day (deadlines pass, embargoes end) and
    whether the viewer sees every request or the public ones only. One query on a hit."""
    requests = campaign_requests(campaign=campaign, user=user, today=today)
    version = requests.aggregate(latest=Max("updated_at"), count=Count("pk"))
    latest = version["latest"].isoformat() if version["latest"] else "-"
    sees_all = int(sees_every_request(user=user, campaign=campaign))
    key = (
        f"campaign-compare:{campaign.pk}:{sees_all}:{today.isoformat()}:"
        f"{version['count']}:{latest}:{campaign.updated_at.isoformat()}"
    )
    return cache.get_or_set(
        key,
        lambda: campaign_comparison(campaign=campaign, user=user, today=today),
        CACHE_SECONDS,
    )


CSV_HEADER = [
    "agency",
    "agency_slug",
    "request_url",
    "request_status",
    "item_number",
    "item",
    "answer",
    "exemption",
    "promised_on",
]


def _lines(comparison: Comparison, *, site_url: str) -> Iterator[list]:
    for row in comparison.rows:
        for column, cell in zip(comparison.columns, row.cells, strict=True):
            yield [
                row.agency,
                row.agency_slug,
                site_url + row.url,
                row.status,
                column.number,
                column.text,
                cell.state,
                cell.exemption,
                cell.promised_on.isoformat() if cell.promised_on else "",
            ]


def comparison_csv(comparison: Comparison, *, site_url: str) -> str:
    out = io.StringIO()
    writer = SpreadsheetSafeWriter(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(_lines(comparison, site_url=site_url))
    return out.getvalue()


def comparison_json(comparison: Comparison, *, site_url: str) -> dict:
    return {
        "items": [{"number": c.number, "text": c.text} for c in comparison.columns],
        "agencies": [
            {
                "agency": row.agency,
                "agency_slug": row.agency_slug,
                "request_url": site_url + row.url,
                "request_status": row.status,
                "answers": [
                    {
                        "item_number": column.number,
                        "answer": cell.state,
                        "exemption": cell.exemption or None,
                        "promised_on": cell.promised_on.isoformat() if cell.promised_on else None,
                    }
                    for column, cell in zip(comparison.columns, row.cells, strict=True)
                ],
            }
            for row in comparison.rows
        ],
    }


@dataclass(frozen=True)
class TechnologyItem:
    """One checklist item of a technology and every public answer to it, by agency."""

    checklist_item: object
    answers: dict[str, list[tuple[RecordsRequest, Cell]]]  # CHART_GROUPS key -> answers


def technology_comparison(*, technology, user, today: date) -> list[TechnologyItem]:
    """For each checklist item of a technology: the requests (of any campaign, or none) that
    asked for it and that this viewer may see, grouped by what the agency answered. Two
    queries: the checklist, and the items with their requests, agencies and exemptions."""
    checklist = list(technology.checklist.order_by("position", "pk"))
    visible = RecordsRequest.objects.visible_to(user, today).exclude(status=Status.DRAFT)
    asked = (
        RequestItem.objects.filter(checklist_item__in=checklist, request__in=visible)
        .select_related("request__agency", "exemption")
        .order_by("request__agency__name", "request_id")
    )
    by_item: dict[int, dict[str, list]] = {
        c.pk: {group: [] for group in CHART_GROUPS} for c in checklist
    }
    for item in asked:
        cell = _state(item, item.request, today)
        by_item[item.checklist_item_id][GROUP_OF[cell.state]].append((item.request, cell))
    return [TechnologyItem(c, by_item[c.pk]) for c in checklist]


TECHNOLOGY_CSV_HEADER = [
    "checklist_item",
    "item",
    "basis",
    "agency",
    "agency_slug",
    "request_url",
    "answer",
    "exemption",
    "promised_on",
]


def _technology_lines(compared: list[TechnologyItem], *, site_url: str) -> Iterator[list]:
    for entry in compared:
        item = entry.checklist_item
        for answers in entry.answers.values():
            for request, cell in answers:
                yield [
                    item.key,
                    item.ask,
                    item.basis,
                    request.agency.name,
                    request.agency.slug,
                    site_url + request.get_absolute_url(),
                    cell.state,
                    cell.exemption,
                    cell.promised_on.isoformat() if cell.promised_on else "",
                ]


def technology_csv(compared: list[TechnologyItem], *, site_url: str) -> str:
    out = io.StringIO()
    writer = SpreadsheetSafeWriter(out, lineterminator="\r\n")
    writer.writerow(TECHNOLOGY_CSV_HEADER)
    writer.writerows(_technology_lines(compared, site_url=site_url))
    return out.getvalue()


def technology_json(compared: list[TechnologyItem], *, site_url: str) -> list[dict]:
    return [
        dict(zip(TECHNOLOGY_CSV_HEADER, line, strict=True))
        for line in _technology_lines(compared, site_url=site_url)
    ]
