import pytest
from django.template import Context, Template
from django.test import RequestFactory

from rtcc_requests.inbound.services import inbound_ingest
from rtcc_requests.requests import services
from rtcc_requests.requests.selectors import request_for_viewer

from ..factories import UserFactory
from .conftest import eml

pytestmark = pytest.mark.django_db
TEMPLATE = Template("{% load inbound_tags %}{% determination_suggestions req %}")


def render(req, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return TEMPLATE.render(Context({"req": req, "request": request, "user": user}))


class TestDeterminationSuggestionsTag:
    def test_owner_sees_the_suggested_determination_with_its_evidence(self, fresno_request):
        inbound_ingest(raw=eml("winmail.eml"))
        html = render(fresno_request, fresno_request.owner)
        assert "What the agency's reply looks like" in html
        assert "<strong>Denial</strong>" in html
        assert "Cites §7923.600 [former §6254(f)]: Law-enforcement investigatory" in html
        assert "Cites §7922.000" in html
        assert "Your request for audit logs is denied." in html
        assert "Nothing changes until you record the determination yourself." in html

    def test_extension_shows_the_date_as_people_read_it(self, fresno_request):
        inbound_ingest(raw=eml("alternative.eml"))
        html = render(fresno_request, fresno_request.owner)
        assert "determination expected by Thu 10 Dec 2026" in html

    def test_nothing_for_other_users(self, fresno_request):
        inbound_ingest(raw=eml("winmail.eml"))
        assert render(fresno_request, UserFactory()).strip() == ""

    def test_once_the_reply_is_recorded_it_says_so_and_asks_nothing(self, fresno_request):
        reply = inbound_ingest(raw=eml("alternative.eml")).communication
        recorded = services.determination_record(
            records_request=fresno_request,
            actor=fresno_request.owner,
            kind="acknowledgement",
            response_date=fresno_request.received_on,
            communication=reply,
        )
        html = render(fresno_request, fresno_request.owner)
        assert "Apply to the determination form" not in html
        assert f'Recorded as <a href="#determination-{recorded.pk}">Acknowledgement</a> on' in html
        assert render(fresno_request, UserFactory()).strip() == ""

    def test_the_recorded_state_costs_no_query_on_the_request_page(
        self, fresno_request, django_assert_max_num_queries
    ):
        reply = inbound_ingest(raw=eml("alternative.eml")).communication
        services.determination_record(
            records_request=fresno_request,
            actor=fresno_request.owner,
            kind="extension",
            response_date=fresno_request.received_on,
            extension_ground="voluminous",
            communication=reply,
        )
        loaded = request_for_viewer(pk=fresno_request.pk, user=fresno_request.owner)
        with django_assert_max_num_queries(0):
            assert "Recorded as" in render(loaded, fresno_request.owner)

    def test_reply_text_is_escaped(self, fresno_request):
        raw = eml("stranger.eml").replace(b"someone@mail.example", b"records@fresno.example")
        raw = raw.replace(b"(This is not the agency.)", b"<img src=x onerror=alert(1)>")
        inbound_ingest(raw=raw)
        html = render(fresno_request, fresno_request.owner)
        assert "<img" not in html and "&lt;img" in html

    def test_query_count_is_bounded_on_the_request_page(
        self, fresno_request, django_assert_max_num_queries
    ):
        for name in ("alternative.eml", "pdf_docx.eml", "latin1.eml", "winmail.eml"):
            inbound_ingest(raw=eml(name))
        owner = fresno_request.owner
        loaded = request_for_viewer(pk=fresno_request.pk, user=owner)
        with django_assert_max_num_queries(1):  # the exemptions the denial cites
            html = render(loaded, owner)
        assert "Denial" in html
        with django_assert_max_num_queries(2):
            render(fresno_request, owner)


class TestRequestPageShowsSuggestions:
    def test_owner_sees_the_suggestion_on_the_request_page(self, client, fresno_request):
        inbound_ingest(raw=eml("latin1.eml"))
        client.force_login(fresno_request.owner)
        response = client.get(fresno_request.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert "<strong>Fee estimate</strong>: fee of $12.40" in html
