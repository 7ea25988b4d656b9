"""The unfiltered log's summary is warmed after a change when the processes share a cache."""

import uuid

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rtcc_requests.denials import summaries, tasks
from rtcc_requests.denials.versioning import denial_log_changed
from tests import factories
from tests.conftest import services_required

pytestmark = pytest.mark.django_db
URL = reverse("denials:log")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


@pytest.fixture
def shared_cache(settings):
    broker = django_settings.CELERY_BROKER_URL
    base = broker.rsplit("/", 1)[0] if broker.startswith("redis://") else "redis://127.0.0.1:6379"
    url = f"{base}/14"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if services_required():
            pytest.fail(f"Redis is not reachable at {url}")
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": uuid.uuid4().hex,  # runs side by side share nothing
        }
    }
    assert summaries.cache_is_shared()


def test_a_memory_cache_is_not_shared():
    assert not summaries.cache_is_shared()


def test_warming_spares_the_first_reader_the_aggregates(client, make_denial):
    make_denial(title="Denied")
    denial_log_changed()
    cold = _queries(client)
    denial_log_changed()
    summaries.denial_log_warm(today=timezone.localdate())
    assert _queries(client) <= cold - 5


def test_a_committed_change_warms_the_log_once(
    shared_cache, client, make_denial, monkeypatch, django_capture_on_commit_callbacks
):
    make_denial(title="Before")
    denial_log_changed()
    cold = _queries(client)
    warmed = []
    real = tasks.denial_log_warm
    monkeypatch.setattr(tasks, "denial_log_warm", lambda **kw: warmed.append(real(**kw)))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        after = make_denial(title="After")  # published: the log changes
        after.determinations.get().exemptions.add(factories.exemption("§7922.000"))  # and again
    assert len(callbacks) > 1
    assert len(warmed) == 1
    # The first reader after the change finds the new summary already computed.
    with CaptureQueriesContext(connection) as captured:
        page = client.get(URL)
    assert page.context["summary"].count == 2
    assert len(captured) <= cold - 5


def test_no_task_without_a_shared_cache(make_denial, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        make_denial(title="Denied")
    assert not any("_queue_warm" in getattr(c, "__name__", "") for c in callbacks)
