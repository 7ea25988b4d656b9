"""Released records: each file an agency released is a document of its request, read page
by page into text that search finds."""

import secrets

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from rtcc_requests.requests.models import Attachment, Communication, RecordsRequest


class TextStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to be read"
    READING = "reading", "Being read"
    READ = "read", "Text read"
    FAILED = "failed", "Could not be read"
    # A kind of file whose text we do not read (Word, spreadsheets, email): download it.
    NOT_READ = "not_read", "Text not read for this kind of file"


# The document page shows its pages this many at a time.
PAGES_PER_SCREEN = 20


def new_storage_key() -> str:
    return secrets.token_hex(8)


class Document(models.Model):
    """One released file: the attachment it is, and what reading it found.

    `request` and `communication` repeat the attachment's, so lists, search and privacy
    (a private communication's files are private) read one row instead of two joins.
    """

    attachment = models.OneToOneField(Attachment, on_delete=models.CASCADE, related_name="document")
    communication = models.ForeignKey(Communication, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(RecordsRequest, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=255)
    received_on = models.DateField(help_text="The day the reply carrying it arrived.")
    sha256 = models.CharField("SHA-256", max_length=64)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    pages_read = models.PositiveIntegerField(default=0)
    pages_ocr = models.PositiveIntegerField("pages read by OCR", default=0)
    status = models.CharField(max_length=10, choices=TextStatus.choices, default=TextStatus.WAITING)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When its read was last put on the queue: the sweep queues again only what has waited
    # there too long (a lost message), not every document of a backlog.
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(blank=True)
    # The title and text as PostgreSQL reads them (weights A and B), written with the text;
    # empty on SQLite, which searches the text itself (search.py).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    # Part of where its page images are stored, so their paths cannot be guessed.
    storage_key = models.CharField(max_length=16, default=new_storage_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        indexes = [
            models.Index(fields=["request", "received_on"], name="document_request"),
            models.Index(fields=["status", "claimed_at"], name="document_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", kwargs={"pk": self.pk})

    def page_url(self, number: int) -> str:
        """Where page `number` is shown: the screen of pages holding it, at its anchor."""
        screen = (number - 1) // PAGES_PER_SCREEN + 1
        return f"{self.get_absolute_url()}?page={screen}#page-{number}"

    @property
    def progress_percent(self) -> int:
        if not self.page_count:
            return 0
        return min(100, round(100 * self.pages_read / self.page_count))


class DocumentPage(models.Model):
    """A page's text, as its text layer gives it or OCR read it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    ocr = models.BooleanField(default=False, help_text="Read from its image by OCR.")
    # For finding which page of a found document matches, and its snippet (PostgreSQL).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_page_once"),
        ]

    def __str__(self) -> str:
        return f"{self.document} p. {self.number}"
