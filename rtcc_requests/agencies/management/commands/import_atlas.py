"""manage.py import_atlas FILE.csv [--dry-run]

Exit status: 0 when every row imported, 2 when some rows were rejected (the good ones
are imported and each bad one is listed), 1 when the file is not an Atlas CSV at all.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rtcc_requests.agencies.atlas import NotAtlasCsv, atlas_import

REJECTED_ROWS_EXIT = 2


class Command(BaseCommand):
    help = "Import agencies, vendors and deployments from an Atlas of Surveillance CSV export."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="the CSV exported from the Atlas")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, write nothing"
        )

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        # Streamed, not read whole: the full Atlas export imports in flat memory.
        try:
            with open(file, "rb") as stream:
                report = atlas_import(data=stream, dry_run=dry_run)
        except NotAtlasCsv as error:
            raise CommandError(f"{file}: {error}") from error
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}") from error
        for problem in report.errors:
            self.stderr.write(f"{file}: {problem}")
        style = self.style.WARNING if report.errors else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} rows were rejected; the other rows were "
                + ("checked." if dry_run else "imported."),
                returncode=REJECTED_ROWS_EXIT,
            )
