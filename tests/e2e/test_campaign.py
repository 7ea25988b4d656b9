"""A campaign in a browser, on a desktop and on a phone (issue 17).

With the Fresno demo and the Atlas sample loaded: pick every agency of Fresno County, CA
for ALPR; ask for two items of the ALPR checklist, in public; read the letters; file wave 1
by email (what reaches each agency is read from the SMTP server: the items, signed once
with the profile's name); record a partial release and a denial on two requests; compare
the answers item by item; look at the campaign and its comparison as a visitor. On the
phone, neither page is wider than the screen.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from rtcc_requests.agencies.atlas import atlas_import
from rtcc_requests.agencies.models import Agency, ChecklistItem
from rtcc_requests.laws.models import Exemption

from ..support.pdf import pdf_text

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
ATLAS_SAMPLE = Path(django_settings.BASE_DIR) / "fixtures" / "atlas" / "fresno-sample.csv"
FRESNO_PD = "Fresno Police Department"
SHERIFF = "Fresno County Sheriff's Office"
INTRO = "Records about the agency's automated license plate reader (ALPR) system:"


def _fits_the_screen(page: Page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1] + 1, f"{page.url} is {width[0]}px wide on a {width[1]}px screen"


def _assert_lists_the_items(text: str, asks: list[str]) -> None:
    flat = " ".join(text.split())  # a letter may wrap an item over lines
    for number, ask in enumerate(asks, start=1):
        assert f"{number}. {ask}" in flat, text


def _assert_signed_once_by_the_profile(text: str) -> None:
    assert "[describe" not in text, text
    assert "[" not in text.replace("[former", "").replace("[§", ""), text  # no placeholder
    assert text.count("Sincerely") == 1
    assert "Rosa Reporter" in text
    assert "rfiler" not in text  # the username never signs


def _answer(section: Locator, *, name: str) -> Locator:
    """The agencies a comparison's item lists under `name` (its <dd>)."""
    return section.locator(f"xpath=.//dt[normalize-space()='{name}']/following-sibling::dd[1]")


