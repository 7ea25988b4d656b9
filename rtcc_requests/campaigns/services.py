"""Writes for campaigns: create one (a draft request per agency), file its drafts."""

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from rtcc_requests.accounts.organizations import changes_for
from rtcc_requests.agencies.models import Agency, Technology
from rtcc_requests.common.text import single_line
from rtcc_requests.requests.letters.services import requests_send_by_email_many
from rtcc_requests.requests.services import RequestError
from rtcc_requests.requests.services.many import (
    DraftSpec,
    FiledMany,
    laws_by_state,
    requests_create_many,
    requests_file_many,
)

from .models import Campaign, CampaignEntry, CampaignVisibility
from .selectors import MAX_AGENCIES, AgencyPick, campaign_drafts, may_file

MAX_WAVES = 10


class CampaignError(RequestError):
    """A campaign write refused; the message is shown as it is."""


def campaign_create(
    *,
    owner,
    title: str,
    records_sought: str,
    agencies: Sequence[Agency],
    technology: Technology | None = None,
    description: str = "",
    visibility: str = CampaignVisibility.PRIVATE,
    pick: AgencyPick | None = None,
    waves: int = 1,
    organization=None,
) -> Campaign:
    """A campaign and one draft request per agency, under the agency's state's law; the
    agencies split into `waves` of (nearly) equal size, in the order given. Each request
    takes the campaign's visibility and technology; its letter is drafted when it is sent,
    so the signature is the requester's at that time."""
    agencies = list(dict.fromkeys(agencies))  # each agency once, in order
    if not agencies:
        raise CampaignError("Pick at least one agency.")
    if len(agencies) > MAX_AGENCIES:
        raise CampaignError(f"A campaign goes to at most {MAX_AGENCIES} agencies.")
    if not records_sought.strip():
        raise CampaignError("Say what records the campaign asks for.")
    if visibility not in CampaignVisibility.values:
        raise CampaignError(f"Unknown visibility {visibility!r}.")
    if not 1 <= waves <= min(MAX_WAVES, len(agencies)):
        raise CampaignError(f"Waves: from 1 to {min(MAX_WAVES, len(agencies))}.")
    laws = laws_by_state(a.state for a in agencies)
    lawless = [a.name for a in agencies if a.state not in laws]
    if lawless:
        raise CampaignError(f"We know no records law for {', '.join(lawless[:5])}.")
    title = single_line(title)
    if organization is not None and not changes_for(owner, organization.pk):
        raise CampaignError(f"Only {organization.name}'s editors and admins start its campaigns.")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            owner=owner,
            organization=organization,
            title=title,
            technology=technology,
            records_sought=records_sought.strip(),
            description=description.strip(),
            visibility=visibility,
            selection=pick.as_dict() | {"described": pick.describe()} if pick else {},
        )
        requests = requests_create_many(
            owner=owner,
            drafts=[
                DraftSpec(
                    agency=agency,
                    law=laws[agency.state],
                    title=title,
                    records_sought=campaign.records_sought,
                    technologies=(technology,) if technology else (),
                    visibility=visibility,
                    organization=organization,
                )
                for agency in agencies
            ],
        )
        CampaignEntry.objects.bulk_create(
            [
                CampaignEntry(
                    campaign=campaign,
                    agency=agency,
                    request=request,
                    wave=1 + index * waves // len(agencies),
                )
                for index, (agency, request) in enumerate(zip(agencies, requests, strict=True))
            ],
            batch_size=500,
        )
    return campaign


def _drafts_to_file(*, campaign: Campaign, actor, wave: int | None) -> list:
    if not may_file(user=actor, campaign=campaign):
        raise CampaignError(
            "Only the campaign's owner (or its organization's editors) can file its requests."
        )
    drafts = campaign_drafts(campaign=campaign, wave=wave)
    if not drafts:
        raise CampaignError("Nothing left to file" + (f" in wave {wave}." if wave else "."))
    return drafts


def campaign_file_by_email(*, campaign: Campaign, actor, wave: int | None = None) -> FiledMany:
    """File the campaign's drafts (of one wave, or all) by email; the others say why not."""
    drafts = _drafts_to_file(campaign=campaign, actor=actor, wave=wave)
    return requests_send_by_email_many(records_requests=drafts, actor=actor)


def campaign_record_filed(
    *, campaign: Campaign, actor, method: str, filed_on: date, wave: int | None = None
) -> FiledMany:
    """Record that the drafts (of one wave, or all) were sent another way on `filed_on`
    (through the agencies' portals, in person): their clocks start, no letter is sent."""
    drafts = _drafts_to_file(campaign=campaign, actor=actor, wave=wave)
    with transaction.atomic():
        return requests_file_many(
            records_requests=drafts, actor=actor, method=method, filed_on=filed_on
        )
