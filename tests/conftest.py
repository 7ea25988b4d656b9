"""Shared fixtures. Services (PostgreSQL, Redis) are real when the environment names them."""

import os
from datetime import date

import freezegun
import pytest
from django.core.management import call_command

from rtcc_requests.demo import data as demo_data
from rtcc_requests.laws.models import Law

from . import factories

# pytest times tests with its own clock; a frozen one made `--durations` report nonsense.
freezegun.configure(extend_ignore_list=["_pytest.timing"])

# Fixtures kept in support modules: what the PDF renderer fetches.
pytest_plugins = ["tests.support.fetching"]

# The app's own reference data (laws, exemptions, technologies and their checklists).
REFERENCE_FIXTURES = tuple(str(path) for path in demo_data.REFERENCE_FIXTURES)
_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def pytest_collection_modifyitems(items):
    # A test that starts the real worker is a worker test whether or not it says so, and the
    # benchmarks' own tests run them on bulk data: `make test-fast` leaves both out.
    for item in items:
        if "celery_worker_process" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.celery_worker)
        if item.path.parent.name == "bench" and item.path.parent.parent.name == "tests":
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Reference data (laws, exemptions, technologies) is part of every database.
    with django_db_blocker.unblock():
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)


@pytest.fixture(autouse=True)
def _reference_data(request, django_db_blocker):
    """Transactional tests flush the database when they end; put the reference data back."""
    uses_db = request.node.get_closest_marker("django_db") or _DB_FIXTURES & set(
        request.fixturenames
    )
    if not uses_db:
        return
    with django_db_blocker.unblock():
        if not Law.objects.exists():
            call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test leaves entries behind."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def cpra(db) -> Law:
    return Law.objects.get(code="ca-cpra")


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def other_user(db):
    return factories.UserFactory()


@pytest.fixture
def staff_user(db):
    return factories.UserFactory(is_staff=True)


@pytest.fixture
def today() -> date:
    return date(2026, 11, 26)


def services_required() -> bool:
    """In CI a missing service is a failure, not a skip."""
    return os.environ.get("REQUIRE_SERVICES") == "1" or os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _isolated_media_and_eager_tasks(settings, tmp_path_factory):
    """Uploads go to a temporary folder; tasks run inline unless a test starts a worker."""
    from rtcc_requests.celery import app

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    # The real hasher costs most of a second per user; tests check permissions, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    default_queue = app.conf.task_default_queue
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = True
    app.conf.task_default_queue = default_queue


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost; Django's mail (and workers) deliver to it."""
    from .support.smtp import SmtpServer

    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def celery_worker_process(transactional_db, settings, smtp_server):
    """A real worker process on the configured broker (Redis in CI), on its own queue.

    It mails to the test's `smtp_server`, which is started first for that reason.
    """
    from .support.worker import WorkerProcess

    broker = settings.CELERY_BROKER_URL
    if services_required() and not broker.startswith("redis://"):
        pytest.fail("CI must run worker tests on Redis: set CELERY_BROKER_URL=redis://...")
    worker = WorkerProcess()
    worker.route_here()
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def public_request(db):
    """A filed public request (its documents and letters are anyone's to find)."""
    from rtcc_requests.requests.choices import Visibility

    return factories.filed_request(received=date(2026, 11, 2), visibility=Visibility.PUBLIC)


@pytest.fixture
def private_request(db):
    from rtcc_requests.requests.choices import Visibility

    return factories.filed_request(received=date(2026, 11, 2), visibility=Visibility.PRIVATE)
