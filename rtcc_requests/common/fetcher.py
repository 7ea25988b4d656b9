"""The only way WeasyPrint may load a resource: data: URLs and the app's own static files.

WeasyPrint's default fetcher opens file://, http(s):// and ftp:// URLs and follows
redirects. A letter or a printable page that carried `<img src="file:///etc/passwd">`
or `url(http://169.254.169.254/...)` would then read local files or reach internal
services (SSRF). This fetcher refuses every scheme but two, never touches the network,
and a refusal is not fatal: the resource is skipped and the PDF still renders.

Templates name static files as `static:css/letter.css` (the `pdf_static` template tag).
"""

import base64
import logging
import mimetypes
import posixpath
from urllib.parse import unquote, unquote_to_bytes

from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_SCHEME = "static:"
# A letter has a stylesheet and perhaps a logo; nothing legitimate is bigger.
MAX_RESOURCE_BYTES = 5 * 1024 * 1024


class FetchRefused(ValueError):
    """A URL the PDF renderer must not load."""


def _data_url(url: str) -> URLFetcherResponse:
    header, sep, payload = url[len("data:") :].partition(",")
    if not sep:
        raise FetchRefused("Malformed data: URL.")
    params = header.split(";")
    is_base64 = params[-1].lower() == "base64"
    if is_base64:
        params = params[:-1]
    media_type = params[0] or "text/plain"
    body = base64.b64decode(unquote(payload)) if is_base64 else unquote_to_bytes(payload)
    if len(body) > MAX_RESOURCE_BYTES:
        raise FetchRefused("data: URL too large.")
    headers = {"Content-Type": ";".join([media_type, *params[1:]])}
    return URLFetcherResponse(url, body, headers)


def static_path(url: str) -> str:
    """The static file a `static:` URL names, or FetchRefused. Never leaves the static dirs."""
    relative = unquote(url[len(STATIC_SCHEME) :].split("?")[0].split("#")[0]).lstrip("/")
    normalised = posixpath.normpath(relative)
    if not relative or normalised.startswith("..") or "\\" in relative or "\x00" in relative:
        raise FetchRefused(f"Not a static file: {url}")
    try:
        found = finders.find(normalised)
    except Exception as error:  # SuspiciousFileOperation on traversal attempts
        raise FetchRefused(f"Not a static file: {url}") from error
    if not found:
        raise FetchRefused(f"No such static file: {url}")
    return found


def _static_file(url: str) -> URLFetcherResponse:
    path = static_path(url)
    with open(path, "rb") as handle:
        body = handle.read(MAX_RESOURCE_BYTES + 1)
    if len(body) > MAX_RESOURCE_BYTES:
        raise FetchRefused(f"Static file too large: {url}")
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return URLFetcherResponse(url, body, {"Content-Type": content_type})


class SafeURLFetcher(URLFetcher):
    """Serves data: and static: URLs itself; refuses everything else without opening it."""

    def __init__(self) -> None:
        # No redirects, no errors that stop the render: a refused image is left out.
        super().__init__(
            allowed_protocols=("data", "static"), allow_redirects=False, fail_on_errors=False
        )
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        lowered = url.lower()
        try:
            if lowered.startswith("data:"):
                return _data_url(url)
            if lowered.startswith(STATIC_SCHEME):
                return _static_file(url)
            raise FetchRefused(f"Refused to load {url[:200]!r}: only data: and static: URLs.")
        except Exception as error:
            self.refused.append(url[:200])
            logger.info("PDF fetcher refused %s: %s", url[:200], error)
            raise FetchRefused(str(error)) from error

    def open(self, url, data=None, timeout=None):
        # urllib's Request objects would bypass fetch(); refuse anything but a plain string.
        if not isinstance(url, str):
            raise FetchRefused("Refused a non-string request.")
        return self.fetch(url)
