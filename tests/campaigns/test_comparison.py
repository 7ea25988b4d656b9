"""The agencies' answers compared item by item: page, CSV and JSON, with their privacy."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rtcc_requests.campaigns.services import campaign_create
from rtcc_requests.requests import services
from rtcc_requests.requests.choices import DeterminationKind, ItemOutcome, Visibility
from rtcc_requests.requests.models import RecordsRequest

from .. import factories
from ..support.html import parse_strict
from .conftest import fresno_county_agencies

pytestmark = pytest.mark.django_db

ASK = "1. The ALPR usage and privacy policy.\n2. The audit logs."


def _answered_campaign(user, agencies, *, visibility="public"):
    """Agency 0 releases item 1 and withholds item 2; agency 1 denies all; agency 2 is
    silent past its deadline."""
    campaign = campaign_create(
        owner=user, title="ALPR", records_sought=ASK, agencies=agencies, visibility=visibility
    )
    filed_on = timezone.localdate() - timedelta(days=30)
    requests = {r.agency_id: r for r in RecordsRequest.objects.all()}
    for request in requests.values():
        services.request_file(
            records_request=request, actor=user, method="portal", filed_on=filed_on
        )
    investigatory = factories.exemption("§7923.600")
    services.determination_record(
        records_request=requests[agencies[0].pk],
        actor=user,
        kind=DeterminationKind.PARTIAL,
        response_date=filed_on + timedelta(days=8),
        exemptions=[investigatory],
        item_outcomes=[
            services.OutcomeInput(number=1, outcome=ItemOutcome.RELEASED),
            services.OutcomeInput(
                number=2, outcome=ItemOutcome.WITHHELD, exemption_id=investigatory.pk
            ),
        ],
    )
    services.determination_record(
        records_request=requests[agencies[1].pk],
        actor=user,
        kind=DeterminationKind.DENIAL,
        response_date=filed_on + timedelta(days=9),
        exemptions=[investigatory],
    )
    return campaign, requests


def test_the_page_says_who_released_who_withheld_under_what_and_who_is_late(
    client, user, fresno_alpr
):
    campaign, _ = _answered_campaign(user, fresno_alpr)
    page = client.get(reverse("campaigns:compare", kwargs={"pk": campaign.pk})).text
    first, second = page.split('id="item-2-heading"')[0], page.split('id="item-2-heading"')[1]
    released_1 = first.split("<dt>Released</dt>")[1].split("</dd>")[0]
    assert fresno_alpr[0].name in released_1 and fresno_alpr[1].name not in released_1
    withheld_2 = second.split("<dt>Withheld or none held</dt>")[1].split("</dd>")[0]
    assert fresno_alpr[0].name in withheld_2 and fresno_alpr[1].name in withheld_2
    assert "under §7923.600" in withheld_2
    late = second.split("<dt>No answer, past due</dt>")[1].split("</dd>")[0]
    assert fresno_alpr[2].name in late
    assert 'src="data:image/svg+xml;base64,' in page


def test_the_csv_has_a_line_per_agency_and_item(client, user, fresno_alpr):
    campaign, _ = _answered_campaign(user, fresno_alpr)
    response = client.get(reverse("campaigns:compare_csv", kwargs={"pk": campaign.pk}))
    lines = list(csv.DictReader(io.StringIO(response.content.decode())))
    answers = {(line["agency"], line["item_number"]): line["answer"] for line in lines}
    assert answers == {
        (fresno_alpr[0].name, "1"): "released",
        (fresno_alpr[0].name, "2"): "withheld",
        (fresno_alpr[1].name, "1"): "withheld",
        (fresno_alpr[1].name, "2"): "withheld",
        (fresno_alpr[2].name, "1"): "late",
        (fresno_alpr[2].name, "2"): "late",
    }
    assert {line["exemption"] for line in lines if line["answer"] == "withheld"} == {"§7923.600"}


def test_a_private_request_never_shows_in_a_public_campaigns_comparison(client, user, fresno_alpr):
    campaign, requests = _answered_campaign(user, fresno_alpr)
    secret = requests[fresno_alpr[1].pk]
    services.request_set_visibility(
        records_request=secret, actor=user, visibility=Visibility.PRIVATE
    )
    urls = [
        reverse(f"campaigns:{name}", kwargs={"pk": campaign.pk})
        for name in ("compare", "compare_csv", "compare_json", "detail")
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert fresno_alpr[1].name not in body, url
        assert secret.get_absolute_url() not in body, url
    data = client.get(urls[2]).json()
    assert [a["agency"] for a in data["agencies"]] == [fresno_alpr[0].name, fresno_alpr[2].name]
    # The counts behind the chart leave it out too: item 1 was withheld only by the secret one.
    assert _chart_numbers(client.get(urls[0]).text)["1. The ALPR usage and privacy policy."] == [
        "1",
        "0",
        "1",
        "0",
    ]
    client.force_login(user)
    owner_page = client.get(urls[0]).text
    assert fresno_alpr[1].name in owner_page
    assert _chart_numbers(owner_page)["1. The ALPR usage and privacy policy."] == [
        "1",
        "1",
        "1",
        "0",
    ]


def _chart_numbers(page: str) -> dict[str, list[str]]:
    """The chart's numbers table: item -> [released, withheld, late, waiting]."""
    [table] = [t for t in parse_strict(page).iter("table") if t.get("class") == "chart-numbers"]
    rows = {}
    for row in table.find("tbody"):
        cells = ["".join(cell.itertext()).strip() for cell in row]
        rows[cells[0]] = cells[1:]
    return rows


