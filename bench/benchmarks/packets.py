"""Court packets: the time to build one and the memory it takes, for a long request.

Sizes: `sizes["packets"]` are numbers of communications on one request (half letters, each
with its PDF, its public copy and, for every other one, the email as sent; half replies
from the agency, each with its original email), with a document of DOCUMENT_KB on one
communication in four (200 communications: 50 documents, 10 MB). The documents are random
bytes behind a PDF header: they do not compress, like the scans agencies send.

Rows, each the whole build (`packet_request`, then `packet_build` as the task runs it: the
timeline PDF, every file copied into the ZIP in chunks, the manifests, the ZIP to storage):

- "court packet: full" and "court packet: public" (the public copies, text for the replies);
- "court packet: full, 5x larger documents": the same with documents five times larger,
  to show the memory does not follow the files' size (only the timeline's length).

Python's peak (tracemalloc) misses Pango/Cairo's native memory: the note gives the growth
of the process's peak RSS during the row as well. Everything is made inside a transaction
that is rolled back, its files in a temporary media folder removed afterwards.
"""

import os
import resource
import tempfile
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from bench.measuring import BenchRow, measure, row
from rtcc_requests.agencies.models import Agency
from rtcc_requests.common.pdf import render_pdf
from rtcc_requests.laws.models import Law
from rtcc_requests.packets.models import Audience, Packet
from rtcc_requests.packets.services import packet_build, packet_request
from rtcc_requests.requests import services as request_services
from rtcc_requests.requests.choices import (
    CommunicationKind,
    Direction,
    EventKind,
    LetterKind,
    PdfStatus,
)
from rtcc_requests.requests.letters.services import public_pdf_name
from rtcc_requests.requests.models import Attachment, Communication, RequestEvent

# The keys of bench SIZES this module reads (the command stages its calls by them).
SIZE_KEYS = ("packets",)

DOCUMENT_KB = 200
LARGER = 5
RUNS = 2
FULL_ROW, PUBLIC_ROW = "court packet: full", "court packet: public"
LARGER_ROW = f"court packet: full, {LARGER}x larger documents"
ROW_NAMES = (FULL_ROW, PUBLIC_ROW, LARGER_ROW)


class _Rollback(Exception):
    pass


def run(*, sizes: dict[str, list[int]]) -> list[BenchRow]:
    rows: list[BenchRow] = []
    for communications in sizes.get("packets", []):
        with tempfile.TemporaryDirectory(prefix="bench-packets-") as media:
            with override_settings(MEDIA_ROOT=media):
                try:
                    with transaction.atomic():
                        rows.extend(_bench(communications))
                        raise _Rollback
                except _Rollback:
                    pass
    return rows


def _document(kb: int) -> bytes:
    return b"%PDF-1.4\n" + os.urandom(kb * 1024) + b"\n%%EOF\n"


def _eml(n: int, token: str) -> bytes:
    lines = [
        "From: Records Unit <records@bench-pd.example>",
        f"To: request+{token}@requests.localhost",
        f"Subject: RE: Public records request (message {n})",
        f"Message-ID: <bench-{n}-{token}@bench-pd.example>",
        "Content-Type: text/plain; charset=utf-8",
        "",
        *[f"Line {i} of the agency's reply about the ALPR audit logs." for i in range(60)],
    ]
    return "\r\n".join(lines).encode()


