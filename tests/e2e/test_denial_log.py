"""The public denial log in a real browser: filter through the form, find the PredPol denial."""

import re

from playwright.sync_api import expect

from rtcc_requests.demo.data import demo_setup


def test_filtering_by_technology_and_agency_finds_the_2018_predpol_denial(
    page, screenshot, live_server
):
    demo_setup()

    page.goto("/denials/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Public denial log")
    expect(page.get_by_text("median days to respond")).to_be_visible()
    screenshot("log")

    page.get_by_label("Technology", exact=True).select_option(label="Predictive Policing")
    page.get_by_label("Agency", exact=True).select_option(label="Fresno Police Department")
    page.get_by_role("button", name="Show denials").click()

    expect(page).to_have_url(re.compile(r"technology=predictive-policing"))
    expect(page).to_have_url(re.compile(r"agency=fresno-police-department"))
    rows = page.locator("tr.denial-row")
    expect(rows).to_have_count(1)
    denial = rows.first
    expect(denial).to_contain_text("PredPol efficacy")
    expect(denial).to_contain_text("19 Mar 2018")
    expect(denial).to_contain_text("§7922.000")
    expect(denial).to_contain_text("None named")
    expect(page.get_by_role("list", name="Active filters")).to_contain_text("Predictive Policing")
    # The exports carry the same filter.
    csv_link = page.get_by_role("link", name="CSV", exact=True)
    expect(csv_link).to_have_attribute("href", re.compile(r"technology=predictive-policing"))
    screenshot("filtered")

    denial.get_by_role("link", name="PredPol efficacy").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("PredPol efficacy")
    page.go_back()

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("tr.denial-row")).to_have_count(1)
    # On a phone the filters fold away behind one tap; the active ones stay visible as chips.
    expect(page.get_by_label("Agency", exact=True)).to_be_hidden()
    screenshot("phone")
    page.get_by_text("Filter the log").click()
    expect(page.get_by_label("Agency", exact=True)).to_be_visible()
    page.get_by_label("Late response").select_option(label="No")
    page.get_by_role("button", name="Show denials").click()
    expect(page.get_by_text("No published denials match this filter.")).to_be_visible()
    # Unset filters stay out of the URL, so a shared link reads as what it filters.
    expect(page).to_have_url(
        re.compile(r"\?agency=fresno-police-department&technology=predictive-policing&late=no$")
    )
    screenshot("phone-filters")
