"""A reply's suggestion applied to the determination form: filled in, not saved, and once
recorded from it no longer offered (the form's fields per kind: tests/requests/
test_determination_form.py)."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

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


def _text(html: str) -> str:
    return " ".join(strip_tags(html).split())


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
    denial = filed.determinations.get()
    assert denial.communication == reply
    assert "Apply to the determination form" not in response.text
    # The panel says what became of the reply instead of asking again.
    day = timezone.localdate(denial.created_at).strftime("%a %-d %b %Y")
    assert f"Recorded as Denial on {day}." in _text(response.text)
    assert f'href="#determination-{denial.pk}"' in response.text


def test_an_extension_notice_applied_fills_in_its_date_and_reason(client, user, filed):
    reply = _reply(
        filed,
        "Due to unusual circumstances we are extending the time to respond. We must collect "
        "the records from field facilities. We expect a determination by "
        f"{(timezone.localdate() + timedelta(days=12)):%B %-d, %Y}.",
    )
    client.force_login(user)
    assert "reason given: (c)(1) Records at field facilities" in _text(
        client.get(filed.get_absolute_url()).text
    )

    form = client.get(_apply_url(filed, reply), {"kind": "extension"}).context["determination_form"]
    assert form["kind"].value() == "extension"
    assert form["extension_date"].value() == timezone.localdate() + timedelta(days=12)
    assert form["extension_ground"].value() == "field_facilities"
    assert form["extension_reason"].value() == "We must collect the records from field facilities."
    assert form["communication"].value() == reply.pk


def test_a_fee_estimate_applied_fills_in_its_amount(client, user, filed):
    reply = _reply(filed, "The estimated duplication fee is $42.50, payable before release.")
    client.force_login(user)
    form = client.get(_apply_url(filed, reply)).context["determination_form"]
    assert (form["kind"].value(), form["fee_amount"].value()) == ("fee_estimate", Decimal("42.50"))
    assert not filed.determinations.exists()


def test_staff_may_apply_a_requesters_reply(client, staff_user, filed):
    reply = _reply(filed)
    client.force_login(staff_user)
    assert client.get(_apply_url(filed, reply)).context["determination_form"]["kind"].value() == (
        "denial"
    )


def test_a_visitor_never_sees_the_suggestion(client, user, other_user, filed):
    reply = _reply(filed)
    client.force_login(user)
    client.post(reverse("requests:visibility", kwargs={"pk": filed.pk}), {"visibility": "public"})
    for visitor in (other_user, None):
        client.logout()
        if visitor:
            client.force_login(visitor)
        page = client.get(filed.get_absolute_url())
        assert page.status_code == 200
        assert "What the agency's reply looks like" not in page.text
        assert _apply_url(filed, reply) not in page.text
        assert client.get(_apply_url(filed, reply)).status_code in (302, 403, 404)


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
