"""Reference and demo data: load once, change nothing when run again."""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from rtcc_requests.agencies.models import Agency, Technology
from rtcc_requests.campaigns.models import Campaign
from rtcc_requests.campaigns.selectors import AgencyPick
from rtcc_requests.campaigns.services import campaign_create, campaign_record_filed
from rtcc_requests.common.pdf import render_pdf
from rtcc_requests.denials.versioning import denial_log_changed
from rtcc_requests.laws.models import Exemption, Law
from rtcc_requests.requests import services
from rtcc_requests.requests.items import as_list
from rtcc_requests.requests.models import RecordsRequest

FIXTURES = settings.BASE_DIR / "fixtures"
REFERENCE_FIXTURES = [
    FIXTURES / "reference" / "laws.json",
    FIXTURES / "reference" / "technologies.json",
    FIXTURES / "reference" / "checklists.json",
]
DEMO_FIXTURES = [FIXTURES / "demo" / "fresno.json"]
DEMO_REQUESTS = FIXTURES / "demo" / "requests.json"
DEMO_CAMPAIGNS = FIXTURES / "demo" / "campaigns.json"

DEMO_USER = {"username": "demo", "email": "demo@example.org", "password": "demo-password"}
DEMO_ADMIN = {"username": "admin", "email": "admin@example.org", "password": "admin-password"}


@dataclass
class DemoReport:
    users_created: list[str] = field(default_factory=list)
    requests_created: list[str] = field(default_factory=list)
    campaigns_created: list[str] = field(default_factory=list)


def reference_load() -> None:
    """Laws, exemptions and technology categories (natural keys make loaddata idempotent)."""
    call_command("loaddata", *map(str, REFERENCE_FIXTURES), verbosity=0)
    denial_log_changed()  # loaddata saves raw, which the log's signals ignore


def _user(*, username: str, email: str, password: str, staff: bool, report: DemoReport):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            email=email,
            password=password,
            is_staff=staff,
            is_superuser=staff,
        )
        user.profile.display_name = "Demo Requester" if not staff else "Site Administrator"
        user.profile.organization = "rtcc-requests demo"
        user.profile.save()
        report.users_created.append(username)
    return user


def _create_request(spec: dict, *, owner, today: date) -> RecordsRequest:
    law = Law.objects.get(code=spec["law"])
    records_request = services.request_create(
        owner=owner,
        agency=Agency.objects.get(slug=spec["agency"]),
        law=law,
        title=spec["title"],
        records_sought=spec["records_sought"],
        technologies=Technology.objects.filter(slug__in=spec["technologies"]),
    )
    filed = spec.get("filed")
    if filed:
        filed_on = (
            date.fromisoformat(filed["date"])
            if "date" in filed
            else today - timedelta(days=filed["days_ago"])
        )
        received_on = filed_on + timedelta(days=filed.get("received_days_after_filed", 0))
        records_request = services.request_file(
            records_request=records_request,
            actor=owner,
            method=filed["method"],
            filed_on=filed_on,
            received_on=received_on,
        )
        for d in spec["determinations"]:
            received = records_request.received_on
            when = (
                date.fromisoformat(d["date"])
                if "date" in d
                else received + timedelta(days=d["days_after_received"])
            )
            promised = d.get("promised_date_days_after_received")
            named = d.get("extension_date_days_after_received")
            services.determination_record(
                records_request=records_request,
                actor=owner,
                kind=d["kind"],
                response_date=when,
                exemptions=Exemption.objects.filter(law=law, section__in=d.get("exemptions", [])),
                official_name=d.get("official_name", ""),
                official_title=d.get("official_title", ""),
                extension_reason=d.get("extension_reason", ""),
                extension_ground=d.get("extension_ground", ""),
                extension_date=received + timedelta(days=named) if named else None,
                other_law=d.get("other_law", ""),
                segregation_stated=d.get("segregation_stated", False),
                promised_date=received + timedelta(days=promised) if promised else None,
                notes=d.get("notes", ""),
            )
    for released in spec.get("released", []):
        _release(records_request, released, owner=owner)
    visibility = spec.get("visibility", "private")
    if visibility != "private":
        embargo = today + timedelta(days=spec["embargo_days"]) if "embargo_days" in spec else None
        services.request_set_visibility(
            records_request=records_request,
            actor=owner,
            visibility=visibility,
            embargo_until=embargo,
        )
    RecordsRequest.objects.filter(pk=records_request.pk).update(demo_key=spec["key"])
    return records_request


