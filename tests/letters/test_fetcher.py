"""The PDF renderer loads nothing but data: URLs and our own static files."""

import base64
import http.server
import threading

import pytest
from django.utils import timezone
from freezegun import freeze_time

from rtcc_requests.letters import fetcher as fetcher_module
from rtcc_requests.letters.fetcher import FetchRefused, SafeURLFetcher, static_path
from rtcc_requests.letters.pdf import render_pdf
from rtcc_requests.letters.services import letter_preview_pdf

from .conftest import pdf_text

# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_http_server():
    """A tiny HTTP server on 127.0.0.1 that records every request it gets."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint asked the fetcher for."""
    asked: list[str] = []
    original = SafeURLFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(fetcher_module.SafeURLFetcher, "fetch", spy)
    return asked


def _hostile_html(port: int) -> str:
    base = f"http://127.0.0.1:{port}"
    return f"""<html><head>
    <link rel="stylesheet" href="{base}/style.css">
    <style>
      @import url({base}/import.css);
      @font-face {{ font-family: X; src: url({base}/font.woff); }}
      body {{ background-image: url({base}/bg.png); }}
      p.x {{ font-family: X; }}
    </style></head><body>
    <p class="x">Letter text survives.</p>
    <img src="file:///etc/passwd" alt="passwd">
    <img src="{base}/img.png" alt="local">
    <img src="https://127.0.0.1:{port}/tls.png" alt="tls">
    <img src="ftp://127.0.0.1:{port}/f.png" alt="ftp">
    <div style="background: url('{base}/inline.png')">styled</div>
    <object data="file:///etc/hostname"></object>
    <img src="/etc/passwd" alt="relative">
    </body></html>"""


class TestRenderPdfFetchesNothingOutside:
    def test_file_http_and_css_urls_are_not_fetched_and_the_pdf_renders(
        self, local_http_server, fetched
    ):
        port = local_http_server.server_address[1]
        data = render_pdf(_hostile_html(port))
        assert "Letter text survives." in pdf_text(data)
        assert local_http_server.hits == []
        # WeasyPrint did ask: the fetcher is what refused (a no-op test could not tell).
        assert any(url.startswith("file:") for url in fetched)
        assert any(url.startswith("http:") for url in fetched)
        assert "root:x:0:0" not in pdf_text(data)

    def test_passwd_contents_never_reach_the_pdf(self):
        data = render_pdf('<p>before</p><img src="file:///etc/passwd"><p>after</p>')
        text = pdf_text(data)
        assert "before" in text and "after" in text
        assert "root:" not in text

    def test_data_urls_load(self, fetched):
        encoded = base64.b64encode(PNG).decode()
        data = render_pdf(f'<p>logo</p><img src="data:image/png;base64,{encoded}">')
        assert fetched == [f"data:image/png;base64,{encoded}"]
        assert b"/Image" in data or b"/XObject" in data


class TestSafeURLFetcher:
    @pytest.mark.parametrize(
        "url",
        [
            "file:///etc/passwd",
            "FILE:///etc/passwd",
            "http://127.0.0.1:9/x",
            "https://example.org/x",
            "ftp://127.0.0.1/x",
            "gopher://127.0.0.1/x",
            "static:../../../etc/passwd",
            "static:/etc/passwd/../../etc/passwd",
            "static:css/../../rtcc_requests/settings.py",
            "static:css/no-such-file.css",
            "data:no-comma",
        ],
    )
    def test_refuses(self, url):
        with pytest.raises(FetchRefused):
            SafeURLFetcher().fetch(url)

    def test_serves_our_static_stylesheet(self):
        response = SafeURLFetcher().fetch("static:css/letter.css")
        assert b"@page" in response.read()
        assert response.content_type == "text/css"

    def test_static_path_stays_inside_the_static_dirs(self):
        assert static_path("static:css/letter.css").endswith("static/css/letter.css")

    def test_refuses_urllib_request_objects(self):
        from urllib.request import Request

        with pytest.raises(FetchRefused):
            SafeURLFetcher().open(Request("file:///etc/passwd"))  # noqa: S310 (refused)


@pytest.mark.django_db
class TestLetterBodyIsText:
    @freeze_time("2026-11-20 10:00")
    def test_html_and_css_in_a_body_are_printed_as_text_and_fetch_nothing(
        self, draft, local_http_server, fetched
    ):
        port = local_http_server.server_address[1]
        body = (
            "Dear custodian,\n\n<script>alert('x')</script>\n\n"
            '<img src="file:///etc/passwd">\n\n'
            f'<img src="http://127.0.0.1:{port}/pixel.png">\n\n'
            f"<style>body {{ background: url(http://127.0.0.1:{port}/bg.png) }}</style>\n\n"
            f"<p style=\"background:url('http://127.0.0.1:{port}/p.png')\">styled</p>"
        )
        data = letter_preview_pdf(records_request=draft, body=body)
        text = pdf_text(data)
        assert "<script>alert('x')</script>" in text
        assert '<img src="file:///etc/passwd">' in text
        assert f"url(http://127.0.0.1:{port}/bg.png)" in text
        assert local_http_server.hits == []
        # Only our own stylesheet was asked for: the body's markup never became markup.
        assert fetched == ["static:css/letter.css"]
        assert timezone.localdate().isoformat() == "2026-11-20"
