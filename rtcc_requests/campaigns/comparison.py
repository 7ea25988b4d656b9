"""The agencies' answers compared item by item: for a campaign, which agencies released each
numbered item, which withheld it and under what, which have not answered (late or not yet
due). As a page, a CSV (one line per agency and item) and JSON; two queries whatever the
number of agencies and items. Privacy as the campaign table: the requests this viewer sees.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from rtcc_requests.common.csvfiles import SpreadsheetSafeWriter
from rtcc_requests.requests import items as item_rules
from rtcc_requests.requests.choices import ItemOutcome, Status
from rtcc_requests.requests.models import RecordsRequest, RequestItem

from .models import Campaign
from .selectors import campaign_requests

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


@dataclass(frozen=True)
class Column:
    number: int
    text: str


@dataclass(frozen=True)
class Cell:
    state: str  # an ItemOutcome other than pending, or NOT_FILED / WAITING / LATE
    exemption: object = None
    promised_on: date | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class Row:
    request: RecordsRequest
    cells: list[Cell]


@dataclass
class Comparison:
    columns: list[Column]
    rows: list[Row]
    counts: list[dict[str, int]] = field(default_factory=list)  # per column: state -> agencies

    def agencies_in(self, column_index: int, states) -> list[tuple[RecordsRequest, Cell]]:
        return [
            (row.request, row.cells[column_index])
            for row in self.rows
            if row.cells[column_index].state in states
        ]

    def summary(self) -> list[tuple[Column, dict[str, list]]]:
        """Per item: released / withheld / no answer, each the agencies and their cells."""
        return [
            (
                column,
                {group: self.agencies_in(index, states) for group, states in CHART_GROUPS.items()},
            )
            for index, column in enumerate(self.columns)
        ]


def _state(item: RequestItem | None, request: RecordsRequest, today: date) -> Cell:
    if item is not None and item.outcome != ItemOutcome.PENDING:
        return Cell(item.outcome, item.exemption, item.promised_on)
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
            Prefetch("items", queryset=RequestItem.objects.select_related("exemption"))
        )
        .order_by("agency__name", "pk")
    )
    comparison = Comparison(columns=columns, rows=[])
    for request in requests:
        by_number = {item.number: item for item in request.items.all()}
        cells = [_state(by_number.get(c.number), request, today) for c in columns]
        comparison.rows.append(Row(request, cells))
    for index in range(len(columns)):
        counts: dict[str, int] = {}
        for row in comparison.rows:
            counts[row.cells[index].state] = counts.get(row.cells[index].state, 0) + 1
        comparison.counts.append(counts)
    return comparison


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
                row.request.agency.name,
                row.request.agency.slug,
                site_url + row.request.get_absolute_url(),
                row.request.status,
                column.number,
                column.text,
                cell.state,
                cell.exemption.section if cell.exemption else "",
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
                "agency": row.request.agency.name,
                "agency_slug": row.request.agency.slug,
                "request_url": site_url + row.request.get_absolute_url(),
                "request_status": row.request.status,
                "answers": [
                    {
                        "item_number": column.number,
                        "answer": cell.state,
                        "exemption": cell.exemption.section if cell.exemption else None,
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
        for group, states in CHART_GROUPS.items():
            if cell.state in states:
                by_item[item.checklist_item_id][group].append((item.request, cell))
    return [TechnologyItem(c, by_item[c.pk]) for c in checklist]
