"""The permission matrix of issue 19: every page, export, feed and API endpoint, for an
anonymous visitor, a stranger, an organization's viewer, editor and admin, the request's
owner (an editor who filed it) and staff. Each cell is the exact status code; the private
request's title never reaches anyone outside the organization.

GET everywhere; POST where a page's only method is POST (sent empty: the answer is the
permission check or the form's refusal, never a change)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from knox.models import AuthToken

from rtcc_requests.accounts.models import Membership, Role
from rtcc_requests.accounts.organizations import invitation_create, organization_create
from rtcc_requests.agencies.models import Deployment
from rtcc_requests.campaigns.services import campaign_create
from rtcc_requests.outbox.services import outbox_enqueue
from rtcc_requests.requests import services
from rtcc_requests.requests.choices import LetterKind
from rtcc_requests.requests.letters.services import letter_queue

from .. import factories

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "stranger", "viewer", "editor", "admin", "owner", "staff"]
SECRET = "Zebrafish private audit request"
# Anonymous at a page that needs a sign-in: a redirect (302) to the login page.
LOGIN = "login"

# path template -> status per WHO, for GET (or the method given first)
MATRIX = [
    # Public pages and exports: the same for everyone.
    ("get", "/", [200] * 7),
    ("get", "/healthz", [200] * 7),
    ("get", "/favicon.ico", [301] * 7),  # to the static file
    ("get", "/technologies/", [200] * 7),
    ("get", "/technologies/automated-license-plate-readers/", [200] * 7),
    ("get", "/agencies/", [200] * 7),
    ("get", "/agencies/{agency}/", [200] * 7),
    ("get", "/requests/public/", [200] * 7),
    ("get", "/requests/public.atom", [200] * 7),
    ("get", "/denials/", [200] * 7),
    ("get", "/denials.csv", [200] * 7),
    ("get", "/denials.json", [200] * 7),
    ("get", "/denials.atom", [200] * 7),
    ("get", "/denials/print/", [200] * 7),
    ("get", "/denials/agencies/{agency}/", [200] * 7),
    ("get", "/campaigns/", [200] * 7),
    ("get", "/campaigns/technology/automated-license-plate-readers/", [200] * 7),
    ("get", "/campaigns/technology/automated-license-plate-readers.csv", [200] * 7),
    ("get", "/campaigns/technology/automated-license-plate-readers.json", [200] * 7),
    ("get", "/accounts/login/", [200] * 7),
    ("get", "/accounts/signup/", [200, 302, 302, 302, 302, 302, 302]),  # signed in: home
    ("get", "/api/v1/", [200] * 7),
    ("get", "/api/v1/schema/", [200] * 7),
    ("get", "/api/v1/docs/", [200] * 7),
    ("get", "/api/v1/agencies/", [200] * 7),
    ("get", "/api/v1/technologies/", [200] * 7),
    ("get", "/api/v1/deployments/", [200] * 7),
    ("get", "/api/v1/laws/", [200] * 7),
    ("get", "/api/v1/exemptions/", [200] * 7),
    ("get", "/api/v1/denials/", [200] * 7),
    ("get", "/api/v1/campaigns/", [200] * 7),
    ("get", "/api/v1/requests/", [200] * 7),
    ("get", "/api/v1/agencies/{agency}/", [200] * 7),
    ("get", "/api/v1/technologies/automated-license-plate-readers/", [200] * 7),
    ("get", "/api/v1/deployments/{deployment}/", [200] * 7),
    ("get", "/api/v1/laws/ca-cpra/", [200] * 7),
    ("get", "/api/v1/exemptions/{exemption}/", [200] * 7),
    ("get", "/denials.pdf", [200] * 7),  # "being prepared": rendered by a task
    ("get", "/denials/exemptions/{exemption}/", [200] * 7),
    ("get", "/accounts/password-reset/", [200] * 7),
    ("get", "/accounts/password-reset/sent/", [200] * 7),
    ("get", "/accounts/password-reset/done/", [200] * 7),
    ("get", "/accounts/password-reset/MQ/not-a-token/", [200] * 7),  # "this link is invalid"
    # The owner's calendar feed: its token is the key, whoever holds it.
    ("get", "/calendar/{calendar}.ics", [200] * 7),
    ("post", "/accounts/logout/", [302] * 7),
    # Signed-in pages of one's own.
    ("get", "/requests/", [LOGIN, 200, 200, 200, 200, 200, 200]),
    ("get", "/requests/new/", [LOGIN, 200, 200, 200, 200, 200, 200]),
    (
        "get",
        "/requests/new/technologies.json?agency={agency_id}",
        [LOGIN, 200, 200, 200, 200, 200, 200],
    ),
    ("get", "/accounts/profile/", [LOGIN, 200, 200, 200, 200, 200, 200]),
    ("get", "/campaigns/new/", [LOGIN, 200, 200, 200, 200, 200, 200]),
    ("get", "/agencies/proposals/new/", [LOGIN, 200, 200, 200, 200, 200, 200]),
    ("get", "/organizations/", [LOGIN, 200, 200, 200, 200, 200, 200]),
    ("get", "/api/tokens/", [LOGIN, 200, 200, 200, 200, 200, 200]),
    # The organization's private request and what hangs off it.
    ("get", "/requests/{pk}/", [404, 404, 200, 200, 200, 200, 200]),
    ("get", "/requests/{pk}/edit/", [LOGIN, 404, 403, 302, 302, 302, 302]),
    ("get", "/requests/{pk}/file/", [LOGIN, 404, 403, 302, 302, 302, 302]),
    ("get", "/requests/{pk}/draft-letter/follow_up/", [LOGIN, 404, 403, 302, 302, 302, 302]),
    # 202: the PDF is still being made (tasks run after a commit this test never makes).
    ("get", "/requests/{pk}/letters/{letter}/pdf/", [404, 404, 202, 202, 202, 202, 202]),
    ("get", "/requests/{pk}/attachments/{attachment}/", [404, 404, 200, 200, 200, 200, 200]),
    ("post", "/requests/{pk}/reply/", [LOGIN, 404, 403, 200, 200, 200, 200]),
    ("post", "/requests/{pk}/determination/", [LOGIN, 404, 403, 200, 200, 200, 200]),
    ("post", "/requests/{pk}/answer/", [LOGIN, 404, 403, 200, 200, 200, 200]),
    ("post", "/requests/{pk}/note/", [LOGIN, 404, 403, 200, 200, 200, 200]),
    ("post", "/requests/{pk}/visibility/", [LOGIN, 404, 403, 200, 200, 200, 200]),
    ("post", "/requests/{pk}/close/", [LOGIN, 404, 403, 302, 302, 302, 302]),
    ("post", "/requests/{pk}/withdraw/", [LOGIN, 404, 403, 302, 302, 302, 302]),
    ("post", "/requests/{pk}/letters/{letter}/retry/", [LOGIN, 404, 403, 302, 302, 302, 302]),
    ("post", "/emails/{email}/retry/", [LOGIN, 404, 404, 404, 404, 302, 302]),
    ("post", "/calendar/reset/", [LOGIN, 302, 302, 302, 302, 302, 302]),
    ("post", "/agencies/{agency}/posting-check/", [LOGIN, 302, 302, 302, 302, 302, 302]),
    ("post", "/api/tokens/{api_token}/revoke/", [LOGIN, 302, 302, 302, 302, 302, 302]),
    ("post", "/requests/{pk}/letters/preview/", [LOGIN, 404, 403, 200, 200, 200, 200]),
    ("get", "/requests/{pk}/replies/{reply}/apply/", [LOGIN, 404, 403, 200, 200, 200, 200]),
    ("get", "/api/v1/requests/{pk}/", [404, 404, 200, 200, 200, 200, 200]),
    ("post", "/api/v1/requests/{pk}/determinations/", [401, 404, 403, 400, 400, 400, 400]),
    ("post", "/api/v1/requests/{pk}/replies/", [401, 404, 403, 400, 400, 400, 400]),
    ("post", "/api/v1/requests/{pk}/file/", [401, 404, 403, 400, 400, 400, 400]),
    # Its released document (the reply's text file) and the search that finds it.
    ("get", "/documents/{document}/", [404, 404, 200, 200, 200, 200, 200]),
    # A text file has no page images: not found for everyone, its existence kept for members.
    ("get", "/documents/{document}/pages/1.png", [404] * 7),
    ("post", "/documents/{document}/retry/", [LOGIN, 404, 403, 302, 302, 302, 302]),
    ("get", "/search/?q=Zebrafish", [200] * 7),
    ("get", "/search/?q=records&kind=letters", [200] * 7),
    ("get", "/search.json?q=Zebrafish&kind=requests", [200] * 7),
    ("get", "/api/v1/documents/", [200] * 7),
    ("get", "/api/v1/documents/{document}/", [404, 404, 200, 200, 200, 200, 200]),
    ("get", "/api/v1/search/?q=Zebrafish&kind=requests", [200] * 7),
    # Its court packet: the public one for a viewer, the full one for those who change it.
    ("get", "/requests/{pk}/packet/", [404, 404, 200, 200, 200, 200, 200]),
    ("post", "/requests/{pk}/packet/make/", [404, 404, 302, 302, 302, 302, 302]),
    # Nothing built yet (tasks run after a commit this test never makes).
    ("get", "/requests/{pk}/packet/download/", [404, 404, 404, 404, 404, 404, 404]),
    # The organization's private campaign.
    ("get", "/campaigns/{campaign}/", [404, 404, 200, 200, 200, 200, 200]),
    ("get", "/campaigns/{campaign}/letters/", [LOGIN, 404, 200, 200, 200, 200, 200]),
    ("get", "/campaigns/{campaign}/compare/", [404, 404, 200, 200, 200, 200, 200]),
    ("get", "/campaigns/{campaign}/compare.csv", [404, 404, 200, 200, 200, 200, 200]),
    ("get", "/campaigns/{campaign}/compare.json", [404, 404, 200, 200, 200, 200, 200]),
    ("post", "/campaigns/{campaign}/file/", [LOGIN, 404, 403, 302, 302, 302, 302]),
    ("post", "/campaigns/{campaign}/record-filed/", [LOGIN, 404, 403, 302, 302, 302, 302]),
    ("get", "/api/v1/campaigns/{campaign}/", [404, 404, 200, 200, 200, 200, 200]),
    ("get", "/api/v1/campaigns/{campaign}/comparison/", [404, 404, 200, 200, 200, 200, 200]),
    # The organization itself.
    ("get", "/organizations/{org}/", [LOGIN, 404, 200, 200, 200, 200, 200]),
    ("post", "/organizations/{org}/invite/", [LOGIN, 404, 403, 403, 302, 403, 302]),
    (
        "post",
        "/organizations/{org}/members/{viewer_membership}/role/",
        [LOGIN, 404, 302, 302, 302, 302, 302],
    ),
    ("get", "/organizations/invitations/{invitation}/", [LOGIN, 200, 200, 200, 200, 200, 200]),
    # A viewer may leave; only admins (and staff) remove someone else.
    (
        "post",
        "/organizations/{org}/members/{viewer_membership}/remove/",
        [LOGIN, 404, 302, 403, 302, 403, 302],
    ),
]


@pytest.fixture
def world(staff_user):
    admin = factories.UserFactory(username="org-admin")
    organization = organization_create(name="Zebrafish Weekly", creator=admin)
    people = {"admin": admin, "staff": staff_user, "stranger": factories.UserFactory()}
    for role, name in [(Role.VIEWER, "viewer"), (Role.EDITOR, "editor"), (Role.EDITOR, "owner")]:
        people[name] = factories.UserFactory(username=f"org-{name}")
        Membership.objects.create(organization=organization, user=people[name], role=role)
    agency = factories.AgencyFactory(name="Zebra County Sheriff")
    deployment = Deployment.objects.create(agency=agency, technology=factories.technology())
    received = timezone.localdate() - timedelta(days=3)
    request = factories.filed_request(received=received, owner=people["owner"], title=SECRET)
    request.organization = organization
    request.save(update_fields=["organization"])
    letter = letter_queue(records_request=request, kind=LetterKind.REQUEST, actor=people["owner"])
    reply = services.reply_log(
        records_request=request,
        actor=people["owner"],
        subject="Re: your request",
        body="We need 14 more days to consult another agency.",
        sent_at=timezone.now(),
        from_address="clerk@zebra.example",
        files=[SimpleUploadedFile("scan.txt", b"records", "text/plain")],
    )
    campaign = campaign_create(
        owner=people["owner"],
        title="Zebrafish campaign",
        records_sought="1. x",
        agencies=[agency],
        organization=organization,
    )
    invitation = invitation_create(
        organization=organization, email="new@example.org", role=Role.VIEWER, actor=admin
    )
    message, _ = outbox_enqueue(
        key="matrix-email", to=["x@example.org"], subject="s", body_text="b", user=people["owner"]
    )
    api_token, _ = AuthToken.objects.create(user=people["owner"])
    values = {
        "email": message.pk,
        "deployment": deployment.pk,
        "api_token": api_token.token_key,
        "calendar": people["owner"].profile.calendar_token,
        "exemption": factories.exemption("§7923.600").pk,
        "pk": request.pk,
        "letter": letter.pk,
        "reply": reply.pk,
        "attachment": reply.attachments.get().pk,
        "document": reply.attachments.get().document.pk,
        "campaign": campaign.pk,
        "org": organization.slug,
        "agency": agency.slug,
        "agency_id": agency.pk,
        "viewer_membership": Membership.objects.get(user=people["viewer"]).pk,
        "invitation": invitation.token,
    }
    return people, values


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: f"{row[0]} {row[1]}")
@pytest.mark.parametrize("who", WHO)
def test_each_cell(client, world, row, who):
    people, values = world
    method, template, expected = row
    path = template.format(**values)
    if who != "anonymous":
        client.force_login(people[who])
    response = getattr(client, method)(path, {})
    want = dict(zip(WHO, expected, strict=True))[who]
    if want == LOGIN:
        assert response.status_code == 302, (who, path, response.status_code)
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == want, (who, path, response.status_code)
    if who in ("anonymous", "stranger"):
        body = b"".join(response) if response.streaming else response.content
        assert SECRET.encode() not in body, path


# Routes the matrix does not walk, each with its reason (Django's admin is left out: staff
# only, with its own permission system).
NOT_IN_MATRIX: dict[str, str] = {}


def _route_names() -> set[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = pattern.namespace or namespace
                walk(pattern.url_patterns, f"{inner}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_named_route_is_in_the_matrix():
    from django.urls import resolve

    values = dict.fromkeys(("pk", "letter", "reply", "attachment", "document", "email"), "1")
    values |= {
        "campaign": "1", "org": "o", "agency": "a", "agency_id": "1", "deployment": "1",
        "exemption": "1", "calendar": "c", "api_token": "t", "viewer_membership": "1",
        "invitation": "i",
    }  # fmt: skip
    # A row that resolves to no route would raise here: the matrix tests real routes only.
    covered = {
        resolve(template.format(**values).split("?")[0]).view_name
        for _method, template, _expected in MATRIX
    }
    missing = _route_names() - covered - set(NOT_IN_MATRIX)
    assert not missing, f"routes with no row in the permission matrix: {sorted(missing)}"
    assert not covered & set(NOT_IN_MATRIX), "a route excused from the matrix is in it"
