"""Reading what a PDF says, for tests of letters and printable pages."""

import shutil
import subprocess
from io import BytesIO

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """The PDF's text with whitespace collapsed (pdftotext when installed, else pypdf)."""
    assert data.startswith(b"%PDF"), data[:40]
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode("utf-8")
    else:
        text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    return " ".join(text.split())


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(BytesIO(data)).pages)