def _record_determination(page: Page, agency: str, fill, *, recorded: str) -> None:
    """From the campaign page: open the agency's request, fill the determination, record it,
    and come back."""
    campaign_url = page.url
    page.locator("table.campaign-table").get_by_role("link", name=agency, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.locator("#determination > summary").click()
    form = page.locator("form.determination-form")
    fill(form)
    form.get_by_role("button", name="Record the determination").click()
    expect(page.get_by_text(recorded, exact=True)).to_be_visible()
    page.goto(campaign_url)


@pytest.mark.parametrize("size", SIZES)
def test_a_campaign_from_the_pick_to_the_answers_compared(
    page, screenshot, smtp_server, settings, live_server, size
):
    settings.MAIL_DOMAIN = "requests.localhost"
    call_command("setup_demo", stdout=io.StringIO())
    atlas_import(data=ATLAS_SAMPLE.read_bytes())
    # The demo's four agencies; the Atlas sample's rows all match Fresno PD, adding none.
    fresno_county = list(Agency.objects.filter(county="Fresno", state="CA").order_by("name"))
    assert len(fresno_county) == 4
    emailed = [a for a in fresno_county if a.records_email]
    assert len(emailed) == 2  # the others stay drafts when the wave is filed
    asks = list(
        ChecklistItem.objects.filter(
            technology__slug="automated-license-plate-readers"
        ).values_list("ask", flat=True)[:2]
    )
    investigatory = Exemption.objects.get(law__code="ca-cpra", section="§7923.600")
    page.set_viewport_size(SIZES[size])

    # Sign up, with the name to sign letters with.
    page.goto(reverse("accounts:sign_up"))
    page.fill("#id_username", "rfiler")
    page.fill("#id_display_name", "Rosa Reporter")
    page.fill("#id_organization", "Fresno Bee")
    page.fill("#id_email", "rosa@example.org")
    page.fill("#id_password1", "a long and unusual passphrase 42")
    page.fill("#id_password2", "a long and unusual passphrase 42")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Your account is ready")).to_be_visible()

    # 1. Which agencies: every one of Fresno County, CA, listed with ALPR or not.
    page.goto(reverse("campaigns:new"))
    pick = page.locator("form#pick")
    pick.get_by_label("Technology", exact=True).select_option(
        label="Automated License Plate Readers"
    )
    pick.get_by_label("State", exact=True).fill("CA")
    pick.get_by_label("County", exact=True).fill("Fresno")
    expect(pick.get_by_label("Only agencies listed with this technology")).not_to_be_checked()
    pick.get_by_role("button", name="Find the agencies").click()
    expect(page.locator("#picked-count")).to_contain_text("4 agencies")
    campaign_form = page.locator("form#campaign")
    picked = campaign_form.locator("input[name=agencies]")
    expect(picked).to_have_count(4)
    for agency in fresno_county:
        box = campaign_form.get_by_label(f"{agency.name} (Fresno)", exact=True)
        expect(box).to_be_checked()

    # 3. The ask: two items of the ALPR checklist, in public.
    campaign_form.get_by_label("Title", exact=True).fill("Fresno County ALPR policies")
    campaign_form.get_by_label("Records sought").fill(INTRO)
    campaign_form.locator("#checklist > summary").click()
    for ask in asks:
        campaign_form.locator("#checklist").get_by_label(ask, exact=True).check()
    campaign_form.get_by_label("Public", exact=True).check()
    screenshot(f"{size}-campaign-new")
    if size == "phone":
        _fits_the_screen(page)
    campaign_form.get_by_role("button", name="Create the campaign").click()
    expect(page.get_by_text("4 draft requests created.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fresno County ALPR policies")
    table = page.locator("table.campaign-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    for agency in fresno_county:
        expect(table.get_by_role("link", name=agency.name, exact=True)).to_be_visible()
    campaign_url = page.url

    # The letters: each agency's, with the numbered items, addressed to its email.
    page.get_by_role("link", name="Read the letters").click()
    expect(page.locator("section.campaign-letter")).to_have_count(4)
    for agency in fresno_county:
        section = page.locator("section.campaign-letter").filter(
            has=page.get_by_role("heading", name=agency.name, exact=True)
        )
        details = section.locator("details")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        letter = section.locator("pre.letter")
        expect(letter).to_be_visible()
        _assert_lists_the_items(letter.inner_text(), asks)
        expect(letter).to_contain_text("Rosa Reporter")
        expect(section).to_contain_text(agency.records_email or "No records email")
    if size == "phone":
        _fits_the_screen(page)

    # File wave 1 by email: each agency with an email gets its own letter, once.
    page.goto(campaign_url)
    page.get_by_role("button", name="File wave 1 by email").click()
    expect(page.get_by_text("2 requests filed by email")).to_be_visible()
    expect(page.get_by_text("2 not filed: they stay drafts.")).to_be_visible()
    for agency in emailed:
        [mail] = [m for m in smtp_server.messages if m["To"] == agency.records_email]
        body = mail.get_body(("plain",)).get_content()
        _assert_lists_the_items(body, asks)
        _assert_signed_once_by_the_profile(body)
        [pdf] = [a for a in mail.iter_attachments() if a.get_content_type() == "application/pdf"]
        letter_pdf = pdf_text(pdf.get_content())
        _assert_lists_the_items(letter_pdf, asks)
        _assert_signed_once_by_the_profile(letter_pdf)
    assert len(smtp_server.messages) == len(emailed)

    # Two different answers, recorded on the requests' pages.
    def partial_release(form):
        form.get_by_label("What the agency said").select_option(label="Partial release")
        items = form.locator(".item-outcome")
        expect(items).to_have_count(2)
        expect(form.locator("fieldset.item-outcomes")).to_be_visible()
        items.nth(0).get_by_label(re.compile(r"^1\. ")).select_option(label="Released")
        items.nth(1).get_by_label(re.compile(r"^2\. ")).select_option(label="Withheld")
        items.nth(1).get_by_label("Exemption cited for it").select_option(label=str(investigatory))
        form.get_by_label("Responsible official").fill("Jane Doe")
        form.get_by_label("Official's title").fill("Records Manager")

    def denial(form):
        form.get_by_label("What the agency said").select_option(label="Denial")
        form.get_by_label(str(investigatory), exact=True).check()

    _record_determination(page, FRESNO_PD, partial_release, recorded="Partial release recorded.")
    _record_determination(page, SHERIFF, denial, recorded="Denial recorded.")
    rows = page.locator("table.campaign-table tbody tr")
    expect(rows.filter(has_text=FRESNO_PD)).to_contain_text("Partial release")
    # The exemption given for item 2 only is one the answer cites.
    expect(rows.filter(has_text=FRESNO_PD)).to_contain_text("§7923.600")
    expect(rows.filter(has_text=SHERIFF)).to_contain_text("Denial")
    expect(rows.filter(has_text=SHERIFF)).to_contain_text("§7923.600")
    screenshot(f"{size}-campaign-table")
    if size == "phone":
        _fits_the_screen(page)

    # Compared item by item: who released, who withheld, the chart and its numbers.
    page.get_by_role("link", name="Compare the answers item by item").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("The agencies compared")
    first, second = page.locator("section.compare-item").all()
    expect(first.get_by_role("heading")).to_contain_text(f"1. {asks[0]}")
    expect(_answer(first, name="Released")).to_have_text(FRESNO_PD)
    expect(_answer(first, name="Withheld or none held")).to_contain_text(SHERIFF)
    expect(_answer(second, name="Released")).to_have_text("none")
    withheld = _answer(second, name="Withheld or none held")
    expect(withheld).to_contain_text(f"{FRESNO_PD} (withheld under §7923.600)")
    expect(withheld).to_contain_text(SHERIFF)
    chart = page.locator("figure.chart")
    expect(chart.locator("img[src^='data:image/svg+xml']")).to_have_count(1)
    numbers = chart.locator("table.chart-numbers tbody tr")
    expect(numbers).to_have_count(2)
    expect(numbers.nth(0).locator("td")).to_have_text(["1", "1", "0", "2"])
    expect(numbers.nth(1).locator("td")).to_have_text(["0", "2", "0", "2"])
    matrix = page.locator("table.compare-table tbody tr")
    expect(matrix).to_have_count(4)
    screenshot(f"{size}-compare")
    if size == "phone":
        _fits_the_screen(page)
    compare_url = page.url

    # A visitor sees the public requests: the two filed, not the drafts.
    visitor = page.context.browser.new_context(viewport=SIZES[size], base_url=live_server.url)
    public = visitor.new_page()
    public.goto(campaign_url)
    expect(public.get_by_text("Only the requests made public are shown.")).to_be_visible()
    expect(public.get_by_text("File wave 1 by email")).to_have_count(0)
    public_rows = public.locator("table.campaign-table tbody tr")
    expect(public_rows).to_have_count(2)
    expect(public_rows.filter(has_text=FRESNO_PD)).to_contain_text("Partial release")
    expect(public_rows.filter(has_text=SHERIFF)).to_contain_text("Denial")
    public.screenshot(path=str(screenshot(f"{size}-public-campaign")), full_page=True)
    if size == "phone":
        _fits_the_screen(public)
    public.goto(compare_url)
    expect(public.get_by_text("Only the requests made public are compared.")).to_be_visible()
    expect(public.locator("table.compare-table tbody tr")).to_have_count(2)
    expect(_answer(public.locator("section.compare-item").first, name="Released")).to_have_text(
        FRESNO_PD
    )
    expect(public.locator("figure.chart img[src^='data:image/svg+xml']")).to_have_count(1)
    public.screenshot(path=str(screenshot(f"{size}-public-compare")), full_page=True)
    if size == "phone":
        _fits_the_screen(public)
    visitor.close()
