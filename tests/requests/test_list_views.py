import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse
from freezegun import freeze_time

from rtcc_requests.agencies.models import Technology
from rtcc_requests.laws.models import Law
from rtcc_requests.requests.filters import AGENCY_MENU_LIMIT
from rtcc_requests.requests.models import RecordsRequest
from tests import factories
from tests.support.bulk import bulk_requests
from tests.support.html import assert_valid_and_labelled

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)
URL = "/requests/"


@pytest.fixture(autouse=True)
def _frozen_clock():
    with freeze_time("2026-11-26 12:00:00"):
        yield


def _titles(response) -> list[str]:
    found = re.findall(r'<a href="/requests/\d+/">([^<]+)</a>', response.content.decode())
    return [unescape(title) for title in found]


def _request(owner, **fields) -> RecordsRequest:
    return factories.RecordsRequestFactory(owner=owner, **fields)


class TestAccess:
    def test_url_name(self):
        assert reverse("requests:list") == URL

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    @pytest.mark.parametrize("visibility", ["private", "public"])
    def test_a_user_sees_only_their_own_requests(self, client, user, other_user, visibility):
        _request(user, title="Mine", visibility=visibility, status="filed")
        _request(other_user, title="Theirs", visibility=visibility, status="filed")
        client.force_login(user)
        assert _titles(client.get(URL)) == ["Mine"]
        client.force_login(other_user)
        assert _titles(client.get(URL)) == ["Theirs"]

    def test_staff_see_everyones_requests_with_the_owner(
        self, client, user, other_user, staff_user
    ):
        _request(user, title="Private one", status="filed")
        _request(other_user, title="Public one", visibility="public", status="filed")
        client.force_login(staff_user)
        response = client.get(URL)
        assert sorted(_titles(response)) == ["Private one", "Public one"]
        assert user.username in response.content.decode()


