"""Making court packets: asking for one (once, however often the button is pressed) and
building it (a ZIP streamed member by member to a temporary file, then to storage).

A build takes seconds to minutes, so it is no single transaction: it claims the packet with
one conditional UPDATE (`packet_build`), reads and writes outside any transaction, and
finishes with another that holds only while its build token is still the packet's. Memory
stays flat however large the files: each one is copied into the ZIP in chunks while its
SHA-256 is counted; only the timeline PDF is made in memory (bounded by its page limit).
"""

import hashlib
import io
import json
import logging
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from rtcc_requests.agencies.selectors import closure_days
from rtcc_requests.common.csvfiles import SpreadsheetSafeWriter
from rtcc_requests.common.pdf import PdfRenderError, render_pdf
from rtcc_requests.requests import next_step
from rtcc_requests.requests.models import RecordsRequest
from rtcc_requests.requests.services import RequestError

from . import contents as packet_contents
from .contents import MANIFEST_CSV, MANIFEST_JSON, TIMELINE, Member, MissingFile
from .models import Audience, Packet, PacketStatus, new_build_token
from .selectors import is_lost, request_for_build, source_counts, source_of

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
# A timeline of hundreds of letters and replies runs to tens of pages; past this, the input is
# a mistake, and the rest of the packet is no use without its timeline.
TIMELINE_MAX_PAGES = 400
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a ZIP entry can carry


class PacketError(Exception):
    """A packet that cannot be made as things are (a retry would fail the same way); the
    message is shown to the user as it is."""


@dataclass(frozen=True)
class PacketAsked:
    packet: Packet
    # "queued": a build was asked for; "working": one is already under way; "current": the
    # packet is up to date, nothing to do.
    outcome: str


def packet_request(*, records_request: RecordsRequest, audience: str, actor) -> PacketAsked:
    """Ask for the packet of `records_request` for `audience`: one build, however often.

    The caller has checked that `actor` may see the request and chose the audience
    (selectors.audience_for). A second ask while a build is waiting or running, or for a
    packet that is current, queues nothing.
    """
    if audience not in Audience.values:
        raise RequestError(f"Unknown packet audience {audience!r}.")
    requester = actor if getattr(actor, "is_authenticated", False) else None
    today = timezone.localdate()
    with transaction.atomic():
        packet, created = _locked_or_new(records_request, audience, requester)
        if not created:
            if packet.status in (PacketStatus.PENDING, PacketStatus.BUILDING):
                if not is_lost(packet):
                    return PacketAsked(packet, "working")
            elif packet.status == PacketStatus.READY and packet.file:
                counts = source_counts(request_id=records_request.pk, audience=audience)
                now = source_of(counts, records_request, audience=audience, today=today)
                if packet.built_from == now:
                    return PacketAsked(packet, "current")
            packet.status = PacketStatus.PENDING
            packet.build_token = new_build_token()
            packet.requested_by = requester
            packet.requested_at = timezone.now()
            packet.claimed_at = None
            packet.error = ""
            packet.attempts = 0
            packet.save(
                update_fields=[
                    "status", "build_token", "requested_by", "requested_at", "claimed_at",
                    "error", "attempts",
                ]
            )  # fmt: skip
        packet_id, token = packet.pk, packet.build_token
        transaction.on_commit(lambda: _queue_build(packet_id, token))
    return PacketAsked(packet, "queued")


def _locked_or_new(records_request, audience: str, requester) -> tuple[Packet, bool]:
    rows = Packet.objects.select_for_update().filter(request=records_request, audience=audience)
    packet = rows.first()
    if packet is not None:
        return packet, False
    try:
        with transaction.atomic():
            made = Packet.objects.create(
                request=records_request, audience=audience, requested_by=requester
            )
        return made, True
    except IntegrityError:
        # Two first asks at once: the other made the row; this one waits for its lock.
        return rows.get(), False


