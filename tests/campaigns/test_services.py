"""Creating a campaign (a draft per agency) and filing it by email, in bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rtcc_requests.campaigns.models import CampaignEntry
from rtcc_requests.campaigns.selectors import AgencyPick, agencies_picked
from rtcc_requests.campaigns.services import (
    CampaignError,
    campaign_create,
    campaign_file_by_email,
)
from rtcc_requests.outbox.models import OutboxMessage
from rtcc_requests.requests.choices import PdfStatus, Status, Visibility
from rtcc_requests.requests.models import Communication, RecordsRequest

from .. import factories
from .conftest import fresno_county_agencies

pytestmark = pytest.mark.django_db

ASK = "1. The ALPR usage and privacy policy.\n2. The audit logs."


def _pick():
    return AgencyPick(technology=factories.technology(), deployed_only=True, state="CA",
                      county="Fresno")  # fmt: skip


def test_the_pick_is_every_agency_listed_with_the_technology_in_the_county(fresno_alpr, user):
    picked = agencies_picked(user=user, pick=_pick())
    assert picked == fresno_alpr
    assert _pick().describe() == (
        "every agency in Fresno County, CA the directory lists with Automated License Plate Readers"
    )


def test_a_campaign_is_a_full_draft_request_per_agency_split_into_waves(fresno_alpr, user):
    campaign = campaign_create(
        owner=user,
        title="ALPR in Fresno County",
        records_sought=ASK,
        agencies=fresno_alpr,
        technology=factories.technology(),
        visibility="public",
        pick=_pick(),
        waves=2,
    )
    entries = list(CampaignEntry.objects.filter(campaign=campaign).select_related("request"))
    assert [e.agency for e in entries] == fresno_alpr
    assert [e.wave for e in entries] == [1, 1, 2]
    for entry in entries:
        request = entry.request
        assert (request.status, request.owner, request.agency) == (
            Status.DRAFT,
            user,
            entry.agency,
        )
        assert request.law.code == "ca-cpra"
        assert request.visibility == Visibility.PUBLIC
        assert [t.slug for t in request.technologies.all()] == ["automated-license-plate-readers"]
        assert [i.number for i in request.items.all()] == [1, 2]
        assert request.events.get().message == "Draft created."
    assert campaign.selection["described"].startswith("every agency in Fresno County")


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries.captured_queries)


# Bulk inserts are cut into batches: on SQLite of 999 parameters (about 24 requests a
# statement), on PostgreSQL of 500 rows. A few more statements for 20 times the agencies is
# batching; a query per agency would be 57 more.
BATCHING_SLACK = 4


def test_creating_costs_no_query_per_agency(user):
    def create(count):
        agencies = fresno_county_agencies(count=count)
        return _queries(
            lambda: campaign_create(owner=user, title="ALPR", records_sought=ASK, agencies=agencies)
        )

    few, many = create(3), create(60)
    assert many <= few + BATCHING_SLACK
    if connection.vendor == "postgresql":
        assert many == few


def test_refuses_an_empty_pick_and_too_many_waves(user):
    with pytest.raises(CampaignError, match="Pick at least one agency"):
        campaign_create(owner=user, title="x", records_sought=ASK, agencies=[])
    with pytest.raises(CampaignError, match="Waves: from 1 to 1"):
        campaign_create(
            owner=user,
            title="x",
            records_sought=ASK,
            agencies=fresno_county_agencies(count=1),
            waves=2,
        )


def test_filing_a_wave_sends_each_agency_its_own_letter_once(
    fresno_alpr, user, django_capture_on_commit_callbacks
):
    no_email = fresno_county_agencies(count=1, email=False)[0]
    campaign = campaign_create(
        owner=user,
        title="ALPR in Fresno County",
        records_sought=ASK,
        agencies=[*fresno_alpr, no_email],
        waves=1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = campaign_file_by_email(campaign=campaign, actor=user, wave=1)
    assert len(report.filed) == 3
    [(refused_pk, reason)] = report.refused.items()
    assert RecordsRequest.objects.get(pk=refused_pk).agency == no_email
    assert "no records-request email address" in reason

    filed = RecordsRequest.objects.filter(status=Status.FILED).order_by("agency__name")
    today = timezone.localdate()
    for request in filed:
        assert (request.filing_method, request.filed_on, request.received_on) == (
            "email",
            today,
            today,
        )
        assert request.determination_due is not None
        assert request.next_due == request.determination_due
    letters = Communication.objects.filter(request__in=filed)
    assert letters.count() == 3
    assert set(letters.values_list("pdf_status", flat=True)) == {PdfStatus.READY}
    outbox = OutboxMessage.objects.order_by("to")
    assert [m.to for m in outbox] == [[a.records_email] for a in fresno_alpr]
    # Each letter is its request's, addressed to its agency and signed by the requester.
    for letter in letters.select_related("request__agency"):
        assert letter.body.startswith("Dear Records Officer") or letter.request.agency.name in (
            letter.body
        )
        assert "1. The ALPR usage and privacy policy." in letter.body

    # Filing again finds nothing left in the wave but the one with no email.
    with django_capture_on_commit_callbacks(execute=True):
        again = campaign_file_by_email(campaign=campaign, actor=user, wave=1)
    assert again.filed == [] and list(again.refused) == [refused_pk]
    assert OutboxMessage.objects.count() == 3


def test_filing_costs_no_query_per_agency(user):
    def filed_queries(count):
        campaign = campaign_create(
            owner=user,
            title="ALPR",
            records_sought=ASK,
            agencies=fresno_county_agencies(count=count),
        )
        return _queries(lambda: campaign_file_by_email(campaign=campaign, actor=user))

    few, many = filed_queries(3), filed_queries(60)
    assert many <= few + BATCHING_SLACK
    if connection.vendor == "postgresql":
        assert many == few


def test_only_the_owner_files(fresno_alpr, user, other_user):
    campaign = campaign_create(owner=user, title="x", records_sought=ASK, agencies=fresno_alpr)
    with pytest.raises(CampaignError, match="Only the campaign's owner"):
        campaign_file_by_email(campaign=campaign, actor=other_user)
    assert not RecordsRequest.objects.exclude(status=Status.DRAFT).exists()
