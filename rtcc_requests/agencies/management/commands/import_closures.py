"""manage.py import_closures FILE.csv

The file's header is `agency,day,reason,source` (agency slug, YYYY-MM-DD, why the office is
closed, optional announcement URL). Exit status 0 when every row was imported; 1, with each bad
row listed by line number and nothing written, when any row was bad or the file is not such a CSV.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rtcc_requests.agencies.closures import NotClosureCsv, closures_import


class Command(BaseCommand):
    help = (
        "Import agency closure days (Code Civ. Proc. §12b) from a CSV with the header "
        "agency,day,reason,source; upserts on (agency, day), all rows or none."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="CSV: agency (slug), day, reason, source")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}") from error
        try:
            report = closures_import(data=data)
        except NotClosureCsv as error:
            raise CommandError(f"{file}: {error}") from error
        for problem in report.errors:
            self.stderr.write(f"{file}: {problem}")
        if report.errors:
            rows = "1 row was" if len(report.errors) == 1 else f"{len(report.errors)} rows were"
            raise CommandError(f"{rows} rejected; nothing was imported.")
        self.stdout.write(self.style.SUCCESS(report.summary()))
