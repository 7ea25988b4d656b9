"""Reading files with the real programs (Poppler, Tesseract): what a user gets as text."""

import pytest

from rtcc_requests.documents import reading

from ..support.scans import bomb_png, scanned_image, scanned_pdf, scanned_tiff, text_pdf


@pytest.fixture
def write(tmp_path):
    def write(name: str, data: bytes):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


def test_a_text_pdf_gives_each_page_its_own_text(write):
    path = write(
        "policy.pdf", text_pdf(["Automated license plate reader policy", "Retention: 60 days"])
    )
    assert reading.pdf_page_count(path) == 2
    first, second = reading.pdf_text_layer(path, 2)
    assert "license plate reader policy" in first and "Retention: 60 days" in second
    assert not reading.needs_ocr(first)


def test_a_scanned_page_has_no_text_layer_and_ocr_reads_it(write):
    path = write("scan.pdf", scanned_pdf([["Flock Safety contract", "Fresno Police Department"]]))
    [layer] = reading.pdf_text_layer(path, reading.pdf_page_count(path))
    assert reading.needs_ocr(layer)
    text = reading.pdf_page_ocr(path, 1)
    assert "Flock Safety contract" in text and "Fresno Police" in text


def test_images_are_read_by_ocr_frame_by_frame(write):
    png = write("memo.png", scanned_image(["ShotSpotter alert summary"]))
    assert reading.picture(png).frames == 1
    assert "ShotSpotter alert summary" in reading.image_frame_ocr(png, 1)
    tiff = write("fax.tiff", scanned_tiff([["Page one of the fax"], ["Second page: audit log"]]))
    assert reading.picture(tiff).frames == 2
    assert "audit log" in reading.image_frame_ocr(tiff, 2)


def test_a_pdf_longer_than_the_limit_is_refused_with_its_page_count(write, settings):
    settings.DOCUMENT_MAX_PAGES = 2
    path = write("long.pdf", text_pdf(["one", "two", "three"]))
    with pytest.raises(reading.ReadError, match="It has 3 pages; documents of up to 2 pages"):
        reading.pdf_page_count(path)


def test_a_decompression_bomb_is_refused_before_it_is_decoded(write):
    path = write("bomb.png", bomb_png())
    assert path.stat().st_size < 200_000
    with pytest.raises(reading.ReadError, match="too large to read"):
        reading.picture(path)


def test_a_program_that_outgrows_its_memory_limit_fails_with_a_message(write, settings):
    settings.DOCUMENT_READ_MAX_MEMORY = 20 * 1024 * 1024
    path = write("scan.pdf", scanned_pdf([["Body camera policy"]]))
    with pytest.raises(reading.ReadError, match="failed"):
        reading.pdf_page_ocr(path, 1)


def test_a_broken_pdf_is_a_read_error_not_a_crash(write):
    path = write("broken.pdf", b"%PDF-1.4\n%%EOF garbage")
    with pytest.raises(reading.ReadError, match="Reading the PDF failed"):
        reading.pdf_page_count(path)


def test_csv_in_cp1252_is_read_as_text(write):
    path = write("log.csv", "plate,caf\xe9\n7ABC123,hit\n".encode("cp1252"))
    assert reading.plain_text(path) == "plate,caf\xe9\n7ABC123,hit\n"
