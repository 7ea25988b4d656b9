"""The settings' embedded defaults, read by a fresh process with a controlled environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": db["ENGINE"], "name": str(db["NAME"]),
    "broker": settings.CELERY_BROKER_URL,
    "broker_options": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "email_backend": settings.EMAIL_BACKEND, "email_path": str(settings.EMAIL_FILE_PATH),
    "email_host": settings.EMAIL_HOST, "email_port": settings.EMAIL_PORT,
    "tz": settings.TIME_ZONE, "use_tz": settings.USE_TZ, "celery_tz": settings.CELERY_TIMEZONE,
    "secret": settings.SECRET_KEY, "hosts": settings.ALLOWED_HOSTS,
    "mail_domain": settings.MAIL_DOMAIN, "site_url": settings.SITE_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION", ""),
    "proxy_hops": settings.TRUSTED_PROXY_HOPS,
}))
"""
_OURS = (
    "DJANGO_",
    "DATABASE_URL",
    "CELERY_",
    "REDIS_URL",
    "EMAIL_",
    "MAIL_DOMAIN",
    "SITE_URL",
    "CACHE_URL",
    "VAR_DIR",
    "MEDIA_ROOT",
)

# Every test here starts Python processes with their own settings: make test-fast leaves
# them out, make test (and CI) runs them.
pytestmark = pytest.mark.slow


def _settings(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    clean.update(DJANGO_SETTINGS_MODULE="rtcc_requests.settings", VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True
    )


class TestEmbeddedDefaults:
    def test_development_runs_with_no_servers_configured(self, tmp_path):
        result = _settings(tmp_path, DJANGO_DEBUG="1")
        assert result.returncode == 0, result.stderr
        found = json.loads(result.stdout)
        assert found["debug"] is True
        assert found["engine"] == "django.db.backends.sqlite3"
        assert found["name"] == str(tmp_path / "db.sqlite3")
        assert found["broker"] == "filesystem://"
        assert found["broker_options"]["data_folder_in"].startswith(str(tmp_path))
        assert found["email_backend"] == "django.core.mail.backends.filebased.EmailBackend"
        assert found["email_path"] == str(tmp_path / "mail")
        assert (found["tz"], found["use_tz"], found["celery_tz"]) == (
            "America/Los_Angeles",
            True,
            "America/Los_Angeles",
        )
        assert "localhost" in found["hosts"]
        assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
        assert found["proxy_hops"] == 0

    def test_production_refuses_to_start_without_a_secret_key(self, tmp_path):
        result = _settings(tmp_path)
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY is not set" in result.stderr

    def test_environment_overrides_every_default(self, tmp_path):
        result = _settings(
            tmp_path,
            DJANGO_SECRET_KEY="s" * 50,
            DJANGO_ALLOWED_HOSTS="requests.example.org",
            DATABASE_URL="postgres://u:p@db.example.org:5433/rtcc",
            CELERY_BROKER_URL="redis://redis.example.org:6379/2",
            EMAIL_URL="smtp://mailer.example.org:2525",
            MAIL_DOMAIN="mail.example.org",
            SITE_URL="https://requests.example.org/",
            CACHE_URL="redis://redis.example.org:6379/1",
            DJANGO_TRUSTED_PROXY_HOPS="1",
        )
        assert result.returncode == 0, result.stderr
        found = json.loads(result.stdout)
        assert found["debug"] is False
        assert found["engine"] == "django.db.backends.postgresql"
        assert found["name"] == "rtcc"
        assert found["broker"] == "redis://redis.example.org:6379/2"
        assert found["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"
        assert (found["email_host"], found["email_port"]) == ("mailer.example.org", 2525)
        assert found["hosts"] == ["requests.example.org"]
        assert found["mail_domain"] == "mail.example.org"
        assert found["site_url"] == "https://requests.example.org"
        # The sign-in failure counts live here: one cache for every process.
        assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
        assert found["cache_location"] == "redis://redis.example.org:6379/1"
        assert found["proxy_hops"] == 1

    def test_redis_url_is_accepted_as_the_broker(self, tmp_path):
        result = _settings(tmp_path, DJANGO_DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/5")
        assert json.loads(result.stdout)["broker"] == "redis://127.0.0.1:6379/5"


def _check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    clean.update(
        DJANGO_SECRET_KEY="k9$Wq2!zP7@xL4#vR8^mN1&bT6*cY3(hJ5)gF0-dS2+aQ7=eU9",
        DJANGO_ALLOWED_HOSTS="requests.example.org",
        SITE_URL="https://requests.example.org",
        VAR_DIR=str(tmp_path),
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("debug", ["", "0"])
def test_check_deploy_is_clean_with_production_settings(tmp_path, debug):
    # Production has a cache all processes share, or the sign-in lockout counts per process.
    env = {"CACHE_URL": "redis://127.0.0.1:6379/1"}
    if debug:
        env["DJANGO_DEBUG"] = debug
    result = _check_deploy(tmp_path, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_production_counts_sign_ins_per_process(tmp_path):
    # Without CACHE_URL each gunicorn worker would keep its own failure counts: five guesses
    # per worker, forgotten on every restart.
    result = _check_deploy(tmp_path)
    assert result.returncode != 0
    assert "axes.W001" in result.stdout + result.stderr


def test_development_may_count_sign_ins_in_its_own_memory(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    clean.update(DJANGO_DEBUG="1", VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "axes" not in result.stdout + result.stderr
