"""Fixtures that watch what the PDF renderer fetches (registered in tests/conftest.py)."""

import base64
import http.server
import threading

import pytest

from rtcc_requests.common import fetcher as fetcher_module
from rtcc_requests.common.fetcher import SafeURLFetcher

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
