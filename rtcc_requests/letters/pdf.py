"""The one entry point to WeasyPrint: safe fetcher, size and page limits, readable errors."""

import logging

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


def render_pdf(html: str, *, max_pages: int | None = None) -> bytes:
    """Render trusted template output to PDF bytes.

    `html` must come from a Django template (autoescaped): user text inside it is text.
    Resources load only through SafeURLFetcher (data: and static: URLs).
    """
    if len(html) > MAX_HTML_CHARS:
        raise PdfTooLong(
            f"The document is too long to print ({len(html):,} characters; "
            f"the limit is {MAX_HTML_CHARS:,})."
        )
    max_pages = max_pages or MAX_PAGES
    fetcher = SafeURLFetcher()
    try:
        # base_url=None: relative URLs resolve to nothing instead of to the filesystem.
        document = HTML(string=html, base_url=None, url_fetcher=fetcher).render()
    except Exception as error:
        logger.exception("WeasyPrint failed to lay out a document")
        raise PdfRenderError(f"The PDF could not be laid out: {type(error).__name__}.") from error
    pages = len(document.pages)
    if pages > max_pages:
        raise PdfTooLong(
            f"The document would be {pages} pages long; the limit is {max_pages}. "
            "Shorten the text and try again."
        )
    try:
        return document.write_pdf()
    except Exception as error:
        logger.exception("WeasyPrint failed to write a PDF")
        raise PdfRenderError(f"The PDF could not be written: {type(error).__name__}.") from error
