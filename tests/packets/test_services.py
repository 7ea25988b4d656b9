"""The court packet as a lawyer files it: every file listed with its digest, the originals
byte for byte, the timeline's deadlines and citations; the public packet holds back what
the public page does; one build however often it is asked for; failures that say so."""

import hashlib
from datetime import date, timedelta

import pytest
from celery.exceptions import Retry
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from freezegun import freeze_time

from rtcc_requests.agencies.selectors import closure_days
from rtcc_requests.packets import tasks
from rtcc_requests.packets.models import Audience, Packet, PacketStatus
from rtcc_requests.packets.selectors import packet_state
from rtcc_requests.packets.services import packet_request
from rtcc_requests.requests import next_step, services
from rtcc_requests.requests.choices import CommunicationKind, DeterminationKind, Direction
from rtcc_requests.requests.letters.services import request_send_by_email
from rtcc_requests.requests.models import Attachment, Communication
from rtcc_requests.requests.rules import deficiency_citation

from .. import factories
from ..inbound.conftest import eml
from ..support.pdf import pdf_text
from .conftest import _owner, ingest, packet_zip

pytestmark = pytest.mark.django_db

PHONE = "559-555-0100"
PRIVATE_NOTE = "Private: the chief's cousin runs the vendor"
PRIVATE_REPLY = "Off the record, the audit logs were deleted in March"
DETERMINATION_NOTES = "Our lawyer thinks the catch-all will not hold"


def _make(records_request, audience, capture, actor=None) -> Packet:
    with capture(execute=True):
        asked = packet_request(
            records_request=records_request, audience=audience, actor=actor or records_request.owner
        )
    packet = asked.packet
    packet.refresh_from_db()
    return packet


def _texts(unzipped) -> dict[str, str]:
    """Every file of the packet as the text a reader (or a search) finds in it."""
    found = {}
    for name in unzipped.names:
        data = unzipped.read(name)
        made_here = name == "timeline.pdf" or name.startswith("letters/") and name.endswith(".pdf")
        found[name] = pdf_text(data) if made_here else data.decode("latin-1")
    return found


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-12-03 12:00:00-08:00"):
        yield


