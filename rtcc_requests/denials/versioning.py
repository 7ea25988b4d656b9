"""Caching the denial log's aggregates, keyed by a version bumped transactionally.

The summary and the filter menus aggregate every public denial: seconds at a million
requests. They are cached under a key holding the log's version token, which
changes in the same transaction as any write that can change what the log shows (signals.py:
a request in the log's scope before or after it, its withholdings, citations, technologies),
and the day (an embargo lapses at midnight). A reader that can see a change therefore reads a
new key: a request made private never lingers in a cached count. Writes the log cannot show
(a private draft's edit) leave the one version row alone, so they do not queue behind it.
"""

import hashlib
import uuid
from collections.abc import Callable, Mapping
from datetime import date
from typing import TypeVar

from django.core.cache import cache

from .models import DenialLogVersion

T = TypeVar("T")
# Nothing goes stale by age (the version sees to that): the timeout only frees memory.
TIMEOUT = 60 * 60 * 24
VERSION_PK = 1


def denial_log_changed() -> None:
    """Give the log a new version (call inside the transaction making the change)."""
    token = uuid.uuid4().hex
    if not DenialLogVersion.objects.filter(pk=VERSION_PK).update(token=token):
        DenialLogVersion.objects.update_or_create(pk=VERSION_PK, defaults={"token": token})
    from .summaries import queue_warm_after_commit

    queue_warm_after_commit()


def denial_log_version() -> str:
    token = DenialLogVersion.objects.filter(pk=VERSION_PK).values_list("token", flat=True)
    return token.first() or "none"


def params_digest(params: Mapping) -> str:
    """The same digest for the same filter whatever the parameters' order."""
    items = sorted((str(key), str(value)) for key, value in params.items())
    return hashlib.sha256(repr(items).encode()).hexdigest()[:32]


def cached(name: str, *, version: str, today: date, params: Mapping, compute: Callable[[], T]) -> T:
    """`compute()` once per (name, version, day, filter); later calls read the cache."""
    key = f"denial-log:{name}:{version}:{today.isoformat()}:{params_digest(params)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
