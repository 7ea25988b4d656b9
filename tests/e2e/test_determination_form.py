"""The determination form in a browser: it shows the fields of the kind chosen (and, without
JavaScript, all of them, each group saying which kinds use it), and a logged reply's
suggestion fills it in with one click, recorded only when the requester says so."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from rtcc_requests.requests.models import Determination
from tests import factories

PASSWORD = "correct-horse-battery"
# The phrasing the suggester used to read as one section only.
DENIAL = (
    "Good afternoon,\n\nThe Department has reviewed your request. Your request is denied "
    "under Government Code sections 7923.600 ... and 7922.000: the records are investigatory "
    "and the public interest in withholding them clearly outweighs the interest in "
    "disclosure.\n\nRecords Unit"
)


@pytest.fixture
def filed(transactional_db):
    factories.law("ca-cpra")
    return factories.filed_request(
        received=timezone.localdate() - timedelta(days=5), title="ALPR audit logs"
    )


def _sign_in(page, user) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _open_the_form(page):
    page.locator("#determination > summary").click()
    return page.locator("form.determination-form")


def test_the_kind_chosen_shows_its_fields_only(page, filed, screenshot):
    _sign_in(page, filed.owner)
    page.goto(filed.get_absolute_url())
    form = _open_the_form(page)
    kind = form.get_by_label("What the agency said")
    fee = form.get_by_label("Fee asked (USD)")
    fee_basis = form.get_by_text("What the fee is for")
    extension_date = form.get_by_label("Determination expected by")
    extension_ground = form.get_by_label("Reason the extension notice gives")
    exemptions = form.get_by_text("Exemptions cited")

    kind.select_option("acknowledgement")
    for field in (fee, fee_basis, extension_date, extension_ground, exemptions):
        expect(field).to_be_hidden()
    expect(form.get_by_label("Date of the response")).to_be_visible()
    expect(form.get_by_label("Records promised by")).to_be_visible()
    expect(form.get_by_text("Only for:")).to_have_count(5)  # the notes are for a page without JS
    expect(form.get_by_text("Only for:").first).to_be_hidden()
    screenshot("acknowledgement")

    kind.select_option("extension")
    expect(extension_date).to_be_visible()
    expect(extension_ground).to_be_visible()
    expect(form.get_by_label("The notice's words for the reason")).to_be_visible()
    expect(fee).to_be_hidden()
    screenshot("extension")

    kind.select_option("fee_estimate")
    expect(fee).to_be_visible()
    expect(extension_date).to_be_hidden()


def test_without_javascript_every_field_shows_with_the_kinds_it_is_for(browser, live_server, filed):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        _sign_in(page, filed.owner)
        page.goto(filed.get_absolute_url())
        form = _open_the_form(page)
        form.get_by_label("What the agency said").select_option("acknowledgement")
        expect(form.get_by_label("Fee asked (USD)")).to_be_visible()
        expect(form.get_by_label("Determination expected by")).to_be_visible()
        expect(form.get_by_text("Only for: fee estimate.")).to_be_visible()
        expect(form.get_by_text("Only for: extension notice.")).to_be_visible()
    finally:
        context.close()


def test_apply_fills_in_the_form_from_a_reply_citing_two_sections(page, filed, screenshot):
    _sign_in(page, filed.owner)
    page.goto(filed.get_absolute_url())
    # Log the agency's reply, as a requester whose agency wrote by post or portal would.
    page.get_by_text("Log a reply from the agency").click()
    page.get_by_label("Date received").fill(timezone.localdate().isoformat())
    page.get_by_label("Subject").fill("RE: ALPR audit logs")
    page.get_by_label("Text of the reply").fill(DENIAL)
    page.get_by_role("button", name="Log the reply").click()

    panel = page.locator("section.suggestions")
    expect(panel).to_contain_text("Denial")
    expect(panel).to_contain_text("§7923.600")
    expect(panel).to_contain_text("§7922.000")
    screenshot("suggestion")
    panel.get_by_role("link", name="Apply to the determination form").click()

    form = page.locator("form.determination-form")
    expect(form).to_be_visible()  # opened, not only filled in
    expect(form).to_contain_text("Filled in from the agency's reply")
    expect(form.get_by_label("What the agency said")).to_have_value("denial")
    expect(form.get_by_label("Date of the response")).to_have_value(
        timezone.localdate().isoformat()
    )
    for section in ("§7923.600", "§7922.000"):
        expect(form.get_by_label(re.compile(re.escape(section)))).to_be_checked()
    expect(form.get_by_label(re.compile(re.escape("§7927.705")))).not_to_be_checked()
    expect(form.get_by_label("Fee asked (USD)")).to_be_hidden()
    screenshot("applied")
    assert not Determination.objects.filter(request=filed).exists()  # nothing saved yet

    # Editable before it is recorded.
    form.get_by_label("Responsible official").fill("Pat Records")
    form.get_by_role("button", name="Record the determination").click()
    expect(page.get_by_text("Denial recorded.")).to_be_visible()
    denial = Determination.objects.get(request=filed)
    assert denial.official_name == "Pat Records"
    assert {e.section for e in denial.exemptions.all()} == {"§7923.600", "§7922.000"}
    assert denial.communication is not None
    expect(panel).to_contain_text("Recorded as Denial on")
    expect(panel.get_by_role("link", name="Apply to the determination form")).to_have_count(0)
    screenshot("recorded")
