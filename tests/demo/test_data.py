"""Reference and demo data load once; loading again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from rtcc_requests.agencies.models import Agency, Deployment
from rtcc_requests.demo.data import demo_setup
from rtcc_requests.requests.choices import Status, Visibility
from rtcc_requests.requests.models import RecordsRequest

pytestmark = pytest.mark.django_db

DUMPED = ["agencies", "laws", "requests", "auth.user", "accounts"]


def _dump() -> str:
    out = StringIO()
    call_command("dumpdata", *DUMPED, stdout=out)
    return out.getvalue()


class TestSetupDemo:
    def test_running_twice_changes_nothing(self):
        demo_setup()
        first = _dump()
        report = demo_setup()
        assert report.users_created == [] and report.requests_created == []
        assert _dump() == first

    def test_reference_fixtures_load_idempotently(self):
        call_command("load_reference", stdout=StringIO())
        before = _dump()
        call_command("load_reference", stdout=StringIO())
        assert _dump() == before

    def test_fresno_demo_has_the_documented_deployments(self):
        demo_setup()
        fresno = Agency.objects.get(slug="fresno-police-department")
        technologies = set(
            Deployment.objects.filter(agency=fresno).values_list("technology__slug", flat=True)
        )
        assert technologies == {
            "real-time-crime-center",
            "automated-license-plate-readers",
            "body-worn-cameras",
            "gunshot-detection",
            "camera-network",
            "predictive-policing",
            "threat-scoring",
            "social-media-monitoring",
        }
        vigilant = Deployment.objects.get(agency=fresno, technology__slug__contains="license")
        assert vigilant.vendor.name == "Vigilant Solutions"
        assert Agency.objects.filter(slug="fresno-county-sheriffs-office").exists()

    def test_demo_requests_cover_every_visibility_and_the_predpol_denial(self):
        demo_setup()
        visibilities = set(RecordsRequest.objects.values_list("visibility", flat=True))
        assert visibilities == {Visibility.PUBLIC, Visibility.PRIVATE, Visibility.EMBARGOED}
        predpol = RecordsRequest.objects.get(demo_key="fresno-predpol-efficacy-2018")
        assert predpol.status == Status.DENIED
        assert predpol.filed_on.year == 2018
        assert predpol.visibility == Visibility.PUBLIC
        assert predpol.technologies.get().slug == "predictive-policing"
        statuses = set(RecordsRequest.objects.values_list("status", flat=True))
        assert {"draft", "filed", "acknowledged", "denied", "released", "partial"} <= statuses

    def test_the_demo_extension_is_shown_for_what_it_is(self):
        # Consulting the vendor is not (c)(3) consultation: the notice extends nothing, and
        # the request, filed 16 days ago, is late against its original deadline.
        demo_setup()
        beware = RecordsRequest.objects.get(demo_key="fresno-beware-contract")
        assert beware.procedure_flags == ["extension_reason_not_allowed"]
        assert beware.status == Status.FILED and beware.extended_due is None
        assert beware.next_due == beware.determination_due < timezone.localdate()

    def test_command_prints_the_demo_logins(self):
        out = StringIO()
        call_command("setup_demo", stdout=out)
        assert "demo / demo-password" in out.getvalue()
        assert "7 requests and 1 campaigns created" in out.getvalue()


class TestAdmin:
    def test_demo_admin_logs_in_and_sees_fresno(self, client):
        demo_setup()
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "admin", "password": "admin-password"},
            follow=True,
        )
        assert response.status_code == 200
        assert response.context["user"].is_staff
        page = client.get("/admin/agencies/agency/").content.decode()
        assert "Fresno Police Department" in page
        assert "Fresno County Sheriff&#x27;s Office" in page
        deployments = client.get("/admin/agencies/deployment/?q=PredPol").content.decode()
        assert "Predictive Policing" in deployments

    def test_every_model_has_an_admin_page(self, admin_client):
        demo_setup()
        for path in [
            "agencies/agency",
            "agencies/technology",
            "agencies/vendor",
            "agencies/deployment",
            "laws/law",
            "laws/exemption",
            "requests/recordsrequest",
            "requests/communication",
            "requests/determination",
            "requests/requestevent",
            "outbox/outboxmessage",
        ]:
            assert admin_client.get(f"/admin/{path}/").status_code == 200, path
        predpol = RecordsRequest.objects.get(demo_key="fresno-predpol-efficacy-2018")
        change = admin_client.get(f"/admin/requests/recordsrequest/{predpol.pk}/change/")
        assert change.status_code == 200


def test_the_shipped_atlas_sample_agrees_with_the_demo():
    # Before, a dry run of the sample right after setup_demo reported 7 deployments updated:
    # the demo's deployments lacked the sample's Atlas ids and sources.
    from pathlib import Path

    from rtcc_requests.agencies.atlas.services import atlas_import

    demo_setup()
    sample = Path(__file__).resolve().parents[2] / "fixtures" / "atlas" / "fresno-sample.csv"
    report = atlas_import(data=sample.read_bytes(), dry_run=True)
    assert report.errors == []
    assert report.changes == 0, report.summary()
    assert report.deployments_unchanged == 7


def test_no_demo_deployment_lists_a_source_twice_before_or_after_importing_the_sample():
    # Before, three deployments listed an article twice (as the Atlas writes its title and in
    # quotes), and two named sources that fresno.md does not give for their facts.
    from pathlib import Path

    from rtcc_requests.agencies.atlas.services import atlas_import
    from rtcc_requests.agencies.models import Deployment

    def titles_per_deployment():
        return {
            (d.agency.slug, d.technology.slug, d.product): [
                s["title"].replace('"', "").casefold() for s in d.sources
            ]
            for d in Deployment.objects.select_related("agency", "technology")
        }

    demo_setup()
    sample = Path(__file__).resolve().parents[2] / "fixtures" / "atlas" / "fresno-sample.csv"
    before = titles_per_deployment()
    atlas_import(data=sample.read_bytes())
    after = titles_per_deployment()
    assert after == before
    for key, titles in after.items():
        assert len(titles) == len(set(titles)), key
    predpol = after[("fresno-police-department", "predictive-policing", "PredPol")]
    assert predpol == ["eff atlas of surveillance: fresno real-time crime center case study"]


def test_the_demo_campaign_compares_three_different_answers(client):
    # Fresno PD released some items and withheld one; the Sheriff denied all; the City is
    # silent past the deadline.
    from rtcc_requests.campaigns.models import Campaign

    demo_setup()
    demo_setup()  # a second run makes no second campaign
    campaign = Campaign.objects.get(demo_key="fresno-county-alpr")
    assert campaign.entries.count() == 3
    data = client.get(f"/campaigns/{campaign.pk}/compare.json").json()
    answers = {a["agency"]: [answer["answer"] for answer in a["answers"]] for a in data["agencies"]}
    assert answers == {
        "City of Fresno": ["late"] * 4,
        "Fresno County Sheriff's Office": ["withheld"] * 4,
        "Fresno Police Department": ["released", "withheld", "released", "released"],
    }
    assert "invented for the demo" in client.get(campaign.get_absolute_url()).text
