"""An agency's emailed file and the same file uploaded with a logged reply meet one policy:
both keep it with the same type, or both refuse it for the same reason."""

from email.message import EmailMessage

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from freezegun import freeze_time

from rtcc_requests.inbound.services import inbound_ingest
from rtcc_requests.requests.models import Attachment
from tests.support.files import ACCEPTED, DOCX, EXE, HTML, OLE2, PDF, PPTX, XLSX

pytestmark = pytest.mark.django_db

OCTET = "application/octet-stream"
ODP = "application/vnd.oasis.opendocument.presentation"
# (file name, content, the type the browser or the mail client declares, size limit)
CASES = [
    # Kept by both now; before, .msg only by upload and .rtf/.ppt/.pptx/.odp only by email.
    ("reply.msg", OLE2, "application/vnd.ms-outlook", None),
    ("briefing.ppt", OLE2, "application/vnd.ms-powerpoint", None),
    ("letter.rtf", ACCEPTED["letter.rtf"][0], "application/rtf", None),
    ("briefing.pptx", PPTX, OCTET, None),
    ("briefing.odp", ACCEPTED["briefing.odp"][0], ODP, None),
    ("policy.docx", DOCX, OCTET, None),
    # Refused by both, with the same reason.
    ("records.pdf", EXE, "application/pdf", None),
    ("records.pdf", HTML, "application/pdf", None),
    ("budget.docx", XLSX, OCTET, None),
    ("logs.zip", DOCX, "application/zip", None),
    ("winmail.dat", b"\x78\x9f\x3e\x22\x01\x00", "application/ms-tnef", None),
    ("scan.pdf", PDF.ljust(2048, b"0"), "application/pdf", 1000),
]  # fmt: skip


@pytest.fixture(autouse=True)
def _frozen():
    with freeze_time("2026-11-26 18:00:00", tick=True):
        yield


def _email(fresno_request, filename: str, data: bytes, declared: str) -> bytes:
    message = EmailMessage()
    message["From"] = "records@fresno.example"
    message["To"] = fresno_request.reply_address
    message["Subject"] = "By email"
    message["Message-ID"] = "<same-file@fresno.example>"
    message.set_content("The file is attached.")
    maintype, subtype = declared.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


@pytest.mark.parametrize(
    ("filename", "data", "declared", "limit"),
    CASES,
    ids=[f"{name}-{n}" for n, (name, *_rest) in enumerate(CASES)],
)
def test_upload_and_email_keep_or_refuse_the_same_file_alike(
    client, settings, fresno_request, filename, data, declared, limit
):
    if limit:
        settings.ATTACHMENT_MAX_BYTES = limit
    client.force_login(fresno_request.owner)

    page = client.post(
        reverse("requests:reply", kwargs={"pk": fresno_request.pk}),
        {
            "received_on": "2026-11-25",
            "subject": "Uploaded",
            "attachments": [SimpleUploadedFile(filename, data, declared)],
        },
    ).text
    emailed = inbound_ingest(raw=_email(fresno_request, filename, data, declared))

    uploaded = Attachment.objects.filter(communication__subject="Uploaded")
    kept = ["filename", "content_type", "size"]
    assert list(uploaded.values_list(*kept)) == list(
        emailed.communication.attachments.values_list(*kept)
    )
    if not uploaded:
        [refused] = emailed.refused
        assert escape(f"{filename}: {refused.reason}") in page
        assert f"- {filename} ({declared}): {refused.reason}" in emailed.communication.body
    else:
        assert emailed.refused == []
        web, mail = uploaded.get(), emailed.communication.attachments.get()
        assert web.file.read() == mail.file.read() == data
