"""Reads for campaigns: which agencies a pick selects, who sees a campaign, its table.

Who sees a campaign's rows is decided request by request, as everywhere: the owner (and
staff) see every request; anyone else sees only the requests public today
(`public_on_q`), so a private request in a public campaign never shows in its table, its
counts or its exports.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from rtcc_requests.accounts.organizations import changes_for, organization_ids_of, role_in
from rtcc_requests.agencies.models import (
    Agency,
    AgencyKind,
    Deployment,
    DeploymentStatus,
    Technology,
)
from rtcc_requests.agencies.selectors import agencies_open_to
from rtcc_requests.laws.models import Law
from rtcc_requests.requests import rules
from rtcc_requests.requests.choices import DeterminationKind, Status
from rtcc_requests.requests.models import Determination, RecordsRequest, public_on_q

from .models import Campaign, CampaignEntry, CampaignVisibility

MAX_AGENCIES = 1000  # a campaign to more is a bulk mailing, not a records campaign
_KIND_PLURALS = {
    AgencyKind.POLICE: "police department",
    AgencyKind.SHERIFF: "sheriff's office",
    AgencyKind.CITY: "city",
    AgencyKind.COUNTY: "county",
    AgencyKind.SCHOOL_DISTRICT: "school district",
    AgencyKind.STATE: "state agency",
    AgencyKind.OTHER: "other agency",
}


@dataclass(frozen=True)
class AgencyPick:
    """How a campaign's agencies are picked: every one of these filters holds."""

    technology: Technology | None = None
    deployed_only: bool = False  # only agencies the directory lists with the technology
    state: str = ""
    county: str = ""
    kind: str = ""

    def describe(self) -> str:
        """The pick in words: "every police department in Fresno County, CA the directory
        lists with Automated License Plate Readers"."""
        where = ""
        if self.county:
            where = f" in {self.county} County"
        if self.state:
            where += f", {self.state}" if self.county else f" in {self.state}"
        what = _KIND_PLURALS.get(self.kind, "agency")
        listed = ""
        if self.deployed_only and self.technology:
            listed = f" the directory lists with {self.technology.name}"
        return f"every {what}{where}{listed}".strip()

    def as_dict(self) -> dict:
        return {
            "technology": self.technology.slug if self.technology else "",
            "deployed_only": self.deployed_only,
            "state": self.state,
            "county": self.county,
            "kind": self.kind,
        }


def agencies_picked(*, user, pick: AgencyPick, limit: int = MAX_AGENCIES) -> list[Agency]:
    """The agencies `user` may file to that the pick selects and whose state's records law
    we know, by name; at most `limit` (one query)."""
    agencies = agencies_open_to(user).filter(
        state__in=Law.objects.exclude(jurisdiction="").values("jurisdiction")
    )
    if pick.state:
        agencies = agencies.filter(state__iexact=pick.state)
    if pick.county:
        agencies = agencies.filter(county__iexact=pick.county)
    if pick.kind:
        agencies = agencies.filter(kind=pick.kind)
    if pick.deployed_only and pick.technology is not None:
        deployed = Deployment.objects.filter(technology=pick.technology).exclude(
            status=DeploymentStatus.REJECTED
        )
        agencies = agencies.filter(pk__in=deployed.values("agency_id"))
    return list(agencies.order_by("name", "pk")[:limit])


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Public campaigns; a user's own and their organizations' (any role); staff: all."""
    campaigns = Campaign.objects.select_related("owner__profile", "technology", "organization")
    if user.is_authenticated and user.is_staff:
        return campaigns
    public = Q(visibility=CampaignVisibility.PUBLIC)
    if not user.is_authenticated:
        return campaigns.filter(public)
    mine = Q(owner=user) | Q(organization_id__in=organization_ids_of(user))
    return campaigns.filter(public | mine)


def sees_every_request(*, user, campaign: Campaign) -> bool:
    """Whether the table shows this user every request, drafts and private ones too: its
    owner, staff, and any member of its organization."""
    if not user.is_authenticated:
        return False
    if user.is_staff or campaign.owner_id == user.pk:
        return True
    return role_in(user, campaign.organization_id) is not None


def may_file(*, user, campaign: Campaign) -> bool:
    """Whether this user files the campaign's drafts: its owner, staff, and the editors and
    admins of its organization."""
    if not user.is_authenticated:
        return False
    if user.is_staff or campaign.owner_id == user.pk:
        return True
    return changes_for(user, campaign.organization_id)


def campaign_requests(*, campaign: Campaign, user, today: date) -> QuerySet[RecordsRequest]:
    """The campaign's requests this user may see."""
    requests = RecordsRequest.objects.filter(campaign_entry__campaign=campaign)
    if not sees_every_request(user=user, campaign=campaign):
        requests = requests.filter(public_on_q(today))
    return requests


