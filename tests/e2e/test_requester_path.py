"""The requester's whole path, in a browser, on a desktop and on a phone.

Sign up; compose to Fresno PD about ALPR ("Fill in" first, the records typed after); file by
email; the agency's denial arrives by `ingest_email`; apply the reply's suggestion to the
determination form; edit the challenge and send it in the request's thread; publish; look
at it as a visitor. What reaches the agency is read from the SMTP server: the letter's text
and its PDF say what is asked, signed once, with the profile's name.
"""

import io
import re
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from rtcc_requests.agencies.models import Agency
from rtcc_requests.requests.models import Communication, RecordsRequest

from ..support.pdf import pdf_text

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SOUGHT = (
    "The ALPR usage and privacy policy, the audit logs for 2025, and every agreement to share "
    "plate data with other agencies."
)
DENIAL = """\
Good afternoon,

The Department has reviewed your request. The records are exempt from disclosure under
Government Code sections 7923.600 (investigatory records) and 7922.000, because the public
interest in withholding them clearly outweighs the public interest in disclosure.

Your request is denied.

Records Unit
Fresno Police Department
"""


def _letters(smtp_server) -> list[EmailMessage]:
    return [m for m in smtp_server.messages if m["To"] == "records@fresno.example"]


def _pdf_of(message: EmailMessage) -> str:
    attachments = [
        a for a in message.iter_attachments() if a.get_content_type() == "application/pdf"
    ]
    assert len(attachments) == 1
    return pdf_text(attachments[0].get_content())


def _assert_signed_once_by_the_profile(text: str) -> None:
    assert "[" not in text.replace("[former", "").replace("[§", ""), text  # no placeholder
    assert text.count("Sincerely") == 1
    assert "Rosa Reporter" in text
    assert "rfiler" not in text  # the username never signs


def _agency_reply(records_request: RecordsRequest, *, in_reply_to: str) -> bytes:
    reply = EmailMessage()
    reply["From"] = '"Fresno PD Records Unit" <records@fresno.example>'
    reply["To"] = records_request.reply_address
    reply["Subject"] = f"RE: Public records request: {records_request.title}"
    reply["Message-ID"] = "<denial-0412@fresno.example>"
    reply["In-Reply-To"] = in_reply_to
    reply["References"] = in_reply_to
    reply.set_content(DENIAL)
    return bytes(reply)


