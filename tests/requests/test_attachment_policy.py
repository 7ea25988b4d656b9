"""The one attachment policy: what it keeps, what it refuses and why. No database."""

import codecs
import io

import pytest

from rtcc_requests.requests.attachment_policy import (
    ACCEPTED_TYPES,
    HEAD_BYTES,
    AttachmentRefused,
    Refusal,
    accepted_type,
)
from tests.support.files import ACCEPTED, DOCM, DOCX, EXE, HTML, OLE2, PDF, XLSX, zip_of

MAX = 25 * 1024 * 1024


def _check(filename: str, data: bytes, **kwargs) -> str:
    kwargs.setdefault("max_bytes", MAX)
    return accepted_type(filename=filename, size=len(data), content=data, **kwargs)


def _refusal(filename: str, data: bytes, **kwargs) -> AttachmentRefused:
    with pytest.raises(AttachmentRefused) as refused:
        _check(filename, data, **kwargs)
    return refused.value


class TestEveryAcceptedTypeIsKept:
    @pytest.mark.parametrize(("filename", "sample"), ACCEPTED.items(), ids=list(ACCEPTED))
    def test_a_real_minimal_file_is_kept_with_its_canonical_type(self, filename, sample):
        data, content_type = sample
        assert _check(filename, data) == content_type

    def test_every_extension_of_the_policy_has_a_sample_here(self):
        tested = {"." + name.rsplit(".", 1)[1] for name in ACCEPTED}
        assert tested == {e for t in ACCEPTED_TYPES for e in t.extensions}

    def test_the_extension_is_read_whatever_its_case(self):
        assert _check("SCAN0001.PDF", PDF) == "application/pdf"

    def test_a_file_object_is_read_and_left_where_it_was(self):
        handle = io.BytesIO(DOCX)
        handle.seek(5)
        size = len(DOCX)
        content_type = accepted_type(filename="p.docx", size=size, content=handle, max_bytes=MAX)
        assert content_type.endswith("wordprocessingml.document")
        assert handle.tell() == 5


