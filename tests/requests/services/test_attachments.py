"""Storing files on a communication: only what the attachment policy accepts, whatever
the browser or the mail client claimed."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from rtcc_requests.requests import services
from rtcc_requests.requests.models import Attachment, Communication
from rtcc_requests.requests.services.attachments import attachment_filename
from tests.support.files import EXE, OLE2, PDF

from ...factories import filed_request

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 11, 16)


@pytest.fixture
def reply(user):
    records_request = filed_request(received=RECEIVED, owner=user)
    return services.communication_log(
        records_request=records_request, actor=user, direction="in", kind="reply"
    )


class TestAttachmentAdd:
    def test_it_stores_the_type_the_policy_gives_not_the_declared_one(self, reply):
        attachment = services.attachment_add(
            communication=reply, file=ContentFile(OLE2, name="reply.msg"), declared_type="x/y"
        )
        attachment.refresh_from_db()
        assert (attachment.filename, attachment.content_type, attachment.size) == (
            "reply.msg",
            "application/vnd.ms-outlook",
            len(OLE2),
        )
        assert attachment.file.read() == OLE2

    def test_it_refuses_content_that_contradicts_the_name(self, reply):
        with pytest.raises(services.RequestError) as refused:
            services.attachment_add(
                communication=reply,
                file=SimpleUploadedFile("records.pdf", EXE, "application/pdf"),
            )
        assert str(refused.value) == (
            "records.pdf: its name says it is a PDF document, but its content is a Windows program."
        )
        assert not Attachment.objects.exists()

    def test_a_name_without_extension_is_kept_by_its_declared_type(self, reply):
        attachment = services.attachment_add(
            communication=reply,
            file=ContentFile(PDF, name="SCAN0001"),
            declared_type="application/pdf",
        )
        assert attachment.content_type == "application/pdf"


class TestAttachmentFilename:
    def test_directories_are_dropped(self):
        assert attachment_filename("C:\\Users\\clerk\\letter.pdf") == "letter.pdf"
        assert attachment_filename("../../etc/letter.pdf") == "letter.pdf"
        assert attachment_filename("") == "attachment"

    def test_a_long_name_is_trimmed_but_keeps_its_extension(self):
        name = attachment_filename("a" * 300 + ".docx")
        assert len(name) == 200 and name.endswith("a.docx")


class TestReplyLog:
    def test_one_refused_file_saves_nothing(self, user):
        records_request = filed_request(received=RECEIVED, owner=user)
        with pytest.raises(services.RequestError, match="setup.pdf: its name says"):
            services.reply_log(
                records_request=records_request,
                actor=user,
                subject="Records",
                files=[
                    SimpleUploadedFile("letter.pdf", PDF, "application/pdf"),
                    SimpleUploadedFile("setup.pdf", EXE, "application/pdf"),
                ],
            )
        assert not Communication.objects.filter(kind="reply").exists()
        assert not Attachment.objects.exists()