@pytest.fixture
def emailed_request(smtp_server, django_capture_on_commit_callbacks):
    """A public request filed by email on Mon 16 Nov 2026: its letter went through our SMTP
    server (its sent copy kept), and the agency's replies come to its reply address."""
    agency = factories.AgencyFactory(
        name="Fresno Police Department",
        slug="fresno-police-department",
        records_email="records@fresno.example",
    )
    draft = factories.RecordsRequestFactory(
        owner=_owner(),
        agency=agency,
        reply_token="fresnoalpr2026",
        title="ALPR policy and audit logs",
        visibility="public",
    )
    with (
        freeze_time("2026-11-16 10:00:00-08:00"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        request_send_by_email(records_request=draft, actor=draft.owner)
    draft.refresh_from_db()
    assert draft.received_on == date(2026, 11, 16)
    return draft


def _with_private_things(records_request):
    """A reply kept private (with a file), a private note, a public note, and a denial
    whose notes are the requester's own."""
    owner = records_request.owner
    secret = services.communication_log(
        records_request=records_request,
        actor=owner,
        direction=Direction.INCOMING,
        kind=CommunicationKind.REPLY,
        subject="Call notes",
        body=PRIVATE_REPLY,
        is_private=True,
    )
    services.attachment_add(
        communication=secret,
        file=ContentFile(b"%PDF-1.4 private memo", name="private-memo.pdf"),
    )
    services.communication_log(
        records_request=records_request,
        actor=owner,
        direction=Direction.INTERNAL,
        kind=CommunicationKind.NOTE,
        body=PRIVATE_NOTE,
        is_private=True,
    )
    services.communication_log(
        records_request=records_request,
        actor=owner,
        direction=Direction.INTERNAL,
        kind=CommunicationKind.NOTE,
        body="Called the records unit; they promised an answer.",
    )
    services.determination_record(
        records_request=records_request,
        actor=owner,
        kind=DeterminationKind.DENIAL,
        response_date=date(2026, 12, 2),
        exemptions=[factories.exemption("§7922.000")],
        notes=DETERMINATION_NOTES,
    )


class TestManifest:
    def test_it_lists_exactly_the_zips_files_with_their_sizes_and_digests(
        self, emailed_request, django_capture_on_commit_callbacks
    ):
        ingest("alternative.eml")
        ingest("pdf_docx.eml")
        _with_private_things(emailed_request)
        packet = _make(emailed_request, Audience.FULL, django_capture_on_commit_callbacks)
        unzipped = packet_zip(packet)
        rows = unzipped.manifest_rows
        manifests = {"manifest.csv", "manifest.json"}
        assert sorted(r["path"] for r in rows) == sorted(set(unzipped.names) - manifests)
        assert len(unzipped.names) == len(set(unzipped.names))
        for row in rows:
            data = unzipped.read(row["path"])
            assert int(row["bytes"]) == len(data), row["path"]
            assert row["sha256"] == hashlib.sha256(data).hexdigest(), row["path"]
        assert unzipped.manifest["files"] == [
            {**r, "bytes": int(r["bytes"])} for r in rows
        ]  # the JSON says what the CSV says
        # ... and the packet row describes the ZIP it stored.
        assert packet.size == len(unzipped.data) and packet.files == len(rows)
        assert packet.sha256 == hashlib.sha256(unzipped.data).hexdigest()
        what = {r["path"]: r["what"] for r in rows}
        assert what["replies/02-2026-11-24-reply-records-fresno.example.eml"] == (
            "Reply of 2026-11-24 from records@fresno.example, as received (the original email)"
        )

    def test_files_are_numbered_and_dated_so_they_sort_by_date(
        self, emailed_request, django_capture_on_commit_callbacks
    ):
        ingest("pdf_docx.eml")  # Wed 2 Dec
        ingest("alternative.eml")  # Tue 24 Nov, delivered later
        unzipped = packet_zip(
            _make(emailed_request, Audience.FULL, django_capture_on_commit_callbacks)
        )
        assert unzipped.under("letters") == [
            "letters/01-2026-11-16-request-letter.pdf",
            "letters/01-2026-11-16-request-letter.eml",
        ]
        assert unzipped.under("replies") == [
            "replies/02-2026-11-24-reply-records-fresno.example.eml",
            "replies/03-2026-12-02-reply-records-fresno.example.eml",
        ]
        # In the ZIP's order, each file's number and date only ever go up.
        prefixes = [n.split("/", 1)[1][:13] for n in unzipped.names if "/" in n]
        assert prefixes == sorted(prefixes)
        assert [p[3:] for p in prefixes] == sorted(p[3:] for p in prefixes)


class TestOriginals:
    def test_a_replys_original_email_is_byte_for_byte_what_arrived(
        self, fresno_request, django_capture_on_commit_callbacks
    ):
        reply = ingest("latin1.eml")
        packet = _make(fresno_request, Audience.FULL, django_capture_on_commit_callbacks)
        [name] = packet_zip(packet).under("replies")
        assert name.endswith(".eml")
        assert packet_zip(packet).read(name) == eml("latin1.eml")
        assert reply.body not in packet_zip(packet).read(name).decode("latin-1")  # not re-encoded

    def test_a_letter_sent_by_email_has_its_pdf_and_the_bytes_that_went_out(
        self, emailed_request, smtp_server, django_capture_on_commit_callbacks
    ):
        unzipped = packet_zip(
            _make(emailed_request, Audience.FULL, django_capture_on_commit_callbacks)
        )
        [went_out] = smtp_server.raw_messages
        assert unzipped.read("letters/01-2026-11-16-request-letter.eml") == went_out
        letter = pdf_text(unzipped.read("letters/01-2026-11-16-request-letter.pdf"))
        assert "ALPR policy and audit logs" in letter and PHONE in letter
        rows = {r["path"]: r["what"] for r in unzipped.manifest_rows}
        assert rows["letters/01-2026-11-16-request-letter.eml"] == (
            "Request letter of 2026-11-16 to records@fresno.example, the email exactly as it "
            "went to the mail server"
        )

    def test_documents_are_their_original_bytes_under_safe_unique_names(
        self, fresno_request, django_capture_on_commit_callbacks
    ):
        scans = [b"%PDF-1.4 first", b"%PDF-1.4 second", b"%PDF-1.4 third", b"%PDF-1.4 fourth"]
        services.reply_log(
            records_request=fresno_request,
            actor=fresno_request.owner,
            subject="Records",
            received_on=date(2026, 11, 20),
            files=[
                SimpleUploadedFile("scan.pdf", scans[0], "application/pdf"),
                SimpleUploadedFile("Scan.PDF", scans[1], "application/pdf"),
                SimpleUploadedFile("Résumé de l'ALPR ✓.pdf", scans[2], "application/pdf"),
                SimpleUploadedFile("audit.pdf", scans[3], "application/pdf"),
            ],
        )
        # A name edited in the admin, never passed through the upload's cleaning.
        last = Attachment.objects.order_by("pk").last()
        Attachment.objects.filter(pk=last.pk).update(filename="../../../etc/cron.d/x.pdf")
        unzipped = packet_zip(
            _make(fresno_request, Audience.FULL, django_capture_on_commit_callbacks)
        )
        assert unzipped.under("documents") == [
            "documents/01-2026-11-20-scan.pdf",
            "documents/01-2026-11-20-Scan-2.pdf",  # one file on Windows and macOS otherwise
            "documents/01-2026-11-20-Resume-de-l-ALPR.pdf",
            "documents/01-2026-11-20-x.pdf",
        ]
        assert [unzipped.read(n) for n in unzipped.under("documents")] == scans
        assert all(".." not in n and not n.startswith("/") for n in unzipped.names)


class TestPublicPacket:
    def test_it_holds_back_private_things_and_the_original_emails(
        self, emailed_request, django_capture_on_commit_callbacks
    ):
        ingest("alternative.eml")
        _with_private_things(emailed_request)
        full = packet_zip(_make(emailed_request, Audience.FULL, django_capture_on_commit_callbacks))
        public = packet_zip(
            _make(emailed_request, Audience.PUBLIC, django_capture_on_commit_callbacks)
        )
        full_text, public_text = (
            "\n".join(_texts(full).values()),
            "\n".join(_texts(public).values()),
        )
        for secret in (PRIVATE_NOTE, PRIVATE_REPLY, DETERMINATION_NOTES):
            assert secret in full_text and secret not in public_text
        assert any(n.endswith("private-memo.pdf") for n in full.names)
        assert not any("private-memo" in n for n in public.names)
        assert not any(n.endswith(".eml") for n in public.names)
        # The reply's text instead of its original, which carries the secret reply address.
        [reply] = public.under("replies")
        assert reply.endswith(".txt") and "assigned it reference number PRA-2026-0412." in (
            public.read(reply).decode()
        )
        assert "fresnoalpr2026" in full_text and "fresnoalpr2026" not in public_text
        # The letter is its public copy: no phone number.
        [letter] = public.under("letters")
        assert letter.endswith(".pdf")
        assert PHONE not in pdf_text(public.read(letter))
        assert "Called the records unit" in public_text  # a public note is public

    def test_the_public_packet_of_a_reply_with_the_address_in_its_text_withholds_it(
        self, fresno_request, django_capture_on_commit_callbacks
    ):
        services.reply_log(
            records_request=fresno_request,
            actor=fresno_request.owner,
            subject=f"Fwd: to {fresno_request.reply_address}",
            body="> On Mon, you wrote to REQUEST+FRESNOALPR2026@requests.localhost:\n> Hello",
            received_on=date(2026, 11, 20),
        )
        public = packet_zip(
            _make(fresno_request, Audience.PUBLIC, django_capture_on_commit_callbacks)
        )
        text = "\n".join(_texts(public).values()).lower()
        assert "fresnoalpr2026" not in text and "[reply address withheld]" in text


class TestTimeline:
    def test_it_says_how_each_deadline_was_counted_and_cites_each_deficiency(
        self, fresno_request, django_capture_on_commit_callbacks
    ):
        services.determination_record(
            records_request=fresno_request,
            actor=fresno_request.owner,
            kind=DeterminationKind.DENIAL,
            response_date=date(2026, 12, 2),
            exemptions=[factories.exemption("§7922.000")],
        )
        fresno_request.refresh_from_db()
        assert "no_official" in fresno_request.deficiencies
        unzipped = packet_zip(
            _make(fresno_request, Audience.FULL, django_capture_on_commit_callbacks)
        )
        text = pdf_text(unzipped.read("timeline.pdf"))
        [due] = next_step.deadline_rows(
            fresno_request,
            today=date(2026, 12, 3),
            closures=closure_days(agency=fresno_request.agency),
        )
        assert "is Thu 26 Nov 2026, a holiday (Thanksgiving)" in due.why
        assert due.why in text
        assert "Determination due: Mon 30 Nov 2026" in text
        assert "Names no responsible official and title" in text
        assert deficiency_citation("no_official", law_code="ca-cpra") in text
        assert deficiency_citation("catch_all_unexplained", law_code="ca-cpra") in text
        assert "Fresno Police Department" in text and "The ALPR policy and audit logs." in text


class TestAsking:
    def test_asking_again_while_it_is_made_queues_nothing(
        self, fresno_request, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as queued:
            first = packet_request(
                records_request=fresno_request, audience=Audience.FULL, actor=fresno_request.owner
            )
            second = packet_request(
                records_request=fresno_request, audience=Audience.FULL, actor=fresno_request.owner
            )
        assert (first.outcome, second.outcome) == ("queued", "working")
        assert len(queued) == 1 and Packet.objects.count() == 1
        queued[0]()
        packet = Packet.objects.get()
        assert packet.status == PacketStatus.READY and packet.attempts == 1

    def test_a_current_packet_is_not_made_again_and_a_changed_request_makes_it_out_of_date(
        self, fresno_request, django_capture_on_commit_callbacks
    ):
        packet = _make(fresno_request, Audience.FULL, django_capture_on_commit_callbacks)
        made = packet.file.name
        with django_capture_on_commit_callbacks() as queued:
            asked = packet_request(
                records_request=fresno_request, audience=Audience.FULL, actor=fresno_request.owner
            )
        assert asked.outcome == "current" and queued == []
        ingest("alternative.eml")
        state = packet_state(
            records_request=fresno_request, audience=Audience.FULL, today=timezone.localdate()
        )
        assert state.state == "out_of_date" and state.downloadable
        packet = _make(fresno_request, Audience.FULL, django_capture_on_commit_callbacks)
        assert packet.file.name != made and not default_storage.exists(made)
        assert len(packet_zip(packet).under("replies")) == 1

    def test_a_private_note_dates_the_full_packet_but_not_the_public_one(
        self, fresno_request, django_capture_on_commit_callbacks
    ):
        # The public packet's "out of date" must not tell a visitor that something private
        # was added, any more than the public page does.
        _make(fresno_request, Audience.FULL, django_capture_on_commit_callbacks)
        _make(fresno_request, Audience.PUBLIC, django_capture_on_commit_callbacks)
        services.communication_log(
            records_request=fresno_request,
            actor=fresno_request.owner,
            direction=Direction.INTERNAL,
            kind=CommunicationKind.NOTE,
            body=PRIVATE_NOTE,
            is_private=True,
        )
        today = timezone.localdate()
        full = packet_state(records_request=fresno_request, audience=Audience.FULL, today=today)
        public = packet_state(records_request=fresno_request, audience=Audience.PUBLIC, today=today)
        assert (full.state, public.state) == ("out_of_date", "ready")

    def test_a_communication_made_private_later_stops_the_public_packet_being_served(
        self, fresno_request, django_capture_on_commit_callbacks
    ):
        reply = ingest("alternative.eml")
        _make(fresno_request, Audience.PUBLIC, django_capture_on_commit_callbacks)
        Communication.objects.filter(pk=reply.pk).update(is_private=True)  # as in the admin
        state = packet_state(
            records_request=fresno_request, audience=Audience.PUBLIC, today=timezone.localdate()
        )
        assert state.state == "out_of_date" and not state.downloadable

    def test_a_deadline_passing_dates_the_packet(
        self, fresno_request, django_capture_on_commit_callbacks
    ):
        # Its timeline said "still running"; a court would now read "missed".
        with freeze_time("2026-11-20 12:00:00-08:00"):
            _make(fresno_request, Audience.FULL, django_capture_on_commit_callbacks)
            before = packet_state(
                records_request=fresno_request, audience=Audience.FULL, today=date(2026, 11, 20)
            )
        after = packet_state(
            records_request=fresno_request,
            audience=Audience.FULL,
            today=fresno_request.determination_due + timedelta(days=1),
        )
        assert (before.state, after.state) == ("ready", "out_of_date")


class TestFailures:
    def test_a_missing_file_fails_the_build_saying_which_and_it_can_be_made_again(
        self, fresno_request, django_capture_on_commit_callbacks
    ):
        reply = ingest("pdf_docx.eml")
        contract = reply.attachments.get(filename="contract.pdf")
        kept = contract.file.read()
        default_storage.delete(contract.file.name)
        packet = _make(fresno_request, Audience.FULL, django_capture_on_commit_callbacks)
        assert packet.status == PacketStatus.FAILED and not packet.file
        assert "documents/01-2026-12-02-contract.pdf" in packet.error
        assert "missing from storage" in packet.error
        default_storage.save(contract.file.name, ContentFile(kept))
        packet = _make(fresno_request, Audience.FULL, django_capture_on_commit_callbacks)
        assert packet.status == PacketStatus.READY and packet.error == ""
        assert packet_zip(packet).read("documents/01-2026-12-02-contract.pdf") == kept

    def test_storage_trouble_is_tried_again_with_backoff_then_shown(
        self, fresno_request, settings, tmp_path, django_capture_on_commit_callbacks
    ):
        media = settings.MEDIA_ROOT
        blocked = tmp_path / "not-a-folder"
        blocked.write_text("")
        settings.MEDIA_ROOT = str(blocked / "media")  # every write fails: NotADirectoryError
        with django_capture_on_commit_callbacks():
            asked = packet_request(
                records_request=fresno_request, audience=Audience.FULL, actor=fresno_request.owner
            )
        build = {"packet_id": asked.packet.pk, "token": asked.packet.build_token}
        for attempt, countdown in enumerate([10, 40, 160]):
            with pytest.raises(Retry) as retry:
                tasks.build_packet.apply(kwargs=build, retries=attempt)
            assert retry.value.when == countdown
            state = packet_state(
                records_request=fresno_request, audience=Audience.FULL, today=timezone.localdate()
            )
            assert state.state == "pending" and "Trying again" in state.packet.error
        assert tasks.build_packet.apply(kwargs=build, retries=tasks.MAX_RETRIES).get() == "failed"
        packet = Packet.objects.get()
        assert packet.status == PacketStatus.FAILED and packet.attempts == 4
        assert packet.error == (
            "The packet could not be made (NotADirectoryError). Gave up after 4 attempts."
        )
        settings.MEDIA_ROOT = media
        assert _make(fresno_request, Audience.FULL, django_capture_on_commit_callbacks).status == (
            PacketStatus.READY
        )