def _queue_build(packet_id: int, token: str) -> None:
    from .tasks import build_packet

    try:
        build_packet.delay(packet_id=packet_id, token=token)
    except BrokerUnreachable as error:
        logger.warning("packet %s could not be queued: %s", packet_id, error)
        packet_build_failed(
            packet_id=packet_id,
            token=token,
            error="The packet could not be queued (the task queue is unreachable). Try again.",
        )


def packet_build(*, packet_id: int, token: str) -> str:
    """Build the packet asked for with `token`: "ready", or "skipped" (another build took
    its place, or this one is done), or "superseded" (asked for again while it was made).

    PacketError for a packet that cannot be made; anything else is worth another try.
    """
    claimed = Packet.objects.filter(
        pk=packet_id,
        build_token=token,
        # BUILDING too: a task redelivered after its worker died finishes the same build;
        # should two run at once, only the first to finish keeps its file.
        status__in=[PacketStatus.PENDING, PacketStatus.BUILDING],
    ).update(status=PacketStatus.BUILDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    packet = Packet.objects.get(pk=packet_id)
    audience, previous = packet.audience, packet.file.name
    # Counted first: what is added while the files are read makes it out of date, no worse.
    counts = source_counts(request_id=packet.request_id, audience=audience)
    records_request = request_for_build(pk=packet.request_id)
    built_at = timezone.now()
    source = source_of(
        counts, records_request, audience=audience, today=timezone.localdate(built_at)
    )
    filename = packet_filename(records_request.pk, audience)
    with tempfile.TemporaryDirectory(prefix="packet-") as folder:
        path = Path(folder) / filename
        listed = _write_zip(
            path, records_request=records_request, audience=audience, built_at=built_at
        )
        size, digest = _size_and_digest(path)
        with path.open("rb") as handle:
            packet.file.save(filename, File(handle, name=filename), save=False)
    stored = packet.file.name
    try:
        with transaction.atomic():
            finished = Packet.objects.filter(
                pk=packet_id, build_token=token, status=PacketStatus.BUILDING
            ).update(
                status=PacketStatus.READY,
                file=stored,
                size=size,
                sha256=digest,
                files=listed,
                built_at=built_at,
                built_from=source,
                error="",
                claimed_at=None,
            )
            if finished and previous and previous != stored:
                transaction.on_commit(lambda: default_storage.delete(previous))
    except Exception:
        default_storage.delete(stored)
        raise
    if not finished:
        default_storage.delete(stored)
        return "superseded"
    return "ready"


def packet_filename(request_id: int, audience: str) -> str:
    """The name the packet is stored and downloaded under."""
    kind = "packet" if audience == Audience.FULL else "public-packet"
    return f"request-{request_id}-{kind}.zip"


def packet_build_failed(*, packet_id: int, token: str, error: str) -> None:
    """The build's final failure, kept on the packet so the request page shows it."""
    Packet.objects.filter(
        pk=packet_id,
        build_token=token,
        status__in=[PacketStatus.PENDING, PacketStatus.BUILDING],
    ).update(status=PacketStatus.FAILED, error=error[:2000], claimed_at=None)


def packet_build_retrying(*, packet_id: int, token: str, error: str) -> None:
    """The build failed for now and will be tried again: waiting again, with the reason."""
    Packet.objects.filter(pk=packet_id, build_token=token, status=PacketStatus.BUILDING).update(
        status=PacketStatus.PENDING, error=error[:2000], claimed_at=None
    )


# --- Writing the ZIP ------------------------------------------------------------------------


def _write_zip(
    path: Path, *, records_request: RecordsRequest, audience: str, built_at: datetime
) -> int:
    """The packet as a ZIP at `path`; the number of files its manifests list."""
    made = packet_contents.contents(records_request=records_request, audience=audience)
    timeline = _timeline_pdf(
        records_request, audience=audience, rows=made.rows, members=made.members, built_at=built_at
    )
    local = timezone.localtime(built_at)
    first = Member(
        TIMELINE,
        f"Timeline of request {records_request.pk}: the request, every letter, reply, "
        "determination and event in date order, how each deadline was counted, and the "
        "deficiencies found with their citations",
        local.date(),
        lambda: io.BytesIO(timeline),
        at=local,
        compress=False,
    )
    listed = []
    with zipfile.ZipFile(path, "w", allowZip64=True) as archive:
        for member in [first, *made.members]:
            listed.append(_copy_into(archive, member))
        _write_manifests(
            archive, listed, records_request=records_request, audience=audience, built_at=built_at
        )
    return len(listed)


def _entry(path: str, at: datetime | None, *, compress: bool) -> zipfile.ZipInfo:
    stamp = at.timetuple()[:6] if at else _ZIP_EPOCH
    info = zipfile.ZipInfo(path, date_time=max(stamp, _ZIP_EPOCH))
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    return info


def _copy_into(archive: zipfile.ZipFile, member: Member) -> dict:
    """Copy one member in chunks, counting its size and SHA-256 on the way."""
    digest, size = hashlib.sha256(), 0
    try:
        source = member.opener()
    except MissingFile as missing:
        raise PacketError(
            f"A file of this request is missing from storage ({member.path}: {member.what}). "
            "Ask staff to restore it, then try again."
        ) from missing
    except (RequestError, PdfRenderError) as error:
        raise PacketError(f"{member.path} could not be made: {error}") from error
    with source, archive.open(_entry(member.path, member.at, compress=member.compress), "w") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {
        "path": member.path,
        "bytes": size,
        "sha256": digest.hexdigest(),
        "date": member.day.isoformat() if member.day else "",
        "what": member.what,
    }


def _write_manifests(
    archive, listed: list[dict], *, records_request, audience: str, built_at
) -> None:
    """manifest.csv and manifest.json: every other file of the ZIP, its size and SHA-256."""
    at = timezone.localtime(built_at)
    text = io.StringIO()
    writer = SpreadsheetSafeWriter(text)
    writer.writerow(["path", "bytes", "sha256", "date", "what"])
    for entry in listed:
        writer.writerow(
            [entry["path"], entry["bytes"], entry["sha256"], entry["date"], entry["what"]]
        )
    archive.writestr(_entry(MANIFEST_CSV, at, compress=True), text.getvalue().encode("utf-8"))
    document = {
        "request": {
            "id": records_request.pk,
            "title": records_request.title,
            "agency": records_request.agency.name,
            "law": records_request.law.name,
        },
        "audience": audience,
        "built_at": at.isoformat(),
        "files": listed,
    }
    data = json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")
    archive.writestr(_entry(MANIFEST_JSON, at, compress=True), data)


def _size_and_digest(path: Path) -> tuple[int, str]:
    with path.open("rb") as handle:
        return path.stat().st_size, hashlib.file_digest(handle, "sha256").hexdigest()


# --- The timeline PDF -----------------------------------------------------------------------


def _timeline_pdf(records_request, *, audience: str, rows, members, built_at) -> bytes:
    today = timezone.localdate(built_at)
    public = audience == Audience.PUBLIC
    context = {
        "req": records_request,
        "public": public,
        "audience_label": Audience(audience).label,
        "built_at": built_at,
        "today": today,
        "deadlines": next_step.deadline_rows(
            records_request, today=today, closures=closure_days(agency=records_request.agency)
        ),
        "flags": next_step.flags(records_request, today=today),
        "items": list(records_request.items.all()),
        "rows": rows,
        "folders": _folders(members),
        "reply_address_withheld": packet_contents.WITHHELD,
    }
    html = render_to_string("packets/timeline.html", context)
    if public:
        html = packet_contents.withhold_reply_address(html, records_request)
    try:
        return render_pdf(html, max_pages=TIMELINE_MAX_PAGES)
    except PdfRenderError as error:
        raise PacketError(f"The timeline could not be made: {error}") from error


def _folders(members: list[Member]) -> list[tuple[str, int]]:
    counted: dict[str, int] = {}
    for member in members:
        folder = member.path.split("/", 1)[0]
        counted[folder] = counted.get(folder, 0) + 1
    return sorted(counted.items())
