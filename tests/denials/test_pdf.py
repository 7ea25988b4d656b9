"""/denials.pdf: rendered once per log version and filter by a task, served when finished."""

import re
import threading
from datetime import date

import pytest
from celery.exceptions import Retry
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from rtcc_requests.common.pdf import PdfRenderError
from rtcc_requests.denials import pdf_log, tasks
from rtcc_requests.denials.selectors import denial_log
from rtcc_requests.requests import services
from tests.support.builders import bulk_denials
from tests.support.html import parse_strict
from tests.support.pdf import pdf_pages, pdf_text
from tests.support.worker import wait_until

from .parsing import body

pytestmark = pytest.mark.django_db
PDF = reverse("denials:pdf")


@pytest.fixture
def queued(monkeypatch):
    """Renders queued but not run: the kwargs of each, as a worker would receive them."""
    calls = []
    monkeypatch.setattr(tasks.render_denial_log_pdf, "delay", lambda **kw: calls.append(kw))
    return calls


@pytest.fixture
def log(make_denial):
    return {
        "public": make_denial(title="Public ALPR denial"),
        "private": make_denial(title="Private face recognition denial", visibility="private"),
    }


def pdf_of(response) -> bytes:
    assert response.status_code == 200, body(response)[:500]
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def run(calls: list[dict]) -> None:
    """What the worker would do with the queued renders."""
    for kwargs in calls:
        assert tasks.render_denial_log_pdf.apply(kwargs=kwargs).get() == "ready"


