"""Released records made by the test itself: a PDF with a text layer, and scans (text drawn
into an image, wrapped as a PDF or kept as PNG/TIFF) that only OCR can read."""

import io

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # fonts-dejavu-core, from bootstrap


def text_pdf(pages: list[str]) -> bytes:
    """A PDF whose pages carry these texts in their text layer (WeasyPrint)."""
    from rtcc_requests.common.pdf import render_pdf

    body = "".join(
        f'<section style="page-break-after: always"><p>{text}</p></section>' for text in pages
    )
    return render_pdf(f"<html><body>{body}</body></html>")


def scanned_page(lines: list[str], *, size: tuple[int, int] = (1275, 1650)) -> Image.Image:
    """A page as a scanner gives it: black text on white, about 150 dpi Letter."""
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 36)
    for number, line in enumerate(lines):
        draw.text((100, 120 + number * 60), line, fill=0, font=font)
    return page


def scanned_pdf(pages: list[list[str]]) -> bytes:
    """An image-only PDF: no text layer at all."""
    images = [scanned_page(lines) for lines in pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return out.getvalue()


def scanned_image(lines: list[str], *, kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    scanned_page(lines).save(out, kind)
    return out.getvalue()


def scanned_tiff(pages: list[list[str]]) -> bytes:
    images = [scanned_page(lines) for lines in pages]
    out = io.BytesIO()
    images[0].save(out, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw")
    return out.getvalue()


def bomb_png(side: int = 30_000) -> bytes:
    """A tiny file that decodes to side x side pixels (900 million by default)."""
    out = io.BytesIO()
    Image.new("1", (side, side), 1).save(out, "PNG", optimize=True)
    return out.getvalue()