@pytest.mark.parametrize("size", SIZES)
def test_the_requester_path(page, screenshot, smtp_server, settings, live_server, size):
    settings.MAIL_DOMAIN = "requests.localhost"
    call_command("loaddata", "fixtures/demo/fresno.json", verbosity=0)
    fresno_pd = Agency.objects.get(slug="fresno-police-department")
    Agency.objects.filter(pk=fresno_pd.pk).update(records_email="records@fresno.example")
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

    # Compose: "Fill in" before the records are described, then type them.
    page.goto(reverse("requests:new"))
    page.get_by_label("Search agencies").fill("fresno police")
    expect(page.get_by_label("Agency", exact=True)).to_have_value(str(fresno_pd.pk))
    alpr = page.get_by_label("Automated License Plate Readers")
    expect(alpr).not_to_be_checked()  # none ticked for the requester
    page.get_by_role("button", name="Fill in from the agency and draft the letter").click()
    letter = page.get_by_label("Letter", exact=True)
    expect(letter).to_have_value(re.compile(r"\[describe the records you seek\]"))
    page.get_by_label("Automated License Plate Readers").check()
    page.get_by_label("Title").fill("Fresno PD ALPR policy and data sharing")
    page.get_by_label("Records sought").fill(SOUGHT)
    screenshot(f"{size}-composer")
    page.get_by_role("button", name="Save and file").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("File “Fresno PD ALPR")

    # File by email: the letter reaches the agency with what is asked, signed once.
    page.get_by_label("Email from this app").check()
    page.get_by_role("button", name="File the request").click()
    expect(page.get_by_text("Sent by email.")).to_be_visible()
    records_request = RecordsRequest.objects.get(owner__username="rfiler")
    [request_mail] = _letters(smtp_server)
    body = request_mail.get_body(("plain",)).get_content()
    assert SOUGHT in body
    _assert_signed_once_by_the_profile(body)
    pdf = _pdf_of(request_mail)
    assert "audit logs for 2025" in pdf
    _assert_signed_once_by_the_profile(pdf)
    assert pdf.count("Rosa Reporter") == 2  # the letterhead and the one signature

    # The agency's denial arrives by email, in the thread.
    out = io.StringIO()
    call_command(
        "ingest_email",
        stdin=io.BytesIO(_agency_reply(records_request, in_reply_to=request_mail["Message-ID"])),
        stdout=out,
    )
    page.reload()
    screenshot(f"{size}-request-page-reply")

    # Apply the reply's suggestion: the form is filled in, then recorded as edited.
    page.get_by_role("link", name=re.compile("Apply to the determination form")).click()
    kind = page.get_by_label("What the agency said")
    expect(kind).to_have_value("denial")
    for section in ("§7923.600", "§7922.000"):
        box = page.locator("input[name=exemptions]").filter(has_text=section)
        if not box.count():
            box = page.get_by_label(re.compile(re.escape(section)))
        expect(box).to_be_checked()
    expect(page.get_by_label(re.compile("fee", re.I)).first).to_be_hidden()
    page.get_by_role("button", name="Record the determination").click()
    expect(page.get_by_text("Denial recorded.")).to_be_visible()
    expect(page.get_by_text("Apply to the determination form")).to_have_count(0)
    screenshot(f"{size}-request-page-denied")

    # The challenge: edited, then sent in the request's thread.
    page.get_by_role("link", name="Write a letter challenging the denial").click()
    challenge = page.get_by_label("Letter", exact=True)
    expect(challenge).to_have_value(re.compile("7923.600"))
    text = challenge.input_value()
    challenge.fill(
        text.replace(
            "Thank you for your help.",
            "Other agencies have released their ALPR policies. Thank you for your help.",
        )
    )
    screenshot(f"{size}-challenge-letter")
    page.get_by_role("button", name="Send by email").click()
    expect(page.get_by_text(re.compile("sent by email to records@fresno.example"))).to_be_visible()
    challenge_mail = _letters(smtp_server)[-1]
    assert len(_letters(smtp_server)) == 2
    assert challenge_mail["In-Reply-To"] == "<denial-0412@fresno.example>"
    assert challenge_mail["References"].split() == [
        request_mail["Message-ID"],
        "<denial-0412@fresno.example>",
    ]
    assert challenge_mail["Reply-To"] == records_request.reply_address
    sent = challenge_mail.get_body(("plain",)).get_content()
    assert "Other agencies have released their ALPR policies." in sent
    assert "ACLU Foundation v. Superior Court" in sent  # §7923.600 against ALPR data
    assert "clearly outweighs" in sent  # the catch-all, argued too
    _assert_signed_once_by_the_profile(sent)
    _assert_signed_once_by_the_profile(_pdf_of(challenge_mail))
    assert Communication.objects.filter(
        request=records_request, letter_kind="denial_challenge"
    ).exists()

    # Publish, then look as a visitor.
    page.get_by_text("Change who can see it").click()
    page.get_by_label("Public", exact=True).check()
    page.get_by_role("button", name="Save visibility").click()
    expect(page.get_by_text("Visibility: public.", exact=True)).to_be_visible()

    visitor = page.context.browser.new_context(viewport=SIZES[size], base_url=live_server.url)
    public = visitor.new_page()
    public.goto(records_request.get_absolute_url())
    expect(public.get_by_role("heading", level=1)).to_contain_text("Fresno PD ALPR policy")
    expect(public.locator("ol.timeline")).to_contain_text("Challenge to a deficient denial")
    expect(public.get_by_text("Next step")).to_have_count(0)
    expect(public.get_by_text("Update this request")).to_have_count(0)
    expect(public.get_by_text("rosa@example.org")).to_have_count(0)
    public.screenshot(path=str(screenshot(f"{size}-public-request-page")), full_page=True)
    visitor.close()