class TestWhileItRenders:
    def test_the_first_request_queues_one_render_and_shows_a_page_that_refreshes(
        self, client, log, queued
    ):
        response = client.get(PDF, {"agency": log["public"].agency.slug})
        assert response.status_code == 202
        html = body(response)
        parse_strict(html)
        assert "Your PDF is being prepared" in html
        refresh = f'<meta http-equiv="refresh" content="3; url={PDF}?agency='
        assert refresh in html
        assert "<script" not in html  # a CSP forbids inline scripts: the page needs none
        assert response["Cache-Control"] == "no-store"
        assert len(queued) == 1
        assert queued[0]["params"] == {"agency": log["public"].agency.slug}

    def test_a_second_request_queues_nothing_and_sees_the_progress(self, client, log, queued):
        client.get(PDF)
        job = pdf_log.PdfJob(**{**queued[0], "day": date.fromisoformat(queued[0]["day"])})
        pdf_log._progress(job, "rendering", done=200, total=2000, pages=43)
        response = client.get(PDF)
        assert response.status_code == 202
        assert len(queued) == 1
        html = body(response)
        assert '<progress max="2000" value="200"' in html
        assert "200 of 2,000 denials laid out, 43 pages so far of about 430." in html

    def test_concurrent_requests_queue_one_render(self, log, queued):
        job = pdf_log.pdf_job(denial_log(today=timezone.localdate()), today=timezone.localdate())
        start = threading.Barrier(8)
        seen = []

        def ask(n: int) -> None:
            start.wait()
            seen.append(pdf_log.denial_pdf_request(job, client=f"ip:10.0.0.{n}", limit=5))

        threads = [threading.Thread(target=ask, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(queued) == 1
        assert [s.state for s in seen] == ["queued"] * 8

    def test_the_same_filter_however_written_is_one_render(self, client, log, queued):
        slug = log["public"].agency.slug
        client.get(PDF, {"agency": slug, "sort": "-date"})
        client.get(PDF, {"page": "3", "utm_source": "x", "agency": slug, "late": ""})
        assert len(queued) == 1
        client.get(PDF, {"agency": slug, "sort": "title"})
        assert len(queued) == 2

    def test_an_invalid_filter_is_refused_and_renders_nothing(self, client, log, queued):
        response = client.get(PDF, {"year": "abc"})
        assert response.status_code == 400
        assert not queued


class TestTheFinishedFile:
    def test_once_rendered_it_is_served_and_holds_only_public_denials(self, client, log, queued):
        client.get(PDF)
        run(queued)
        response = client.get(PDF)
        text = pdf_text(pdf_of(response))
        assert response["Content-Disposition"] == 'inline; filename="denial-log-2026-11-26.pdf"'
        assert "Public ALPR denial" in text
        assert "Private face recognition" not in text
        assert "Page 1" in text
        assert len(queued) == 1  # served from storage, not rendered again

    def test_with_tasks_run_inline_the_first_request_gets_the_pdf(self, client, log):
        assert "Public ALPR denial" in pdf_text(pdf_of(client.get(PDF)))
        [version] = default_storage.listdir(pdf_log.PDF_DIR)[0]
        [name] = default_storage.listdir(f"{pdf_log.PDF_DIR}/{version}")[1]
        assert re.fullmatch(r"2026-11-26-[0-9a-f]{32}\.pdf", name)

    def test_a_change_to_the_log_renders_again_and_the_old_file_is_never_served(
        self, client, log, queued
    ):
        client.get(PDF)
        run(queued)
        assert "Public ALPR denial" in pdf_text(pdf_of(client.get(PDF)))
        request = log["public"]
        services.request_set_visibility(
            records_request=request, actor=request.owner, visibility="private"
        )
        response = client.get(PDF)
        assert response.status_code == 202
        assert len(queued) == 2 and queued[0]["version"] != queued[1]["version"]
        run(queued[1:])
        text = pdf_text(pdf_of(client.get(PDF)))
        assert "Public ALPR denial" not in text
        assert "No published denials match this filter." in text
        # The finished render removed the files of the old version.
        assert default_storage.listdir(pdf_log.PDF_DIR)[0] == [queued[1]["version"]]

    def test_a_render_for_a_version_that_has_passed_stores_nothing(self, log, queued):
        job = pdf_log.pdf_job(denial_log(today=timezone.localdate()), today=timezone.localdate())
        request = log["public"]
        services.request_set_visibility(
            records_request=request, actor=request.owner, visibility="private"
        )
        assert pdf_log.denial_pdf_render(job) == "stale"
        assert not default_storage.exists(job.pdf_name)


class TestFailures:
    def test_a_failed_render_shows_its_error_and_a_link_to_try_again(
        self, client, log, monkeypatch
    ):
        def broken(html, **kwargs):
            raise PdfRenderError("The document would be 999 pages long; the limit is 50.")

        monkeypatch.setattr(pdf_log, "render_pdf", broken)
        response = client.get(PDF, {"late": "yes"})
        assert response.status_code == 500
        html = body(response)
        parse_strict(html)
        assert "The PDF could not be made" in html
        assert "The document would be 999 pages long" in html
        assert f'<a href="{PDF}?late=yes&amp;retry=1">Try again</a>' in html
        assert 'http-equiv="refresh"' not in html  # it does not try again by itself
        monkeypatch.undo()
        # Asking again shows the failure; only "try again" starts a render.
        assert client.get(PDF, {"late": "yes"}).status_code == 500
        response = client.get(PDF, {"late": "yes", "retry": "1"})
        assert b"".join(response.streaming_content).startswith(b"%PDF")

    def test_the_failure_is_kept_with_the_files_for_processes_that_share_no_cache(
        self, client, log, monkeypatch
    ):
        def broken(html, **kwargs):
            raise PdfRenderError("Fonts are missing.")

        monkeypatch.setattr(pdf_log, "render_pdf", broken)
        client.get(PDF)
        from django.core.cache import cache

        cache.clear()  # another process's cache: it never saw the worker's
        response = client.get(PDF)
        assert response.status_code == 500 and "Fonts are missing." in body(response)

    def test_a_database_or_storage_error_is_retried_then_reported(self, log, monkeypatch):
        job = pdf_log.pdf_job(denial_log(today=timezone.localdate()), today=timezone.localdate())

        def flaky(job):
            raise OSError("disk full")

        monkeypatch.setattr(tasks, "denial_pdf_render", flaky)
        for attempt, countdown in enumerate([15, 60]):
            with pytest.raises(Retry) as retry:
                tasks.render_denial_log_pdf.apply(kwargs=job.task_kwargs(), retries=attempt)
            assert retry.value.when == countdown
            assert pdf_log.denial_pdf_status(job).state == "queued"  # the lock is kept
        last = tasks.render_denial_log_pdf.apply(
            kwargs=job.task_kwargs(), retries=tasks.PDF_MAX_RETRIES
        )
        assert last.get() == "failed"
        status = pdf_log.denial_pdf_status(job)
        assert status.failed and status.error == "The PDF could not be made (OSError)."


class TestRateLimit:
    def test_past_the_limit_a_visitor_gets_429_but_finished_files_still_open(
        self, client, log, queued, settings
    ):
        settings.DENIAL_PDF_STARTS_PER_HOUR = 2
        client.get(PDF)
        run(queued)
        assert client.get(PDF, {"year": "2025"}).status_code == 202  # the second start
        response = client.get(PDF, {"year": "2024"})
        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 3600
        html = body(response)
        parse_strict(html)
        words = " ".join(html.split())
        assert "Too many PDFs requested" in words and "at most 2 new PDFs an hour" in words
        assert len(queued) == 2
        # What is made, or on its way, is still answered.
        assert pdf_of(client.get(PDF)).startswith(b"%PDF")
        assert client.get(PDF, {"year": "2025"}).status_code == 202
        # Another address has its own allowance.
        assert client.get(PDF, {"year": "2024"}, REMOTE_ADDR="192.0.2.9").status_code == 202

    def test_a_forged_forwarded_for_header_does_not_reset_the_limit(
        self, client, log, queued, settings
    ):
        settings.DENIAL_PDF_STARTS_PER_HOUR = 1
        client.get(PDF, HTTP_X_FORWARDED_FOR="198.51.100.1")
        response = client.get(PDF, {"year": "2025"}, HTTP_X_FORWARDED_FOR="198.51.100.2")
        assert response.status_code == 429

    def test_behind_a_trusted_proxy_the_address_it_saw_counts(self, client, log, queued, settings):
        settings.DENIAL_PDF_STARTS_PER_HOUR = 1
        settings.TRUSTED_PROXY_HOPS = 1
        forged = "6.6.6.6, 198.51.100.1"
        assert client.get(PDF, HTTP_X_FORWARDED_FOR=forged).status_code == 202
        again = {"HTTP_X_FORWARDED_FOR": "7.7.7.7, 198.51.100.1"}
        assert client.get(PDF, {"year": "2025"}, **again).status_code == 429
        other = {"HTTP_X_FORWARDED_FOR": "198.51.100.2"}
        assert client.get(PDF, {"year": "2025"}, **other).status_code == 202

    def test_an_ipv6_client_is_counted_by_its_64(self):
        assert pdf_log.client_address_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
        assert pdf_log.client_address_key("::ffff:192.0.2.1") == "192.0.2.1"

    def test_signed_in_users_have_their_own_larger_allowance(
        self, client, log, queued, settings, user
    ):
        settings.DENIAL_PDF_STARTS_PER_HOUR = 1
        settings.DENIAL_PDF_STARTS_PER_HOUR_SIGNED_IN = 2
        client.get(PDF)
        client.force_login(user)
        assert client.get(PDF, {"year": "2025"}).status_code == 202
        assert client.get(PDF, {"year": "2024"}).status_code == 202
        assert client.get(PDF, {"year": "2023"}).status_code == 429


class TestLongLogs:
    def test_a_long_log_is_made_in_sections_and_says_what_it_leaves_out(
        self, client, settings, django_assert_max_num_queries
    ):
        bulk_denials(count=600, today=date(2026, 11, 26))
        settings.DENIAL_PDF_MAX_ROWS = 30
        settings.DENIAL_PDF_CHUNK_ROWS = 10
        pdf = pdf_of(client.get(PDF))
        text = pdf_text(pdf)
        assert "600 denials" in text
        assert (
            "This PDF lists the first 30 of the 600 denials that match, sorted by date denied, "
            "descending; it leaves out the other 570." in text
        )
        assert f"Every row is in the CSV ({settings.SITE_URL}/denials.csv)" in text
        assert text.count("Bench request") == 30
        # Three sections, joined, numbered on from one to the next.
        pages = pdf_pages(pdf)
        assert pages >= 3
        assert f"Page {pages}" in text and f"Page {pages + 1}" not in text

    def test_without_a_limit_every_row_is_in_it(self, client, settings):
        bulk_denials(count=25, today=date(2026, 11, 26))
        settings.DENIAL_PDF_MAX_ROWS = 0
        settings.DENIAL_PDF_CHUNK_ROWS = 10
        text = pdf_text(pdf_of(client.get(PDF, {"sort": "title"})))
        titles = re.findall(r"Bench request (\d+):", text)
        assert sorted(map(int, titles)) == list(range(25))
        assert "leaves out" not in text


class TestWithTheWorker:
    @pytest.fixture
    def _frozen_clock(self):
        # The worker reads the real clock; so must the request that names the day.
        yield

    def test_a_worker_renders_it_and_the_next_request_serves_it(
        self, client, celery_worker_process
    ):
        bulk_denials(count=3, today=timezone.localdate())
        response = client.get(PDF)
        assert response.status_code == 202
        pdf = wait_until(
            lambda: (r := client.get(PDF)).status_code == 200 and b"".join(r.streaming_content),
            timeout=90,
            message="the worker never finished the PDF",
        )
        assert "Bench request 0" in pdf_text(pdf)
