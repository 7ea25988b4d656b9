"""Each numbered item of a request gets its own outcome, recorded with the determination."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rtcc_requests.agencies.models import ChecklistItem
from rtcc_requests.demo.data import reference_load
from rtcc_requests.requests import services
from rtcc_requests.requests.choices import DeterminationKind, ItemOutcome
from rtcc_requests.requests.items import as_list

from .. import factories
from ..support.html import parse_strict

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpr_checklist():
    reference_load()
    return list(ChecklistItem.objects.filter(technology__slug="automated-license-plate-readers"))


def _filed(user, sought: str):
    draft = services.request_create(
        owner=user,
        agency=factories.AgencyFactory(),
        law=factories.law(),
        title="ALPR records",
        records_sought=sought,
        technologies=[factories.technology()],
        letter_body="Dear Records Officer,\n\nPlease send the records.\n\nSincerely,\nA. Requester",
    )
    return services.request_file(
        records_request=draft,
        actor=user,
        method="portal",
        filed_on=timezone.localdate() - timedelta(days=3),
    )


def test_a_draft_keeps_its_items_in_step_with_the_records_sought(user, alpr_checklist):
    policy, logs = alpr_checklist[0], alpr_checklist[1]
    draft = services.request_create(
        owner=user,
        agency=factories.AgencyFactory(),
        law=factories.law(),
        title="ALPR",
        records_sought=as_list([policy.ask, "Our own item."]),
    )
    assert [(i.number, i.checklist_item_id) for i in draft.items.all()] == [
        (1, policy.pk),
        (2, None),
    ]
    services.request_update_draft(
        records_request=draft,
        agency=draft.agency,
        law=draft.law,
        title=draft.title,
        records_sought=as_list([logs.ask]),
        letter_body="",
        technologies=[],
    )
    assert [(i.number, i.checklist_item_id) for i in draft.items.all()] == [(1, logs.pk)]


def test_a_partial_release_records_each_items_outcome(user, alpr_checklist):
    filed = _filed(user, as_list([c.ask for c in alpr_checklist[:3]]))
    investigatory = factories.exemption("§7923.600")
    services.determination_record(
        records_request=filed,
        actor=user,
        kind=DeterminationKind.PARTIAL,
        response_date=timezone.localdate(),
        exemptions=[investigatory],
        official_name="J. Clerk",
        official_title="Records Manager",
        item_outcomes=[
            services.OutcomeInput(number=1, outcome=ItemOutcome.RELEASED),
            services.OutcomeInput(
                number=2, outcome=ItemOutcome.WITHHELD, exemption_id=investigatory.pk
            ),
        ],
    )
    items = {i.number: i for i in filed.items.all()}
    assert items[1].outcome == ItemOutcome.RELEASED and items[1].exemption is None
    assert (items[2].outcome, items[2].exemption) == (ItemOutcome.WITHHELD, investigatory)
    # A partial release says nothing of an item the requester did not break down.
    assert items[3].outcome == ItemOutcome.PENDING


def test_an_exemption_cited_for_one_item_is_cited_by_the_response(user, alpr_checklist):
    # A partial release whose only exemption is one item's cites it: not "no exemption", and
    # the ALPR reading of §7923.600 is flagged, as for an exemption ticked for the answer.
    filed = _filed(user, as_list([c.ask for c in alpr_checklist[:2]]))
    investigatory = factories.exemption("§7923.600")
    determination = services.determination_record(
        records_request=filed,
        actor=user,
        kind=DeterminationKind.PARTIAL,
        response_date=timezone.localdate(),
        official_name="J. Clerk",
        official_title="Records Manager",
        item_outcomes=[
            services.OutcomeInput(number=1, outcome=ItemOutcome.RELEASED),
            services.OutcomeInput(
                number=2, outcome=ItemOutcome.WITHHELD, exemption_id=investigatory.pk
            ),
        ],
    )
    assert list(determination.exemptions.all()) == [investigatory]
    filed.refresh_from_db()
    assert "no_exemption" not in filed.deficiencies
    assert "alpr_not_investigatory" in filed.deficiencies


def test_a_denial_withholds_every_item_not_broken_down_under_its_one_exemption(user):
    filed = _filed(user, "1. The policy.\n2. The logs.")
    investigatory = factories.exemption("§7923.600")
    services.determination_record(
        records_request=filed,
        actor=user,
        kind=DeterminationKind.DENIAL,
        response_date=timezone.localdate(),
        exemptions=[investigatory],
    )
    assert {(i.outcome, i.exemption_id) for i in filed.items.all()} == {
        (ItemOutcome.WITHHELD, investigatory.pk)
    }


def test_an_item_number_the_request_lacks_is_refused_and_nothing_is_recorded(user):
    filed = _filed(user, "1. The policy.")
    with pytest.raises(services.RequestError, match="no item 7"):
        services.determination_record(
            records_request=filed,
            actor=user,
            kind=DeterminationKind.RELEASED,
            response_date=timezone.localdate(),
            item_outcomes=[services.OutcomeInput(number=7, outcome=ItemOutcome.RELEASED)],
        )
    assert filed.determinations.count() == 0


def test_the_form_records_items_and_the_page_shows_their_answers(client, user):
    filed = _filed(user, "1. The policy.\n2. The logs.\n3. The contract.")
    investigatory = factories.exemption("§7923.600")
    client.force_login(user)
    page = client.get(filed.get_absolute_url()).text
    tree = parse_strict(page)
    names = {e.get("name") for e in tree.iter("select")}
    assert {"item_1", "item_2_exemption", "item_3"} <= names

    response = client.post(
        f"/requests/{filed.pk}/determination/",
        {
            "kind": DeterminationKind.PARTIAL,
            "response_date": timezone.localdate().isoformat(),
            "in_writing": "on",
            "exemptions": [investigatory.pk],
            "official_name": "J. Clerk",
            "official_title": "Records Manager",
            "item_1": ItemOutcome.RELEASED,
            "item_2": ItemOutcome.WITHHELD,
            "item_2_exemption": investigatory.pk,
            "item_3": ItemOutcome.NO_RECORDS,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(filed.get_absolute_url()).text
    rows = {
        row.get("id"): " ".join("".join(row.itertext()).split())
        for row in parse_strict(page).iter("tr")
        if (row.get("id") or "").startswith("item-")
    }
    assert rows["item-1"] == "1 The policy. Released"
    assert rows["item-2"].startswith("2 The logs. Withheld under §7923.600")
    assert rows["item-3"] == "3 The contract. No records"


def test_a_promised_item_needs_its_date(client, user):
    filed = _filed(user, "1. The policy.")
    client.force_login(user)
    response = client.post(
        f"/requests/{filed.pk}/determination/",
        {
            "kind": DeterminationKind.PARTIAL,
            "response_date": timezone.localdate().isoformat(),
            "in_writing": "on",
            "item_1": ItemOutcome.PROMISED,
        },
    )
    assert response.status_code == 200
    assert "Give the date it is promised by." in response.text
    assert filed.determinations.count() == 0