class TestContentMustMatchTheName:
    def test_a_renamed_program_is_refused_and_named(self):
        refused = _refusal("records.pdf", EXE)
        assert refused.refusal == Refusal.MISMATCH
        assert refused.reason == (
            "its name says it is a PDF document, but its content is a Windows program."
        )
        assert str(refused) == f"records.pdf: {refused.reason}"

    def test_a_web_page_named_pdf_is_refused(self):
        refused = _refusal("records.pdf", HTML)
        assert refused.refusal == Refusal.MISMATCH
        assert "but its content is a web page (HTML)." in refused.reason

    def test_another_accepted_kind_under_the_wrong_name_is_refused_and_named(self):
        refused = _refusal("scan.pdf", ACCEPTED["scan.png"][0])
        assert refused.reason.endswith("but its content is a PNG image.")

    def test_an_excel_workbook_renamed_docx_is_refused(self):
        refused = _refusal("policy.docx", XLSX)
        assert refused.reason == (
            "its name says it is a Word document, but its content is an Excel workbook."
        )

    def test_a_macro_enabled_document_renamed_docx_is_refused(self):
        refused = _refusal("policy.docx", DOCM)
        assert (
            refused.reason
            == "its name says it is a Word document, but its content is a ZIP archive."
        )

    def test_a_zip_that_is_no_document_is_refused(self):
        refused = _refusal("briefing.odp", zip_of({"logs/2026-11.csv": b"plate,time\r\n"}))
        assert refused.refusal == Refusal.MISMATCH

    def test_a_truncated_or_broken_zip_is_refused_not_crashed_on(self):
        assert _refusal("policy.docx", DOCX[:60]).refusal == Refusal.MISMATCH
        assert _refusal("policy.docx", b"PK\x03\x04" + b"\xff" * 200).refusal == Refusal.MISMATCH

    def test_only_a_bounded_part_of_a_zip_entry_is_read(self):
        # The Word marker sits 4 MB into a highly compressible [Content_Types].xml: the
        # policy stops reading long before it, as it would in a ZIP bomb.
        types = b" " * (4 * 1024 * 1024) + b"wordprocessingml.document.main+xml"
        assert len(bomb := zip_of({"[Content_Types].xml": types})) < 64 * 1024
        assert _refusal("policy.docx", bomb).refusal == Refusal.MISMATCH

    def test_old_office_formats_need_the_ole2_header(self):
        assert _check("reply.msg", OLE2) == "application/vnd.ms-outlook"
        assert _refusal("reply.msg", b"\xd0\xcf\x11\xe0" + b"\x00" * 8).refusal == Refusal.MISMATCH

    def test_a_heic_may_carry_any_heif_brand_but_avif_is_not_heic(self):
        assert _check("IMG_1.heic", b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00") == "image/heic"
        refused = _refusal("IMG_1.heic", b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00mif1")
        assert refused.refusal == Refusal.MISMATCH

    def test_binary_named_text_is_refused(self):
        refused = _refusal("reads.csv", b"plate,time\x00\x00\x01\x02binary")
        assert refused.reason == "its name says it is a CSV file, but its content is binary data."

    def test_text_with_a_nul_after_the_first_block_is_still_text(self):
        # Only the first block is read: a log with a stray NUL deep inside is kept.
        assert _check("log.txt", b"a" * HEAD_BYTES + b"\x00") == "text/plain"

    def test_text_in_windows_1252_and_utf_16_is_text(self):
        assert _check("reads.csv", "Pe\u00f1a,\u201cALPR\u201d\r\n".encode("cp1252")) == "text/csv"
        utf16 = codecs.BOM_UTF16_LE + "plate\tcamera\r\n".encode("utf-16-le")
        assert _check("export.txt", utf16) == "text/plain"

    def test_an_eml_must_start_with_headers(self):
        assert _check("fwd.eml", b"Received: from mx\r\n\tby here\r\nSubject: x\r\n\r\n")
        refused = _refusal("fwd.eml", b"Just some words, no headers.\n")
        assert refused.reason == "its name says it is an email message, but its content is text."

    def test_a_declared_type_does_not_override_the_name(self):
        # Mail clients and browsers guess; the name and the bytes decide.
        assert _check("letter.pdf", PDF, declared="application/x-msdownload") == "application/pdf"
        assert _refusal("viewer.exe", PDF, declared="application/pdf").refusal == Refusal.TYPE


class TestANameWithoutExtension:
    def test_uses_the_declared_type_and_still_checks_the_content(self):
        assert _check("SCAN0001", PDF, declared="application/pdf") == "application/pdf"
        assert _check("Scan 2026.11.24", PDF, declared="application/x-pdf") == "application/pdf"
        refused = _refusal("SCAN0001", EXE, declared="application/pdf")
        assert refused.reason == (
            "its declared type (application/pdf) says it is a PDF document, but its content "
            "is a Windows program."
        )

    def test_with_a_generic_declared_type_is_refused(self):
        refused = _refusal("SCAN0001", PDF, declared="application/octet-stream")
        assert refused.refusal == Refusal.TYPE


class TestRefusedTypes:
    @pytest.mark.parametrize(
        "filename", ["viewer.exe", "logs.zip", "macro.xlsm", "page.html", "run.bat", "x.docm"]
    )
    def test_other_kinds_are_refused_with_what_is_accepted(self, filename):
        refused = _refusal(filename, b"PK\x03\x04 whatever")
        assert refused.refusal == Refusal.TYPE
        assert refused.reason.startswith("this type of file is not accepted. Only PDF, images,")
        assert "msg, odp, ods, odt, pdf" in refused.reason

    def test_winmail_dat_is_explained(self):
        refused = _refusal("winmail.dat", b"\x78\x9f\x3e\x22", declared="application/ms-tnef")
        assert refused.reason.startswith("winmail.dat is Outlook's private TNEF wrapper")

    def test_a_tnef_part_under_another_name_is_explained_too(self):
        refused = _refusal("attachment-2.bin", b"\x78\x9f\x3e\x22", declared="application/ms-tnef")
        assert "TNEF" in refused.reason


class TestSize:
    def test_over_the_limit_is_refused_with_both_sizes(self):
        refused = _refusal("scan.pdf", PDF.ljust(2048, b"0"), max_bytes=1000)
        assert refused.refusal == Refusal.TOO_LARGE
        assert refused.reason.startswith(
            "it is 2.0\xa0KB; the largest file accepted is 1000\xa0bytes."
        )

    def test_the_limit_itself_is_accepted(self):
        assert _check("scan.pdf", PDF, max_bytes=len(PDF)) == "application/pdf"

    def test_the_limit_is_the_setting_by_default(self, settings):
        settings.ATTACHMENT_MAX_BYTES = 10
        with pytest.raises(AttachmentRefused, match="largest file accepted is 10\xa0bytes"):
            accepted_type(filename="scan.pdf", size=len(PDF), content=PDF)

    def test_a_file_too_large_to_read_is_refused_unread(self):
        with pytest.raises(AttachmentRefused) as refused:
            accepted_type(
                filename="footage.pdf", size=30 * 1024 * 1024, content=None, max_bytes=MAX
            )
        assert refused.value.refusal == Refusal.TOO_LARGE

    def test_an_empty_file_is_refused(self):
        assert _refusal("scan.pdf", b"").refusal == Refusal.EMPTY
