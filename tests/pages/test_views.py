from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from freezegun import freeze_time

from rtcc_requests.outbox.models import OutboxMessage
from rtcc_requests.requests import services
from rtcc_requests.requests.models import Communication, Determination
from tests import factories
from tests.support.bulk import bulk_requests
from tests.support.html import assert_valid_and_labelled

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with freeze_time("2026-11-26 12:00:00"):
        yield


def _request(owner, **fields):
    return factories.RecordsRequestFactory(owner=owner, **fields)


def _section(html: str, key: str) -> str:
    """The HTML of one dashboard group, or '' when the group is not shown."""
    start = html.find(f'id="group-{key}"')
    if start < 0:
        return ""
    end = html.find("</section>", start)
    return html[start:end]


class TestVisitorHome:
    def test_explains_the_app_and_lists_only_public_denials(self, client, user):
        public = _request(user, title="Public ALPR denial", status="denied", visibility="public")
        _request(user, title="Private denial", status="denied", visibility="private")
        _request(
            user,
            title="Embargoed denial",
            status="denied",
            visibility="embargoed",
            embargo_until=TODAY + timedelta(days=3),
        )
        _request(user, title="Public release", status="released", visibility="public")
        response = client.get("/")
        html = response.content.decode()
        assert_valid_and_labelled(response)
        assert "Public records about police surveillance" in html
        assert public.title in html
        assert public.get_absolute_url() in html
        for hidden in ("Private denial", "Embargoed denial", "Public release"):
            assert hidden not in html
        assert reverse("accounts:sign_up") in html

    def test_links_to_the_denial_log(self, client):
        html = client.get("/").content.decode()
        try:
            log_url = reverse("denials:log")
        except NoReverseMatch:
            log_url = "/denials/"
        assert f'href="{log_url}"' in html


