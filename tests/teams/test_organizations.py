"""Organizations: invitations that expire, roles that decide what a member may do, and
access that ends the moment a member leaves or is removed."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from rtcc_requests.accounts import organizations
from rtcc_requests.accounts.models import Invitation, Membership, Role
from rtcc_requests.outbox.models import OutboxMessage
from rtcc_requests.requests.choices import LetterKind
from rtcc_requests.requests.letters.documents import default_body

from .. import factories

pytestmark = pytest.mark.django_db


def test_an_invitation_is_emailed_and_joins_only_the_invited_address(client, newsroom):
    client.force_login(newsroom["admin"])
    slug = newsroom["organization"].slug
    client.post(
        reverse("teams:invite", kwargs={"slug": slug}),
        {"email": "Reporter@Example.org", "role": Role.EDITOR},
    )
    invitation = Invitation.objects.get()
    message = OutboxMessage.objects.get(idempotency_key=f"invitation-{invitation.pk}")
    assert message.to == ["reporter@example.org"]
    link = reverse("teams:accept", kwargs={"token": invitation.token})
    assert link in message.body_text

    someone_else = factories.UserFactory(email="other@example.org")
    client.force_login(someone_else)
    response = client.post(link, follow=True)
    assert "This invitation is for reporter@example.org" in response.text
    assert not Membership.objects.filter(user=someone_else).exists()

    reporter = factories.UserFactory(email="reporter@example.org")
    client.force_login(reporter)
    client.post(link)
    assert Membership.objects.get(user=reporter).role == Role.EDITOR
    response = client.post(link, follow=True)  # used once
    assert "does not exist or has been used" in response.text


def test_an_expired_invitation_is_refused(newsroom):
    invitation = organizations.invitation_create(
        organization=newsroom["organization"],
        email="late@example.org",
        role=Role.VIEWER,
        actor=newsroom["admin"],
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    late = factories.UserFactory(email="late@example.org")
    with pytest.raises(ValidationError, match="expired"):
        organizations.invitation_accept(token=invitation.token, user=late)


def test_only_admins_invite_and_change_roles(newsroom):
    with pytest.raises(PermissionDenied):
        organizations.invitation_create(
            organization=newsroom["organization"],
            email="x@example.org",
            role=Role.ADMIN,
            actor=newsroom["editor"],
        )
    viewer = Membership.objects.get(user=newsroom["viewer"])
    with pytest.raises(PermissionDenied):
        organizations.membership_set_role(
            membership=viewer, role=Role.ADMIN, actor=newsroom["editor"]
        )


def test_the_last_admin_cannot_leave(newsroom):
    admin = Membership.objects.get(user=newsroom["admin"])
    with pytest.raises(ValidationError, match="at least one admin"):
        organizations.membership_end(membership=admin, actor=newsroom["admin"])


def test_roles_decide_reading_and_changing_and_removal_ends_access_at_once(client, newsroom):
    request = newsroom["request"]
    determination = reverse("requests:determination", kwargs={"pk": request.pk})
    client.force_login(newsroom["viewer"])
    assert client.get(request.get_absolute_url()).status_code == 200
    assert client.post(determination, {}).status_code == 403
    assert request.title in client.get(reverse("requests:list")).text
    client.force_login(newsroom["admin"])  # an admin who did not file it may change it
    assert client.post(determination, {}).status_code == 200  # the form, with its errors

    stranger = factories.UserFactory()
    client.force_login(stranger)
    assert client.get(request.get_absolute_url()).status_code == 404

    viewer = Membership.objects.get(user=newsroom["viewer"])
    organizations.membership_end(membership=viewer, actor=newsroom["admin"])
    client.force_login(newsroom["viewer"])
    assert client.get(request.get_absolute_url()).status_code == 404
    assert request.title not in client.get(reverse("requests:list")).text


def test_an_editor_files_as_the_organization_and_its_letterhead_signs(client, newsroom):
    organization = newsroom["organization"]
    organization.letterhead = "The Fresno Newsroom"
    organization.save()
    editor = newsroom["editor"]
    client.force_login(editor)
    agency = factories.AgencyFactory()
    response = client.post(
        reverse("requests:new"),
        {
            "agency": agency.pk,
            "law": factories.law().pk,
            "title": "Contracts",
            "records_sought": "The ALPR contracts.",
            "organization": organization.pk,
            "body": "",
            "action": "save",
        },
    )
    assert response.status_code == 302
    created = organization.requests.get(title="Contracts")
    letter = default_body(created, LetterKind.REQUEST, timezone.localdate())
    assert letter.endswith(f"{editor.profile.signature_name}\nThe Fresno Newsroom")
    # A viewer is not offered the organization, and cannot file as it.
    client.force_login(newsroom["viewer"])
    page = client.get(reverse("requests:new")).text
    assert "File as" not in page


def test_a_member_sees_the_organizations_deadlines_in_the_calendar(client, newsroom):
    def feed(user) -> str:
        token = user.profile.calendar_token
        url = reverse("reminders:calendar_feed", kwargs={"token": token})
        return client.get(url).content.decode()

    link = newsroom["request"].get_absolute_url()
    assert link in feed(newsroom["viewer"])
    assert link not in feed(factories.UserFactory())


def test_through_the_api_an_editor_files_for_the_organization_and_a_viewer_cannot(newsroom):
    from rest_framework.test import APIClient

    agency = factories.AgencyFactory()
    body = {
        "agency": agency.slug,
        "title": "Via the API",
        "records_sought": "1. The contract.",
        "organization": newsroom["organization"].slug,
    }
    api = APIClient()
    api.force_authenticate(newsroom["viewer"])
    refused = api.post("/api/v1/requests/", body, format="json")
    assert refused.status_code == 400
    assert "only its editors and admins" in refused.json()["detail"][0]
    api.force_authenticate(newsroom["editor"])
    made = api.post("/api/v1/requests/", body, format="json")
    assert made.status_code == 201 and made.json()["organization"] == "fresno-newsroom"


@pytest.mark.parametrize("token", ["\x00", "a" * 300, "not a token!"])
def test_a_malformed_invitation_link_is_no_invitation(client, user, token):
    # Before, a NUL in the link was a server error on PostgreSQL (found by the fuzz test).
    client.force_login(user)
    url = reverse("teams:accept", kwargs={"token": "x"}).replace("/x/", "/%00/")
    if token != "\x00":
        url = reverse("teams:accept", kwargs={"token": token})
    assert "does not exist, has been used or has expired" in client.get(url).text
    response = client.post(url, follow=True)
    assert "does not exist or has been used" in response.text


def test_every_membership_change_is_in_the_history(client, newsroom):
    organization = newsroom["organization"]
    viewer = Membership.objects.get(user=newsroom["viewer"])
    organizations.membership_set_role(membership=viewer, role=Role.EDITOR, actor=newsroom["admin"])
    organizations.membership_end(membership=viewer, actor=newsroom["admin"])
    admin_name = newsroom["admin"].profile.signature_name
    viewer_name = newsroom["viewer"].profile.signature_name
    messages = list(organization.events.values_list("message", flat=True))
    assert messages[:3] == [
        f"{admin_name} removed {viewer_name}.",
        f"{admin_name} made {viewer_name} editor.",
        f"{admin_name} created the organization.",
    ]
    client.force_login(newsroom["editor"])
    page = client.get(reverse("teams:detail", kwargs={"slug": organization.slug})).text
    assert f"{admin_name} removed {viewer_name}." in page


def test_the_organization_page_costs_the_same_queries_for_few_or_many_members(client, newsroom):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(newsroom["admin"])
    url = reverse("teams:detail", kwargs={"slug": newsroom["organization"].slug})

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for _ in range(20):
        Membership.objects.create(
            organization=newsroom["organization"], user=factories.UserFactory()
        )
    assert queries() == few
