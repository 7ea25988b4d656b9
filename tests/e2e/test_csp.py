"""The Content-Security-Policy in a real browser: no page breaks it, and the scripts that
used to be inline (the composer's FOIA options, the denial log's filters) still work."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from rtcc_requests.requests import services
from rtcc_requests.requests.choices import Visibility
from tests import factories

PASSWORD = "correct-horse-battery"


@pytest.fixture
def violations(page):
    """Every CSP violation Chromium reports on the console while the test runs."""
    found = []

    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            found.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return found


def _open(page, url: str):
    response = page.goto(url)
    assert response.ok, (url, response.status)
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    return response


def _sign_in(page, user) -> None:
    _open(page, reverse("accounts:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


@pytest.fixture
def denied(transactional_db):
    """A public CPRA request, denied, so the request page and the log have something."""
    cpra = factories.law("ca-cpra")
    received = timezone.localdate() - timedelta(days=20)
    records_request = factories.filed_request(
        received=received, title="Fresno ALPR audit logs", agency=factories.AgencyFactory()
    )
    services.request_set_visibility(
        records_request=records_request,
        actor=records_request.owner,
        visibility=Visibility.PUBLIC,
    )
    services.determination_record(
        records_request=records_request,
        actor=records_request.owner,
        kind="denial",
        response_date=received + timedelta(days=12),
        exemptions=list(cpra.exemptions.filter(section="§7923.600")),
        official_name="Jane Roe",
        official_title="Records Manager",
    )
    return records_request


def test_the_composer_shows_the_foia_options_only_for_foia(page, violations, denied):
    cpra, foia = factories.law("ca-cpra"), factories.law("us-foia")
    fbi = factories.AgencyFactory(name="Federal Bureau of Investigation", slug="fbi", state="US")
    _sign_in(page, denied.owner)

    _open(page, reverse("requests:new"))
    law = page.get_by_label("Law", exact=True)
    options = page.get_by_role("group", name="Federal FOIA options")
    expect(options).to_be_hidden()

    law.select_option(str(foia.pk))
    expect(options).to_be_visible()
    expect(page.get_by_label("Ask for expedited processing")).to_be_visible()
    law.select_option(str(cpra.pk))
    expect(options).to_be_hidden()

    # Choosing a federal agency sets the law to FOIA (composer.js asks the server) and shows
    # the options without another touch of the form.
    page.get_by_label("Agency", exact=True).select_option(str(fbi.pk))
    expect(law).to_have_value(str(foia.pk))
    expect(options).to_be_visible()
    assert violations == []


def test_the_request_page_and_the_denial_log_break_no_rule(page, violations, denied):
    _sign_in(page, denied.owner)
    _open(page, denied.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fresno ALPR audit logs")

    _open(page, reverse("denials:log"))
    # denials/log.js: the filters open on a wide screen, and empty ones stay out of the URL.
    expect(page.locator("#filter-panel")).to_have_attribute("open", "")
    page.get_by_label("Agency", exact=True).select_option(label=denied.agency.name)
    page.get_by_role("button", name="Show denials").click()
    expect(page).to_have_url(re.compile(rf"\?agency={denied.agency.slug}$"))
    expect(page.locator("tr.denial-row")).to_have_count(1)

    _open(page, reverse("denials:print"))
    # The printable page's rules come from denials/print.css.
    expect(page.locator(".stats")).to_have_css("display", "flex")
    assert violations == []


def test_a_visitor_sees_the_log_and_signs_in_without_breaking_a_rule(page, violations, denied):
    for url in (
        reverse("pages:home"),
        reverse("denials:log"),
        denied.get_absolute_url(),
        reverse("agencies:agency_list"),
        reverse("pages:agency_detail", kwargs={"slug": denied.agency.slug}),
        reverse("accounts:sign_up"),
    ):
        _open(page, url)
    _sign_in(page, denied.owner)
    assert violations == []


def test_the_admin_works_under_the_policy(page, violations, denied):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    _open(page, reverse("admin:login"))
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    # A change form with inlines and a date widget: the admin's own scripts must run.
    _open(page, reverse("admin:agencies_agency_change", args=[denied.agency.pk]))
    page.get_by_role("button", name="Add another Closure day").click()
    expect(page.get_by_role("link", name="Today").first).to_be_visible()
    _open(page, reverse("admin:agencies_deployment_changelist"))
    assert violations == []
