"""Shared fixtures. Services (PostgreSQL, Redis) are real when the environment names them."""

import os
from datetime import date

import pytest
from django.core.management import call_command

from rtcc_requests.laws.models import Law

from . import factories


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Reference data (laws, exemptions, technologies) is part of every database.
    with django_db_blocker.unblock():
        call_command(
            "loaddata",
            "fixtures/reference/laws.json",
            "fixtures/reference/technologies.json",
            verbosity=0,
        )


@pytest.fixture
def cpra(db) -> Law:
    return Law.objects.get(code="ca-cpra")


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def other_user(db):
    return factories.UserFactory()


@pytest.fixture
def staff_user(db):
    return factories.UserFactory(is_staff=True)


@pytest.fixture
def today() -> date:
    return date(2026, 11, 26)


def services_required() -> bool:
    """In CI a missing service is a failure, not a skip."""
    return os.environ.get("REQUIRE_SERVICES") == "1" or os.environ.get("CI") == "true"
