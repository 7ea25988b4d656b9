"""A real Celery worker process on the configured broker, against the test database."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

from django.conf import settings
from django.db import connection
from kombu.exceptions import OperationalError

from rtcc_requests.celery import app


def database_url() -> str:
    """The test database as a DATABASE_URL, for processes the tests start."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class WorkerProcess:
    """`start()`, `kill()` (SIGKILL, as a crash would), `start()` again, `stop()`.

    Each instance listens on its own queue, so tests and parallel runs never share tasks.
    """

    def __init__(self, *, env: dict[str, str] | None = None, concurrency: int = 2) -> None:
        self.queue = f"test-{uuid.uuid4().hex[:10]}"
        self.name = f"{self.queue}@localhost"
        self.concurrency = concurrency
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.log_path = Path(settings.VAR_DIR) / "test-logs" / f"{self.queue}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_DEBUG="1",
            DATABASE_URL=database_url(),
            CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
            # Tasks the worker itself queues (e.g. outbox sends) must come back to it.
            CELERY_TASK_DEFAULT_QUEUE=self.queue,
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            SITE_URL=settings.SITE_URL,
            MAIL_DOMAIN=settings.MAIL_DOMAIN,
            VAR_DIR=str(settings.VAR_DIR),
            EMAIL_BACKEND=settings.EMAIL_BACKEND,
            EMAIL_HOST=str(settings.EMAIL_HOST),
            EMAIL_PORT=str(settings.EMAIL_PORT),
        )
        env.pop("EMAIL_URL", None)
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 60) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "rtcc_requests",
                "worker",
                "-Q",
                self.queue,
                "-n",
                self.name,
                "-c",
                str(self.concurrency),
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early; log: {self.log_path.read_text()[-3000:]}")
            if app.control.ping(destination=[self.name], timeout=0.5):
                return
        raise RuntimeError(f"worker did not answer ping; log: {self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the whole worker (parent and pool children), like a crashed machine."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self, timeout: float = 10) -> None:
        """Warm shutdown: the worker finishes the tasks in hand, stops its pool and exits.

        Only the main process is signalled; it stops its own pool children. A SIGTERM to
        the whole process group also reached the children, which could die holding the
        pool's shared queue lock: the main process then hung at exit (in billiard's
        `_help_stuff_finish`) until it was killed. Idle, the stop now takes about two
        seconds on Redis and three to four on the filesystem broker: billiard's children
        and pool threads each wind down on loops of up to a second. Cold shutdown and
        SIGKILL are only a bounded fallback, with a warning.
        """
        if not self.process or self.process.poll() is not None:
            return
        self._wake_for_shutdown()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._force_stop(timeout)

    def _force_stop(self, waited: float) -> None:
        """The fallback: cold shutdown (running tasks are abandoned), then SIGKILL."""
        warnings.warn(
            f"worker {self.name} ignored SIGTERM for {waited:g}s; "
            f"sending SIGQUIT, then SIGKILL. Log: {self.log_path}",
            RuntimeWarning,
            stacklevel=3,
        )
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.kill()

    def _wake_for_shutdown(self) -> None:
        """Ask for the same warm shutdown by remote control, which wakes the worker at once.

        A signal only sets a flag, which the consume loop reads after its current wait on
        the broker: up to a second on Redis, and twice up to two seconds on the filesystem
        broker. A control message ends that wait. SIGTERM follows regardless, so a broker
        that cannot take the message costs only the wait.
        """
        with contextlib.suppress(OperationalError, OSError):
            app.control.broadcast("shutdown", destination=[self.name], reply=False)

    def route_here(self) -> None:
        """Send this test process's tasks to this worker's queue, not to eager execution."""
        app.conf.task_always_eager = False
        app.conf.task_default_queue = self.queue


def wait_until(predicate, *, timeout: float = 60, interval: float = 0.2, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(message or "condition not met before the timeout")
