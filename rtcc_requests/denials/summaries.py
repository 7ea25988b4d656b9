"""The log's summary and filter menus, cached (versioning.py), and warmed after a change.

At a million requests the aggregates take seconds; once cached, a page reads them in no
query. A change to the log gives it a new version, so the first reader after it would pay
those seconds: with a cache the processes share (Redis), a task recomputes the unfiltered
log's summary and menus as soon as the change commits, before anyone asks.
"""

from collections.abc import Mapping
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from . import versioning
from .filters import MenuChoices
from .selectors import DenialLog, denial_log
from .stats import DenialSummary, denial_summary


def log_summary(log: DenialLog, *, today: date, version: str, fixed: Mapping) -> DenialSummary:
    return versioning.cached(
        # "-2": the summary gained per_year; one cached before it is never read as one.
        "summary-2",
        version=version,
        today=today,
        params={**_filters_read(log), **fixed},
        compute=lambda: denial_summary(log.filtered),
    )


def log_menus(log: DenialLog, *, today: date, version: str, fixed: Mapping) -> MenuChoices:
    return versioning.cached(
        "menus", version=version, today=today, params=fixed, compute=log.filterset.menu_choices
    )


def _filters_read(log: DenialLog) -> dict[str, str]:
    """The filter values the log applied: the cache key, so ?page, ?sort, unknown or invalid
    parameters (anyone can add them to a URL) neither split nor grow the cache."""
    log.filterset.is_valid()
    return {
        name: str(getattr(value, "pk", value))
        for name, value in log.filterset.form.cleaned_data.items()
        if value not in (None, "")
    }


def denial_log_warm(*, today: date) -> str:
    """Compute and cache the unfiltered log's summary and menus; returns the version."""
    version = versioning.denial_log_version()
    log = denial_log(today=today, params={})
    log_menus(log, today=today, version=version, fixed={})
    log_summary(log, today=today, version=version, fixed={})
    return version


def cache_is_shared() -> bool:
    """Whether other processes read what this one caches (not a per-process memory cache)."""
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


def queue_warm_after_commit() -> None:
    """Warm the unfiltered log once the current transaction commits (once per version)."""
    if cache_is_shared():
        transaction.on_commit(_queue_warm)


def _queue_warm() -> None:
    from .tasks import warm_denial_log

    # Several changes in one transaction, several callbacks: one task per version.
    if cache.add(f"denial-log:warming:{versioning.denial_log_version()}", 1, 600):
        warm_denial_log.delay()
