"""The one entry point to WeasyPrint: safe fetcher, size, page and time limits, readable errors."""

import logging
import signal
import threading
from contextlib import contextmanager

from weasyprint import HTML

from .fetcher import SafeURLFetcher

logger = logging.getLogger(__name__)

# A letter is one to three pages; a printable denial list may be longer. Past this, the
# input is a mistake or an attack, and rendering it would tie up a worker for minutes.
MAX_PAGES = 50
MAX_HTML_CHARS = 2_000_000


class PdfRenderError(Exception):
    """A PDF could not be made; the message is shown to the user as it is."""


class PdfTooLong(PdfRenderError):
    pass


class PdfTimeout(PdfRenderError):
    pass


_REPEAT_SECONDS = 0.05


class _Expired(BaseException):
    # BaseException: WeasyPrint's own `except Exception` blocks must not swallow it.
    pass


@contextmanager
def _deadline(seconds: float | None):
    """SIGALRM after `seconds`, where a signal can be delivered (the main thread).

    Celery tasks have the worker's own soft/hard time limits instead; a web request served
    from a thread gets only the size and page limits.
    """
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    done = False

    def expire(signum, frame):
        if not done:
            raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    # The alarm repeats until disarmed: one that lands in a finalizer (WeasyPrint's
    # FontConfiguration.__del__) is swallowed by Python, and the next one stops the render.
    signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_SECONDS)
    try:
        yield
    finally:
        done = True
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_pdf(html: str, *, max_pages: int | None = None, timeout: float | None = None) -> bytes:
    """Render trusted template output to PDF bytes.

    `html` must come from a Django template (autoescaped): user text inside it is text.
    Resources load only through SafeURLFetcher (data: and static: URLs). `timeout` (seconds)
    bounds a synchronous render, e.g. a preview inside a web request.
    """
    if len(html) > MAX_HTML_CHARS:
        raise PdfTooLong(
            f"The document is too long to print ({len(html):,} characters; "
            f"the limit is {MAX_HTML_CHARS:,})."
        )
    max_pages = max_pages or MAX_PAGES
    fetcher = SafeURLFetcher()
    try:
        with _deadline(timeout):
            # base_url=None: relative URLs resolve to nothing instead of to the filesystem.
            document = HTML(string=html, base_url=None, url_fetcher=fetcher).render()
            pages = len(document.pages)
            if pages > max_pages:
                raise PdfTooLong(
                    f"The document would be {pages} pages long; the limit is {max_pages}. "
                    "Shorten the text and try again."
                )
            return document.write_pdf()
    except _Expired as expired:
        raise PdfTimeout(
            f"Making the PDF took longer than {timeout:g} seconds. Shorten the text and try again."
        ) from expired
    except PdfRenderError:
        raise
    except Exception as error:
        logger.exception("WeasyPrint failed to render a document")
        raise PdfRenderError(f"The PDF could not be made: {type(error).__name__}.") from error