def test_a_private_campaigns_comparison_is_a_404_to_others(client, user, other_user, fresno_alpr):
    campaign, _ = _answered_campaign(user, fresno_alpr, visibility="private")
    for name in ("compare", "compare_csv", "compare_json"):
        url = reverse(f"campaigns:{name}", kwargs={"pk": campaign.pk})
        assert client.get(url).status_code == 404
        client.force_login(other_user)
        assert client.get(url).status_code == 404
        client.logout()


def test_the_comparison_costs_the_same_queries_for_3_or_30_agencies(client, user):
    def queries(count):
        campaign = campaign_create(
            owner=user,
            title="ALPR",
            records_sought=ASK,
            agencies=fresno_county_agencies(count=count),
            visibility="public",
        )
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("campaigns:compare", kwargs={"pk": campaign.pk}))
        return len(captured.captured_queries)

    assert queries(30) == queries(3)


def test_a_challenge_cites_the_agencies_that_released_what_this_one_withheld(user):
    from rtcc_requests.demo.data import demo_setup
    from rtcc_requests.requests.choices import LetterKind
    from rtcc_requests.requests.letters.services import letter_draft_text

    demo_setup()
    sheriff = RecordsRequest.objects.get(
        campaign_entry__campaign__demo_key="fresno-county-alpr",
        agency__slug="fresno-county-sheriffs-office",
    )
    police = RecordsRequest.objects.get(
        campaign_entry__campaign__demo_key="fresno-county-alpr",
        agency__slug="fresno-police-department",
    )
    letter = letter_draft_text(records_request=sheriff, kind=LetterKind.DENIAL_CHALLENGE)
    assert "Other agencies have released the same records" in letter
    line = next(
        line for line in letter.splitlines() if line.startswith("- Item 1 (The usage and privacy")
    )
    assert "released by Fresno Police Department (http" in line
    assert police.get_absolute_url() in line
    # Item 2, which the police withheld too, has no one to cite.
    assert "- Item 2 " not in letter
    # Private requests are never cited.
    services.request_set_visibility(
        records_request=police, actor=police.owner, visibility=Visibility.PRIVATE
    )
    letter = letter_draft_text(records_request=sheriff, kind=LetterKind.DENIAL_CHALLENGE)
    assert "Other agencies have released" not in letter


def test_the_comparison_reads_a_new_answer_at_once(client, user, fresno_alpr):
    campaign, requests = _answered_campaign(user, fresno_alpr)
    url = reverse("campaigns:compare_json", kwargs={"pk": campaign.pk})
    before = client.get(url).json()
    assert before["agencies"][2]["answers"][0]["answer"] == "late"
    services.determination_record(
        records_request=requests[fresno_alpr[2].pk],
        actor=user,
        kind=DeterminationKind.RELEASED,
        response_date=timezone.localdate(),
    )
    after = client.get(url).json()
    assert after["agencies"][2]["answers"][0]["answer"] == "released"


def test_the_page_names_a_dozen_agencies_per_answer_and_pages_its_table(client, user):
    from rtcc_requests.campaigns import comparison, views

    agencies = fresno_county_agencies(count=views.COMPARED_PER_PAGE + 3)
    campaign = campaign_create(
        owner=user, title="ALPR", records_sought=ASK, agencies=agencies, visibility="public"
    )
    client.force_login(user)  # its drafts are the owner's to see
    page = client.get(reverse("campaigns:compare", kwargs={"pk": campaign.pk})).text
    waiting = page.split("<dt>Waiting</dt>")[1].split("</dd>")[0]
    assert waiting.count("<a ") == comparison.NAMES_PER_ANSWER
    assert f"and {len(agencies) - comparison.NAMES_PER_ANSWER} more (see the table)" in waiting
    assert f"Agencies 1–{views.COMPARED_PER_PAGE} of {len(agencies)}" in page
    second = client.get(reverse("campaigns:compare", kwargs={"pk": campaign.pk}) + "?page=2")
    assert agencies[-1].name in second.text.split("Every agency, every item")[1]
