"""A released file becomes a document, read page by page, with failures visible and retried."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from rtcc_requests.documents.models import Document, TextStatus
from rtcc_requests.documents.services import (
    DocumentError,
    document_page_image,
    document_read,
    document_retry,
    documents_read_waiting,
)
from rtcc_requests.requests.choices import CommunicationKind, Direction
from rtcc_requests.requests.services import attachment_add, communication_log

from ..support.scans import scanned_pdf, text_pdf
from .conftest import released

pytestmark = pytest.mark.django_db


def test_a_reply_with_a_scanned_pdf_becomes_a_document_with_its_ocr_text(
    public_request, django_capture_on_commit_callbacks
):
    scan = scanned_pdf([["Gunshot detection contract"], ["Renewal term three years"]])
    with django_capture_on_commit_callbacks(execute=True):
        document = released(public_request, "contract.pdf", scan)
    document.refresh_from_db()
    assert document.status == TextStatus.READ
    assert (document.page_count, document.pages_read, document.pages_ocr) == (2, 2, 2)
    assert document.sha256 == hashlib.sha256(scan).hexdigest()
    assert "Gunshot detection contract" in document.text
    assert "Renewal term" in document.pages.get(number=2).text


def test_a_text_pdf_is_read_from_its_text_layer_without_ocr(
    public_request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = released(
            public_request,
            "policy.pdf",
            text_pdf(["ALPR usage policy 462: retention of plate reads"]),
        )
    document.refresh_from_db()
    assert document.status == TextStatus.READ and document.pages_ocr == 0
    assert "ALPR usage policy 462" in document.text


def test_a_letter_we_send_is_no_released_document(public_request):
    letter = communication_log(
        records_request=public_request,
        actor=public_request.owner,
        direction=Direction.OUTGOING,
        kind=CommunicationKind.LETTER,
        letter_kind="request",
    )
    attachment_add(communication=letter, file=_file("ours.pdf", text_pdf(["our letter"])))
    assert not Document.objects.exists()


def test_a_word_file_is_kept_but_its_text_is_not_read(public_request):
    from ..support.files import ooxml

    docx = ooxml(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "word/document.xml",
    )
    document = released(public_request, "memo.docx", docx)
    assert document.status == TextStatus.NOT_READ


def test_a_failure_is_shown_and_a_retry_reads_from_the_first_unread_page(
    public_request, settings, django_capture_on_commit_callbacks
):
    settings.DOCUMENT_MAX_PAGES = 1
    with django_capture_on_commit_callbacks(execute=True):
        document = released(public_request, "two.pdf", text_pdf(["first page", "second page"]))
    document.refresh_from_db()
    assert document.status == TextStatus.FAILED
    assert document.error.startswith("It has 2 pages; documents of up to 1 pages are read")
    settings.DOCUMENT_MAX_PAGES = 10
    with django_capture_on_commit_callbacks(execute=True):
        document_retry(document=document, actor=public_request.owner)
    document.refresh_from_db()
    assert document.status == TextStatus.READ and document.attempts == 2
    assert "second page" in document.text


def test_only_those_working_on_the_request_may_retry(public_request, other_user, settings):
    settings.DOCUMENT_MAX_PAGES = 1
    document = released(public_request, "two.pdf", text_pdf(["a", "b"]))
    document_read(document_id=document.pk)
    document.refresh_from_db()
    with pytest.raises(DocumentError):
        document_retry(document=document, actor=other_user)


def test_a_reader_that_died_gives_the_document_back_to_the_queue(
    public_request, django_capture_on_commit_callbacks
):
    document = released(public_request, "p.pdf", text_pdf(["a page"]))
    long_ago = timezone.now() - timedelta(hours=2)
    Document.objects.filter(pk=document.pk).update(
        status=TextStatus.READING, claimed_at=long_ago, queued_at=long_ago
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert documents_read_waiting() == [document.pk]
    document.refresh_from_db()
    assert document.status == TextStatus.READ


def test_a_document_is_read_once_however_often_its_task_runs(public_request):
    document = released(public_request, "p.pdf", text_pdf(["a page"]))
    assert document_read(document_id=document.pk) == TextStatus.READ
    assert document_read(document_id=document.pk) == TextStatus.READ
    document.refresh_from_db()
    assert document.attempts == 1 and document.pages.count() == 1


def test_page_images_are_drawn_once_and_only_for_pages_that_exist(public_request):
    document = released(public_request, "p.pdf", scanned_pdf([["Page image test"]]))
    document_read(document_id=document.pk)
    document.refresh_from_db()
    name = document_page_image(document=document, number=1)
    from django.core.files.storage import default_storage

    with default_storage.open(name, "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"
    assert document_page_image(document=document, number=1) == name
    with pytest.raises(DocumentError):
        document_page_image(document=document, number=2)


def _file(name, data):
    from django.core.files.base import ContentFile

    return ContentFile(data, name=name)


def test_a_backlog_is_not_queued_again_on_every_sweep(public_request):
    document = released(public_request, "p.pdf", text_pdf(["a page of the backlog"]))
    assert documents_read_waiting() == []  # just queued: its message is on its way
    later = timezone.now() + timedelta(minutes=11)
    assert documents_read_waiting(now=later) == [document.pk]  # waited too long: once more
    assert documents_read_waiting(now=later + timedelta(minutes=5)) == []
