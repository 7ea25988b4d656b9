"""Requests in the states each letter kind needs, and reading the text of a PDF."""

from datetime import date

import pytest

from rtcc_requests.requests import services
from rtcc_requests.requests.choices import DeterminationKind
from rtcc_requests.requests.models import RecordsRequest

from ... import factories

RECEIVED = date(2026, 11, 2)  # Mon 2 Nov 2026: determination due Thu 12 Nov 2026
DUE = date(2026, 11, 12)
DENIED_ON = date(2026, 11, 16)  # 4 days after the deadline
TRACKING = "PRR-2026-0481"


def _requester():
    owner = factories.UserFactory(first_name="Ada", last_name="Lovelace")
    profile = owner.profile
    profile.display_name = "Ada Lovelace"
    profile.organization = "Fresno Surveillance Watch"
    profile.mailing_address = "100 Main St\nFresno, CA 93721"
    profile.phone = "559-555-0100"
    profile.save()
    return owner


def _agency():
    return factories.AgencyFactory(
        name="Fresno Police Department",
        slug="fresno-pd-letters",
        mailing_address="2323 Mariposa St\nFresno, CA 93721",
        records_email="records@fresno-pd.example",
    )


def make_draft(**kwargs) -> RecordsRequest:
    kwargs.setdefault("owner", _requester())
    kwargs.setdefault("agency", _agency())
    kwargs.setdefault("title", "ALPR policy and audits")
    return factories.RecordsRequestFactory(**kwargs)


def make_filed(**kwargs) -> RecordsRequest:
    draft = make_draft(**kwargs)
    filed = services.request_file(
        records_request=draft,
        actor=draft.owner,
        method="portal",
        filed_on=RECEIVED,
        received_on=RECEIVED,
        tracking_number=TRACKING,
    )
    return filed


def make_deficient(**kwargs) -> RecordsRequest:
    """Denied late, signed by nobody, on the catch-all with no reasons, nothing segregated."""
    filed = make_filed(**kwargs)
    services.determination_record(
        records_request=filed,
        actor=filed.owner,
        kind=DeterminationKind.DENIAL,
        response_date=DENIED_ON,
        exemptions=[factories.exemption("§7922.000")],
    )
    filed.refresh_from_db()
    assert set(filed.deficiencies) == {
        "no_official",
        "late",
        "catch_all_unexplained",
        "blanket_withholding",
    }
    return filed


@pytest.fixture
def draft(db) -> RecordsRequest:
    return make_draft()


@pytest.fixture
def filed(db) -> RecordsRequest:
    return make_filed()


@pytest.fixture
def deficient(db) -> RecordsRequest:
    return make_deficient()