def _release(records_request: RecordsRequest, spec: dict, *, owner) -> None:
    """The agency's reply with a released document, drawn here as a PDF with a text layer so
    the demo's search and document pages have something real to read."""
    pages = "".join(
        f'<section style="page-break-after: always"><p>{escape(text)}</p></section>'
        for text in spec["pages"]
    )
    pdf = render_pdf(f"<html><body>{pages}</body></html>")
    services.reply_log(
        records_request=records_request,
        actor=owner,
        subject=spec["subject"],
        body=spec["body"],
        received_on=records_request.received_on + timedelta(days=spec["days_after_received"]),
        from_address="records@fresno.example",
        files=[ContentFile(pdf, name=spec["filename"])],
    )


def _create_campaign(spec: dict, *, owner, today: date) -> Campaign:
    """A filed campaign with the answers the spec invents (marked as demo in its text)."""
    technology = Technology.objects.get(slug=spec["technology"])
    asks = [technology.checklist.get(key=key).ask for key in spec["checklist"]]
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=spec["agencies"])}
    campaign = campaign_create(
        owner=owner,
        title=spec["title"],
        records_sought=f"{spec['intro']}\n\n{as_list(asks)}",
        agencies=[agencies[slug] for slug in spec["agencies"]],
        technology=technology,
        description=spec["description"],
        visibility=spec["visibility"],
        pick=AgencyPick(technology=technology, state="CA", county="Fresno"),
    )
    filed_on = today - timedelta(days=spec["filed"]["days_ago"])
    campaign_record_filed(
        campaign=campaign, actor=owner, method=spec["filed"]["method"], filed_on=filed_on
    )
    requests = {
        e.agency.slug: e.request for e in campaign.entries.select_related("agency", "request__law")
    }
    for slug, answer in spec["answers"].items():
        request = requests[slug]
        law = request.law
        exemptions = {e.section: e for e in Exemption.objects.filter(law=law)}
        services.determination_record(
            records_request=request,
            actor=owner,
            kind=answer["kind"],
            response_date=filed_on + timedelta(days=answer["days_after_received"]),
            exemptions=[exemptions[section] for section in answer["exemptions"]],
            official_name=answer["official_name"],
            official_title=answer["official_title"],
            notes=answer["notes"],
            item_outcomes=[
                services.OutcomeInput(
                    number=int(number),
                    outcome=outcome[0],
                    exemption_id=exemptions[outcome[1]].pk if len(outcome) > 1 else None,
                )
                for number, outcome in answer.get("items", {}).items()
            ],
        )
    Campaign.objects.filter(pk=campaign.pk).update(demo_key=spec["key"])
    return campaign


def demo_setup(*, today: date | None = None) -> DemoReport:
    """Load reference and Fresno demo data; a second run changes nothing."""
    today = today or timezone.localdate()
    report = DemoReport()
    with transaction.atomic():
        reference_load()
        call_command("loaddata", *map(str, DEMO_FIXTURES), verbosity=0)
        owner = _user(**DEMO_USER, staff=False, report=report)
        _user(**DEMO_ADMIN, staff=True, report=report)
        existing = set(
            RecordsRequest.objects.exclude(demo_key="").values_list("demo_key", flat=True)
        )
        for spec in json.loads(Path(DEMO_REQUESTS).read_text()):
            if spec["key"] not in existing:
                _create_request(spec, owner=owner, today=today)
                report.requests_created.append(spec["key"])
        made = set(Campaign.objects.exclude(demo_key="").values_list("demo_key", flat=True))
        for spec in json.loads(Path(DEMO_CAMPAIGNS).read_text()):
            if spec["key"] not in made:
                _create_campaign(spec, owner=owner, today=today)
                report.campaigns_created.append(spec["key"])
        denial_log_changed()
    return report
