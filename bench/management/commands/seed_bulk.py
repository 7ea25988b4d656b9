"""`manage.py seed_bulk --requests N`: the bulk data set for benchmarks (see core/bulk.py)."""

from django.core.management.base import BaseCommand, CommandError

from bench.bulk import DEFAULT_COMMUNICATIONS, BulkSpec, bulk_reset, bulk_seed
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

    def handle(self, *args, requests: int, seed: int, owners: int, communications: float,
               reset: bool, **options) -> None:  # fmt: skip
        if requests < 0 or owners < 0 or communications < 0:
            raise CommandError("--requests, --owners and --communications cannot be negative.")
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