@dataclass(frozen=True)
class CampaignRow:
    request: RecordsRequest
    wave: int
    determination: Determination | None  # the latest
    exemptions: list  # every exemption cited by its withholdings, in citation order
    fee: object  # the latest fee asked (Decimal) or None
    days_overdue: int  # an unanswered request past its deadline: days since

    @property
    def agency(self) -> Agency:
        return self.request.agency


def campaign_table(*, campaign: Campaign, user, today: date) -> QuerySet[RecordsRequest]:
    """The requests of the campaign's table, by agency name, with what a row reads: page
    it, then `campaign_rows(page)`. Three queries a page (requests with agency, law and
    wave, their determinations, the determinations' exemptions), whatever the size."""
    return (
        campaign_requests(campaign=campaign, user=user, today=today)
        .select_related("agency", "law", "campaign_entry")
        .prefetch_related(
            Prefetch(
                "determinations",
                queryset=Determination.objects.order_by("date", "pk").prefetch_related(
                    "exemptions"
                ),
            )
        )
        .order_by("agency__name", "pk")
    )


def campaign_rows(requests, *, today: date) -> list[CampaignRow]:
    """One row per request of `campaign_table` (a page of it)."""
    rows = []
    for request in requests:
        determinations = list(request.determinations.all())
        cited: dict[int, object] = {}
        fee = None
        for determination in determinations:
            if determination.kind in rules.WITHHOLDING_KINDS:
                for exemption in determination.exemptions.all():
                    cited.setdefault(exemption.pk, exemption)
            if determination.kind == DeterminationKind.FEE_ESTIMATE:
                fee = determination.fee_amount
        overdue = 0
        if request.next_due and request.next_due < today and request.responded_on is None:
            overdue = (today - request.next_due).days
        rows.append(
            CampaignRow(
                request=request,
                wave=request.campaign_entry.wave,
                determination=determinations[-1] if determinations else None,
                exemptions=sorted(cited.values(), key=lambda e: e.section),
                fee=fee,
                days_overdue=overdue,
            )
        )
    return rows


def campaign_drafts(*, campaign: Campaign, wave: int | None = None) -> list[RecordsRequest]:
    """The campaign's requests not filed yet (of one wave), ready for the letter's text."""
    entries = CampaignEntry.objects.filter(campaign=campaign, request__status=Status.DRAFT)
    if wave is not None:
        entries = entries.filter(wave=wave)
    return list(
        RecordsRequest.objects.filter(pk__in=entries.values("request_id"))
        .select_related("agency", "law", "owner__profile")
        .order_by("agency__name", "pk")
    )


def campaign_waves(*, campaign: Campaign) -> list[tuple[int, int, int]]:
    """(wave, requests, of which drafts) per wave, in order (one query)."""
    counts: dict[int, list[int]] = {}
    for wave, status in CampaignEntry.objects.filter(campaign=campaign).values_list(
        "wave", "request__status"
    ):
        pair = counts.setdefault(wave, [0, 0])
        pair[0] += 1
        pair[1] += status == Status.DRAFT
    return [(wave, total, drafts) for wave, (total, drafts) in sorted(counts.items())]
