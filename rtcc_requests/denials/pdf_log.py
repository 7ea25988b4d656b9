"""The denial log as a PDF for any filter: made by a Celery task, kept until the log changes.

WeasyPrint takes 30 to 40 ms a row (4 to 5 rows a page), and in one piece its memory grows
with the document (600 MB for 1,000 rows): a web request must never render the log. So:

- `denial_pdf_request` (the view's one call) serves a finished file, or queues one render
  (`tasks.render_denial_log_pdf`) under a lock in the cache that a second request finds, and
  reports how far the render has got. Starting a render is limited per client and hour; a
  finished file is always served.
- A file is named by the log's version (versioning.py), the day and the normalised filter.
  Any change the log can show (a request made private) gives the log a new version, so an old
  file is never served again, and the next finished render deletes the old ones.
- The task reads its rows in one short pass, writing each section of `chunk_rows()` rows as
  HTML to a temporary file; then renders the sections one at a time (page numbers running on)
  and joins them with pypdf. Memory stays flat however long the PDF is.
- A PDF lists at most `max_rows()` rows, what a person reads or prints; its first page says
  how many it leaves out and where they are (the CSV and JSON have every row). Its figures
  count every row of the filter.

Progress and failures are in the cache (shared by web and worker processes in production,
CACHE_URL); a failure is also written next to the file, so it shows even when they do not
share a cache.
"""

import io
import ipaddress
import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from kombu.exceptions import OperationalError as BrokerUnreachable
from pypdf import PdfReader, PdfWriter

from rtcc_requests.common.dates import long_date
from rtcc_requests.common.pdf import PdfRenderError, render_pdf

from . import exports, versioning
from .filters import filter_in_words
from .selectors import DEFAULT_SORT, DenialLog, DenialRow, denial_log, iter_rows
from .stats import DenialSummary
from .summaries import log_summary

logger = logging.getLogger(__name__)

PDF_DIR = "denial-logs"
# Defaults; settings of the same names (DENIAL_PDF_...) override them.
MAX_ROWS = 2000  # about 430 pages, a minute or so of one worker; 0: no limit
CHUNK_ROWS = 200  # a section: about 45 pages, and about 100 MB of WeasyPrint's memory
STARTS_PER_HOUR = 5  # renders a visitor may start in an hour (per address)
STARTS_PER_HOUR_SIGNED_IN = 20  # per account
SECTION_TIMEOUT = 180  # seconds for one section; the task has its own limit (tasks.py)
# A queued render that has not begun within this time is taken for lost: the next request
# queues it again. A running one renews its lock at every section.
QUEUED_TTL = 30 * 60
RUNNING_TTL = 10 * 60
FAILED_TTL = 60 * 60
STARTS_WINDOW = 60 * 60
_FIRST_PAGE = "__first_page__"  # stands in for a section's first page number until it is known

SORT_LABELS = {
    "date": "date denied",
    "agency": "agency",
    "title": "request",
    "filed": "date filed",
    "received": "date received",
    "days": "days to respond",
    "late": "days late",
}


def max_rows() -> int:
    return getattr(settings, "DENIAL_PDF_MAX_ROWS", MAX_ROWS)


def chunk_rows() -> int:
    return getattr(settings, "DENIAL_PDF_CHUNK_ROWS", CHUNK_ROWS)


def starts_per_hour(*, signed_in: bool) -> int:
    if signed_in:
        return getattr(settings, "DENIAL_PDF_STARTS_PER_HOUR_SIGNED_IN", STARTS_PER_HOUR_SIGNED_IN)
    return getattr(settings, "DENIAL_PDF_STARTS_PER_HOUR", STARTS_PER_HOUR)


