"""Each technology's checklist items against every visible answer, campaign or not."""

import pytest
from django.urls import reverse
from django.utils import timezone

from rtcc_requests.demo.data import demo_setup
from rtcc_requests.requests import services
from rtcc_requests.requests.models import RecordsRequest

pytestmark = pytest.mark.django_db
ALPR = "automated-license-plate-readers"


def _compare_url(slug: str = ALPR) -> str:
    return reverse("campaigns:technology_compare", kwargs={"slug": slug})


def _item_section(page: str, ask_start: str) -> str:
    sections = page.split('<section class="compare-item"')[1:]
    [section] = [s for s in sections if ask_start in s]
    return section


def _answers(section: str, heading: str) -> str:
    return section.split(f"<dt>{heading}</dt>")[1].split("</dd>")[0]


def test_the_alpr_page_lists_its_checklist_and_the_comparison_shows_the_demo_answers(client):
    demo_setup()
    page = client.get(f"/technologies/{ALPR}/").text
    assert "The records an agency using it should have" in page
    assert "Civ. Code §1798.90.52(a)" in page
    assert _compare_url() in page
    access = _item_section(client.get(_compare_url()).text, "The records of each access")
    withheld = _answers(access, "Withheld or none held")
    assert "Fresno Police Department" in withheld and "under §7923.600" in withheld
    assert "Fresno County Sheriff" in withheld
    assert "City of Fresno" in _answers(access, "No answer, past due")


def test_a_private_request_is_not_among_a_visitors_answers(client):
    demo_setup()
    police = RecordsRequest.objects.get(
        campaign_entry__campaign__demo_key="fresno-county-alpr",
        agency__slug="fresno-police-department",
    )
    services.request_set_visibility(
        records_request=police, actor=police.owner, visibility="private"
    )
    assert police.get_absolute_url() not in client.get(_compare_url()).text
    client.force_login(police.owner)
    assert police.get_absolute_url() in client.get(_compare_url()).text


def test_an_unknown_technology_is_a_404(client):
    assert client.get(_compare_url("nope")).status_code == 404


def test_the_downloads_hold_the_same_answers_and_no_private_one(client):
    demo_setup()
    url = reverse("campaigns:technology_json", kwargs={"slug": ALPR})
    answers = client.get(url).json()["answers"]
    police_access = [
        a
        for a in answers
        if a["agency_slug"] == "fresno-police-department"
        and a["checklist_item"] == "access-records"
    ]
    assert [(a["answer"], a["exemption"]) for a in police_access] == [("withheld", "§7923.600")]
    police = RecordsRequest.objects.get(
        campaign_entry__campaign__demo_key="fresno-county-alpr",
        agency__slug="fresno-police-department",
    )
    services.request_set_visibility(
        records_request=police, actor=police.owner, visibility="private"
    )
    csv_text = client.get(reverse("campaigns:technology_csv", kwargs={"slug": ALPR})).text
    assert csv_text.startswith("checklist_item,item,basis,agency")
    assert "Fresno Police Department" not in csv_text and "Fresno County Sheriff" in csv_text


def test_the_comparison_costs_the_same_queries_for_one_or_many_answers(client, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rtcc_requests.campaigns.services import campaign_create, campaign_record_filed
    from rtcc_requests.requests.items import as_list

    from .. import factories
    from ..campaigns.conftest import fresno_county_agencies

    asks = [c.ask for c in factories.technology().checklist.all()[:3]]

    def queries(count):
        campaign = campaign_create(
            owner=user,
            title="ALPR",
            records_sought=as_list(asks),
            agencies=fresno_county_agencies(count=count),
            visibility="public",
        )
        campaign_record_filed(
            campaign=campaign, actor=user, method="portal", filed_on=timezone.localdate()
        )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_compare_url()).status_code == 200
        return len(captured.captured_queries)

    assert queries(2) == queries(25)
