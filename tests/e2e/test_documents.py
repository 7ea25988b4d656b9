"""Released records in a browser: a scan read by a real worker, found by search.

The requester records the agency's reply on the request page with a scanned PDF (an image of
text, no text layer) holding an unusual word; the document page shows it waiting, then
refreshes itself until the Celery worker's OCR has read it; the word typed in the search box
finds the document, marked in its snippet; the result leads to the page, the page to its
image. A visitor finds it while the request is public, and nothing once it is private.

The other browser tests run tasks eagerly (tests/conftest.py), which here would read the
scan inside the upload's own request: the page would never show a document waiting. So this
one starts a real worker on the configured broker, as the worker tests do, and starts it
only after the upload, so that "waiting" is what the page shows first, whatever the timing.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from rtcc_requests.documents.models import Document, TextStatus
from rtcc_requests.requests.choices import Visibility
from tests import factories

from ..conftest import services_required
from ..support.scans import scanned_pdf
from ..support.worker import WorkerProcess

PASSWORD = "correct-horse-battery"  # the factories' users'
WORD = "Quixotrace"
SCAN = scanned_pdf(
    [
        ["CITY OF SPRINGFIELD POLICE DEPARTMENT", f"Vendor contract {WORD} renewal"],
        ["Page two of the contract", "Data retention thirty days"],
    ]
)
# One scanned page is OCRed in a few seconds; a loaded CI machine gets a minute per page.
READ_TIMEOUT_MS = 120_000


@pytest.fixture
def worker(transactional_db, settings, smtp_server):
    """A worker process to start when the test says so; tasks go to its queue meanwhile.

    As `celery_worker_process` (tests/conftest.py), which starts it at once.
    """
    broker = settings.CELERY_BROKER_URL
    if services_required() and not broker.startswith("redis://"):
        pytest.fail("CI must run worker tests on Redis: set CELERY_BROKER_URL=redis://...")
    process = WorkerProcess()
    process.route_here()
    yield process
    process.stop()


@pytest.fixture
def filed(transactional_db):
    return factories.filed_request(
        received=timezone.localdate() - timedelta(days=12),
        title="Springfield PD ALPR vendor contract",
        visibility=Visibility.PUBLIC,
    )


def _sign_in(page: Page, user) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _search(page: Page, words: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    page.get_by_label("Search released records, requests and letters").fill(words)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="result")).to_be_visible()


def test_a_released_scan_is_read_found_and_shown(page, screenshot, worker, filed, live_server):
    _sign_in(page, filed.owner)
    page.goto(filed.get_absolute_url())

    # The agency's reply, recorded with the scan the test made.
    page.get_by_text("Log a reply from the agency").click()
    page.get_by_label("Subject").fill("Records: ALPR vendor contract")
    page.get_by_label("Text of the reply").fill("Please find the responsive records attached.")
    page.get_by_label("Attachments").set_input_files(
        {"name": "vendor-contract-scan.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    )
    page.get_by_role("button", name="Log the reply").click()
    expect(page.get_by_text("Reply logged.")).to_be_visible()
    released = page.locator("section", has=page.get_by_role("heading", name="Released records"))
    expect(released).to_contain_text("waiting to be read")
    screenshot("request-page-released-records")

    # Its page says it waits (no worker yet), then reads itself to the end once one runs.
    released.get_by_role("link", name="vendor-contract-scan.pdf").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("vendor-contract-scan.pdf")
    status = page.locator(".reading-status")
    expect(status).to_have_attribute("data-status", TextStatus.WAITING)
    expect(status).to_contain_text("Waiting to be read")
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(1)
    screenshot("document-waiting")
    worker.start()
    # No reload by the test: the page's own refresh (every 5 s) shows the progress.
    expect(status).to_have_attribute("data-status", TextStatus.READ, timeout=READ_TIMEOUT_MS)
    expect(status).to_contain_text("Text read")
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    expect(page.get_by_role("definition").filter(has_text="read by OCR")).to_contain_text(
        "2 (2 read by OCR)"
    )
    first_page = page.locator("#page-1")
    expect(first_page).to_contain_text(WORD)
    expect(first_page.locator(".badge")).to_have_text("OCR")
    screenshot("document-read")
    document = Document.objects.get(request=filed)
    assert (document.status, document.pages_read, document.pages_ocr) == ("read", 2, 2)

    # Search: the word finds the document, marked in the snippet of its page.
    _search(page, WORD.lower())
    results = page.locator("ol.search-results > li")
    expect(results).to_have_count(1)
    hit = results.first
    expect(hit.get_by_role("link", name="vendor-contract-scan.pdf")).to_be_visible()
    expect(hit).to_contain_text("page 1")
    expect(hit.locator("p.snippet mark")).to_have_text(re.compile(WORD, re.IGNORECASE))
    screenshot("search-results")

    # The result leads to its page; the page to its image, drawn on demand.
    hit.get_by_role("link", name="vendor-contract-scan.pdf").click()
    expect(page).to_have_url(re.compile(rf"/documents/{document.pk}/\?page=1#page-1$"))
    image_link = page.locator("#page-1").get_by_role("link", name="Page image")
    with page.expect_response(re.compile(r"/pages/1\.png$")) as answer:
        image_link.click()
    response = answer.value
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    assert response.body().startswith(b"\x89PNG")
    image = page.locator("img").first
    expect(image).to_be_visible()
    width = image.evaluate("img => img.complete && img.naturalWidth")
    assert width > 0, "the page image did not load"
    screenshot("page-image")

    # A visitor finds the public request's document; nothing once it is private.
    visitor = page.context.browser.new_context(base_url=live_server.url)
    public = visitor.new_page()
    public.set_default_timeout(15000)
    public.goto(reverse("documents:search") + f"?q={WORD}")
    expect(public.locator("ol.search-results > li")).to_have_count(1)
    expect(public.locator("ol.search-results")).to_contain_text("vendor-contract-scan.pdf")

    page.goto(filed.get_absolute_url())
    page.get_by_text("Change who can see it").click()
    page.get_by_label("Private (only you)", exact=True).check()
    page.get_by_role("button", name="Save visibility").click()
    expect(page.locator("ul.messages")).to_contain_text("Visibility: private (only you).")

    public.goto(reverse("documents:search") + f"?q={WORD}")
    expect(public.get_by_role("status")).to_have_text(f"0 results for “{WORD}”.")
    expect(public.locator("ol.search-results > li")).to_have_text("Nothing found.")
    expect(public.get_by_role("link", name="Released records (0)")).to_have_count(0)
    expect(public.get_by_text("Released records (0)")).to_be_visible()
    public.screenshot(path=str(screenshot("visitor-search-private")), full_page=True)
    assert public.goto(document.get_absolute_url()).status == 404
    visitor.close()
