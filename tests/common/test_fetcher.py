"""The PDF renderer loads nothing but data: URLs and our own static files."""

import base64

import pytest

from rtcc_requests.common.fetcher import FetchRefused, SafeURLFetcher, static_path
from rtcc_requests.common.pdf import render_pdf

from ..support.fetching import PNG
from ..support.pdf import pdf_text


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
        assert b"/Subtype /Image" in data  # the PNG is embedded as an image XObject


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
