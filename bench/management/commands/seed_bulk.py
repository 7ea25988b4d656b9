"""`manage.py seed_bulk --requests N`: the bulk data set for benchmarks (see bench/bulk).

It writes thousands of invented requests and users with COPY, so it runs only with DEBUG on
and refuses a database that holds anything else (requests or users of people) unless --force.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.bulk import DEFAULT_COMMUNICATIONS, BulkSpec, bulk_reset, bulk_seed, foreign_data
from rtcc_requests.demo.data import reference_load


class Command(BaseCommand):
    help = (
        "Generate N realistic requests (agencies, owners, communications, determinations, "
        "denials) with bulk inserts; the same data for the same --seed. Grows or shrinks an "
        "existing bulk data set to N."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--requests", type=int, required=True, help="How many requests.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--owners", type=int, default=0, help="Fixed number of owners (default: N/100)."
        )
        parser.add_argument(
            "--communications",
            type=float,
            default=DEFAULT_COMMUNICATIONS,
            help="Average communications per request (a statewide deployment has about 10).",
        )
        parser.add_argument("--reset", action="store_true", help="Remove the bulk data set first.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add bulk data to a database that holds other requests or users.",
        )

    def handle(self, *args, requests: int, seed: int, owners: int, communications: float,
               reset: bool, force: bool, **options) -> None:  # fmt: skip
        if not settings.DEBUG:
            raise CommandError(
                "seed_bulk writes thousands of invented requests: it runs only with "
                "DJANGO_DEBUG=1, against a scratch database."
            )
        if requests < 0 or owners < 0 or communications < 0:
            raise CommandError("--requests, --owners and --communications cannot be negative.")
        if not force and (found := foreign_data()):
            raise CommandError(
                f"This database holds {' and '.join(found)} that are not bulk data "
                f"({connection.settings_dict['NAME']}). seed_bulk is for a scratch database: "
                "point DATABASE_URL at one, or pass --force to add bulk data anyway."
            )
        reference_load()
        if reset:
            self.stdout.write(f"Removed {bulk_reset()} bulk requests.")
        verbose = options["verbosity"] > 0

        def progress(done: int, total: int) -> None:
            if verbose and (done % 100_000 == 0 or done == total):
                self.stdout.write(f"  {done:,} / {total:,} requests")

        report = bulk_seed(
            requests=requests,
            spec=BulkSpec(seed=seed, owners=owners, communications=communications),
            progress=progress,
        )
        self.stdout.write(
            f"Bulk data: {report.requests:,} requests (added {report.added:,}, removed "
            f"{report.removed:,}) in {report.seconds:.1f} s."
        )
