"""A request's numbered items: read from its records sought while it is a draft, and each
item's outcome recorded with the determination that gives it."""

from collections.abc import Iterable

from rtcc_requests.agencies.models import ChecklistItem
from rtcc_requests.laws.models import Exemption

from .. import items as item_rules
from ..choices import ItemOutcome
from ..models import Determination, RecordsRequest, RequestItem
from ._shared import RequestError


def items_sync(records_request: RecordsRequest) -> list[RequestItem]:
    """Replace a draft's items by those its records sought now lists (three queries)."""
    parsed = item_rules.numbered_items(records_request.records_sought)
    keys = {item_rules.text_key(i.text) for i in parsed}
    checklist = {
        item_rules.text_key(c.ask): c.pk
        for c in ChecklistItem.objects.only("pk", "ask")
        if item_rules.text_key(c.ask) in keys
    }
    RequestItem.objects.filter(request=records_request).delete()
    return RequestItem.objects.bulk_create(
        RequestItem(
            request=records_request,
            number=i.number,
            text=i.text,
            checklist_item_id=checklist.get(item_rules.text_key(i.text)),
        )
        for i in parsed
    )


def items_record(
    *,
    records_request: RecordsRequest,
    determination: Determination,
    outcomes: Iterable[item_rules.OutcomeInput] = (),
    exemption_ids: Iterable[int] = (),
) -> int:
    """Set the items' outcomes from this determination: those given item by item, and for
    the others what the determination's kind says of each (KIND_OUTCOME), if it says
    anything. An item withheld under one exemption when the denial cites only one gets
    that one. Returns how many items changed; at most three queries."""
    given = {o.number: o for o in outcomes}
    exemption_ids = list(exemption_ids)
    items = list(RequestItem.objects.filter(request=records_request))
    known = {i.number for i in items}
    if unknown := sorted(set(given) - known):
        raise RequestError(f"The request has no item {', '.join(map(str, unknown))}.")
    cited = {o.exemption_id for o in given.values() if o.exemption_id}
    if cited and len(Exemption.objects.filter(pk__in=cited, law_id=records_request.law_id)) != len(
        cited
    ):
        raise RequestError(f"Cite only exemptions of the {records_request.law.short_name}.")
    default = item_rules.KIND_OUTCOME.get(determination.kind)
    changed = []
    for item in items:
        chosen = given.get(item.number)
        if chosen is None or not chosen.outcome:
            if default is None:
                continue
            chosen = item_rules.OutcomeInput(
                number=item.number,
                outcome=default,
                exemption_id=exemption_ids[0] if len(exemption_ids) == 1 else None,
                promised_on=determination.promised_date,
            )
        if chosen.outcome not in ItemOutcome.values:
            raise RequestError(f"Unknown outcome {chosen.outcome!r} for item {item.number}.")
        item.outcome = chosen.outcome
        withheld = chosen.outcome in (ItemOutcome.WITHHELD, ItemOutcome.PARTLY)
        item.exemption_id = chosen.exemption_id if withheld else None
        item.promised_on = chosen.promised_on if chosen.outcome == ItemOutcome.PROMISED else None
        item.determination = determination
        changed.append(item)
    RequestItem.objects.bulk_update(
        changed, ["outcome", "exemption", "promised_on", "determination"]
    )
    return len(changed)
