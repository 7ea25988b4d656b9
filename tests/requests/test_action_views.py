"""Closing a request from its page: the requester's way to say "done" once the agency decided."""

from datetime import date

import pytest
from django.urls import reverse
from freezegun import freeze_time

from rtcc_requests.requests import services
from rtcc_requests.requests.choices import DeterminationKind, EventKind, Status
from tests import factories

pytestmark = pytest.mark.django_db
RECEIVED = date(2026, 11, 2)


@pytest.fixture
def released(user):
    records_request = factories.filed_request(received=RECEIVED, owner=user)
    services.determination_record(
        records_request=records_request,
        actor=user,
        kind=DeterminationKind.RELEASED,
        response_date=date(2026, 11, 9),
    )
    return records_request


@freeze_time("2026-11-20 10:00")
class TestClose:
    def test_the_owner_closes_a_decided_request_with_a_note(self, client, user, released):
        client.force_login(user)
        page = client.get(released.get_absolute_url()).content.decode()
        assert "Close the request" in page
        response = client.post(
            reverse("requests:close", kwargs={"pk": released.pk}), {"reason": "Records received."}
        )
        assert response.status_code == 302
        released.refresh_from_db()
        assert released.status == Status.CLOSED and released.next_due is None
        event = released.events.filter(kind=EventKind.STATUS).order_by("pk").last()
        assert event.message == "Closed. Records received."
        assert event.from_status == Status.RELEASED

    def test_a_request_still_awaiting_the_agency_offers_no_close(self, client, user):
        waiting = factories.filed_request(received=RECEIVED, owner=user)
        client.force_login(user)
        page = client.get(waiting.get_absolute_url()).content.decode()
        assert "Close the request" not in page and "Withdraw the request" in page

    def test_a_closed_request_cannot_be_closed_again(self, client, user, released):
        client.force_login(user)
        url = reverse("requests:close", kwargs={"pk": released.pk})
        client.post(url, {})
        page = client.post(url, {}).content.decode()
        assert "nothing can change it" in page

    def test_someone_else_cannot_close_it(self, client, other_user, released):
        client.force_login(other_user)
        response = client.post(reverse("requests:close", kwargs={"pk": released.pk}), {})
        assert response.status_code == 404
        released.refresh_from_db()
        assert released.status == Status.RELEASED
