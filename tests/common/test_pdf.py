import threading
import time

import pytest

from rtcc_requests.common.pdf import (
    PdfRenderError,
    PdfTimeout,
    PdfTooLong,
    _deadline,
    _Expired,
    render_pdf,
)
from rtcc_requests.common.templatetags.pdf import soft_wrap

from ..support.pdf import pdf_pages, pdf_text


class TestRenderPdf:
    def test_renders_text(self):
        assert "Hello, agency." in pdf_text(render_pdf("<p>Hello, agency.</p>"))

    def test_refuses_more_pages_than_the_limit(self):
        html = '<p style="page-break-after: always">page</p>' * 4
        assert pdf_pages(render_pdf(html, max_pages=4)) == 4
        with pytest.raises(PdfTooLong, match="would be 4 pages long; the limit is 3"):
            render_pdf(html, max_pages=3)

    def test_refuses_huge_input_before_laying_it_out(self, monkeypatch):
        monkeypatch.setattr("rtcc_requests.common.pdf.MAX_HTML_CHARS", 100)
        with pytest.raises(PdfTooLong, match="too long to print"):
            render_pdf("<p>" + "x" * 200 + "</p>")

    def test_a_slow_render_is_stopped_with_a_clear_error(self):
        html = "<p>" + "word " * 20_000 + "</p>"
        with pytest.raises(PdfTimeout, match="took longer than 0.05 seconds"):
            render_pdf(html, timeout=0.05)
        # The alarm is cleared afterwards: a normal render still works.
        assert render_pdf("<p>after</p>", timeout=5).startswith(b"%PDF")

    def test_an_alarm_swallowed_by_a_finalizer_is_followed_by_another(self):
        # Python ignores an exception raised in __del__: the deadline must still stop the work.
        swallowed, give_up = 0, time.monotonic() + 5
        with pytest.raises(_Expired), _deadline(0.02):
            while time.monotonic() < give_up:
                try:
                    sum(range(10_000))
                except _Expired:
                    if swallowed:
                        raise
                    swallowed += 1
        assert swallowed == 1

    def test_timeout_is_skipped_off_the_main_thread(self):
        results = []
        thread = threading.Thread(
            target=lambda: results.append(render_pdf("<p>threaded</p>", timeout=5))
        )
        thread.start()
        thread.join(60)
        assert results and results[0].startswith(b"%PDF")

    def test_weasyprint_errors_become_readable(self, monkeypatch):
        def explode(*args, **kwargs):
            raise KeyError("font")

        monkeypatch.setattr("rtcc_requests.common.pdf.HTML", explode)
        with pytest.raises(PdfRenderError, match="could not be made: KeyError"):
            render_pdf("<p>x</p>")


class TestSoftWrap:
    def test_breaks_only_very_long_words(self):
        assert soft_wrap("short words stay") == "short words stay"
        wrapped = soft_wrap("a " + "x" * 130)
        assert wrapped == "a " + "x" * 60 + "\u200b" + "x" * 60 + "\u200b" + "x" * 10

    def test_returns_text_that_is_still_escaped(self):
        assert "<" in soft_wrap("<b>") and not hasattr(soft_wrap("<b>"), "__html__")
