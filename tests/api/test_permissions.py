"""Who may do what through the API: each cell is the exact status, and no private text
appears where it is not allowed (the same answers as the pages: a private request is a
404 to anyone but its owner and staff, existence not disclosed)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from rtcc_requests.campaigns.services import campaign_create
from rtcc_requests.requests import services

from .. import factories

pytestmark = pytest.mark.django_db

SECRET = "Secret title nobody else may read"
VIEWERS = ["anonymous", "stranger", "owner", "staff"]


@pytest.fixture
def world(user, other_user, staff_user):
    received = timezone.localdate() - timedelta(days=3)
    private = factories.filed_request(received=received, owner=user, title=SECRET)
    public = factories.filed_request(received=received, owner=user, title="Public ALPR request")
    services.request_set_visibility(records_request=public, actor=user, visibility="public")
    agency = factories.AgencyFactory()
    quiet = campaign_create(owner=user, title=SECRET, records_sought="1. x", agencies=[agency])
    return {
        "private": private,
        "public": public,
        "campaign": quiet,
        "users": {"stranger": other_user, "owner": user, "staff": staff_user},
    }


def _client(world, who) -> APIClient:
    client = APIClient()
    if who != "anonymous":
        client.force_authenticate(world["users"][who])
    return client


# (method, path template, expected status for anonymous, stranger, owner, staff)
MATRIX = [
    ("get", "/api/v1/agencies/", 200, 200, 200, 200),
    ("get", "/api/v1/technologies/", 200, 200, 200, 200),
    ("get", "/api/v1/deployments/", 200, 200, 200, 200),
    ("get", "/api/v1/laws/", 200, 200, 200, 200),
    ("get", "/api/v1/exemptions/", 200, 200, 200, 200),
    ("get", "/api/v1/denials/", 200, 200, 200, 200),
    ("get", "/api/v1/requests/", 200, 200, 200, 200),
    ("get", "/api/v1/requests/{private}/", 404, 404, 200, 200),
    ("get", "/api/v1/requests/{public}/", 200, 200, 200, 200),
    ("post", "/api/v1/requests/", 401, 400, 400, 400),
    ("post", "/api/v1/requests/{private}/file/", 401, 404, 400, 400),
    ("post", "/api/v1/requests/{public}/file/", 401, 403, 400, 400),
    ("post", "/api/v1/requests/{private}/determinations/", 401, 404, 400, 400),
    ("post", "/api/v1/requests/{public}/determinations/", 401, 403, 400, 400),
    ("post", "/api/v1/requests/{private}/replies/", 401, 404, 400, 400),
    ("get", "/api/v1/campaigns/", 200, 200, 200, 200),
    ("get", "/api/v1/campaigns/{campaign}/", 404, 404, 200, 200),
    ("get", "/api/v1/campaigns/{campaign}/comparison/", 404, 404, 200, 200),
    ("get", "/api/v1/schema/", 200, 200, 200, 200),
]


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: f"{row[0]} {row[1]}")
@pytest.mark.parametrize("who", VIEWERS)
def test_each_cell(world, row, who):
    method, template, *expected = row
    path = template.format(
        private=world["private"].pk, public=world["public"].pk, campaign=world["campaign"].pk
    )
    response = getattr(_client(world, who), method)(path, {}, format="json")
    assert response.status_code == dict(zip(VIEWERS, expected, strict=True))[who], response.content[
        :300
    ]
    if who in ("anonymous", "stranger"):
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("who", VIEWERS)
def test_the_request_list_holds_what_each_may_see(world, who):
    titles = {r["title"] for r in _client(world, who).get("/api/v1/requests/").json()["results"]}
    assert "Public ALPR request" in titles
    assert (SECRET in titles) == (who in ("owner", "staff"))


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/agencies/%00/",
        "/api/v1/requests/%00/",
        "/api/v1/laws/%00/",
        "/api/v1/requests/1%00/",
    ],
)
def test_a_malformed_id_or_slug_is_a_404(client, path):
    # On PostgreSQL a NUL reaching a lookup is an error, not a miss.
    assert client.get(path).status_code == 404
