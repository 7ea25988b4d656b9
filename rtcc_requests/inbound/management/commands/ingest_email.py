"""manage.py ingest_email [--recipient ADDRESS] < message.eml

For an MTA pipe (e.g. Postfix: `| manage.py ingest_email --recipient ${original_recipient}`).
Exit 0 once the message is stored, held for review or known as a duplicate; exit 75
(EX_TEMPFAIL) if it could not be stored, so the MTA keeps it and tries again.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from rtcc_requests.inbound.services import inbound_ingest

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Read one raw email on standard input and attach it to its request."
    stealth_options = ("stdin",)

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--recipient", default="", help="envelope recipient, if the MTA passes it"
        )

    def handle(self, *args, recipient: str, **options) -> None:
        stream = options.get("stdin") or sys.stdin.buffer
        raw = stream.read()
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        if not raw.strip():
            raise CommandError("No message on standard input.")
        try:
            result = inbound_ingest(raw=raw, recipient=recipient)
        except Exception as error:
            raise CommandError(
                f"Could not store the message: {type(error).__name__}: {error}",
                returncode=EX_TEMPFAIL,
            ) from error
        self.stdout.write(str(result))
