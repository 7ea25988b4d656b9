"""Who may do what with an organization's private request, page and API alike: each cell
is the exact status, and its title never reaches someone outside the organization."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "stranger", "viewer", "editor", "admin", "staff"]

# (method, path, expected per WHO). The editor filed the request: they are its owner.
MATRIX = [
    ("get", "/requests/{pk}/", [404, 404, 200, 200, 200, 200]),
    ("post", "/requests/{pk}/determination/", [302, 404, 403, 200, 200, 200]),
    ("post", "/requests/{pk}/note/", [302, 404, 403, 200, 200, 200]),
    ("post", "/requests/{pk}/reply/", [302, 404, 403, 200, 200, 200]),
    ("post", "/requests/{pk}/visibility/", [302, 404, 403, 200, 200, 200]),
    ("post", "/requests/{pk}/withdraw/", [302, 404, 403, 302, 302, 302]),
    ("get", "/requests/{pk}/edit/", [302, 404, 403, 302, 302, 302]),
    ("get", "/requests/", [302, 200, 200, 200, 200, 200]),
    ("get", "/organizations/{slug}/", [302, 404, 200, 200, 200, 200]),
    ("get", "/organizations/", [302, 200, 200, 200, 200, 200]),
    ("post", "/organizations/{slug}/invite/", [302, 404, 403, 403, 302, 302]),
    ("api-get", "/api/v1/requests/{pk}/", [404, 404, 200, 200, 200, 200]),
    ("api-post", "/api/v1/requests/{pk}/determinations/", [401, 404, 403, 400, 400, 400]),
    ("api-post", "/api/v1/requests/{pk}/file/", [401, 404, 403, 400, 400, 400]),
]


@pytest.fixture
def people(newsroom, staff_user):
    from .. import factories

    return {
        "stranger": factories.UserFactory(),
        "viewer": newsroom["viewer"],
        "editor": newsroom["editor"],
        "admin": newsroom["admin"],
        "staff": staff_user,
    }


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: f"{row[0]} {row[1]}")
@pytest.mark.parametrize("who", WHO)
def test_each_cell(client, newsroom, people, row, who):
    method, template, expected = row
    path = template.format(pk=newsroom["request"].pk, slug=newsroom["organization"].slug)
    if method.startswith("api-"):
        api = APIClient()
        if who != "anonymous":
            api.force_authenticate(people[who])
        response = getattr(api, method.removeprefix("api-"))(path, {}, format="json")
    else:
        if who != "anonymous":
            client.force_login(people[who])
        response = getattr(client, method)(path, {})
    status = response.status_code
    if not method.startswith("api-") and status == 302 and who == "anonymous":
        assert "/accounts/login/" in response.url
    assert status == dict(zip(WHO, expected, strict=True))[who], response.content[:300]
    if who in ("anonymous", "stranger"):
        assert newsroom["request"].title not in response.content.decode()
