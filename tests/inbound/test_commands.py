import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from rtcc_requests.inbound.models import ReviewItem
from rtcc_requests.requests.models import Communication

from .conftest import MESSAGES, eml

pytestmark = pytest.mark.django_db


class TestIngestEmailCommand:
    def test_reads_a_message_on_stdin_and_stores_it(self, fresno_request):
        out = io.StringIO()
        call_command("ingest_email", stdin=io.BytesIO(eml("pdf_docx.eml")), stdout=out)
        reply = Communication.objects.get(direction="in")
        assert out.getvalue().startswith(f"stored as reply {reply.pk} to request")
        assert reply.attachments.count() == 3

    def test_envelope_recipient_option(self, fresno_request):
        out = io.StringIO()
        call_command(
            "ingest_email",
            "--recipient",
            fresno_request.reply_address,
            stdin=io.BytesIO(eml("no_token.eml")),
            stdout=out,
        )
        assert out.getvalue().startswith("stored as reply")

    def test_unknown_token_is_held_and_exits_zero(self, fresno_request):
        out = io.StringIO()
        call_command("ingest_email", stdin=io.BytesIO(eml("unknown_token.eml")), stdout=out)
        assert out.getvalue().startswith("held for staff review (No request has token")
        assert ReviewItem.objects.count() == 1

    def test_empty_input_is_an_error(self):
        with pytest.raises(CommandError, match="No message on standard input"):
            call_command("ingest_email", stdin=io.BytesIO(b""), stdout=io.StringIO())

    def test_storage_failure_asks_the_mta_to_retry(self, fresno_request, monkeypatch):
        def broken(**kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(
            "rtcc_requests.inbound.management.commands.ingest_email.inbound_ingest", broken
        )
        with pytest.raises(CommandError) as error:
            call_command("ingest_email", stdin=io.BytesIO(eml("alternative.eml")))
        assert error.value.returncode == 75


@pytest.mark.slow  # real `manage.py` processes
@pytest.mark.django_db(transaction=True)
class TestIngestEmailAsAPipe:
    def test_shell_redirect_from_a_file(self, fresno_request):
        """`manage.py ingest_email < message.eml`, in its own process, on the test database."""
        from django.db import connection

        env = {**os.environ, "DJANGO_DEBUG": "1", "MAIL_DOMAIN": "requests.localhost"}
        db = connection.settings_dict
        if connection.vendor == "postgresql":
            env["DATABASE_URL"] = (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}"
                f"/{db['NAME']}"
            )
        else:
            env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
        env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
        with (MESSAGES / "latin1.eml").open("rb") as stdin:
            result = subprocess.run(
                [sys.executable, "manage.py", "ingest_email"],
                stdin=stdin,
                cwd=settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                check=False,
                timeout=120,
            )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("stored as reply")
        assert Communication.objects.get(direction="in").subject.startswith("Re: Public Records")