def _setup(communications: int):
    """A filed request with `communications` letters and replies; (request, documents)."""
    owner = get_user_model().objects.create_user(
        username=f"bench-packets-{timezone.now().timestamp()}", email="bench@example.org"
    )
    agency = Agency.objects.create(
        name="Bench Police Department",
        slug=f"bench-packets-pd-{owner.pk}",
        state="CA",
        records_email="records@bench-pd.example",
    )
    draft = request_services.request_create(
        owner=owner,
        agency=agency,
        law=Law.objects.get(code="ca-cpra"),
        title="ALPR audit logs, a long correspondence",
        records_sought="The ALPR policy, audit logs and vendor contracts since 2020.",
    )
    received = timezone.localdate() - timedelta(days=communications + 30)
    records_request = request_services.request_file(
        records_request=draft,
        actor=owner,
        method="portal",
        filed_on=received,
        received_on=received,
    )
    letter_pdf = render_pdf("<p>Dear custodian, please find my request attached.</p>")
    start = timezone.now() - timedelta(days=communications)
    made = []
    for n in range(communications):
        letter = n % 2 == 0
        communication = Communication(
            request=records_request,
            direction=Direction.OUTGOING if letter else Direction.INCOMING,
            kind=CommunicationKind.LETTER if letter else CommunicationKind.REPLY,
            letter_kind=LetterKind.FOLLOW_UP if letter else "",
            sent_at=start + timedelta(days=n),
            subject=f"Follow-up {n}" if letter else f"RE: Public records request ({n})",
            body="\n".join(f"Paragraph {i} of the letter or reply." for i in range(20)),
            from_address="" if letter else "Records Unit <records@bench-pd.example>",
            to_address="records@bench-pd.example" if letter else records_request.reply_address,
            pdf_status=PdfStatus.READY if letter else PdfStatus.NONE,
        )
        if letter:
            communication.pdf.save(f"letter-{n}.pdf", ContentFile(letter_pdf), save=False)
            communication.pdf.storage.save(
                public_pdf_name(communication.pdf.name), ContentFile(letter_pdf)
            )
        if not letter or n % 4 == 0:
            communication.raw_message.save(
                "message.eml", ContentFile(_eml(n, records_request.reply_token)), save=False
            )
        made.append(communication)
    made = Communication.objects.bulk_create(made)
    RequestEvent.objects.bulk_create(
        RequestEvent(
            request=records_request,
            kind=EventKind.COMMUNICATION,
            message=f"Logged: {c.subject}",
            at=c.sent_at,
            data={"communication": c.pk},
        )
        for c in made
    )
    documents = []
    for n, communication in enumerate(made[::4]):
        attachment = Attachment(
            communication=communication,
            filename=f"records-part-{n}.pdf",
            content_type="application/pdf",
            size=DOCUMENT_KB * 1024,
        )
        attachment.file.save(attachment.filename, ContentFile(_document(DOCUMENT_KB)), save=False)
        documents.append(attachment)
    Attachment.objects.bulk_create(documents)
    return records_request, documents


def _build(records_request, audience: str) -> Packet:
    """One whole build, as the button and the task make it: a fresh packet each time."""
    Packet.objects.filter(request=records_request).delete()
    # Inside the benchmark's transaction nothing commits: the task queued on commit never
    # runs, and the build is called here as the task would call it.
    asked = packet_request(records_request=records_request, audience=audience, actor=None)
    outcome = packet_build(packet_id=asked.packet.pk, token=asked.packet.build_token)
    assert outcome == "ready", outcome
    return Packet.objects.get(pk=asked.packet.pk)


def _bench(communications: int) -> list[BenchRow]:
    records_request, documents = _setup(communications)
    rows = []
    for name, audience in (
        (FULL_ROW, Audience.FULL),
        (PUBLIC_ROW, Audience.PUBLIC),
        (LARGER_ROW, Audience.FULL),
    ):
        if name == LARGER_ROW:
            for attachment in documents:
                with attachment.file.open("wb") as handle:
                    handle.write(_document(DOCUMENT_KB * LARGER))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        timing = measure(
            lambda audience=audience: _build(records_request, audience), runs=RUNS, warmup=0
        )
        rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss_before
        packet = Packet.objects.get(request=records_request)
        kb = DOCUMENT_KB * (LARGER if name == LARGER_ROW else 1)
        zip_mb = packet.size / 1024 / 1024
        rows.append(
            row(
                name,
                communications,
                timing,
                note=f"{len(documents)} documents of {kb} KB; ZIP {zip_mb:.1f} MB, "
                f"{packet.files} files; peak RSS +{rss_growth:.0f} MB; size = communications",
            )
        )
    return rows