@dataclass(frozen=True)
class PdfJob:
    """One PDF: the log at a version, on a day, for a filter (URL parameters, normalised)."""

    version: str
    day: date
    params: dict[str, str] = field(hash=False)

    @property
    def _stem(self) -> str:
        digest = versioning.params_digest(self.params)
        return f"{PDF_DIR}/{self.version}/{self.day.isoformat()}-{digest}"

    @property
    def pdf_name(self) -> str:
        return f"{self._stem}.pdf"

    @property
    def failed_name(self) -> str:
        return f"{self._stem}.failed"

    @property
    def state_key(self) -> str:
        return f"denial-log:pdf:{self._stem}"

    @property
    def filename(self) -> str:
        """The name a reader's browser saves it under."""
        return f"denial-log-{self.day.isoformat()}.pdf"

    def task_kwargs(self) -> dict:
        return {"version": self.version, "day": self.day.isoformat(), "params": self.params}


def pdf_job(log: DenialLog, *, today: date) -> PdfJob:
    return PdfJob(version=versioning.denial_log_version(), day=today, params=pdf_filter(log))


def pdf_filter(log: DenialLog) -> dict[str, str]:
    """The filter the log applied, as URL parameters `denial_log` reads back.

    Only values that validated, in one spelling each: ?page, unknown or invalid parameters
    (anyone can add them to a URL) neither split the files nor start renders.
    """
    log.filterset.is_valid()
    form = log.filterset.form
    params = {}
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        if isinstance(value, Model):
            value = getattr(value, form.fields[name].to_field_name or "pk")
        params[name] = str(value)
    if log.sort != DEFAULT_SORT:
        params["sort"] = log.sort
    return params


def describe_filter(log: DenialLog) -> list[dict[str, str]]:
    """The filter in words, for the printed page: [{"label": ..., "value": ...}]."""
    return [
        {"label": str(label), "value": str(shown)}
        for _name, label, shown in filter_in_words(log.filterset)
    ]


def order_label(sort: str) -> str:
    direction = "descending" if sort.startswith("-") else "ascending"
    return f"sorted by {SORT_LABELS[sort.lstrip('-')]}, {direction}"


def print_context(log: DenialLog, *, today: date, summary: DenialSummary, shown: int) -> dict:
    """What the printable page and the PDF's first page say about the log and its filter."""
    query = urlencode(pdf_filter(log))
    suffix = f"?{query}" if query else ""
    return {
        "today": today,
        "summary": summary,
        "shown": shown,
        "left_out": summary.count - shown,
        "order": order_label(log.sort),
        "active_filters": describe_filter(log),
        "page_url": exports.absolute(reverse("denials:log")) + suffix,
        "csv_url": exports.absolute(reverse("denials:csv")) + suffix,
        "json_url": exports.absolute(reverse("denials:json")) + suffix,
        "pdf_url": reverse("denials:pdf") + suffix,
    }


# --- What a request finds ------------------------------------------------------------------


@dataclass(frozen=True)
class PdfStatus:
    state: str  # "ready", "queued", "reading", "rendering" or "failed"
    done: int = 0  # rows rendered
    total: int = 0  # rows the PDF will list
    pages: int = 0  # pages rendered
    error: str = ""

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    @property
    def failed(self) -> bool:
        return self.state == "failed"

    @property
    def estimated_pages(self) -> int | None:
        """The pages the whole PDF will have, from those rendered so far."""
        if not self.done or not self.pages:
            return None
        return max(self.pages, round(self.pages * self.total / self.done))


class TooManyStarts(Exception):
    def __init__(self, *, limit: int, retry_after: int):
        super().__init__(f"more than {limit} PDFs started in an hour")
        self.limit = limit
        self.retry_after = retry_after


def denial_pdf_status(job: PdfJob) -> PdfStatus | None:
    """Where the job's PDF is: ready, on its way, failed; None if nobody has asked for it."""
    if default_storage.exists(job.pdf_name):
        return PdfStatus("ready")
    error = _stored_failure(job)
    if error:
        return PdfStatus("failed", error=error)
    state = cache.get(job.state_key)
    return PdfStatus(**state) if state else None