class TestDashboard:
    def test_groups_requests_by_what_needs_attention(self, client, user):
        overdue = _request(user, title="Overdue one", status="filed", next_due=TODAY - timedelta(2))
        this_week = _request(
            user, title="Due soon", status="extended", next_due=TODAY + timedelta(days=4)
        )
        later = _request(user, title="Due later", status="filed", next_due=TODAY + timedelta(20))
        fee = _request(user, title="Fee asked", status="awaiting_fee")
        question = _request(user, title="Agency asks", status="acknowledged")
        Communication.objects.create(
            request=question,
            direction="in",
            kind="reply",
            subject="Please clarify the date range",
            sent_at=datetime(2026, 11, 24, 18, tzinfo=UTC),
        )
        answered = _request(user, title="Denied lately", status="denied", responded_on=TODAY)
        Determination.objects.create(request=answered, kind="denial", date=TODAY - timedelta(3))
        old_answer = _request(user, title="Denied long ago", status="denied")
        Determination.objects.create(request=old_answer, kind="denial", date=TODAY - timedelta(60))
        draft = _request(user, title="Half-written draft")

        client.force_login(user)
        response = client.get("/")
        html = response.content.decode()
        assert_valid_and_labelled(response)
        assert overdue.title in _section(html, "overdue")
        assert "Tue 24 Nov 2026, 2 days late" in _section(html, "overdue")
        assert this_week.title in _section(html, "due_this_week")
        assert "Mon 30 Nov 2026, in 4 days" in _section(html, "due_this_week")
        assert later.title not in _section(html, "due_this_week")
        assert fee.title in _section(html, "awaiting_you")
        assert question.title in _section(html, "awaiting_you")
        assert answered.title in _section(html, "recently_answered")
        assert "Mon 23 Nov 2026" in _section(html, "recently_answered")
        assert old_answer.title not in html
        assert draft.title in _section(html, "drafts")

    def test_every_open_request_is_in_exactly_one_section(self, client, user):
        extended = _request(
            user, title="Extended, due in 8 days", status="extended", next_due=TODAY + timedelta(8)
        )
        producing = _request(
            user, title="Records promised", status="producing", next_due=TODAY + timedelta(40)
        )
        late_fee = _request(
            user,
            title="Fee asked, agency late",
            status="awaiting_fee",
            next_due=TODAY - timedelta(1),
        )
        asked = _request(
            user, title="A question", status="clarification", next_due=TODAY + timedelta(3)
        )
        soon = _request(user, title="Due in 3 days", status="filed", next_due=TODAY + timedelta(3))
        client.force_login(user)
        html = client.get("/").content.decode()
        sections = ("overdue", "awaiting_you", "due_this_week", "waiting", "recently_answered")
        expected = {
            extended: "waiting",
            producing: "waiting",
            late_fee: "overdue",
            asked: "awaiting_you",
            soon: "due_this_week",
        }
        for req, where in expected.items():
            found = [key for key in sections if req.title in _section(html, key)]
            assert found == [where], req.title

    def test_a_reply_the_requester_answered_no_longer_awaits_them(self, client, user):
        question = _request(user, title="Answered question", status="acknowledged")
        Communication.objects.create(
            request=question,
            direction="in",
            kind="reply",
            sent_at=datetime(2026, 11, 20, 18, tzinfo=UTC),
        )
        Communication.objects.create(
            request=question,
            direction="out",
            kind="letter",
            letter_kind="follow_up",
            sent_at=datetime(2026, 11, 21, 18, tzinfo=UTC),
        )
        client.force_login(user)
        assert _section(client.get("/").content.decode(), "awaiting_you") == ""

    def test_a_fee_estimate_recorded_through_the_service_awaits_the_requester(self, client, user):
        filed = factories.filed_request(received=TODAY - timedelta(days=5), owner=user)
        services.determination_record(
            records_request=filed,
            actor=user,
            kind="fee_estimate",
            response_date=TODAY - timedelta(1),
        )
        client.force_login(user)
        assert filed.title in _section(client.get("/").content.decode(), "awaiting_you")

    def test_shows_only_the_users_own_requests(self, client, user, other_user):
        _request(other_user, title="Someone else's", status="filed", next_due=TODAY)
        _request(
            other_user,
            title="Someone else's public",
            status="filed",
            visibility="public",
            next_due=TODAY,
        )
        client.force_login(user)
        html = client.get("/").content.decode()
        assert "Someone else" not in html
        assert "Nothing needs your attention" in html

    def test_failed_emails_are_a_warning_for_their_user_only(self, client, user, other_user):
        mine = _request(user, title="Letter to Fresno PD", status="filed")
        OutboxMessage.objects.create(
            idempotency_key="a",
            to=["records@fresno.example"],
            subject="CPRA request: ALPR",
            body_text="...",
            status="failed",
            last_error="550 mailbox unavailable",
            user=user,
            records_request=mine,
        )
        OutboxMessage.objects.create(
            idempotency_key="b",
            to=["x@example.org"],
            subject="Sent fine",
            body_text="...",
            status="sent",
            user=user,
        )
        OutboxMessage.objects.create(
            idempotency_key="c",
            to=["y@example.org"],
            subject="Not yours",
            body_text="...",
            status="failed",
            user=other_user,
        )
        client.force_login(user)
        response = client.get("/")
        assert_valid_and_labelled(response)
        html = response.content.decode()
        assert "Emails that could not be sent" in html
        assert "CPRA request: ALPR" in html
        assert "550 mailbox unavailable" in html
        assert "Sent fine" not in html
        assert "Not yours" not in html

    def test_each_group_is_capped_with_a_link_to_the_full_list(self, client, user):
        agency = factories.AgencyFactory()
        # Every 7th bulk request is a draft: 21 drafts, one more than the group shows.
        bulk_requests(count=7 * 21, owners=[user], agencies=[agency], today=TODAY)
        client.force_login(user)
        html = client.get("/").content.decode()
        drafts = _section(html, "drafts")
        assert drafts.count("<li>") == 20
        assert f"{reverse('requests:list')}?status=draft" in drafts

    def test_query_count_is_bounded_with_500_requests(
        self, client, user, other_user, django_assert_max_num_queries
    ):
        agencies = [factories.AgencyFactory() for _ in range(5)]
        bulk_requests(count=500, owners=[user, other_user], agencies=agencies, today=TODAY)
        client.force_login(user)
        with django_assert_max_num_queries(10):
            response = client.get("/")
        assert response.status_code == 200
        client.logout()
        with django_assert_max_num_queries(4):
            assert client.get("/").status_code == 200


def test_the_favicon_is_found_where_browsers_ask_for_it(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/favicon.ico")
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file
