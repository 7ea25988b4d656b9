"""Requests with letters, replies and documents, and reading the packets made of them."""

import csv
import io
import json
import zipfile
from datetime import date

import pytest

from rtcc_requests.inbound.services import inbound_ingest
from rtcc_requests.packets.models import Packet

from ..factories import AgencyFactory, UserFactory, filed_request
from ..inbound.conftest import eml
from ..support.html import parse_strict

RECEIVED = date(2026, 11, 16)  # Mon 16 Nov 2026: day 10 is Thanksgiving, due Mon 30 Nov


@pytest.fixture(autouse=True)
def _mail_domain(settings):
    settings.MAIL_DOMAIN = "requests.localhost"
    settings.SITE_URL = "https://rtcc.example"
    settings.ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024


def _owner():
    owner = UserFactory(first_name="Ada", last_name="Lovelace")
    profile = owner.profile
    profile.display_name = "Ada Lovelace"
    profile.mailing_address = "100 Main St\nFresno, CA 93721"
    profile.phone = "559-555-0100"
    profile.save()
    return owner


@pytest.fixture
def fresno_request(db):
    """A public CPRA request to Fresno, filed by portal and received Mon 16 Nov 2026, whose
    reply address is the one the messages in tests/inbound/messages/ are sent to."""
    agency = AgencyFactory(
        name="Fresno Police Department",
        slug="fresno-police-department",
        records_email="records@fresno.example",
    )
    return filed_request(
        received=RECEIVED,
        owner=_owner(),
        agency=agency,
        reply_token="fresnoalpr2026",
        title="ALPR policy and audit logs",
        visibility="public",
    )


def ingest(name: str):
    result = inbound_ingest(raw=eml(name))
    assert result.outcome == "stored", result.reason
    return result.communication


class Unzipped:
    """A packet's ZIP, read back: its files and its manifests."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        assert self.archive.testzip() is None

    @property
    def names(self) -> list[str]:
        return self.archive.namelist()

    def read(self, name: str) -> bytes:
        return self.archive.read(name)

    def under(self, folder: str) -> list[str]:
        return [n for n in self.names if n.startswith(f"{folder}/")]

    @property
    def manifest_rows(self) -> list[dict]:
        text = self.read("manifest.csv").decode("utf-8")
        return list(csv.DictReader(io.StringIO(text)))

    @property
    def manifest(self) -> dict:
        return json.loads(self.read("manifest.json"))

    def everything(self) -> bytes:
        return b"\n".join(self.read(n) for n in self.names)


def packet_zip(packet: Packet) -> Unzipped:
    packet.refresh_from_db()
    with packet.file.open("rb") as handle:
        return Unzipped(handle.read())


def text_of(page: str, *, fragment: bool = False) -> str:
    """A page's text as a reader sees it: tags gone, whitespace collapsed (and the page
    well-formed HTML, or this fails)."""
    if fragment:
        page = f"<!DOCTYPE html><html lang=en><title>fragment</title><body>{page}</body></html>"
    return " ".join("".join(parse_strict(page).itertext()).split())
