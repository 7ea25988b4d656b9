from datetime import timedelta

import pytest
from django.utils import timezone

from rtcc_requests.accounts.models import Membership, Role
from rtcc_requests.accounts.organizations import organization_create

from .. import factories


@pytest.fixture
def newsroom(db, user):
    """An organization whose admin is `user`, with a viewer and an editor, and one private
    request of its own filed by the editor."""
    organization = organization_create(name="Fresno Newsroom", creator=user)
    viewer = factories.UserFactory(username="viewer", email="viewer@example.org")
    editor = factories.UserFactory(username="editor", email="editor@example.org")
    Membership.objects.create(organization=organization, user=viewer, role=Role.VIEWER)
    Membership.objects.create(organization=organization, user=editor, role=Role.EDITOR)
    request = factories.filed_request(
        received=timezone.localdate() - timedelta(days=3),
        owner=editor,
        title="Newsroom ALPR audit",
    )
    request.organization = organization
    request.save(update_fields=["organization"])
    return {
        "organization": organization,
        "admin": user,
        "viewer": viewer,
        "editor": editor,
        "request": request,
    }