class TestFilters:
    @pytest.fixture
    def setup(self, user, other_user):
        fresno = factories.AgencyFactory(name="Fresno Police Department", slug="fresno-pd")
        clovis = factories.AgencyFactory(name="Clovis Police Department", slug="clovis-pd")
        alpr = factories.technology("automated-license-plate-readers")
        other_tech = Technology.objects.exclude(pk=alpr.pk).first()
        foia = Law.objects.exclude(code="ca-cpra").first()
        rows = {
            "overdue": _request(
                user,
                title="Overdue ALPR",
                agency=fresno,
                status="filed",
                next_due=TODAY - timedelta(days=3),
            ),
            "week": _request(
                user,
                title="Due this week",
                agency=fresno,
                status="extended",
                next_due=TODAY + timedelta(days=5),
            ),
            "fortnight": _request(
                user,
                title="Due in twelve days",
                agency=clovis,
                status="filed",
                next_due=TODAY + timedelta(days=12),
                technologies=[other_tech],
            ),
            "month": _request(
                user,
                title="Due in a month",
                agency=clovis,
                status="acknowledged",
                next_due=TODAY + timedelta(days=25),
            ),
            "deficient": _request(
                user,
                title="Deficient denial",
                agency=fresno,
                status="denied",
                is_deficient=True,
                is_late=True,
                responded_on=TODAY,
            ),
            "late": _request(
                user,
                title="Late release",
                agency=clovis,
                status="released",
                is_late=True,
                responded_on=TODAY,
            ),
            "draft": _request(user, title="A draft", agency=fresno),
            "foia": _request(user, title="Federal ask", agency=clovis, law=foia, status="filed"),
        }
        _request(other_user, title="Other user's overdue", status="filed", next_due=TODAY)
        return rows

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"status": "filed"}, {"overdue", "fortnight", "foia"}),
            ({"agency": "fresno-pd"}, {"overdue", "week", "deficient", "draft"}),
            (
                {"technology": "automated-license-plate-readers"},
                {"overdue", "week", "month", "deficient", "late", "draft", "foia"},
            ),
            (
                {"law": "ca-cpra"},
                {"overdue", "week", "fortnight", "month", "deficient", "late", "draft"},
            ),
            ({"due": "7"}, {"week"}),
            ({"due": "14"}, {"week", "fortnight"}),
            ({"due": "30"}, {"week", "fortnight", "month"}),
            ({"overdue": "on"}, {"overdue"}),
            ({"deficient": "on"}, {"deficient"}),
            ({"late": "on"}, {"deficient", "late"}),
            ({"q": "due in"}, {"fortnight", "month"}),
            ({"q": "ALPR"}, {"overdue"}),
        ],
    )
    def test_each_filter(self, client, user, setup, query, expected):
        client.force_login(user)
        response = client.get(URL, query)
        assert sorted(_titles(response)) == sorted(setup[k].title for k in expected)

    def test_combinations_narrow_the_list(self, client, user, setup):
        client.force_login(user)
        response = client.get(URL, {"agency": "clovis-pd", "due": "30", "status": "filed"})
        assert _titles(response) == ["Due in twelve days"]
        response = client.get(URL, {"agency": "fresno-pd", "late": "on", "deficient": "on"})
        assert _titles(response) == ["Deficient denial"]

    def test_filter_form_shows_its_state(self, client, user, setup):
        client.force_login(user)
        html = client.get(URL, {"agency": "clovis-pd", "q": "due", "overdue": "on"}).content
        html = html.decode()
        assert re.search(r'<option value="clovis-pd" selected>', html)
        assert 'name="q" value="due"' in html
        assert re.search(r'name="overdue"[^>]*checked', html)

    def test_agency_choices_are_only_agencies_the_user_asked(self, client, user, setup):
        factories.AgencyFactory(name="Never Asked Sheriff", slug="never-asked")
        client.force_login(user)
        html = client.get(URL).content.decode()
        assert "Fresno Police Department" in html
        assert "Never Asked Sheriff" not in html

    def test_a_newsroom_with_many_agencies_gets_a_name_search_not_a_menu(
        self, client, user, other_user
    ):
        agencies = [
            factories.AgencyFactory(name=f"Agency {n:03d} Police Department", slug=f"a-{n:03d}")
            for n in range(AGENCY_MENU_LIMIT + 1)
        ]
        bulk_requests(count=len(agencies), owners=[user], agencies=agencies, today=TODAY)
        factories.AgencyFactory(name="Never Asked Sheriff", slug="never-asked")
        client.force_login(user)
        response = client.get(URL)
        html = response.content.decode()
        assert "Agency 007 Police Department" not in html
        assert re.search(r'<input type="search" name="agency"', html)
        assert "Agency name contains" in html
        assert_valid_and_labelled(response)

        typed = client.get(URL, {"agency": "agency 007"})
        assert _titles(typed) == ["Bulk request 7"]
        assert 'name="agency" value="agency 007"' in typed.content.decode()
        # Links from agency pages still carry the slug.
        assert _titles(client.get(URL, {"agency": "a-012"})) == ["Bulk request 12"]
        # Another user's agency name finds nothing of theirs.
        _request(other_user, title="Theirs", agency=factories.AgencyFactory(name="Zeta PD"))
        assert _titles(client.get(URL, {"agency": "Zeta"})) == []

    def test_bad_values_are_ignored_with_a_message(self, client, user, setup):
        client.force_login(user)
        response = client.get(URL, {"status": "bogus", "sort": "password", "due": "99"})
        assert response.status_code == 200
        assert "Some filters were not understood" in response.content.decode()
        assert len(_titles(response)) == len(setup)

    @pytest.mark.parametrize(
        ("sort", "first", "last"),
        [
            ("due", "Overdue ALPR", None),
            ("-due", "Due in a month", None),
            ("title", "A draft", "Overdue ALPR"),
            ("agency", None, None),
        ],
    )
    def test_sorting(self, client, user, setup, sort, first, last):
        client.force_login(user)
        titles = _titles(client.get(URL, {"sort": sort}))
        assert len(titles) == len(setup)
        if first:
            assert titles[0] == first
        if last:
            assert titles[-1] == last
        if sort == "agency":
            clovis = {"Due in twelve days", "Due in a month", "Late release", "Federal ask"}
            assert set(titles[:4]) == clovis

    def test_undated_requests_sort_last_by_default(self, client, user, setup):
        client.force_login(user)
        titles = _titles(client.get(URL))
        assert titles[:4] == [
            "Overdue ALPR",
            "Due this week",
            "Due in twelve days",
            "Due in a month",
        ]


