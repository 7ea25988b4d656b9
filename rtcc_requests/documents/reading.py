"""Reading a released file: its pages, their text, their images. No database.

Poppler's tools (pdfinfo, pdftotext, pdftoppm) and Tesseract run as child processes with a
time limit and an address-space limit, so a hostile file (a PDF of a million pages, a page
the size of a football field, a decompression bomb) costs a bounded amount of both and ends
in a `ReadError` that says what happened. Tesseract is called per page rather than through
ocrmypdf: progress is then counted per page and a retry starts at the first page not read,
where ocrmypdf rewrites the whole PDF on every run.
"""

import codecs
import io
import os
import re
import resource
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from PIL import Image, UnidentifiedImageError

PDF = "application/pdf"
IMAGES = frozenset({"image/png", "image/jpeg", "image/tiff", "image/gif", "image/webp"})
TEXT = frozenset({"text/plain", "text/csv"})

# A page whose text layer has fewer letters than this is a scan (or a cover with a
# stamp): it is OCRed.
MIN_LETTERS = 20
# OCR reads a page drawn to fit this box: about 300 dpi for Letter or A4, far less for a
# page whose stated size is absurd, so one page's bitmap stays a few tens of megabytes.
OCR_PIXELS = 3300
_LETTER = re.compile(r"[^\W\d_]")


class ReadError(Exception):
    """A file we could not read; the message is for the person looking at the document."""


def reads_text_of(content_type: str) -> bool:
    return has_page_images(content_type) or content_type in TEXT


def has_page_images(content_type: str) -> bool:
    """Whether its pages can be drawn as images (pdftoppm, Pillow)."""
    return content_type == PDF or content_type in IMAGES


def _limit_memory() -> None:  # pragma: no cover - runs in the child before exec
    limit = settings.DOCUMENT_READ_MAX_MEMORY
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _run(args: list[str], *, what: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(  # noqa: S603 - fixed programs, arguments are ours
            args,
            input=stdin,
            capture_output=True,
            timeout=settings.DOCUMENT_READ_TIMEOUT,
            preexec_fn=_limit_memory,  # noqa: PLW1509 - no threads are started before exec
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # one core per page, predictably
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ReadError(
            f"{what} took longer than {settings.DOCUMENT_READ_TIMEOUT} seconds and was stopped."
        ) from error
    if done.returncode != 0:
        problem = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
        raise ReadError(f"{what} failed: {problem[0][:300]}")
    return done.stdout


def _too_many(pages: int) -> ReadError:
    return ReadError(
        f"It has {pages:,} pages; documents of up to {settings.DOCUMENT_MAX_PAGES:,} pages are "
        "read. Download it to read it, or ask the agency to split it."
    )


def pdf_page_count(path: Path) -> int:
    info = _run(["pdfinfo", str(path)], what="Reading the PDF").decode("utf-8", "replace")
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    if match is None:
        raise ReadError("The PDF does not say how many pages it has.")
    pages = int(match.group(1))
    if pages > settings.DOCUMENT_MAX_PAGES:
        raise _too_many(pages)
    return pages


def pdf_text_layer(path: Path, pages: int) -> list[str]:
    """Each page's own text, in reading order ("" for a page that has none)."""
    raw = _run(
        ["pdftotext", "-enc", "UTF-8", "-l", str(pages), str(path), "-"],
        what="Reading the PDF's text",
    )
    texts = raw.decode("utf-8", "replace").split("\f")  # pdftotext ends every page with one
    return [text.strip() for text in (texts + [""] * pages)[:pages]]


def needs_ocr(text: str) -> bool:
    return len(_LETTER.findall(text[:2000])) < MIN_LETTERS


def _ocr_png(png: bytes) -> str:
    text = _run(
        ["tesseract", "stdin", "stdout", "-l", settings.DOCUMENT_OCR_LANGUAGES, "--psm", "1"],
        stdin=png,
        what="OCR",
    )
    return text.decode("utf-8", "replace").strip()


def pdf_page_png(path: Path, number: int, *, pixels: int) -> bytes:
    """One page drawn as a greyscale PNG fitting a `pixels` square."""
    return _run(
        [
            "pdftoppm", "-f", str(number), "-l", str(number), "-scale-to", str(pixels),
            "-gray", "-png", "-singlefile", str(path),  # no output root: to stdout
        ],
        what=f"Drawing page {number}",
    )  # fmt: skip


def pdf_page_ocr(path: Path, number: int) -> str:
    return _ocr_png(pdf_page_png(path, number, pixels=OCR_PIXELS))


@dataclass(frozen=True)
class Picture:
    """An image file's frames (a TIFF may hold many pages)."""

    frames: int


def _open_image(path: Path) -> Image.Image:
    # Pillow reads only the header here; its own bomb check refuses absurd sizes.
    Image.MAX_IMAGE_PIXELS = settings.DOCUMENT_MAX_IMAGE_PIXELS
    try:
        image = Image.open(path)
    except Image.DecompressionBombError as error:
        raise ReadError(
            "The image is too large to read: it would be more than "
            f"{settings.DOCUMENT_MAX_IMAGE_PIXELS:,} pixels."
        ) from error
    except (UnidentifiedImageError, OSError) as error:
        raise ReadError("The image could not be opened.") from error
    width, height = image.size
    if width * height > settings.DOCUMENT_MAX_IMAGE_PIXELS:
        raise ReadError(
            f"The image is {width:,} by {height:,} pixels; images of up to "
            f"{settings.DOCUMENT_MAX_IMAGE_PIXELS:,} pixels are read."
        )
    return image


def picture(path: Path) -> Picture:
    with _open_image(path) as image:
        frames = getattr(image, "n_frames", 1)
    if frames > settings.DOCUMENT_MAX_PAGES:
        raise _too_many(frames)
    return Picture(frames=frames)


def image_frame_png(path: Path, number: int, *, pixels: int) -> bytes:
    """Frame `number` (from 1) as a PNG fitting a `pixels` square, never enlarged."""
    with _open_image(path) as image:
        try:
            image.seek(number - 1)
            image.draft("L", (pixels, pixels))  # JPEG: decode at a reduced size
            frame = image.convert("L")
        except (EOFError, OSError, Image.DecompressionBombError) as error:
            raise ReadError(f"Page {number} of the image could not be drawn.") from error
    frame.thumbnail((pixels, pixels))
    out = io.BytesIO()
    frame.save(out, "PNG")
    return out.getvalue()


def image_frame_ocr(path: Path, number: int) -> str:
    return _ocr_png(image_frame_png(path, number, pixels=OCR_PIXELS))


def plain_text(path: Path) -> str:
    limit = settings.DOCUMENT_MAX_TEXT_CHARS
    with path.open("rb") as handle:
        data = handle.read(limit * 4)
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16", "replace")[:limit]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", "replace")  # what Excel writes a CSV in
    return text[:limit]
