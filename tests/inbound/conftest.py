from datetime import date
from pathlib import Path

import pytest

from ..factories import AgencyFactory, filed_request

MESSAGES = Path(__file__).parent / "messages"


def eml(name: str) -> bytes:
    return (MESSAGES / name).read_bytes()


@pytest.fixture(autouse=True)
def _mail_domain(settings):
    settings.MAIL_DOMAIN = "requests.localhost"
    settings.SITE_URL = "https://rtcc.example"
    settings.ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024


@pytest.fixture
def fresno_request(db):
    agency = AgencyFactory(
        name="Fresno Police Department",
        slug="fresno-police-department",
        records_email="records@fresno.example",
    )
    return filed_request(
        received=date(2026, 11, 16),
        agency=agency,
        reply_token="fresnoalpr2026",
        title="ALPR policy and audit logs",
    )
