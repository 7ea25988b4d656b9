"""Denials built through the real services, so lateness and deficiencies are the app's own."""

from datetime import date, timedelta

import pytest
from freezegun import freeze_time

from rtcc_requests.requests import services
from tests import factories

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with freeze_time("2026-11-26 12:00:00"):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Users are made by the dozen here; the real hasher costs most of a second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_denial(db):
    """make_denial(title=..., agency=..., ...) -> the RecordsRequest, denied and published."""

    owners = []

    def shared_owner():
        if not owners:
            owners.append(factories.UserFactory())
        return owners[0]

    def make(
        *,
        title: str,
        agency=None,
        technologies=("automated-license-plate-readers",),
        law: str = "ca-cpra",
        received: date = date(2026, 3, 2),
        days: int = 7,
        kind: str = "denial",
        exemptions=("§7923.600",),
        official_name: str = "Jane Roe",
        official_title: str = "Records Manager",
        more_officials=(),
        # A denial here says no part could be released unless a test says otherwise: without
        # that statement every CPRA denial is a blanket withholding (§7922.525(b)).
        segregation_stated: bool = True,
        other_law: str = "",
        visibility: str = "public",
        embargo_until: date | None = None,
        owner=None,
        letter: str = "",
        earlier=(),
    ):
        """`earlier`: the agency's answers before the withholding, each a dict of
        determination_record's arguments with "days" after receipt for its date."""
        request = factories.filed_request(
            received=received,
            title=title,
            agency=agency or factories.AgencyFactory(),
            law=factories.law(law),
            technologies=[factories.technology(slug) for slug in technologies],
            owner=owner or shared_owner(),
        )
        for answer in earlier:
            answer = dict(answer)
            services.determination_record(
                records_request=request,
                actor=request.owner,
                response_date=received + timedelta(days=answer.pop("days")),
                **answer,
            )
        communication = None
        if letter:
            communication = services.communication_log(
                records_request=request,
                actor=request.owner,
                direction="in",
                kind="reply",
                subject=f"Denial letter for {title}",
                body="We deny your request.",
                is_private=letter == "private",
            )
        services.determination_record(
            records_request=request,
            actor=request.owner,
            kind=kind,
            response_date=received + timedelta(days=days),
            exemptions=[factories.exemption(section, law) for section in exemptions],
            official_name=official_name,
            official_title=official_title,
            more_officials=more_officials,
            segregation_stated=segregation_stated,
            other_law=other_law,
            communication=communication,
        )
        if visibility != "private":
            services.request_set_visibility(
                records_request=request,
                actor=request.owner,
                visibility=visibility,
                embargo_until=embargo_until,
            )
        request.refresh_from_db()
        return request

    return make