class TestPagination:
    def test_25_a_page_and_the_filters_survive_page_links(self, client, user):
        agency = factories.AgencyFactory(slug="fresno-pd")
        other = factories.AgencyFactory(slug="clovis-pd")
        bulk_requests(count=140, owners=[user], agencies=[agency, other], today=TODAY)
        client.force_login(user)
        # 140 requests over 2 agencies: 70 to Fresno -> 3 pages.
        first = client.get(URL, {"agency": "fresno-pd", "sort": "title"})
        html = first.content.decode()
        assert len(_titles(first)) == 25
        assert "Page 1 of 3" in html
        next_link = unescape(re.search(r'href="([^"]+)" rel="next"', html).group(1))
        assert "agency=fresno-pd" in next_link and "sort=title" in next_link
        second = client.get(URL + next_link if next_link.startswith("?") else next_link)
        assert "Page 2 of 3" in second.content.decode()
        assert len(_titles(second)) == 25
        assert not set(_titles(first)) & set(_titles(second))
        requests_on_page = RecordsRequest.objects.filter(title__in=_titles(second))
        assert {r.agency.slug for r in requests_on_page} == {"fresno-pd"}
        prev_link = unescape(
            re.search(r'href="([^"]+)" rel="prev"', second.content.decode()).group(1)
        )
        assert "agency=fresno-pd" in prev_link and "page=1" in prev_link

    def test_a_page_beyond_the_end_shows_the_last_page(self, client, user):
        _request(user, title="Only one")
        client.force_login(user)
        assert _titles(client.get(URL, {"page": "99"})) == ["Only one"]


class TestPage:
    def test_valid_html_and_every_filter_has_a_label(self, client, user, staff_user):
        _request(user, title="Mine", status="filed", next_due=TODAY + timedelta(days=3))
        client.force_login(user)
        response = client.get(URL)
        assert_valid_and_labelled(response)
        assert "Sun 29 Nov 2026, in 3 days" in response.content.decode()
        client.force_login(staff_user)
        assert_valid_and_labelled(client.get(URL, {"status": "filed", "overdue": "on"}))

    @pytest.mark.parametrize("who", ["user", "staff_user"])
    def test_query_count_is_bounded_with_500_requests(
        self, client, request, user, other_user, who, django_assert_max_num_queries
    ):
        agencies = [factories.AgencyFactory() for _ in range(10)]
        techs = list(Technology.objects.all()[:4])
        bulk_requests(
            count=500,
            owners=[user, other_user],
            agencies=agencies,
            today=TODAY,
            technologies=techs,
        )
        client.force_login(request.getfixturevalue(who))
        with django_assert_max_num_queries(10):
            response = client.get(URL, {"law": "ca-cpra", "sort": "agency", "page": "2"})
        assert len(_titles(response)) == 25


class TestPageNumbers:
    @pytest.mark.parametrize("page", ["-1", "0", "abc", "1e400", "9" * 20, "9" * 5000, "²"])
    def test_a_page_that_is_not_there_shows_the_first_or_last(self, client, user, page):
        _request(user, title="Only one")
        client.force_login(user)
        response = client.get(URL, {"page": page})
        assert response.status_code == 200
        assert _titles(response) == ["Only one"]

    @pytest.mark.parametrize("name", ["technology", "law", "due", "status", "sort"])
    @pytest.mark.parametrize("value", ["9" * 20, "9" * 5000, "-1", "a\x00b"])
    def test_a_filter_value_no_request_has_is_no_server_error(self, client, user, name, value):
        _request(user, title="Only one")
        client.force_login(user)
        assert client.get(URL, {name: value}).status_code == 200
