"""Response headers on every page: the Content-Security-Policy, and Cache-Control for what
only one person may see (common.middleware.PrivateCacheControlMiddleware)."""

import re
from datetime import date, timedelta

import html5lib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_max_age
from freezegun import freeze_time

from rtcc_requests.common.fetcher import STATIC_SCHEME, static_path
from rtcc_requests.requests import services
from rtcc_requests.requests.choices import Visibility
from tests import factories

pytestmark = pytest.mark.django_db
RECEIVED = date(2026, 11, 2)
POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


@pytest.fixture(autouse=True)
def _frozen_clock():
    with freeze_time("2026-11-26 12:00:00"):
        yield


def _policy(response) -> dict[str, set[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: set(values) for name, *values in directives}


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def admin(db):
    return factories.UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def published(user, cpra):
    """A public request with a denial and an agency reply with an attachment."""
    records_request = factories.filed_request(received=RECEIVED, owner=user)
    services.request_set_visibility(
        records_request=records_request, actor=user, visibility=Visibility.PUBLIC
    )
    services.determination_record(
        records_request=records_request,
        actor=user,
        kind="denial",
        response_date=RECEIVED + timedelta(days=7),
        exemptions=list(cpra.exemptions.filter(section="§7923.600")),
        official_name="Jane Roe",
        official_title="Records Manager",
    )
    return records_request


def _attachment_url(records_request) -> str:
    communication = services.reply_log(
        records_request=records_request,
        actor=records_request.owner,
        subject="Your request",
        files=[SimpleUploadedFile("reply.pdf", b"%PDF-1.4 reply", "application/pdf")],
    )
    return reverse(
        "requests:attachment",
        kwargs={"pk": records_request.pk, "attachment_pk": communication.attachments.get().pk},
    )


def _pages(records_request) -> dict[str, str]:
    agency = records_request.agency
    return {
        "home": reverse("pages:home"),
        "requests list": reverse("requests:list"),
        "request page": records_request.get_absolute_url(),
        "composer": reverse("requests:new"),
        "denial log": reverse("denials:log"),
        "printable denial log": reverse("denials:print"),
        "denial log of an agency": reverse("denials:agency", kwargs={"slug": agency.slug}),
        "agencies": reverse("agencies:agency_list"),
        "agency page": reverse("pages:agency_detail", kwargs={"slug": agency.slug}),
        "technology page": reverse(
            "pages:technology_detail", kwargs={"slug": "automated-license-plate-readers"}
        ),
        "log in": reverse("accounts:login"),
        "sign up": reverse("accounts:sign_up"),
        "profile": reverse("accounts:profile"),
        "admin login": reverse("admin:login"),
        "admin index": reverse("admin:index"),
        "admin change form": reverse("admin:agencies_agency_change", args=[agency.pk]),
    }


def _inline_code(html: str) -> list[str]:
    """What a CSP without 'unsafe-inline' would block: inline <script> and <style>, style=
    attributes and on...= handlers."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script" and not element.get("src") and (element.text or "").strip():
            found.append(f"<script>{element.text.strip()[:60]}")
        if element.tag == "style":
            found.append(f"<style>{(element.text or '').strip()[:60]}")
        for name in element.attrib:
            if name == "style" or name.startswith("on"):
                found.append(f"<{element.tag} {name}={element.get(name)[:60]!r}>")
    return found


class TestContentSecurityPolicy:
    @pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "admin"])
    def test_every_page_carries_the_policy(self, client, published, admin, signed_in):
        if signed_in:
            client.force_login(admin)
        for name, url in _pages(published).items():
            response = client.get(url)
            assert response.status_code in (200, 302), (name, response.status_code)
            assert _policy(response) == POLICY, name

    def test_exports_and_downloads_carry_it_too(self, client, published):
        client.force_login(published.owner)
        for url in (
            reverse("denials:csv"),
            reverse("denials:json"),
            reverse("denials:atom"),
            _attachment_url(published),
        ):
            assert _policy(client.get(url)) == POLICY, url

    def test_no_page_needs_inline_script_or_style(self, client, published, admin):
        client.force_login(admin)
        for name, url in _pages(published).items():
            response = client.get(url, follow=True)
            assert _inline_code(response.content.decode()) == [], name

    def test_a_page_not_found_carries_it(self, client):
        assert _policy(client.get("/no-such-page/")) == POLICY

    def test_the_pdfs_copy_of_the_printable_stylesheet_is_found(self):
        # The printable log's rules moved from a <style> to a static file; WeasyPrint loads
        # it only through the safe fetcher's static: URLs, which must find it.
        html = render_to_string("denials/_print_style.html", {"today": date(2026, 11, 26)})
        href = re.search(r'<link rel="stylesheet" href="([^"]+)">', html).group(1)
        assert href.startswith(STATIC_SCHEME)
        assert static_path(href).endswith("denials/print.css")


class TestCacheControl:
    def test_a_signed_in_page_is_private_and_never_stored(self, client, user):
        client.force_login(user)
        for url in (reverse("pages:home"), reverse("requests:list"), reverse("denials:log")):
            assert {"private", "no-store"} <= _cache_control(client.get(url)), url

    def test_an_attachment_download_is_private_and_never_stored(self, client, user):
        records_request = factories.filed_request(received=RECEIVED, owner=user)
        url = _attachment_url(records_request)
        client.force_login(user)

        response = client.get(url)

        assert response.status_code == 200
        assert {"private", "no-store"} <= _cache_control(response)

    def test_a_private_requests_letter_pdf_is_private_and_never_stored(
        self, client, user, django_capture_on_commit_callbacks
    ):
        from rtcc_requests.requests.letters.services import letter_queue

        records_request = factories.filed_request(received=RECEIVED, owner=user)
        with django_capture_on_commit_callbacks(execute=True):
            letter = letter_queue(records_request=records_request, kind="request", actor=user)
        client.force_login(user)

        response = client.get(
            reverse("letters:pdf", kwargs={"pk": records_request.pk, "communication_pk": letter.pk})
        )

        assert response.status_code == 200
        assert {"private", "no-store"} <= _cache_control(response)

    def test_signing_in_answers_with_no_store(self, client, user):
        response = client.post(
            reverse("accounts:login"),
            {"username": user.username, "password": "correct-horse-battery"},
        )
        assert response.status_code == 302
        assert {"private", "no-store"} <= _cache_control(response)

    def test_a_response_already_marked_no_store_is_left_as_it_is(self, client, user):
        # The letter preview says no-store itself: nothing may keep it, "private" adds nothing.
        draft = factories.RecordsRequestFactory(owner=user)
        client.force_login(user)

        response = client.post(reverse("letters:preview", kwargs={"pk": draft.pk}), {"body": "Hi"})

        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"

    def test_a_public_page_for_a_visitor_may_be_cached(self, client, published):
        for url in (reverse("pages:home"), reverse("denials:log"), published.get_absolute_url()):
            response = client.get(url)
            assert response.status_code == 200
            assert "no-store" not in _cache_control(response), url
            assert "private" not in _cache_control(response), url

    def test_a_visitors_export_is_left_as_it_was(self, client, published):
        # No session cookie, so the middleware does not read the session: no "Vary: Cookie"
        # splits a shared cache's copy of the public CSV by cookie.
        response = client.get(reverse("denials:csv"))
        assert response.status_code == 200
        assert "no-store" not in _cache_control(response)
        assert "Cookie" not in response.get("Vary", "")

    def test_what_a_view_already_says_is_kept(self, client, user):
        # The calendar feed answers a token, not a session: its own private, 15-minute policy.
        response = client.get(
            reverse("reminders:calendar_feed", kwargs={"token": user.profile.calendar_token})
        )
        assert _cache_control(response) == {"private", "max-age=900"}
        assert get_max_age(response) == 900