def denial_pdf_request(job: PdfJob, *, client: str, limit: int, retry: bool = False) -> PdfStatus:
    """The job's status, after queuing its render if nobody has (TooManyStarts past `limit`).

    `client` names who is asking ("ip:...", "user:..."); `retry` starts a failed render again.
    """
    status = denial_pdf_status(job)
    if status and status.failed and retry:
        _forget_failure(job)
        status = None
    if status:
        return status
    _check_starts(client, limit)
    # The lock: one request in any process wins the add; the others find its state.
    if not cache.add(job.state_key, {"state": "queued"}, QUEUED_TTL):
        return denial_pdf_status(job) or PdfStatus("queued")
    _count_start(client)
    from .tasks import render_denial_log_pdf

    try:
        render_denial_log_pdf.delay(**job.task_kwargs())
    except BrokerUnreachable:
        logger.exception("could not queue the denial log PDF %s", job.pdf_name)
        cache.delete(job.state_key)
        return PdfStatus("failed", error="The PDF could not be queued. Try again in a minute.")
    # With tasks run inline (tests, CELERY_TASK_ALWAYS_EAGER) it is already there.
    return denial_pdf_status(job) or PdfStatus("queued")


def open_pdf(job: PdfJob) -> File | None:
    try:
        return default_storage.open(job.pdf_name, "rb")
    except FileNotFoundError:
        return None


def _check_starts(client: str, limit: int) -> None:
    started = cache.get(_starts_key(client), 0)
    if started >= limit:
        retry_after = STARTS_WINDOW - int(time.time()) % STARTS_WINDOW
        raise TooManyStarts(limit=limit, retry_after=max(retry_after, 1))


def _count_start(client: str) -> None:
    key = _starts_key(client)
    cache.add(key, 0, STARTS_WINDOW + 60)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, STARTS_WINDOW + 60)


def _starts_key(client: str) -> str:
    # A fixed window of an hour: Retry-After is when it ends.
    return f"denial-log:pdf-starts:{client}:{int(time.time()) // STARTS_WINDOW}"


def client_address_key(address: str) -> str:
    """An IPv4 address, or an IPv6 address's /64 (one subscriber usually holds a whole /64)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


# --- The render (run by the task) ----------------------------------------------------------


def denial_pdf_render(job: PdfJob) -> str:
    """Render the job's PDF into storage: "ready", or "stale" when the log moved on first.

    Raises PdfRenderError (with a message for the reader) when a section cannot be made.
    """
    if default_storage.exists(job.pdf_name):
        return "ready"
    # The version is read before any row: a change after this read gives the log a new
    # version, under which this file is never served.
    if not _current(job):
        cache.delete(job.state_key)
        return "stale"
    log = denial_log(today=job.day, params=job.params)
    if log.errors:
        raise PdfRenderError("The filter no longer applies (an agency or value was removed).")
    summary = log_summary(log, today=job.day, version=job.version, fixed={})
    limit = max_rows()
    shown = min(summary.count, limit) if limit else summary.count
    _progress(job, "reading", total=shown)
    context = print_context(log, today=job.day, summary=summary, shown=shown)
    with tempfile.TemporaryDirectory(prefix="denial-log-pdf-") as folder:
        sections = _spool_sections(log, shown=shown, context=context, folder=Path(folder))
        parts, pages, done = [], 0, 0
        for index, (path, rows) in enumerate(sections):
            html = path.read_text(encoding="utf-8").replace(_FIRST_PAGE, str(pages + 1))
            path.unlink()
            # A row may need a page of its own, never more.
            data = render_pdf(html, max_pages=rows + 10, timeout=SECTION_TIMEOUT)
            part = Path(folder) / f"section-{index:05}.pdf"
            part.write_bytes(data)
            parts.append(part)
            pages += len(PdfReader(io.BytesIO(data)).pages)
            done += rows
            _progress(job, "rendering", done=done, total=shown, pages=pages)
        if not _current(job):
            cache.delete(job.state_key)
            return "stale"
        joined = Path(folder) / "denials.pdf"
        _join(parts, joined, title=f"Public denial log, {long_date(job.day)}")
        _publish(job.pdf_name, joined)
    cache.delete(job.state_key)
    _remove_old_files(job)
    return "ready"


def denial_pdf_failed(job: PdfJob, *, error: str) -> None:
    """Record why the job's PDF could not be made; the next request shows it."""
    cache.set(job.state_key, {"state": "failed", "error": error}, FAILED_TTL)
    try:
        _publish(job.failed_name, error.encode("utf-8"))
    except OSError:
        logger.exception("could not record the failure of %s", job.pdf_name)


