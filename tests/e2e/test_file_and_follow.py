"""A new user files a CPRA request about ALPR with Fresno PD and sees its denial flagged."""

import re
from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from rtcc_requests.agencies.models import Agency
from rtcc_requests.common.dates import long_date
from rtcc_requests.laws import calendar
from rtcc_requests.laws.models import Exemption, Law
from rtcc_requests.requests.choices import Status
from rtcc_requests.requests.models import RecordsRequest


def test_sign_up_compose_file_and_see_a_deficient_denial(page, screenshot, live_server):
    call_command("loaddata", "fixtures/demo/fresno.json", verbosity=0)
    cpra = Law.objects.get(code="ca-cpra")
    # Filing dates cannot be in the future: the live server runs on the real clock.
    today = timezone.localdate()
    received = today - timedelta(days=4)
    due = calendar.determination_due(cpra.deadline_rule, received).due

    # Sign up.
    page.goto(reverse("accounts:sign_up"))
    page.fill("#id_username", "reporter")
    page.fill("#id_display_name", "Rosa Reporter")
    page.fill("#id_email", "reporter@example.org")
    page.fill("#id_password1", "a long and unusual passphrase 42")
    page.fill("#id_password2", "a long and unusual passphrase 42")
    screenshot("sign-up")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Your account is ready")).to_be_visible()
    screenshot("signed-up")

    # Compose: searching the agency selects it and marks (does not tick) its technologies.
    page.goto(reverse("requests:new"))
    page.get_by_label("Search agencies").fill("Fresno Police Department")
    fresno_pd = Agency.objects.get(slug="fresno-police-department")
    expect(page.get_by_label("Agency", exact=True)).to_have_value(str(fresno_pd.pk))
    alpr = page.get_by_label("Automated License Plate Readers")
    expect(page.get_by_label("Law", exact=True)).to_have_value(str(cpra.pk))
    expect(alpr.locator("xpath=..")).to_contain_text("known at this agency")
    expect(alpr).not_to_be_checked()
    expect(page.get_by_label("Body-worn Cameras")).not_to_be_checked()
    alpr.check()
    page.get_by_label("Title").fill("Fresno PD ALPR policy and data sharing")
    page.get_by_label("Records sought").fill(
        "The ALPR usage and privacy policy, audit logs for 2025, and agreements to share "
        "plate data with other agencies."
    )
    page.get_by_role("button", name="Fill in from the agency and draft the letter").click()
    letter = page.get_by_label("Letter", exact=True)
    expect(letter).to_have_value(re.compile(r"7922\.535"))
    expect(letter).to_have_value(re.compile(r"audit logs for 2025"))
    expect(page.get_by_label("Title")).to_have_value("Fresno PD ALPR policy and data sharing")
    screenshot("composer")

    page.get_by_role("button", name="Save and file").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("File “Fresno PD ALPR")
    screenshot("file")

    # File by portal with a received date.
    page.get_by_label("Agency web portal").check()
    page.get_by_label("Date sent").fill(received.isoformat())
    page.get_by_label("Date the agency received it").fill(received.isoformat())
    page.get_by_label("Agency tracking number").fill("R-2026-0117")
    page.get_by_role("button", name="File the request").click()

    deadlines = page.locator("section", has=page.get_by_role("heading", name="Deadlines"))
    expect(deadlines).to_contain_text(f"Determination due: {long_date(due)}")
    expect(deadlines).to_contain_text(f"10 calendar days after received {long_date(received)}")
    expect(page.get_by_text("Wait: the agency owes a determination by")).to_be_visible()
    expect(page.locator("header.request-header")).to_contain_text("Automated License Plate Readers")
    expect(page.locator("header.request-header")).to_contain_text("R-2026-0117")
    screenshot("filed")

    # An extension notice.
    page.get_by_text("Record the agency's determination").click()
    page.get_by_label("What the agency said").select_option(label="Extension notice")
    page.get_by_label("Date of the response").fill((received + timedelta(days=2)).isoformat())
    page.get_by_label("Determination expected by").fill((due + timedelta(days=7)).isoformat())
    page.get_by_label("Reason the extension notice gives").select_option(
        label="(c)(1) Records at field facilities"
    )
    page.get_by_label("The notice's words for the reason").fill("Records held at a field facility.")
    page.get_by_role("button", name="Record the determination").click()
    expect(page.get_by_text("Extension notice recorded.")).to_be_visible()
    expect(deadlines).to_contain_text("Extended determination due:")
    screenshot("extended")

    # A denial citing two exemptions, signed by no one.
    records_request = RecordsRequest.objects.get(owner__username="reporter")
    assert records_request.status == Status.EXTENDED
    page.get_by_text("Record the agency's determination").click()
    page.get_by_label("What the agency said").select_option(label="Denial")
    page.get_by_label("Date of the response").fill((received + timedelta(days=3)).isoformat())
    for section in ("§7923.600", "§7927.705"):
        exemption = Exemption.objects.get(law=cpra, section=section)
        page.locator(f'input[name="exemptions"][value="{exemption.pk}"]').check()
    page.get_by_role("button", name="Record the determination").click()

    expect(page.get_by_text("Denial recorded.")).to_be_visible()
    header = page.locator("header.request-header")
    expect(header).to_contain_text("Denied")
    expect(header).to_contain_text("Deficient denial")
    expect(header).to_contain_text("Names no responsible official and title")
    expect(header).to_contain_text("Gov. Code §7922.525(b) [§6253(a)]")
    expect(page.get_by_text("The denial is deficient: challenge it.")).to_be_visible()
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("§7923.600 [§6254(f)]")
    expect(timeline).to_contain_text("§7927.705 [§6254(k)]")
    expect(timeline).to_contain_text("Responsible official: none named")
    screenshot("deficient-denial")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_text("The denial is deficient: challenge it.")).to_be_visible()
    screenshot("phone")

    records_request.refresh_from_db()
    assert records_request.is_deficient
    # Also: nothing segregated, §7927.705 with no other law named, and §7923.600 against
    # an ALPR request; each with its citation on the page.
    assert records_request.deficiencies == [
        "no_official",
        "blanket_withholding",
        "other_law_unnamed",
        "alpr_not_investigatory",
    ]
