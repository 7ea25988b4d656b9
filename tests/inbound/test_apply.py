"""A reply's suggestion applied to the determination form: filled in, not saved, and once
recorded from it no longer offered; the form keeps to the fields of the kind chosen."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rtcc_requests.requests.choices import Direction
from rtcc_requests.requests.models import Communication

from .. import factories

pytestmark = pytest.mark.django_db
DENIAL = (
    "The records are exempt from disclosure under Government Code sections 7923.600 "
    "(investigatory records) and 7922.000. Your request is denied."
)


def _reply(records_request, body=DENIAL):
    return Communication.objects.create(
        request=records_request,
        direction=Direction.INCOMING,
        kind="reply",
        subject="RE: your request",
        body=body,
        sent_at=timezone.now() - timedelta(days=1),
    )


@pytest.fixture
def filed(user):
    return factories.filed_request(received=timezone.localdate() - timedelta(days=5), owner=user)


def _apply_url(records_request, reply):
    return reverse("inbound:apply", kwargs={"pk": records_request.pk, "communication_pk": reply.pk})


def test_apply_fills_in_the_form_and_saves_nothing(client, user, filed, cpra):
    reply = _reply(filed)
    client.force_login(user)
    page = client.get(filed.get_absolute_url()).text
    assert _apply_url(filed, reply) in page

    response = client.get(_apply_url(filed, reply), {"kind": "denial"})

    form = response.context["determination_form"]
    assert form["kind"].value() == "denial"
    assert form["response_date"].value() == timezone.localdate(reply.sent_at)
    cited = {e.section for e in cpra.exemptions.filter(pk__in=form["exemptions"].value())}
    assert cited == {"§7923.600", "§7922.000"}
    assert '<details id="determination" open>' in response.text
    assert not filed.determinations.exists()


def test_recorded_from_the_reply_it_is_no_longer_offered(client, user, filed, cpra):
    reply = _reply(filed)
    client.force_login(user)
    exemptions = cpra.exemptions.filter(section__in=["§7923.600", "§7922.000"])
    response = client.post(
        reverse("requests:determination", kwargs={"pk": filed.pk}),
        {
            "kind": "denial",
            "response_date": timezone.localdate(reply.sent_at).isoformat(),
            "exemptions": [e.pk for e in exemptions],
            "in_writing": "on",
            "communication": reply.pk,
        },
        follow=True,
    )
    assert "Denial recorded." in response.text
    assert filed.determinations.get().communication == reply
    assert "Apply to the determination form" not in response.text


def test_another_requests_reply_is_not_found(client, user, filed):
    stranger = factories.filed_request(received=timezone.localdate() - timedelta(days=5))
    theirs = _reply(stranger)
    client.force_login(user)
    url = reverse("inbound:apply", kwargs={"pk": filed.pk, "communication_pk": theirs.pk})
    assert client.get(url).status_code == 404
    # Nor may the form link a determination to it.
    response = client.post(
        reverse("requests:determination", kwargs={"pk": filed.pk}),
        {"kind": "denial", "response_date": timezone.localdate(), "communication": theirs.pk},
    )
    assert response.status_code == 200
    assert not filed.determinations.exists()


def test_only_the_requester_may_apply(client, other_user, filed):
    reply = _reply(filed)
    client.force_login(other_user)
    assert client.get(_apply_url(filed, reply)).status_code == 404


def test_each_kind_shows_its_fields_and_records_nothing_of_another(client, user, filed):
    client.force_login(user)
    page = client.get(filed.get_absolute_url()).text
    assert 'data-kinds="fee_estimate"' in page  # the fee fields belong to an estimate
    assert 'data-kinds="extension"' in page
    assert "Only for: fee estimate." in page  # said without JavaScript too

    client.post(
        reverse("requests:determination", kwargs={"pk": filed.pk}),
        {
            "kind": "acknowledgement",
            "response_date": timezone.localdate().isoformat(),
            "in_writing": "on",
            "fee_amount": "125.00",
            "extension_date": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "extension_ground": "field_facilities",
        },
    )
    acknowledgement = filed.determinations.get()
    assert acknowledgement.fee_amount is None
    assert acknowledgement.extension_date is None and acknowledgement.extension_ground == ""


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


def test_the_denial_log_links_the_reply_a_denial_was_recorded_from(client, user, filed, cpra):
    # Before, no determination was ever linked to its reply: letter_url was always empty.
    reply = _reply(filed)
    client.force_login(user)
    page = client.get(filed.get_absolute_url())
    assert page.context["determination_form"]["communication"].value() == reply.pk
    client.post(
        reverse("requests:determination", kwargs={"pk": filed.pk}),
        {
            "kind": "denial",
            "response_date": timezone.localdate(reply.sent_at).isoformat(),
            "exemptions": [cpra.exemptions.get(section="§7923.600").pk],
            "in_writing": "on",
            "communication": reply.pk,
        },
    )
    client.post(reverse("requests:visibility", kwargs={"pk": filed.pk}), {"visibility": "public"})
    client.logout()

    streamed = client.get(reverse("denials:json"))
    data = json.loads(b"".join(streamed.streaming_content))
    [row] = data["rows"]
    assert row["letter_url"].endswith(f"{filed.get_absolute_url()}#communication-{reply.pk}")
    assert row["letter_url"].startswith("http")