def denial_pdf_retrying(job: PdfJob) -> None:
    """Keep the lock while the task waits to try again."""
    cache.set(job.state_key, {"state": "queued"}, QUEUED_TTL)


def _current(job: PdfJob) -> bool:
    return job.version == versioning.denial_log_version() and job.day == timezone.localdate()


def _progress(job: PdfJob, state: str, **numbers: int) -> None:
    cache.set(job.state_key, {"state": state, **numbers}, RUNNING_TTL)


def _spool_sections(
    log: DenialLog, *, shown: int, context: dict, folder: Path
) -> list[tuple[Path, int]]:
    """Each section's HTML in a file, with its number of rows: one read of the rows, its
    transaction over before the first (slow) render."""
    rows: Iterable[DenialRow] = iter_rows(log.rows[:shown]) if shown else ()
    sections = []
    for index, chunk in enumerate(_sections(rows, chunk_rows())):
        html = render_to_string(
            "denials/pdf_section.html",
            {**context, "rows": chunk, "first": index == 0, "first_page": _FIRST_PAGE},
        )
        path = folder / f"section-{index:05}.html"
        path.write_text(html, encoding="utf-8")
        sections.append((path, len(chunk)))
    return sections


def _sections(rows: Iterable[DenialRow], size: int) -> Iterator[list[DenialRow]]:
    iterator = iter(rows)
    chunk = list(islice(iterator, size))
    yield chunk  # the first, even empty: it carries the figures and the notes
    while chunk := list(islice(iterator, size)):
        yield chunk


def _join(parts: list[Path], target: Path, *, title: str) -> None:
    writer = PdfWriter()
    for part in parts:
        writer.append(part)
    writer.add_metadata({"/Title": title})
    with target.open("wb") as handle:
        writer.write(handle)


def _publish(name: str, source: Path | bytes) -> None:
    """Put a file in storage whole: a reader never finds half of one."""
    try:
        target = Path(default_storage.path(name))
    except NotImplementedError:  # a remote storage: one upload, whole or not at all
        default_storage.delete(name)
        content = ContentFile(source) if isinstance(source, bytes) else File(source.open("rb"))
        with content:
            default_storage.save(name, content)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
    if isinstance(source, bytes):
        staging.write_bytes(source)
    else:
        shutil.copyfile(source, staging)
    os.replace(staging, target)  # atomic within one directory


def _stored_failure(job: PdfJob) -> str:
    try:
        with default_storage.open(job.failed_name, "rb") as handle:
            return handle.read(2000).decode("utf-8", "replace")
    except FileNotFoundError:
        return ""


def _forget_failure(job: PdfJob) -> None:
    default_storage.delete(job.failed_name)
    cache.delete(job.state_key)


def _remove_old_files(job: PdfJob) -> None:
    """Delete the files of other versions, and of earlier days: nobody is served them."""
    try:
        # Not the version now current either: the log may have moved on since this render.
        keep = {job.version, versioning.denial_log_version()}
        versions, _ = default_storage.listdir(PDF_DIR)
        for version in versions:
            if version not in keep:
                _remove_folder(f"{PDF_DIR}/{version}")
        _, names = default_storage.listdir(f"{PDF_DIR}/{job.version}")
        for name in names:
            if not name.startswith((job.day.isoformat(), ".")):
                default_storage.delete(f"{PDF_DIR}/{job.version}/{name}")
    except (OSError, NotImplementedError):
        logger.warning("could not remove old denial log PDFs", exc_info=True)


def _remove_folder(folder: str) -> None:
    _, names = default_storage.listdir(folder)
    for name in names:
        default_storage.delete(f"{folder}/{name}")
    default_storage.delete(folder)
