from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from rtcc_requests.requests import services as request_services
from rtcc_requests.requests.choices import DeterminationKind

from ..factories import filed_request
from .conftest import DUE, RECEIVED


def _feed(client, token):
    return client.get(reverse("reminders:calendar_feed", kwargs={"token": token}))


def _events(response) -> list:
    return Calendar.from_ical(response.content).walk("VEVENT")


@pytest.mark.django_db
class TestCalendarFeed:
    def test_lists_each_open_deadline_as_an_all_day_event(self, client, user, other_user):
        mine = filed_request(received=RECEIVED, owner=user)
        closed = filed_request(received=RECEIVED, owner=user)
        request_services.request_withdraw(records_request=closed, actor=user)
        filed_request(received=RECEIVED, owner=other_user)
        response = _feed(client, user.profile.calendar_token)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        [event] = _events(response)
        assert event.decoded("dtstart") == DUE  # a date: an all-day event
        assert str(event["summary"]) == f"Determination due: {mine.agency.name} – {mine.title}"
        assert str(event["url"]).endswith(f"/requests/{mine.pk}/")

    def test_uid_stays_the_same_when_the_deadline_moves(self, client, user):
        records_request = filed_request(received=RECEIVED, owner=user)
        before = str(_events(_feed(client, user.profile.calendar_token))[0]["uid"])
        request_services.determination_record(
            records_request=records_request,
            actor=user,
            kind=DeterminationKind.ACKNOWLEDGEMENT,
            response_date=date(2026, 11, 20),
        )
        again = _events(_feed(client, user.profile.calendar_token))[0]
        assert str(again["uid"]) == before

    def test_a_foia_appeal_deadline_is_an_event_of_its_own(self, client, user):
        from rtcc_requests.requests.models import RecordsRequest

        from ..factories import law

        denied = filed_request(received=RECEIVED, owner=user, law=law("us-foia"))
        RecordsRequest.objects.filter(pk=denied.pk).update(
            status="denied", next_due=None, next_due_kind="", appeal_due=date(2027, 2, 18)
        )
        closed = filed_request(received=RECEIVED, owner=user, law=law("us-foia"))
        RecordsRequest.objects.filter(pk=closed.pk).update(
            status="closed", next_due=None, appeal_due=date(2027, 2, 18)
        )
        [event] = _events(_feed(client, user.profile.calendar_token))
        assert event.decoded("dtstart") == date(2027, 2, 18)
        assert str(event["summary"]) == (
            f"FOIA appeal deadline: {denied.agency.name} – {denied.title}"
        )
        assert str(event["uid"]).startswith(f"request-{denied.pk}-appeal@")
        assert "5 U.S.C. §552(a)(6)(A)(i)(III)(aa)" in str(event["description"])

    def test_unknown_token_is_not_found(self, client, user):
        filed_request(received=RECEIVED, owner=user)
        assert _feed(client, "not-a-token").status_code == 404


@pytest.mark.django_db
class TestCalendarReset:
    def test_gives_a_new_address_and_the_old_one_stops_working(self, client, user):
        old = user.profile.calendar_token
        client.force_login(user)
        response = client.post(reverse("reminders:calendar_reset"))
        assert response.status_code == 302
        assert response["Location"].endswith("/accounts/profile/")
        user.profile.refresh_from_db()
        assert user.profile.calendar_token != old
        assert _feed(client, old).status_code == 404
        assert _feed(client, user.profile.calendar_token).status_code == 200

    def test_anonymous_users_are_sent_to_log_in(self, client, user):
        response = client.post(reverse("reminders:calendar_reset"))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_get_changes_nothing(self, client, user):
        old = user.profile.calendar_token
        client.force_login(user)
        assert client.get(reverse("reminders:calendar_reset")).status_code == 405
        user.profile.refresh_from_db()
        assert user.profile.calendar_token == old

    def test_requires_the_csrf_token(self, user):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        old = user.profile.calendar_token
        assert client.post(reverse("reminders:calendar_reset")).status_code == 403
        user.profile.refresh_from_db()
        assert user.profile.calendar_token == old
