"""The composer offers each technology's records checklist as numbered items, and the
letter lists the items ticked."""

import pytest
from django.urls import reverse

from rtcc_requests.agencies.models import ChecklistItem
from rtcc_requests.demo.data import reference_load
from rtcc_requests.requests.items import with_items
from rtcc_requests.requests.models import RecordsRequest
from tests import factories

from ..support.html import parse_strict

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpr():
    reference_load()
    return list(ChecklistItem.objects.filter(technology__slug="automated-license-plate-readers"))


def _post(client, agency, **extra):
    data = {
        "agency": agency.pk,
        "law": factories.law().pk,
        "technologies": [factories.technology().pk],
        "title": "ALPR records",
        "records_sought": "",
        "body": "",
        "action": "save",
        **extra,
    }
    return client.post(reverse("requests:new"), data)


def test_the_checklist_is_offered_grouped_by_technology(client, user, alpr):
    client.force_login(user)
    page = client.get(reverse("requests:new")).text
    tree = parse_strict(page)
    offered = {e.get("value") for e in tree.iter("input") if e.get("name") == "checklist"}
    assert {str(c.pk) for c in alpr} <= offered
    assert "Automated License Plate Readers" in page


def test_ticked_items_become_the_numbered_records_sought_and_the_letter_lists_them(
    client, user, alpr
):
    client.force_login(user)
    agency = factories.AgencyFactory()
    policy, logs = alpr[0], alpr[1]
    response = _post(
        client,
        agency,
        records_sought="From 1 January 2016 to date:",
        checklist=[policy.pk, logs.pk],
    )
    assert response.status_code == 302
    saved = RecordsRequest.objects.get(owner=user)
    assert saved.records_sought == (
        f"From 1 January 2016 to date:\n\n1. {policy.ask}\n2. {logs.ask}"
    )
    assert f"1. {policy.ask}\n2. {logs.ask}" in saved.letter_body
    assert [(i.number, i.checklist_item_id) for i in saved.items.all()] == [
        (1, policy.pk),
        (2, logs.pk),
    ]


def test_an_edited_letter_gets_the_ticked_items_where_the_records_sought_were(client, user, alpr):
    client.force_login(user)
    agency = factories.AgencyFactory()
    body = "Dear Records Officer,\n\nPlease send: The hot list sources.\n\nThanks,\nA. Requester"
    _post(
        client,
        agency,
        records_sought="The hot list sources.",
        body=body,
        checklist=[alpr[0].pk],
    )
    saved = RecordsRequest.objects.get(owner=user)
    assert f"The hot list sources.\n\n1. {alpr[0].ask}" in saved.letter_body
    assert saved.letter_body.startswith("Dear Records Officer,")


def test_nothing_typed_and_nothing_ticked_says_what_is_missing(client, user, alpr):
    client.force_login(user)
    response = _post(client, factories.AgencyFactory())
    assert response.status_code == 200
    assert "Describe the records you seek, or tick items of a checklist." in response.text


def test_drafting_adds_the_ticked_items_and_unticks_them(client, user, alpr):
    client.force_login(user)
    response = _post(client, factories.AgencyFactory(), action="draft", checklist=[alpr[2].pk])
    tree = parse_strict(response.text)
    [sought] = [e for e in tree.iter("textarea") if e.get("name") == "records_sought"]
    assert (sought.text or "").strip() == f"1. {alpr[2].ask}"
    ticked = [e for e in tree.iter("input") if e.get("name") == "checklist" and e.get("checked")]
    assert ticked == []
    assert RecordsRequest.objects.count() == 0


def test_an_item_already_listed_is_not_added_twice():
    assert with_items("1. The policy.\n2. The logs", ["the policy", "Contracts."]) == (
        "1. The policy.\n2. The logs\n3. Contracts."
    )
    assert with_items("", ["A."]) == "1. A."
    assert with_items("1. A.", []) == "1. A."
