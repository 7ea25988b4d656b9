"""The determination form keeps to the fields of the kind chosen: the page marks each group of
fields with the kinds that use it (said in words for a page without JavaScript), and what a
kind does not use is never recorded."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from .. import factories
from ..support.html import parse_strict

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(user):
    return factories.filed_request(received=timezone.localdate() - timedelta(days=5), owner=user)


def _groups(page: str) -> list[tuple[list[str], set[str], str]]:
    """The determination form's groups of fields: (kinds, field names, note)."""
    tree = parse_strict(page)
    [form] = [f for f in tree.iter("form") if "determination-form" in f.get("class", "")]
    groups = []
    for wrapper in form.iter("div"):
        if "kind-field" in wrapper.get("class", "").split():
            names = {e.get("name") for e in wrapper.iter() if e.get("name")}
            note = " ".join("".join(wrapper.find("p").itertext()).split())
            groups.append((wrapper.get("data-kinds").split(), names, note))
    return groups


def test_the_fee_and_extension_fields_are_marked_as_not_an_acknowledgements(client, user, filed):
    client.force_login(user)
    groups = _groups(client.get(filed.get_absolute_url()).text)

    by_field = {name: (kinds, names, note) for kinds, names, note in groups for name in names}
    assert by_field["fee_amount"] == (
        ["fee_estimate"],
        {"fee_amount", "fee_basis"},
        "Only for: fee estimate.",
    )
    assert by_field["extension_date"] == (
        ["extension"],
        {"extension_date", "extension_ground", "extension_reason"},
        "Only for: extension notice.",
    )
    # The fields an acknowledgement does use are marked so; those every kind has (the date,
    # the official, the notes) are in no group.
    assert "acknowledgement" in by_field["promised_date"][0]
    for name in ("kind", "response_date", "official_name", "notes"):
        assert name not in by_field
    # One group per set of kinds, so the page reads as groups without JavaScript.
    assert len({" ".join(kinds) for kinds, _, _ in groups}) == len(groups)


def test_an_acknowledgement_with_stray_fee_and_extension_fields_records_neither(
    client, user, filed
):
    client.force_login(user)
    response = client.post(
        reverse("requests:determination", kwargs={"pk": filed.pk}),
        {
            "kind": "acknowledgement",
            "response_date": timezone.localdate().isoformat(),
            "in_writing": "on",
            "fee_amount": "125.00",
            "fee_basis": ["duplication"],
            "extension_date": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "extension_ground": "field_facilities",
            "extension_reason": "Records at a substation.",
        },
        follow=True,
    )
    acknowledgement = filed.determinations.get()
    assert acknowledgement.kind == "acknowledgement"
    assert acknowledgement.fee_amount is None and acknowledgement.fee_basis == []
    assert acknowledgement.extension_date is None
    assert (acknowledgement.extension_ground, acknowledgement.extension_reason) == ("", "")
    filed.refresh_from_db()
    assert filed.extended_due is None  # the clock was not extended by the stray date
    assert "$125" not in response.text


def test_a_fee_estimate_keeps_its_fee(client, user, filed):
    client.force_login(user)
    client.post(
        reverse("requests:determination", kwargs={"pk": filed.pk}),
        {
            "kind": "fee_estimate",
            "response_date": timezone.localdate().isoformat(),
            "fee_amount": "125.00",
        },
    )
    assert filed.determinations.get().fee_amount == Decimal("125.00")
