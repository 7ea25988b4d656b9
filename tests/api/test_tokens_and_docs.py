"""API tokens made and revoked on the profile; the schema and the docs page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from .. import factories
from ..support.html import parse_strict

pytestmark = pytest.mark.django_db


def _token_on_page(page: str) -> str:
    [field] = [i for i in parse_strict(page).iter("input") if i.get("aria-label")]
    return field.get("value")


def test_a_token_is_shown_once_works_and_stops_working_when_revoked(client, user):
    client.force_login(user)
    assert reverse("api:tokens") in client.get(reverse("accounts:profile")).text
    token = _token_on_page(client.post(reverse("api:tokens")).text)
    assert token not in client.get(reverse("api:tokens")).text  # shown once
    stored = AuthToken.objects.get(user=user)
    assert token not in (stored.digest, stored.token_key)  # kept as a digest

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    draft = factories.RecordsRequestFactory(owner=user, title="Mine only")
    assert api.get(f"/api/v1/requests/{draft.pk}/").status_code == 200

    client.post(reverse("api:token_revoke", kwargs={"token_key": stored.token_key}))
    assert api.get(f"/api/v1/requests/{draft.pk}/").status_code == 401


def test_no_one_revokes_anothers_token(client, user, other_user):
    stored, _token = AuthToken.objects.create(user=other_user)
    client.force_login(user)
    client.post(reverse("api:token_revoke", kwargs={"token_key": stored.token_key}))
    assert AuthToken.objects.filter(pk=stored.pk).exists()


def test_the_token_page_needs_a_sign_in(client):
    assert client.get(reverse("api:tokens")).status_code == 302
    assert client.post(reverse("api:tokens")).status_code == 302
    assert not AuthToken.objects.exists()


def test_the_docs_page_runs_no_inline_script(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    scripts = list(parse_strict(response.text).iter("script"))
    assert scripts and all(s.get("src") for s in scripts)
    assert "cdn" not in response.text.lower()
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200 and b"/api/v1/requests/" in schema.content


def test_the_request_list_costs_the_same_queries_for_5_or_60_requests(user):
    api = APIClient()
    api.force_authenticate(user)

    def queries(count):
        for _ in range(count):
            factories.filed_request(received=timezone.localdate() - timedelta(days=3), owner=user)
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/requests/?page_size=100").status_code == 200
        return len(captured.captured_queries)

    assert queries(5) == queries(55)


def test_page_size_is_capped(user):
    api = APIClient()
    for _ in range(3):
        factories.AgencyFactory()
    assert len(api.get("/api/v1/agencies/?page_size=100000").json()["results"]) <= 100


def test_the_denial_and_campaign_lists_cost_the_same_queries_for_few_or_many(user):
    from rtcc_requests.campaigns.services import campaign_create
    from rtcc_requests.requests import services

    api = APIClient()

    def denials(count):
        for _ in range(count):
            request = factories.filed_request(
                received=timezone.localdate() - timedelta(days=5), owner=user
            )
            services.determination_record(
                records_request=request,
                actor=user,
                kind="denial",
                response_date=timezone.localdate(),
                exemptions=[factories.exemption("§7923.600")],
            )
            services.request_set_visibility(
                records_request=request, actor=user, visibility="public"
            )
            campaign_create(
                owner=user,
                title="Public",
                records_sought="1. x",
                agencies=[factories.AgencyFactory()],
                visibility="public",
            )
        counts = []
        for path in ("/api/v1/denials/", "/api/v1/campaigns/"):
            with CaptureQueriesContext(connection) as captured:
                assert api.get(path).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    assert denials(2) == denials(20)
