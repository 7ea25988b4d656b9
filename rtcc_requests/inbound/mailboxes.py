"""Read agency replies from a maildir (what an MTA delivers to) or an IMAP mailbox.

A message leaves the mailbox only once it is stored (as a reply, in the review queue, or
recognised as a duplicate). A message that makes ingestion crash is moved to the
maildir's `.failed` folder so it cannot block the others; a database outage leaves it
where it is, for the next poll.
"""

import contextlib
import imaplib
import logging
import mailbox
from collections import Counter
from urllib.parse import unquote, urlsplit

from django.db import DatabaseError

from .services import inbound_ingest

logger = logging.getLogger(__name__)


def maildir_ingest(*, path: str) -> Counter:
    counts: Counter = Counter()
    box = mailbox.Maildir(path, factory=None, create=True)
    for key in list(box.iterkeys()):
        try:
            raw = box.get_bytes(key)
        except KeyError:  # another worker took it
            continue
        try:
            result = inbound_ingest(raw=raw)
        except DatabaseError:
            logger.exception("inbound: database error on maildir message %s; left for later", key)
            counts["left"] += 1
            continue
        except Exception:
            logger.exception("inbound: maildir message %s failed; moved to .failed", key)
            box.add_folder("failed").add(raw)
            box.discard(key)
            counts["failed"] += 1
            continue
        box.discard(key)
        counts[result.outcome] += 1
    return counts


def imap_ingest(*, url: str, imap_class=None) -> Counter:
    """Unseen messages of imap[s]://user:password@host[:port]/FOLDER, marked seen once stored."""
    parts = urlsplit(url)
    if imap_class is None:
        imap_class = imaplib.IMAP4_SSL if parts.scheme == "imaps" else imaplib.IMAP4
    port = parts.port or (993 if parts.scheme == "imaps" else 143)
    counts: Counter = Counter()
    connection = imap_class(parts.hostname, port)
    try:
        connection.login(unquote(parts.username or ""), unquote(parts.password or ""))
        connection.select(unquote(parts.path.lstrip("/")) or "INBOX")
        _, found = connection.uid("SEARCH", None, "UNSEEN")
        for uid in (found[0] or b"").split():
            _, data = connection.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in data if isinstance(item, tuple)), None)
            if raw is None:
                continue
            try:
                result = inbound_ingest(raw=raw)
            except Exception:
                # Left unseen for the next poll; the other messages still go in.
                logger.exception("inbound: IMAP message %s failed; left unseen", uid)
                counts["failed"] += 1
                continue
            connection.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            counts[result.outcome] += 1
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            connection.logout()
    return counts
